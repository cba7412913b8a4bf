"""The test command's own set-up: the system Chromium is found, installed, or asked for."""

from __future__ import annotations

from pathlib import Path

from tests.system_chromium import ensure_chromium


def test_a_chromium_that_is_there_needs_nothing(tmp_path: Path) -> None:
    browser = tmp_path / "chromium"
    browser.write_text("")
    assert ensure_chromium(str(browser), as_root=False) is None


def test_without_root_a_missing_chromium_is_one_sentence_with_the_command(tmp_path: Path) -> None:
    said: list[str] = []
    problem = ensure_chromium(str(tmp_path / "chromium"), as_root=False, say=said.append)
    assert problem is not None
    assert "apt-get install -y -qq chromium" in problem
    assert str(tmp_path / "chromium") in problem
    assert problem.count(". ") == 0 and problem.endswith(".")
    assert said == []  # nothing was installed or tried
