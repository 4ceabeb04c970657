"""Every sentence a user or an operator reads lives in bot/texts/ (ARCHITECTURE: texts).

A sentence typed in a cog or in the command line drifts from its siblings and is missed
when the wording is reviewed. This scan lists string literals of two words or more in
bot/ and cogs/ outside bot/texts, except docstrings, log calls, programming errors,
slash-command and argparse descriptions (declared with their commands), lock keys, and
the few literals below that no one reads as a sentence.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_SCANNED = ("bot/sim/", "bot/texts/", "bot/store/", "bot/domain/", "bot/demo")
# Reason codes and SQL live in the domain and the store; the demo narrates for a developer.
NOT_SCANNED_FILES = {"bot/log_redact.py", "bot/permissions_needed.py"}
INTERNAL_ERRORS = {"RuntimeError", "KeyError", "TypeError", "AssertionError", "ValueError"}
NO_SENTENCE = {
    "upper left",  # matplotlib legend positions
    "lower left",
    ", token=<hidden>)",  # Settings.__repr__
    "Value error, ",  # pydantic's prefix, removed from a message
    "Balint organiser",  # the default of organiser_role: a role's name, not a sentence
    "rename thread",  # the guard's log label for what Discord refused
    "delete message",
    "group members",  # a lock key (cogs/_groups_members.py)
    "TOML settings file (else $BALINT_CONFIG, else ./config.toml)",  # argparse help of --config
}
LOGGING = re.compile(r"(^|\.)(log|_log|logger|logging)\.|\.(debug|info|warning|error|exception)$")


def _internal_error(call: ast.Call, path: str) -> bool:
    name = ast.unparse(call.func).split(".")[-1]
    # ValueError is an operator's message in bot/config.py's validators (pydantic shows it).
    return name in INTERNAL_ERRORS and not (name == "ValueError" and path == "bot/config.py")


def _skipped(node: ast.AST, parents: dict[ast.AST, ast.AST], path: str) -> bool:
    if isinstance(parents.get(node), ast.Expr):
        return True  # a docstring
    here = node
    while here in parents:
        parent = parents[here]
        if isinstance(parent, ast.Subscript) and parent.slice is here:
            return True  # a lock key such as bot.locks["group leaders", id]
        if isinstance(parent, ast.keyword) and parent.arg in {"help", "description", "name"}:
            return True
        if isinstance(parent, ast.Call):
            called = ast.unparse(parent.func)
            if LOGGING.search(called) or called.endswith("describe"):
                return True
            if _internal_error(parent, path):
                return True
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return False
        here = parent
    return False


def sentences_outside_texts() -> list[str]:
    found = []
    for path in sorted([*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("cogs").rglob("*.py")]):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(NOT_SCANNED) or rel in NOT_SCANNED_FILES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            text = node.value
            if " " not in text or len(re.findall(r"[A-Za-z]{2,}", text)) < 2:
                continue
            if text in NO_SENTENCE or _skipped(node, parents, rel):
                continue
            found.append(f"{rel}:{node.lineno}: {text[:60]!r}")
    return found


def test_sentences_live_in_bot_texts() -> None:
    assert sentences_outside_texts() == []


def test_the_scan_finds_a_sentence() -> None:
    tree = ast.parse('def f():\n    print(f"backup written to {p}")\n')
    [node] = [n for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    parents = {child: n for n in ast.walk(tree) for child in ast.iter_child_nodes(n)}
    assert not _skipped(node, parents, "bot/__main__.py")
