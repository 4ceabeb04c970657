"""`default_timezone` is documented as the zone offered when a group is created: the
organiser who opens /group create must see it first, not the alphabet's Africa/Abidjan."""

from __future__ import annotations

from pathlib import Path

from bot.domain.timeparse import zone_suggestions
from bot.sim.scenario import Scenario


async def test_group_create_offers_the_configured_zone_first(tmp_path: Path) -> None:
    world = Scenario(tmp_path / "db.sqlite3", default_timezone="Europe/Dublin")
    await world.start()
    try:
        offered = await world.sim.autocomplete(
            world.organiser, "group create", focused="timezone", name="Tuesday", timezone=""
        )
        assert offered[0]["value"] == "Europe/Dublin", offered[:3]
        assert len(offered) == 25
        typed = await world.sim.autocomplete(
            world.organiser, "group create", focused="timezone", name="Tuesday", timezone="eu"
        )
        assert typed[0]["value"] == "Europe/Dublin"
        other = await world.sim.autocomplete(
            world.organiser, "group create", focused="timezone", name="Tuesday", timezone="Lon"
        )
        assert other[0]["value"] == "Europe/London"  # typing another zone is not overridden
    finally:
        await world.stop()


def test_the_preferred_zone_comes_first_only_when_it_matches() -> None:
    assert zone_suggestions("", preferred="Europe/Dublin")[0] == "Europe/Dublin"
    assert zone_suggestions("", preferred="Europe/Dublin").count("Europe/Dublin") == 1
    assert "Europe/Dublin" not in zone_suggestions("Lon", preferred="Europe/Dublin")
    assert zone_suggestions("UTC+2", preferred="Europe/Dublin") == []


def test_a_configured_legacy_zone_name_is_offered_first_too() -> None:
    """`default_timezone = "US/Eastern"` is accepted by the config (and by /group create):
    left out of the suggestions as an old-style name, it was never offered at all."""
    assert zone_suggestions("", preferred="US/Eastern")[0] == "US/Eastern"
    assert zone_suggestions("east", preferred="US/Eastern")[0] == "US/Eastern"
    assert "US/Eastern" not in zone_suggestions("Lon", preferred="US/Eastern")
    assert "US/Pacific" not in zone_suggestions("")  # other old names stay out
