"""``emoflat show``: the plan of a practice, as an author sees the effect of --minutes."""

from __future__ import annotations

import json

import pytest

from emoflat.cli import main


def test_show_prints_each_step_with_its_seconds_and_what_a_short_length_leaves_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["show", "breath-observation", "--minutes", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Watching the breath (breath-observation), at about 1 min")
    steps = [line for line in out if line.startswith("  ")]
    assert steps[0].split()[:3] == ["1.", "say", "15"]
    assert steps[-1].endswith("name one thing you can see.")
    assert any(line.startswith("Left out at this length (optional): step 2") for line in out)
    assert out[-1].startswith("Shortest readable length: about 1 min")


def test_show_json_is_the_plan_the_session_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from emoflat.engine import Session
    from emoflat.library import scan

    assert main(["show", "breath-observation", "--minutes", "1", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    session = Session(scan().load("breath-observation"), minutes=1, now=lambda: 0.0)
    assert [s["seconds"] for s in shown["steps"]] == list(session.durations)
    assert shown["left_out"] == [2, 4, 5, 7]
    assert shown["seconds"] == session.planned_seconds == 60
    untimed = json.loads(_show(capsys, "consider-a-therapist"))
    assert [s["seconds"] for s in untimed["steps"]][1:3] == [None, None]


def _show(capsys: pytest.CaptureFixture[str], practice: str) -> str:
    assert main(["show", practice, "--json"]) == 0
    return capsys.readouterr().out


def test_show_an_unknown_id_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "breath-obsevation"]) == 2
    err = capsys.readouterr().err
    assert "breath-observation" in err and "Traceback" not in err
