"""The settings screen: each setting with its value; ← and → change it, saved at once.

What is set is saved to ``config.toml`` at once (``config.save_setting`` keeps the user's
comments and order) and is in force at once: the colours, the keys, the chimes, the
check-ins of the next practice. A chime is rung as it is chosen (and the chime at a new
volume), so the user hears what they choose. A file that cannot be read is never written:
the change then holds for this run only, and the screen says so.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from emoflat.config import SETTINGS, Setting, config_path, save_setting
from emoflat.errors import DataError
from emoflat.keys import CHANGE, CHOOSE, CLOSE, SETTING_BACK, SETTING_ON
from emoflat.settings_plain import said
from emoflat.sounds import available_sounds
from emoflat.text import one_line
from emoflat.tui import themes
from emoflat.tui.screens.base import EmoflatScreen
from emoflat.tui.widgets.lists import ReversedList

HEADING = "Settings · ← and → change one, saved at once · Escape goes back"
#: Settings the screen leaves to ``config.toml`` (a list of the user's own words).
NOT_HERE = ("context_tags",)


class SettingsList(ReversedList):
    """The settings, one a line, the highlighted one reversed (as every list is)."""


class SettingsScreen(EmoflatScreen):
    """Every setting and its value; ← and → change the highlighted one."""

    CSS_PATH = "settings.tcss"
    AUTO_FOCUS = "#settings"
    BINDINGS: ClassVar[list[BindingType]] = [
        SETTING_BACK.binding(),
        SETTING_ON.binding(),
        CLOSE.binding(),
    ]
    LEGEND = (CHOOSE, CHANGE, CLOSE)

    def __init__(self) -> None:
        super().__init__()
        self.said = ""
        """What the last change did ("Saved …", or why it was not)."""

    @property
    def shown(self) -> tuple[Setting, ...]:
        """The settings on the screen, in order."""
        return tuple(s for s in SETTINGS if s.name not in NOT_HERE)

    def compose_body(self) -> ComposeResult:
        """The heading, the settings, what the last change did, and any problem."""
        with Vertical(id="settings-body"):
            yield Static(HEADING, id="settings-heading", markup=False)
            yield SettingsList(*self._options(), id="settings", compact=True)
            yield Static("", id="settings-said", markup=False)
            yield Static("", id="settings-problems", markup=False)

    def on_mount(self) -> None:
        """Show any problem in the settings."""
        self.query_one("#settings-said").display = False
        self._show_problems()

    def _options(self) -> list[Option]:
        config = self.emoflat.config
        return [
            Option(f"{s.label}: {one_line(said(s, getattr(config, s.name)))}", id=s.name)
            for s in self.shown
        ]

    def choices(self, setting: Setting) -> list[Any]:
        """The values offered for ``setting``, the current one among them."""
        if setting.name == "chime":
            offered: list[Any] = sorted(available_sounds())
        elif setting.name == "theme":
            offered = themes.theme_names(self.app)
        else:
            offered = list(setting.choices)
        current = getattr(self.emoflat.config, setting.name)
        if current not in offered:
            offered.append(current)
        return offered

    @property
    def highlighted(self) -> Setting:
        """The setting under the cursor."""
        index = self.query_one(SettingsList).highlighted or 0
        return self.shown[index]

    def action_change(self, step: int) -> None:
        """The value before (-1) or after (1) of the highlighted setting, round and round."""
        setting = self.highlighted
        choices = self.choices(setting)
        current = getattr(self.emoflat.config, setting.name)
        value = choices[(choices.index(current) + step) % len(choices)]
        self.set_value(setting, value)

    @on(OptionList.OptionSelected, "#settings")
    def _selected(self) -> None:
        self.action_change(1)

    def set_value(self, setting: Setting, value: Any) -> None:
        """Save ``value``, put it in force, and ring the chime when it is the one chosen."""
        try:
            config = save_setting(setting.name, value)
            self.said = f"Saved to {config_path().name}."
        except (DataError, ValueError) as exc:
            config = dataclasses.replace(self.emoflat.config, **{setting.name: value})
            self.said = f"For now only, not saved: {exc}"
        self.emoflat.settings_changed(config)
        if setting.name in ("chime", "volume") or (setting.name == "sound" and value):
            self.emoflat.preview_chime(config.chime)
        self._redraw()

    def _redraw(self) -> None:
        settings = self.query_one(SettingsList)
        highlighted = settings.highlighted
        for option in self._options():
            settings.replace_option_prompt(option.id or "", option.prompt)
        settings.highlighted = highlighted
        said = self.query_one("#settings-said", Static)
        said.update(one_line(self.said))
        said.display = bool(self.said)
        self._show_problems()

    def _show_problems(self) -> None:
        problems = self.emoflat.problems
        box = self.query_one("#settings-problems", Static)
        box.display = bool(problems)
        box.update("\n".join(one_line(line) for line in problems))

    def action_close(self) -> None:
        """Back to the screen underneath."""
        self.dismiss()
