"""The colours: the terminal's own (the default), Textual's themes, and a high-contrast one.

``terminal`` is Textual's ANSI theme: the terminal's own colours, so emoflat looks like the
rest of the user's terminal. ``NO_COLOR`` always wins: Textual then draws without colour
whatever the theme. No meaning is ever carried by colour alone (marks, words and shapes
carry it), so every theme is safe to choose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.theme import Theme

from emoflat.config import DEFAULT_THEME

if TYPE_CHECKING:
    from textual.app import App

#: Textual's theme of the terminal's own colours, which ``terminal`` names.
ANSI_THEME = "ansi-dark"

#: White on black, yellow for what is marked or focused: the most contrast a terminal has.
HIGH_CONTRAST = Theme(
    name="high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffff00",
    error="#ff8080",
    success="#80ff80",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#000000",
    dark=True,
    text_alpha=1.0,
    variables={
        "border": "#ffffff",
        "border-blurred": "#ffffff",
        "scrollbar": "#ffffff",
        "scrollbar-background": "#000000",
        "input-cursor-background": "#ffff00",
        "input-cursor-foreground": "#000000",
        "input-selection-background": "#ffff00",
        "block-cursor-background": "#ffff00",
        "block-cursor-foreground": "#000000",
    },
)


def register(app: App[Any]) -> None:
    """Make the high-contrast theme available to ``app``."""
    app.register_theme(HIGH_CONTRAST)


def theme_names(app: App[Any]) -> list[str]:
    """Every theme the user may choose: the terminal's, high contrast, then Textual's."""
    others = sorted(name for name in app.available_themes if not name.startswith("ansi-"))
    return [DEFAULT_THEME, HIGH_CONTRAST.name, *(n for n in others if n != HIGH_CONTRAST.name)]


def apply_theme(app: App[Any], name: str) -> str | None:
    """Show ``app`` in the theme ``name``; an unknown name keeps the terminal's colours.

    Returns:
        A line saying the name is unknown, or ``None``.
    """
    if name != DEFAULT_THEME and name not in theme_names(app):
        apply_theme(app, DEFAULT_THEME)
        return (
            f"theme: there is no theme named {name!r}; the terminal's own colours are used "
            "('emoflat settings' lists the themes)"
        )
    ansi = name == DEFAULT_THEME
    app.ansi_color = ansi
    app.theme = ANSI_THEME if ansi else name
    return None
