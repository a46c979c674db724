"""Everything shown about sessions, as plain text: durations, the history, a whole record,
the calendar, the chart, CSV, JSON, stats and the markdown summary.

The renderer is pure, so sessions are built in memory; a few come from real log files
where it matters what the line on disk holds.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import msgspec
import pytest
from records import make_record, record_fields

from emoflat.log.durations import (
    about_minutes,
    days_text,
    duration_text,
    short_minutes,
    time_left_text,
)
from emoflat.log.figures import Figures
from emoflat.log.record import Record, decode
from emoflat.log.render import (
    CSV_COLUMNS,
    EMPTY,
    WIDE,
    calendar_days_lines,
    chart_lines,
    chart_sessions,
    csv_cell,
    csv_row,
    csv_text,
    history_text,
    json_parts,
    markdown_summary,
    md_inline,
    md_quote,
    month_calendar,
    record_text,
    session_lines,
    stats_lines,
    warnings_text,
)
from emoflat.log.store import Session, read_log

PLUS_ONE = timezone(timedelta(hours=1))
NOW = datetime(2026, 3, 5, 9, 0, 0, tzinfo=PLUS_ONE)
WEDNESDAY = date(2026, 3, 4)


def session_of(record: Record) -> Session:
    """The session the log reads for ``record``, with its line."""
    moment = datetime.fromisoformat(record.started)
    return Session(moment.timestamp(), moment.toordinal(), record, msgspec.json.encode(record))


def session(started: str = "2026-03-02T10:00:00+01:00", **fields: Any) -> Session:
    return session_of(make_record(started, **fields))


def figures_of(sessions: Iterable[Session], today: date = WEDNESDAY) -> Figures:
    return Figures(today).add(list(sessions), by_month=True)


def three_sessions() -> list[Session]:
    """Three sessions, newest first: check-ins before and after, before only, none."""
    return [
        session(
            "2026-03-04T10:00:00+01:00",
            practiced_seconds=240,
            after={"feel": 4, "tone": None, "words": [], "felt": "helpful"},
        ),
        session(
            "2026-03-02T17:30:00+01:00",
            title="Sounds around you",
            practice="sounds",
            practiced_seconds=45,
            completed=False,
            after=None,
            answers=[],
            note="",
        ),
        session("2026-03-01T09:00:00+01:00", before=None, after=None, note=None),
    ]


def session_of_line(tmp_path: Path, line: str) -> Session:
    """The one session a log file holding ``line`` reads as."""
    folder = tmp_path / "sessions"
    folder.mkdir(exist_ok=True)
    (folder / "sessions-here.jsonl").write_text(line + "\n", encoding="utf-8")
    read = read_log(folder)
    assert read.warnings == []
    [found] = read.sessions
    return found


def with_field(name: str, raw_json: str, **fields: Any) -> str:
    """A record's line with one more field, written as raw JSON."""
    return json.dumps(record_fields(**fields))[:-1] + f', "{name}": {raw_json}}}'


# --- durations and days in words ---------------------------------------------------------


def test_minutes_in_the_history_are_short() -> None:
    assert [short_minutes(s) for s in (0, 59.9, 60, 89, 90, 240)] == [
        "<1 min", "<1 min", "1 min", "1 min", "2 min", "4 min",
    ]  # fmt: skip
    assert short_minutes(None) == "? min"  # not recorded


def test_planned_minutes_are_about() -> None:
    assert about_minutes(44) == "under 1 min"
    assert about_minutes(45) == "about 1 min"
    assert about_minutes(180) == "about 3 min"
    assert about_minutes(77) == "about 1½ min"  # below three minutes, to the half


def test_a_duration_is_said_aloud_in_tens_of_seconds() -> None:
    assert duration_text(1) == "about 1 second"
    assert duration_text(15) == "about 15 seconds"
    assert duration_text(60) == "about 1 minute"
    assert duration_text(89) == "about 1 minute 30 seconds"
    assert duration_text(118) == "about 2 minutes"  # 1 minute 60 seconds is 2 minutes
    assert duration_text(-3) == "about 0 seconds"


def test_time_left_is_calm_minutes_then_rounded_seconds() -> None:
    assert time_left_text(0) == ""
    assert time_left_text(3) == "a few seconds left"
    assert time_left_text(11) == "about 20 seconds left"
    assert time_left_text(50) == "about 50 seconds left"
    assert time_left_text(51) == "about 1 min left"
    assert time_left_text(61) == "about 2 min left"


def test_days_this_week_are_a_count_never_a_streak() -> None:
    assert days_text(0) == "No days practised yet this week."
    assert days_text(1) == "This week you have practised on 1 day."
    assert days_text(3) == "This week you have practised on 3 days."


# --- the history ---------------------------------------------------------------------------


def test_the_history_is_a_line_a_session_titles_lined_up() -> None:
    assert history_text(three_sessions()).splitlines() == [
        "2026-03-04 10:00  Noticing your hands    4 min  finished     feel 2 → 4  note",
        "2026-03-02 17:30  Sounds around you     <1 min  ended early  feel 2 before",
        "2026-03-01 09:00  Noticing your hands    3 min  finished",
    ]


def test_the_history_arrow_can_be_plain_ascii() -> None:
    assert "feel 2 -> 4  note" in history_text(three_sessions(), "->")


def test_the_history_shows_the_time_the_record_wrote() -> None:
    late = session("2026-03-04T23:30:00+10:00", before=None, after={"feel": 0, "felt": "neutral"})
    assert history_text([late]) == (
        "2026-03-04 23:30  Noticing your hands    3 min  finished     feel 0 after  note\n"
    )


def test_the_history_of_fields_left_out_says_so_plainly() -> None:
    left_out = session_of(Record(id="x", started="2026-03-04T10:00:00+01:00", title="Only a title"))
    assert history_text([left_out]) == "2026-03-04 10:00  Only a title    ? min\n"


def test_titles_with_wide_characters_line_up_by_cells() -> None:
    wide, narrow = session(title="練習"), session(title="abcd")
    first, second = history_text([wide, narrow]).splitlines()
    assert first.index("3 min") + 2 == second.index("3 min")  # 練 and 習 take two cells


def test_a_session_takes_one_line_when_wide_two_when_narrow() -> None:
    newest = three_sessions()[0]
    assert session_lines(newest, 100) == [
        "2026-03-04 10:00  Noticing your hands                         4 min  finished     "
        "feel 2 → 4    note"
    ]
    assert session_lines(newest, WIDE - 1) == [
        "2026-03-04 10:00  4 min  finished",
        "  Noticing your hands  feel 2 → 4  note",
    ]
    for width in range(20, 120):
        assert all(len(line) <= width for line in session_lines(newest, width)), width


def test_unreadable_lines_are_counted_calmly() -> None:
    assert warnings_text([]) == ""
    assert warnings_text(["x"]) == (
        "1 line of the log was not readable and left out; the files are unchanged "
        "(emoflat history names them)."
    )
    assert warnings_text(["x"] * 1200).startswith("1,200 lines of the log were")
    assert EMPTY.startswith("No sessions yet.")


# --- a whole record ------------------------------------------------------------------------


def test_a_record_shows_every_field_in_plain_words() -> None:
    shown = session(
        "2026-03-04T10:00:00+01:00",
        tags=["tired day", "relapse"],
        answers=[{"step": 2, "prompt": "What did you notice?", "text": "warmth\nand weight"}],
    )
    assert record_text(shown).splitlines() == [
        "2026-03-04 10:00 to 10:03",
        "Noticing your hands (hands)",
        "Finished · practised for about 2 minutes 50 seconds · planned about 3 min",
        "",
        "Before: feel 2 of 10 · can't tell · flat, foggy",
        "After: feel 3 of 10 · mixed · warm",
        "How was that for you? not sure",
        "Context: tired day, relapse",
        "",
        "Answers",
        "  2. What did you notice?",
        "     warmth",
        "     and weight",
        "",
        "Note",
        "  Nothing much.",
        "  That is fine.",
        "",
        f"Session id {shown.record.id}",
    ]


def test_a_record_with_nothing_given_says_so() -> None:
    bare = session_of(Record(id="bare", started="2026-03-04T10:00:00+01:00"))
    assert record_text(bare).splitlines() == [
        "2026-03-04 10:00",
        "(no title)",
        "Not recorded how it ended",
        "",
        "Before: no check-in",
        "After: no check-in",
        "How was that for you? not answered",
        "Context: none marked",
        "",
        "Note: none",
        "",
        "Session id bare",
    ]


def test_a_record_ending_another_day_shows_both_dates() -> None:
    overnight = session("2026-03-04T23:59:00+01:00", ended="2026-03-05T00:02:00+01:00")
    assert record_text(overnight).splitlines()[0] == "2026-03-04 23:59 to 2026-03-05 00:02"


def test_fields_this_version_does_not_know_are_shown_as_stored(tmp_path: Path) -> None:
    line = with_field("mood_colour", '{"name": "blue", "shade": 3}')
    text = record_text(session_of_line(tmp_path, line))
    assert 'Other fields, as stored\n  mood_colour: {"name": "blue", "shade": 3}\n' in text


def test_a_number_too_long_for_python_shows_as_infinity(tmp_path: Path) -> None:
    shown = session_of_line(tmp_path, with_field("x", "1" + "0" * 5000))
    assert "  x: Infinity" in record_text(shown).splitlines()


def test_a_deep_record_shows_whole_however_deep_the_caller_is(tmp_path: Path) -> None:
    deep = "[" * 900 + "]" * 900
    shown = session_of_line(tmp_path, with_field("x", deep, note="still here"))

    def from_deep_down(frames: int) -> str:
        return from_deep_down(frames - 1) if frames else record_text(shown)

    text = from_deep_down(600)  # as deep as a TUI's handler may be; json.loads alone fails
    assert "  still here" in text.splitlines()
    assert f"  x: {deep}" in text.splitlines()


def test_text_from_the_log_is_shown_as_written_never_as_markup_or_control_codes() -> None:
    shown = session(
        title="[bold]not bold[/]",
        note="\x1b[31mnot red\x1b[0m\tand a tab",
        tags=["[link=x]tag[/link]"],
    )
    text = record_text(shown)
    assert "[bold]not bold[/]" in text and "[link=x]tag[/link]" in text
    assert "\x1b" not in text
    assert "   [31mnot red [0m\tand a tab" in text.splitlines()
    assert "\x1b" not in history_text([shown]) + "".join(session_lines(shown, 80))


# --- the calendar and the chart ------------------------------------------------------------


def test_a_month_calendar_marks_the_days_practised() -> None:
    days = [date(2026, 3, day).toordinal() for day in (2, 2, 4, 31)]
    days.append(date(2026, 4, 1).toordinal())  # another month
    month = month_calendar(date(2026, 3, 17), days)
    assert (month.first, month.title, month.days_practised) == (date(2026, 3, 1), "March 2026", 3)
    assert month.lines() == [
        " Mo  Tu  We  Th  Fr  Sa  Su",
        "                          1",
        "  2•  3   4•  5   6   7   8",
        "  9  10  11  12  13  14  15",
        " 16  17  18  19  20  21  22",
        " 23  24  25  26  27  28  29",
        " 30  31•",
    ]


def test_the_calendar_counts_days_in_the_month_and_this_week() -> None:
    practised = {date(2026, 3, day).toordinal() for day in (1, 2, 4)}
    march = month_calendar(date(2026, 3, 1), practised)
    assert calendar_days_lines(march, WEDNESDAY, practised) == [
        "• a day you practised",
        "3 days practised in March 2026",
        "This week: 2 days practised",
    ]
    february = month_calendar(date(2026, 2, 1), practised)
    assert calendar_days_lines(february, WEDNESDAY, practised) == [
        "• a day you practised",
        "No days practised in February 2026",
    ]


def test_the_chart_takes_the_newest_sessions_with_a_figure() -> None:
    sessions = three_sessions() * 20
    chosen = chart_sessions(sessions, limit=30)
    assert len(chosen) == 30
    assert all(s.record.before is not None for s in chosen)
    assert chosen[:2] == sessions[:2]


def test_the_chart_shows_before_and_after_side_by_side_with_their_figures() -> None:
    newest, middle, _ = three_sessions()
    assert chart_lines([newest, middle], 80) == [
        "                  before         after",
        "2026-03-04 10:00  ██········  2  ████······  4",
        "2026-03-02 17:30  ██········  2              –",
    ]
    assert chart_lines([newest], 40)[1] == "03-04  ██········  2  ████······  4"
    assert chart_lines([], 80) == ["No check-ins with a figure yet."]


# --- CSV and JSON --------------------------------------------------------------------------


def csv_table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_csv_columns_are_a_stable_contract() -> None:
    assert CSV_COLUMNS == (
        "id", "started", "ended", "practice", "title", "planned_seconds", "practiced_seconds",
        "completed", "before_feel", "before_tone", "before_words", "after_feel", "after_tone",
        "after_words", "felt", "tags", "answers_count", "note",
    )  # fmt: skip


def test_csv_has_a_header_and_a_row_a_session_with_crlf_line_ends() -> None:
    newest, middle, oldest = three_sessions()
    text = csv_text([newest, middle, oldest])
    assert text.count("\r\n") == 4 and text.endswith("\r\n")
    table = csv_table(text)
    assert tuple(table[0]) == CSV_COLUMNS
    rows = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in table[1:]]
    assert rows[0] == {
        "id": newest.record.id,
        "started": "2026-03-04T10:00:00+01:00",
        "ended": "2026-03-04T10:03:00+01:00",
        "practice": "hands",
        "title": "Noticing your hands",
        "planned_seconds": "180",
        "practiced_seconds": "240",
        "completed": "true",
        "before_feel": "2",
        "before_tone": "can't tell",
        "before_words": "flat; foggy",
        "after_feel": "4",
        "after_tone": "",
        "after_words": "",
        "felt": "helpful",
        "tags": "",
        "answers_count": "1",
        "note": "Nothing much.\nThat is fine.",
    }
    assert (rows[1]["completed"], rows[1]["after_feel"], rows[1]["note"]) == ("false", "", "")
    assert (rows[2]["before_feel"], rows[2]["felt"], rows[2]["note"]) == ("", "", "")
    assert csv_table(csv_text([])) == [list(CSV_COLUMNS)]


def test_csv_leaves_fields_left_out_blank() -> None:
    left: list[str] = []
    record = decode(json.dumps(record_fields(practiced_seconds="ten")).encode(), left)
    assert isinstance(record, Record) and left == ["practiced_seconds"]
    assert csv_row(record)[CSV_COLUMNS.index("practiced_seconds")] == ""


@pytest.mark.parametrize(
    "dangerous", ["=1+1", "+x", "-x", "@x", "\tx", "\rx", "\n=1", "=HYPERLINK(1)"]
)
def test_csv_cells_that_a_spreadsheet_could_run_are_escaped(dangerous: str) -> None:
    assert csv_cell(dangerous) == "'" + dangerous
    shown = session(title=dangerous, note=dangerous, tags=[dangerous, "plain"])
    row = dict(zip(CSV_COLUMNS, csv_table(csv_text([shown]))[1], strict=True))
    assert row["title"] == row["note"] == "'" + dangerous
    assert row["tags"] == "'" + dangerous + "; plain"


def test_a_cell_starting_with_a_line_feed_gets_the_quote() -> None:
    # A line feed can hide a formula on the next line of the cell.
    assert csv_cell("\n=1") == "'\n=1"
    note = session(note="\n=1")
    assert csv_table(csv_text([note]))[1][CSV_COLUMNS.index("note")] == "'\n=1"


def test_csv_cells_that_are_harmless_are_kept() -> None:
    for text in ("x=1", "café", "1+1", "", "'quoted", "a\n=b"):
        assert csv_cell(text) == text
    assert (csv_cell(None), csv_cell(True), csv_cell(False), csv_cell(3)) == (
        "",
        "true",
        "false",
        "3",
    )
    assert csv_cell(-5) == "'-5"
    assert csv_cell(("a", "b")) == "a; b"


@pytest.mark.parametrize("count", [0, 1, 2, 4096, 4097, 8193])
def test_json_is_the_records_as_stored_in_one_array(count: int) -> None:
    lines = [b'{"id": "%d", "note": "as  stored"}' % n for n in range(count)]
    text = b"".join(json_parts(lines, b"[", b"]\n"))
    assert json.loads(text) == [{"id": str(n), "note": "as  stored"} for n in range(count)]
    assert text.endswith(b"]\n")
    if count:
        assert text.splitlines()[1:-1] == [line + b"," for line in lines[:-1]] + [lines[-1]]
    else:
        assert text == b"[]\n"


# --- stats ---------------------------------------------------------------------------------


def test_stats_text_shows_plain_figures_before_and_after_side_by_side() -> None:
    sessions = [*three_sessions(), session("2026-03-04T18:00:00+01:00", tags=["tired day"])]
    lines = stats_lines(figures_of(sessions))
    assert lines[:3] == [
        "Sessions: 4 (3 finished, 1 ended early)",
        "Minutes practised: 10",
        "Days practised: 2 this week, 3 this month",
    ]
    assert "  before a practice, all time:     3 check-ins, range 2, median 2" in lines
    assert "  after a practice, all time:      2 check-ins, range 3–4, median 3.5" in lines
    assert "  after a practice, last 30 days:  2 check-ins, range 3-4, median 3.5" in stats_lines(
        figures_of(sessions), "-"
    )
    assert "Context tags: tired day 1" in lines
    text = "\n".join(lines).lower()
    for word in ("improve", "score", "streak", "better", "worse", "+1", "+2"):
        assert word not in text


def test_stats_say_no_check_ins_rather_than_a_zero() -> None:
    lines = stats_lines(figures_of([session(before=None, after=None)]))
    assert "  before a practice, all time:     no check-ins" in lines


def test_stats_list_the_most_frequent_counts_and_say_how_many_more() -> None:
    sessions = [session(tags=[f"tag {n:02}" for n in range(n + 1)]) for n in range(10)]
    [line] = [line for line in stats_lines(figures_of(sessions)) if line.startswith("Context")]
    assert line == (
        "Context tags: tag 00 10, tag 01 9, tag 02 8, tag 03 7, tag 04 6, tag 05 5, "
        "tag 06 4, tag 07 3, and 2 more"
    )


# --- markdown ------------------------------------------------------------------------------


def summary(sessions: list[Session], *, include_notes: bool = False) -> str:
    noted = [s for s in reversed(sessions) if s.record.answers or (s.record.note or "").strip()]
    return markdown_summary(
        figures_of(sessions, NOW.date()), noted, NOW, include_notes=include_notes
    )


def test_markdown_escapes_what_markdown_would_read_as_markup() -> None:
    assert md_inline("*a* _b_ `c` [d](e) <f> | # & ~ \\") == (
        "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<f\\> \\| \\# \\& \\~ \\\\"
    )
    assert md_inline("two\nlines") == "two lines"
    assert md_quote("# heading\n- item\n1. first\n\n+ plus\n> quote") == [
        "> \\# heading  ",
        "> \\- item  ",
        "> 1\\. first  ",
        ">",
        "> \\+ plus  ",
        "> \\> quote",
    ]


def test_the_markdown_summary_leaves_out_answers_and_notes_by_default() -> None:
    sessions = [
        *three_sessions(),
        session("2026-01-20T10:00:00+01:00", tags=["poor sleep"], note="private words"),
    ]
    out = summary(sessions)
    assert out.startswith("# Practice summary from emoflat\n")
    assert "- Period: 2026-01-20 to 2026-03-04" in out
    assert "- Made on: 2026-03-05" in out
    assert "- Sessions: 4 (3 finished, 1 ended early)" in out
    assert "| January 2026 | 1 | 1 | 3 |" in out
    assert "| March 2026 | 3 | 3 | 8 |" in out
    assert "| March 2026 | 2 | 2 | 2 | 1 | 4 | 4 |" in out  # check-ins, as entered
    assert "| January 2026 | 1 | 2 | 2 | 1 | 3 | 3 |" in out
    assert "| Noticing your hands | 3 | 10 |" in out
    assert "| Sounds around you | 1 | 1 |" in out
    assert "| poor sleep | 1 |" in out
    assert "not a medical record or an assessment" in out
    for private in ("private words", "Nothing much", "warmth", "What did you notice"):
        assert private not in out


def test_the_markdown_summary_with_notes_shows_them_as_written() -> None:
    written = session(
        "2026-03-04T10:00:00+01:00",
        note="# not a heading\n- not a list\n*not bold* <b>not html</b> | pipe",
        answers=[{"step": 1, "prompt": "What is here?", "text": "1. not a list"}],
    )
    out = summary([written, *three_sessions()[1:]], include_notes=True)
    assert "### 2026-03-04 10:00, Noticing your hands" in out
    assert "*What is here?*" in out
    assert "> 1\\. not a list" in out
    assert "> \\# not a heading  \n> \\- not a list  \n" in out
    assert "> \\*not bold\\* \\<b\\>not html\\</b\\> \\| pipe" in out


def test_the_markdown_summary_escapes_brackets_everywhere() -> None:
    bracketed = session(
        "2026-03-04T10:00:00+01:00",
        title="A [title](x)",
        tags=["[tag]"],
        answers=[{"step": 1, "prompt": "A [prompt]", "text": "An [answer](y)"}],
        note="A [note]",
    )
    out = summary([bracketed], include_notes=True)
    assert "| A \\[title\\](x) | 1 | 3 |" in out  # practices used
    assert "### 2026-03-04 10:00, A \\[title\\](x)" in out
    assert "| \\[tag\\] | 1 |" in out
    assert "*A \\[prompt\\]*" in out
    assert "> An \\[answer\\](y)" in out
    assert "> A \\[note\\]" in out
    for raw in ("[title]", "[tag]", "[prompt]", "[answer]", "[note]"):
        assert raw not in out


def test_the_markdown_summary_of_no_notes_says_so() -> None:
    quiet = session(answers=[], note=None)
    assert "No answers or notes were written." in summary([quiet], include_notes=True)


def test_the_markdown_summary_of_an_empty_log() -> None:
    out = summary([])
    assert out.startswith("# Practice summary from emoflat\n\nNo sessions in the log yet.\n")
    assert "not a medical record" in out


# --- any record the log can hold is shown --------------------------------------------------

ODD: list[dict[str, Any]] = [
    {"practice": None, "title": None, "ended": None, "completed": None},
    {"planned_seconds": None, "practiced_seconds": None, "before": None, "after": None},
    {"before": {"feel": 2.5, "tone": "", "words": []}, "after": {"felt": ""}},
    {"note": "\x00\x1f\u2028\u202e\ufeff", "title": "\u200b"},
    {"note": " \n \n", "answers": [{"step": 99, "prompt": "", "text": ""}]},
    {"tags": ["", " ", "\n"], "practice": "\ud800", "title": "\udfff"},
    {"started": "2026-03-02 10:00:00.123456+05:30", "ended": "yesterday"},
    {"started": "2026-03-02T10:00:00", "ended": "2026-03-02T10:00"},
    {"title": "長い" * 80, "note": "🌿" * 2000},
]


@pytest.mark.parametrize("fields", ODD, ids=range(len(ODD)))
def test_any_record_the_log_can_hold_is_rendered_without_an_exception(
    fields: dict[str, Any],
) -> None:
    record = msgspec.convert({**msgspec.to_builtins(make_record()), **fields}, Record)
    moment = datetime.fromisoformat(record.started)
    shown = Session(moment.timestamp(), moment.toordinal(), record, b"{}")
    texts = [
        history_text([shown]),
        record_text(shown),
        "".join(line for width in (10, 40, 80, 200) for line in session_lines(shown, width)),
        "\n".join(chart_lines(chart_sessions([shown]), 80)),
        csv_text([shown]),
        "\n".join(stats_lines(figures_of([shown]))),
        summary([shown], include_notes=True),
    ]
    assert all(isinstance(text, str) for text in texts)


def test_a_week_may_start_on_sunday() -> None:
    """The settings' week_starts: the calendar's columns and "this week" follow it."""
    from datetime import date

    from emoflat.log.figures import Figures
    from emoflat.log.render import calendar_days_lines, month_calendar

    sunday = date(2026, 3, 1).toordinal()  # a Sunday
    wednesday = date(2026, 3, 4)
    month = month_calendar(wednesday, {sunday}, first_weekday=6)
    assert month.lines()[0] == " Su  Mo  Tu  We  Th  Fr  Sa"
    assert month.lines()[1].startswith("  1•")
    assert calendar_days_lines(month, wednesday, {sunday})[-1] == "This week: 1 day practised"
    monday_first = month_calendar(wednesday, {sunday})
    assert calendar_days_lines(monday_first, wednesday, {sunday})[-1] == (
        "This week: no days practised"
    )
    figures = Figures(wednesday, first_weekday=6)
    figures.days.add(sunday)
    assert (figures.days_this_week(), Figures(wednesday).days_this_week()) == (1, 0)
