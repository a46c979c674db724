"""Shared test set-up: every test runs with its own empty data, config and cache folders.

So no test ever reads or writes the user's real session log, settings or practices.
Animations are off unless a test turns them on (``TEXTUAL_ANIMATIONS``), which also
means reduced motion for emoflat's TUI.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import os
import random
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests (the TUI's pilot tests) in a fresh event loop each.

    The dev tools have no asyncio plugin; this is all the TUI tests need of one.
    """
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


def _ci() -> bool:
    return os.environ.get("CI") == "true"


def _not_run_under_ci(report: pytest.TestReport | pytest.CollectReport, why: object) -> None:
    report.outcome = "failed"
    report.longrepr = f"not run under CI=true, which must run every test: {why}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Under ``CI=true`` a skipped or xfailed test is a failure: CI installs what tests
    need, and a known failure is a failure."""
    report = (yield).get_result()
    if _ci() and (report.skipped or hasattr(report, "wasxfail")):
        why = getattr(report, "wasxfail", None) or report.longrepr
        if hasattr(report, "wasxfail"):
            del report.wasxfail  # else pytest still counts it as expected, not failed
        _not_run_under_ci(report, why[2] if isinstance(why, tuple) else why)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    """Under ``CI=true`` a module skipped as a whole (``pytest.skip(allow_module_level=True)``,
    ``pytest.importorskip``, a skip mark on the module) is a failure too."""
    report = (yield).get_result()
    if _ci() and report.skipped:
        why = report.longrepr
        _not_run_under_ci(report, why[2] if isinstance(why, tuple) else why)


def modules_imported_by(code: str, *, submodules: bool = False) -> set[str]:
    """The top-level modules a fresh Python has loaded after running ``code`` (with
    ``submodules``, every module by its full name)."""
    name = "m" if submodules else "m.split('.')[0]"
    probe = f"{code}\nimport sys\nprint(sorted({{{name} for m in sys.modules}}))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return set(ast.literal_eval(done.stdout.strip().splitlines()[-1]))


#: What a command that draws no TUI must never import.
UI_MODULES = frozenset({"textual", "rich"})


#: Network sockets opened in this process: a test that opens one fails (emoflat never does).
_NETWORK_SOCKETS: list[str] = []


def _no_network(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.__new__" and len(args) > 1:
        import socket

        if args[1] in (socket.AF_INET, socket.AF_INET6):
            _NETWORK_SOCKETS.append(f"{event}{args[1:]}")
    elif event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
        _NETWORK_SOCKETS.append(f"{event}{args[1:]}")


sys.addaudithook(_no_network)


@pytest.fixture(autouse=True)
def _no_socket_opened() -> Any:
    """Fails the test if anything in it opened a network socket (asyncio's own local
    socket pair is not one)."""
    _NETWORK_SOCKETS.clear()
    yield
    assert not _NETWORK_SOCKETS, f"a network socket was opened: {_NETWORK_SOCKETS}"


@pytest.fixture(autouse=True)
def _private_emoflat_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point emoflat's data, config and cache folders at fresh temporary folders."""
    base = tmp_path / "emoflat-home"
    monkeypatch.setenv("EMOFLAT_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("EMOFLAT_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("EMOFLAT_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


def welcomed(data: Path) -> None:
    """As a user who has run emoflat before: the first-run page was shown (for the tests
    that run the program itself, through ``emoflat.cli.main`` or a terminal)."""
    from emoflat.firstrun import MARKER

    data.mkdir(parents=True, mode=0o700, exist_ok=True)
    (data / MARKER).write_bytes(b"")
    (data / MARKER).chmod(0o600)


# The TUI's fixtures: real practice files, a fake clock, a fixed wall clock -----------------

#: A practice of one silent second: the quickest whole run, for the command-line tests.
ONE_SECOND = """\
format: 1
id: one-second
title: "One second"
summary: "One quiet pause of one second."
chimes: {start: none, end: none}
steps:
  - pause: ""
    seconds: 1
"""


ALL_KINDS = """\
format: 1
id: all-kinds
title: "All kinds of steps"
summary: "A say, a breath, a prompt to answer, a pick and a pause."
tags: [test, breath]
chimes: {start: bowl, end: bell}
steps:
  - say: "Settle in, if it feels okay."
    seconds: 20
  - breath: "Notice the air coming in, and going out. There is nothing to change."
    seconds: 60
  - prompt: "What is here for you today? Anything at all, or leave it empty."
    answer: true
  - pick:
      - "Noticing nothing is still noticing."
    seconds: 20
  - pause: "A little quiet time."
    seconds: 20
  - say: "When you are ready, look around and name one thing you can see."
    seconds: 10
"""

MARKUP = """\
format: 1
id: markup-text
title: "[bold]not bold[/]"
summary: "[/] and [red]not red[/red] are only characters."
chimes: {start: none, end: none}
steps:
  - say: "[bold]not bold[/]"
    seconds: 30
  - say: "[/]"
    seconds: 30
"""

WAITS = """\
format: 1
id: waits
title: "Waits for you"
summary: "Every step waits until you press Enter."
chimes: {start: none, end: none}
steps:
  - say: "Take the time you need."
  - say: "Name one thing you can see."
"""

TIMED_PROMPT = """\
format: 1
id: timed-prompt
title: "A timed question"
summary: "A question with a timer and a box to write in."
tags: [writing]
chimes: {start: none, end: none}
steps:
  - prompt: "Where do you notice the breath most clearly right now?"
    answer: true
    seconds: 30
  - say: "Look around and name one thing you can see."
    seconds: 10
"""

SHORT = """\
format: 1
id: short
title: "Two short steps"
summary: "Two steps of four seconds each, the least a two-word step is shown."
chimes: {start: none, end: none}
steps:
  - say: "First step."
    seconds: 4
  - say: "Second step."
    seconds: 4
"""

FIXTURE_PRACTICES = {
    "all-kinds": ALL_KINDS,
    "markup-text": MARKUP,
    "waits": WAITS,
    "timed-prompt": TIMED_PROMPT,
    "short": SHORT,
}

#: A Wednesday morning at UTC+1: the wall clock of every TUI test.
WALL = datetime(2026, 3, 4, 10, 0, 0, tzinfo=timezone(timedelta(hours=1)))


async def until(pilot: Any, ready: Callable[[], object], timeout: float = 5.0) -> None:
    """Let the app run until ``ready()`` is true (a read in a thread has reached the
    screen), for at most ``timeout`` seconds of real time, then one more pause."""
    for _ in range(int(timeout / 0.01)):
        if ready():
            break
        await pilot.pause(0.01)
    assert ready(), "the app did not get there in time"
    await pilot.pause()


class FakeClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def practice_dir(tmp_path: Path) -> Path:
    """The fixture practices, as real YAML files in a folder of their own."""
    folder = tmp_path / "practices"
    folder.mkdir()
    for name, text in FIXTURE_PRACTICES.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def library(practice_dir: Path) -> Any:
    """The fixture practices only, loaded through ``scan`` (built-ins left out, so
    screens do not change when the built-in practices do)."""
    from emoflat.library import Library, scan

    scanned = scan(extra_dirs=[practice_dir])
    assert scanned.problems == []
    mine = {e.id: e for e in scanned.entries if e.origin == "extra"}
    assert set(mine) == set(FIXTURE_PRACTICES)
    return Library(mine, [])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_app(library: Any, clock: FakeClock) -> Callable[..., Any]:
    """Build the app as the CLI does, with the fake clock, fixed wall clock and seeded rng.

    Keyword arguments go to :class:`emoflat.launch.LaunchOptions`, except ``on_chime``.
    """
    from emoflat.launch import LaunchOptions
    from emoflat.tui.app import build_app

    def make(
        *,
        on_chime: Callable[[Any], None] | None = None,
        on_mute: Callable[[bool], object] | None = None,
        **options: Any,
    ) -> Any:
        return build_app(
            LaunchOptions(**options),
            library,
            clock=clock.now,
            wall=lambda: WALL,
            rng=random.Random(7),
            on_chime=on_chime,
            on_mute=on_mute,
        )

    return make
