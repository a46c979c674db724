"""The settings screen: each setting in force at once and saved at once, with the user's
comments kept; a broken settings file never rewritten; a bad value named; themes; the
user's own keys in the legends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tui_helpers import MakeApp, checkin_screen, drawn, logged, text

from emoflat.config import config_path, load_config
from emoflat.tui.screens.picker import PickerScreen
from emoflat.tui.screens.session import SessionScreen
from emoflat.tui.screens.settings import SettingsScreen
from emoflat.tui.widgets.legend import KeyLegend


def legend(app: Any) -> str:
    return " ".join(drawn(app.screen.query_one(KeyLegend))).strip()


def write_config(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


async def open_settings(pilot: Any) -> SettingsScreen:
    await pilot.pause()
    await pilot.press("o")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def to_setting(pilot: Any, screen: SettingsScreen, name: str) -> None:
    """Move the cursor to the setting ``name``."""
    wanted = [s.name for s in screen.shown].index(name)
    while screen.highlighted.name != name:
        here = [s.name for s in screen.shown].index(screen.highlighted.name)
        await pilot.press("down" if here < wanted else "up")


def line_of(screen: SettingsScreen, name: str) -> str:
    settings = screen.query_one("#settings")
    index = [s.name for s in screen.shown].index(name)
    return str(settings.get_option_at_index(index).prompt)  # type: ignore[attr-defined]


async def test_each_setting_is_saved_and_in_force_at_once(make_app: MakeApp, clock: Any) -> None:
    rung: list[Any] = []
    path = write_config("# my settings\nvolume = 70  # not too loud\n\n# the end\n")
    app = make_app(on_chime=rung.append, config=load_config())
    async with app.run_test(size=(80, 30)) as pilot:
        screen = await open_settings(pilot)
        assert line_of(screen, "sound") == "Chimes: on"
        await to_setting(pilot, screen, "chime")
        await pilot.press("right")
        chosen = app.config.chime
        assert chosen != "bowl" and [e.sound for e in rung] == [chosen]  # heard as chosen
        assert text(app, "#settings-said") == f"Saved to {path.name}."
        await to_setting(pilot, screen, "volume")
        await pilot.press("right")
        assert app.config.volume == 80 and [e.sound for e in rung] == [chosen, chosen]
        assert line_of(screen, "volume") == "Volume: 80%"
        await to_setting(pilot, screen, "checkin")
        await pilot.press("left")  # short -> off
        assert line_of(screen, "checkin") == "Check-ins: off" and not app.checkin
        await to_setting(pilot, screen, "reduced_motion")
        await pilot.press("enter")
        assert app.reduced_motion and app.animation_level == "none"
        await to_setting(pilot, screen, "minutes")
        await pilot.press("right", "right")  # its own -> 1 -> 3 minutes
        await to_setting(pilot, screen, "week_starts")
        await pilot.press("left")
        assert app.config.week_starts == "sunday" and app.config.first_weekday == 6
        await to_setting(pilot, screen, "sound")
        await pilot.press("right")
        assert not app.sound_allowed
        assert "m" not in legend(app).split()  # m does nothing with sound off: not shown
        await pilot.press("escape")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        assert text(app, "#length").startswith("Length: about 3 min")  # the new default
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)  # no check-in: they are off now
        assert app.screen.recorder.session.planned_seconds == pytest.approx(180)
    saved = path.read_text(encoding="utf-8")
    assert saved.startswith("# my settings\nvolume = 80  # not too loud\n\n# the end\n")
    assert load_config(path).warnings == ()
    config = load_config(path)
    assert (config.sound, config.chime, config.checkin, config.reduced_motion) == (
        False, chosen, "off", True
    )  # fmt: skip
    assert (config.minutes, config.week_starts) == (3, "sunday")


async def test_check_ins_full_from_the_settings_ask_every_question(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        screen = await open_settings(pilot)
        await to_setting(pilot, screen, "checkin")
        await pilot.press("right")
        assert app.checkin and app.checkin_full
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert len(checkin_screen(app).flow.pages) == 3


async def test_a_broken_settings_file_is_never_rewritten(make_app: MakeApp) -> None:
    broken = "volume = [unclosed\n# mine\n"
    path = write_config(broken)
    config = load_config()
    assert not config.readable
    app = make_app(config=config)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        assert text(app, "#picker-settings").startswith("Settings: ")
        assert "o opens the settings" in text(app, "#picker-settings")
        screen = await open_settings(pilot)
        assert str(path) in text(app, "#settings-problems")
        await to_setting(pilot, screen, "volume")
        await pilot.press("right")
        assert app.config.volume == 80  # in force for this run
        assert text(app, "#settings-said").startswith("For now only, not saved: ")
        assert f"{path}:1:11: not valid TOML" in text(app, "#settings-problems")
    assert path.read_text(encoding="utf-8") == broken


async def test_a_bad_value_is_named_with_its_line_and_the_default_used(
    make_app: MakeApp,
) -> None:
    path = write_config("chime = 'bell'\nvolume = 500\n")
    app = make_app(config=load_config())
    async with app.run_test(size=(80, 30)) as pilot:
        screen = await open_settings(pilot)
        problems = text(app, "#settings-problems")
        assert f"{path}:2" in problems and "volume" in problems
        assert line_of(screen, "volume") == "Volume: 70%"  # the default
        await to_setting(pilot, screen, "volume")
        await pilot.press("right")
    assert path.read_text(encoding="utf-8") == "chime = 'bell'\nvolume = 80\n"


@pytest.mark.parametrize(
    "theme", ["terminal", "high-contrast", "textual-dark", "nord", "solarized-light"]
)
async def test_each_theme_is_in_force_at_once(
    make_app: MakeApp, theme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        await to_setting(pilot, screen, "theme")
        for _ in range(60):
            if app.config.theme == theme:
                break
            await pilot.press("right")
        assert app.config.theme == theme
        assert app.theme == ("ansi-dark" if theme == "terminal" else theme)
        assert app.ansi_color == (theme == "terminal")
        assert load_config().theme == theme


async def test_an_unknown_theme_falls_back_to_the_terminal_and_says_so(
    make_app: MakeApp,
) -> None:
    write_config("theme = 'no-such-theme'\n")
    app = make_app(config=load_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "ansi-dark" and app.ansi_color
        assert "no theme named 'no-such-theme'" in text(app, "#picker-settings")


async def test_no_color_wins_over_any_theme(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    write_config("theme = 'dracula'\n")
    app = make_app(config=load_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "dracula"
        colours = [
            segment.style.color
            for strip in app.screen._compositor.render_strips()
            for segment in strip
            if segment.style is not None and segment.style.color is not None
        ]
        assert colours and all(colour.is_default for colour in colours)


async def test_moved_keys_work_and_the_legends_show_them(make_app: MakeApp, clock: Any) -> None:
    write_config('[keys]\nmute = "u"\npicker-quit = "x"\nend = "e"\n')
    app = make_app(config=load_config(), checkin=False)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert "u mute" in legend(app) and "x quit" in legend(app)
        assert "m mute" not in legend(app) and "q quit" not in legend(app)
        await pilot.press("m", "q")  # the usual keys do nothing now
        await pilot.pause()
        assert not app.muted and app.is_running
        await pilot.press("u")
        assert app.muted
        await pilot.press("question_mark")
        await pilot.pause()
        assert "  u       mute or unmute the chimes" in text(app, "#text-body")
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert "e end" in legend(app)
        await pilot.press("e", "y")
        await pilot.pause()
        await pilot.press("enter")  # back to the practices
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
    assert app.return_code == 0
    assert len(logged()) == 1


async def test_a_key_clash_or_an_unknown_id_is_named_and_the_usual_key_kept(
    make_app: MakeApp,
) -> None:
    write_config('[keys]\nmute = "h"\nno-such-key = "z"\n')
    app = make_app(config=load_config())
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert "m mute" in legend(app)
        problems = app.problems
        assert any("no-such-key" in line for line in problems)
        assert any("mute = 'h'" in line and "usual key" in line for line in problems)
        await pilot.press("m")
        assert app.muted


async def test_the_settings_screen_fits_40_by_12(make_app: MakeApp, clock: Any) -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await open_settings(pilot)
        assert legend(app) == "←/→ change  Esc back  h help  ? keys"
        settings = app.screen.query_one("#settings")
        assert settings.region.bottom <= app.screen.query_one(KeyLegend).region.y
