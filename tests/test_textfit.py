"""Lists cut to Discord's 2,000 characters: bot/textfit.py."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.textfit import fill, fit, pack, spread


def test_fit_keeps_everything_that_fits():
    assert fit(["<@1>", "<@2>"], 20) == "<@1>, <@2>"


def test_fit_cuts_whole_items_and_counts_the_rest():
    items = [f"<@{n:05}>" for n in range(10)]  # 8 characters each
    text = fit(items, 40)
    assert text == "<@00000>, <@00001>, … and 8 more"
    assert len(text) <= 40


def test_fit_can_keep_the_last_items_instead():
    items = [f"2026-01-{n:02}" for n in range(1, 11)]
    text = fit(items, 40, more="… and {count} earlier", keep_last=True)
    assert text == "… and 8 earlier, 2026-01-09, 2026-01-10"


def test_fill_counts_the_template_against_the_limit():
    items = ["x" * 10] * 300
    text = fill("A round begins: {order}. Press Done.", "order", items, limit=2000)
    assert len(text) <= 2000
    assert text.startswith("A round begins: xxxxxxxxxx, ")
    assert text.endswith(" more. Press Done.")


def test_pack_puts_whole_lines_into_few_messages():
    lines = ["a" * 900, "b" * 900, "c" * 900]
    assert pack(lines) == ["a" * 900 + "\n" + "b" * 900, "c" * 900]
    assert pack([]) == []


def test_spread_carries_every_item_over_into_further_messages():
    items = [f"<@{n:018}>" for n in range(200)]  # 21 characters each
    messages = spread("{mentions}: please read the agreement.", "mentions", items)
    assert len(messages) == 3 and all(len(m) <= 2000 for m in messages)
    assert messages[0].endswith(": please read the agreement.")
    assert " ".join(messages).replace(": please read the agreement.", "").split() == items
    assert spread("{x}.", "x", ["a", "b"]) == ["a b."]


@given(
    st.lists(st.text(min_size=1, max_size=40), max_size=200),
    st.integers(min_value=0, max_value=500),
)
def test_fit_never_exceeds_the_limit(items, limit):
    assert len(fit(items, limit)) <= limit
    assert len(fit(items, limit, keep_last=True)) <= limit


@given(st.lists(st.text(max_size=3000), max_size=30))
def test_pack_never_exceeds_the_limit_and_keeps_short_lines(lines):
    messages = pack(lines)
    assert all(len(m) <= 2000 for m in messages)
    short = [line for line in lines if line and len(line) <= 2000 and "\n" not in line]
    joined = "\n".join(messages).split("\n")
    assert all(line in joined for line in short)
