"""The app's own options are read without the command line's parsers (issue 13 item 5); anything
else (a command, help, a mistake) goes to the full parser, whose words a user sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.app_args import app_args
from ui.launcher import main


def test_the_apps_options_are_read_without_the_command_line() -> None:
    args = app_args(["--db", "clinic.db", "--smoke"])
    assert args is not None
    assert args.command is None
    assert args.db == Path("clinic.db")
    assert args.smoke
    assert not args.demo


@pytest.mark.parametrize(
    "words",
    [["sessions"], ["--db", "x.db", "verify"], ["-h"], ["--help"], ["--db"], ["--no-such"]],
)
def test_a_command_help_or_mistake_goes_to_the_full_parser(words: list[str]) -> None:
    assert app_args(words) is None


def test_a_missing_value_is_explained_by_the_full_parser(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--db"])
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert "--db" in err
    assert "expected one argument" in err
    assert "COMMAND" in err  # the full usage, commands included


def test_help_lists_the_commands_and_the_apps_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in ("--db", "--demo", "--smoke", "--version", "verify", "backup", "server"):
        assert word in out


@pytest.mark.parametrize("words", [["--d", "x"], ["--sm"], ["--version"], ["bogus", "--version"]])
def test_an_abbreviation_or_the_version_goes_to_the_full_parser(words: list[str]) -> None:
    assert app_args(words) is None


def test_an_ambiguous_abbreviation_is_explained_with_the_full_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--d", "x"])
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert "ambiguous option: --d could match --db, --demo" in err
    assert "COMMAND" in err


def test_a_mistake_before_version_is_told_not_hidden_by_the_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["bogus", "--version"])
    assert ended.value.code == 2
    out, err = capsys.readouterr()
    assert "invalid choice: 'bogus'" in err
    assert "bedside 0." not in out
