"""The README's promises that code can check."""

from __future__ import annotations

from pathlib import Path

from bot.permissions_needed import REQUIRED, invite_url

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_invite_url_has_the_permissions_the_code_uses() -> None:
    assert f"permissions={REQUIRED.value}" in README
    assert invite_url() in README


def test_readme_gives_the_install_and_test_commands() -> None:
    assert 'python -m pip install -e ".[test]"' in README
    assert "python -m pytest" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest\n" in ci


def _install_block() -> str:
    section = README.split("## Install and run", 1)[1]
    return section.split("```bash", 1)[1].split("```", 1)[0]


def test_install_block_can_be_followed_literally() -> None:
    """A fresh system refuses pip outside a venv (PEP 668); commands need `sync` before `run`."""
    block = _install_block()
    assert "-m venv" in block and "activate" in block
    lines = [line.split("#")[0].strip() for line in block.splitlines()]
    order = [
        next(i for i, line in enumerate(lines) if line.endswith(cmd))
        for cmd in (
            "balint-bot sync",
            "balint-bot run",
        )
    ]
    assert order == sorted(order)


def test_every_cli_command_is_in_the_readme_and_every_one_named_exists() -> None:
    import re

    from bot.__main__ import _parser

    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command")  # noqa: SLF001
    real = set(sub.choices)
    code = "\n".join(block.split("```")[0] for block in README.split("```bash")[1:])
    named = set(re.findall(r"`balint-bot ([a-z]+)", README))
    named |= set(re.findall(r"^(?:export )?(?:\S+=\S+ )?balint-bot ([a-z]+)", code, re.M))
    assert named <= real, named - real
    assert real <= named, f"not in the README: {real - named}"


def test_every_balint_variable_named_is_a_setting() -> None:
    import re

    from bot.config import unknown_env_names

    example = (Path(__file__).resolve().parents[1] / "config.example.toml").read_text("utf-8")
    names = set(re.findall(r"BALINT_[A-Z_]+", README + example))
    assert names and not unknown_env_names(names)


def test_the_intents_the_readme_asks_for_are_the_ones_the_code_requests() -> None:
    from bot.app import build_intents
    from bot.config import load_settings

    settings = load_settings(None, database_path=":memory:")
    intents = build_intents(settings)
    assert intents.members and "**Server Members Intent**" in README
    assert intents.message_content and "**Message Content Intent**" in README
    assert not build_intents(
        settings.model_copy(update={"message_content_intent": False})
    ).message_content
    assert not intents.presences and "Presence Intent" not in README


async def test_every_slash_command_in_the_readme_exists_as_written() -> None:
    """`/group create name timezone [leader]`: each word a subcommand, option or choice."""
    import re

    from bot.config import load_settings
    from bot.sync import command_payloads

    tree = await command_payloads(load_settings(None, database_path=":memory:"))
    for span in re.findall(r"`(/[^`]+)`", README):
        words = span[1:].split()
        options = tree
        node: dict = {}
        for index, word in enumerate(words):
            subs = {o["name"]: o for o in options if o.get("type", 1) in (1, 2)}
            if index == 0:
                subs = {c["name"]: c for c in tree}
            alternatives = word.split("|")
            if subs and all(a in subs for a in alternatives):
                node = subs[alternatives[0]]
                options = node.get("options", [])
                continue
            assert node and not subs, f"{span}: no command {word!r}"
            names = {o["name"] for o in options}
            choices = {str(c["value"]) for o in options for c in o.get("choices", [])}
            for alternative in alternatives:
                assert alternative.strip("[]") in names | choices, f"{span}: {alternative!r}"
        assert node, span


async def test_every_slash_command_is_in_the_readme() -> None:
    """A leader looking for how to make someone the presenter, or to send the agreement
    again, reads the README's command list (/balint about points there): each command of
    the bot is named in it, so none is found only by chance in Discord's menu."""
    import re

    from bot.config import load_settings
    from bot.sync import command_payloads

    tree = await command_payloads(load_settings(None, database_path=":memory:"))
    named: set[str] = set()
    for span in re.findall(r"`/([^`]+)`", README):
        paths: list[list[str]] = [[]]
        for word in span.split():
            paths = [path + [alt] for path in paths for alt in word.split("|")]
        named |= {" ".join(path[:n]) for path in paths for n in range(1, len(path) + 1)}

    def leaves(nodes: list[dict], prefix: str) -> list[str]:
        found: list[str] = []
        for node in nodes:
            name = f"{prefix}{node['name']}"
            subs = [o for o in node.get("options", []) if o.get("type", 1) in (1, 2)]
            found += leaves(subs, f"{name} ") if subs else [name]
        return found

    missing = [name for name in leaves(tree, "") if name not in named]
    assert not missing, f"commands the README does not name: {missing}"


def test_every_intent_the_code_asks_for_is_the_one_the_readme_names() -> None:
    """Step 3 names each intent: one asked for but not named (or named but not asked for)
    would be switched off (or on) in the Developer Portal for nothing."""
    import re

    from bot.app import build_intents
    from bot.config import load_settings

    flat = " ".join(README.split())
    found = re.search(r"also uses the non-privileged ([A-Za-z ,]+) intents", flat)
    assert found is not None
    named = {n.strip() for n in re.split(r",| and ", found.group(1))}
    named |= set(re.findall(r"\*\*(Server Members|Message Content) Intent\*\*", flat))
    flags = {
        "Guilds": "guilds",
        "Guild Messages": "guild_messages",
        "Voice States": "voice_states",
        "Guild Scheduled Events": "guild_scheduled_events",
        "Server Members": "members",
        "Message Content": "message_content",
    }
    assert named <= set(flags), named - set(flags)
    asked = {name for name, on in build_intents(load_settings(None)) if on}
    assert asked == {flags[n] for n in named}
