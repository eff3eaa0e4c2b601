"""Every argument of every ``shufa`` subcommand says what it is, positional ones included, in the help the
real command prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shufa(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "COLUMNS": "120"}, timeout=120)


def _commands() -> list[list[str]]:
    """Every command path (``["correct", "set"]`` …), read from the parser the command line uses."""
    import argparse

    from pipelines.cli import parser

    def walk(p: argparse.ArgumentParser, path: list[str]):
        subparsers = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        for action in subparsers:
            for name, child in action.choices.items():
                yield [*path, name]
                yield from walk(child, [*path, name])

    return list(walk(parser(), []))


def bare_arguments(help_text: str) -> list[str]:
    """The entries of argparse's "positional arguments" and "options" sections that have no help text.

    An entry starts at an indent of 2 (4 for a subcommand listed under its group); its help follows on the
    same line after two spaces or more, or on the next, more indented, line.
    """
    bare, in_section = [], False
    lines = help_text.splitlines()
    for i, line in enumerate(lines):
        if line and not line.startswith(" "):
            in_section = line.rstrip().endswith(":") and ("argument" in line or "options" in line)
            continue
        indent = len(line) - len(line.lstrip())
        if not in_section or not line.strip() or indent > 4:
            continue
        entry = line.strip()
        has_text = "  " in entry
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        continued = len(nxt) - len(nxt.lstrip()) > 4 and nxt.strip() != ""
        if not (has_text or continued):
            bare.append(entry)
    return bare


def test_the_help_checker_finds_a_bare_positional():
    text = "usage: x\n\npositional arguments:\n  doc_id\n  char_start  where it starts\n\noptions:\n  -h, --help  show\n"
    assert bare_arguments(text) == ["doc_id"]


def test_correct_set_explains_its_positionals():
    result = shufa("correct", "set", "--help")
    assert result.returncode == 0, result.stderr
    assert bare_arguments(result.stdout) == []
    for name, words in (("DOC_ID", "review.csv"), ("CHAR_START", "starts"), ("INDICATOR", "shufa indicators"),
                        ("VALUE", "catalog unit")):
        line = next(line for line in result.stdout.splitlines() if line.startswith(f"  {name} "))
        assert words in line, line  # the name, then its help on the same line
    assert "shufa indicators" in result.stdout and "16 hex" in result.stdout


@pytest.mark.parametrize("command", [[]] + _commands(), ids=lambda c: " ".join(c) or "shufa")
def test_every_argument_has_help(command):
    result = shufa(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "positional arguments" in result.stdout or "options" in result.stdout
    assert bare_arguments(result.stdout) == [], result.stdout


def test_every_argument_has_help_in_the_parser():
    """The same, for arguments argparse might print in a way the text check above would miss."""
    import argparse

    from pipelines.cli import parser

    def actions(p: argparse.ArgumentParser, path: str):
        for action in p._actions:
            yield path, action
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    yield from actions(child, f"{path} {name}")

    missing = [f"{path}: {a.dest}" for path, a in actions(parser(), "shufa") if not a.help]
    assert missing == []
