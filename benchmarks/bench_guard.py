"""Identifier guard: throughput on ordinary clinical messages, worst time on adversarial input.

Goals (confidentiality issue): at least 20,000 ordinary messages per second on
one core, and any 100 KB adversarial message checked in under 50 ms.  Each
figure is the best of 3 runs, because this machine is shared and noisy.
"""

from __future__ import annotations

import random
import time
from typing import Any

from benchmarks._figures import figure
from bot.domain.guard import scan

RATE_GOAL = 20_000.0
ADVERSARIAL_GOAL_MS = 50.0

# Clinical talk full of numbers that must not trip the guard: doses, ages, years, BP, times.
_TEMPLATES = (
    "She is {age} and has had type 2 diabetes since {year}; metformin {dose} mg twice daily "
    "and her HbA1c was {hba1c} last time. I felt stuck when she cried for {minutes} minutes.",
    "BP {sys}/{dia}, pulse {pulse}, he takes amlodipine {small} mg and ramipril {small} mg. "
    "Third visit in {weeks} weeks and I noticed I dread seeing his name on the list.",
    "A man in his {decade}s, smoker of {cigs} a day for {years} years, came in at {hh}:{mm} "
    "asking for sick notes again. I said no twice and then gave him {days} days.",
    "Mother of {kids}, {age} years old, postnatal at {weeks} weeks, sleeping {hours} hours; "
    "sertraline {dose} mg started in {year}. The family knows me since {year2}.",
    "The practice has {patients} patients and {gps} GPs; I see about {visits} a day. "
    "This {age}-year-old asked me for {ml} ml of oramorph and a longer appointment.",
    "Weight {kg} kg, BMI {bmi}, eGFR {egfr}, temperature {temp} C. She said {pct}% of her "
    "worries are about her son; we talked for {minutes} minutes after clinic at {hh}:{mm}.",
)


_TAILS = (
    " I keep wondering what she wants from me.",
    " Afterwards I sat in my car for {minutes} minutes.",
    " My partner of {years} years says I take it home.",
    " The nurse saw him again on day {days}.",
    " I have been a GP for {years} years and still feel this.",
)


def ordinary_messages(count: int, seed: int = 9) -> list[str]:
    """About 200-character clinical messages with a realistic mix of numbers."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        template = rng.choice(_TEMPLATES) + rng.choice(_TAILS)
        out.append(
            template.format(
                age=rng.randint(18, 95),
                year=rng.randint(1990, 2025),
                year2=rng.randint(1980, 2020),
                dose=rng.choice((25, 50, 100, 250, 500, 850, 1000)),
                hba1c=rng.randint(40, 95),
                minutes=rng.randint(2, 40),
                sys=rng.randint(100, 190),
                dia=rng.randint(60, 110),
                pulse=rng.randint(50, 120),
                small=rng.choice((2.5, 5, 10)),
                weeks=rng.randint(1, 12),
                decade=rng.choice((20, 30, 40, 50, 60, 70)),
                cigs=rng.randint(5, 40),
                years=rng.randint(2, 50),
                hh=f"{rng.randint(8, 18):02d}",
                mm=f"{rng.randint(0, 59):02d}",
                days=rng.randint(3, 14),
                kids=rng.randint(1, 5),
                hours=rng.randint(2, 8),
                patients=rng.randint(2000, 15000),
                gps=rng.randint(2, 12),
                visits=rng.randint(15, 45),
                ml=rng.choice((5, 10, 100, 250)),
                kg=rng.randint(45, 140),
                bmi=round(rng.uniform(17, 45), 1),
                egfr=rng.randint(15, 90),
                temp=round(rng.uniform(36, 40), 1),
                pct=rng.randint(5, 95),
            )
        )
    return out


def adversarial_inputs(size: int = 100_000) -> dict[str, str]:
    """Inputs built to make a backtracking pattern explode, each about `size` characters."""
    seeds = {
        "digits": "1",
        "digit-space": "1 ",
        "at-signs": "a@",
        "plus-digit-hyphen": "+1-",
        "mrn-cues": "MRN ",
        "nanp-groups": "123 456 7890 ",
        "slash-dates": "12/12/",
        "dob-cues": "DOB ",
        "bracket-area": "(555) ",
        "dotted-digits": "1.",
        "hyphen-digits": "12-",
        "times-of-day": "0830-1230 ",  # trunk-shaped, every match checked and refused
        "dose-ranges": "250-500-1000 mg ",  # NANP-shaped, each refused by its unit
        "cued-words": "dob is 12 mar ",  # a birth cue with words and a month name
        "ssn-cued-spaces": "SSN no. 078 05 112 ",  # an SSN cue, words, a serial one short
        "double-zero-times": "0030-0100 ",  # 00-prefix-shaped, every match refused as times
        "double-zero-doses": "0044 7700 900 mg ",  # 00-prefix-shaped, each refused by its unit
        "exit-011-doses": "011 44 7700 900 mg ",  # 011-prefix-shaped, each refused by its unit
        "ssn-double-spaces": "SSN  078  05  112 ",  # a cue, then double spaces, one short
    }
    out = {name: (unit * (size // len(unit) + 1))[:size] for name, unit in seeds.items()}
    out["zeros-then-x"] = "0" * (size - 1) + "x"
    return out


def _best_of(runs: int, fn: Any) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run(messages: int = 50_000, adversarial_size: int = 100_000, repeats: int = 3) -> dict:
    """Figures: messages/s on ordinary messages, worst adversarial time and which input."""
    texts = ordinary_messages(messages)
    tripped = sum(1 for t in texts if scan(t))

    def scan_all() -> None:
        for text in texts:
            scan(text)

    best = _best_of(repeats, scan_all)
    rate = len(texts) / best if best > 0 else float("inf")
    worst_ms, worst_name = 0.0, ""
    big = adversarial_size >= 100_000
    each: dict[str, Any] = {}
    for name, text in adversarial_inputs(adversarial_size).items():
        ms = _best_of(repeats, lambda text=text: scan(text)) * 1000
        each[f"adversarial_{name}_ms"] = figure(
            ms, "ms", f"< {ADVERSARIAL_GOAL_MS:.0f}", (ms < ADVERSARIAL_GOAL_MS) if big else None
        )
        if ms >= worst_ms:
            worst_ms, worst_name = ms, name
    return {
        "ordinary_messages_per_second": figure(
            rate, "messages/s", f">= {RATE_GOAL:,.0f}", rate >= RATE_GOAL
        ),
        "ordinary_message_chars_mean": figure(sum(map(len, texts)) / max(1, len(texts)), "chars"),
        "ordinary_messages_flagged": figure(tripped, "messages", "0", tripped == 0),
        "adversarial_worst_ms": figure(
            worst_ms,
            "ms",
            f"< {ADVERSARIAL_GOAL_MS:.0f} (100 KB input)",
            (worst_ms < ADVERSARIAL_GOAL_MS) if big else None,
        ),
        "adversarial_worst_input": {
            "value": worst_name,
            "unit": f"{adversarial_size} chars",
            "goal": "",
            "met": None,
        },
        **each,
    }
