"""``emoflat settings --plain``: every setting on a line; on a terminal, changed by number
and saved at once, comments kept; never Textual or Rich."""

from __future__ import annotations

import io
import subprocess
import sys

from emoflat.config import SETTINGS, config_path, load_config
from emoflat.settings_plain import CHOOSE_LINE, run_settings_plain


class Typed(io.StringIO):
    """What the user types, on a terminal."""

    def isatty(self) -> bool:
        return True


def run(typed: str | None) -> list[str]:
    out = io.StringIO()
    stdin = io.StringIO("") if typed is None else Typed(typed)
    assert run_settings_plain(stdin, out) == 0
    return out.getvalue().splitlines()


def test_without_a_terminal_the_settings_are_listed_and_nothing_asked() -> None:
    lines = run(None)
    assert lines[0] == f"Settings, in {config_path()}:"
    assert lines[1:12] == [
        "1. Chimes: on", "2. The chime: bowl", "3. Volume: 70%",
        "4. Check-ins: short: one question before, one after", "5. Reduced motion: off",
        "6. Colours: the terminal's own", "7. Length at first: each practice's own",
        "8. Week starts on: Monday", "9. Line by line by default: off",
        "10. Audio player: auto", "11. Your own context tags: none",
    ]  # fmt: skip
    assert len(SETTINGS) == 11
    assert lines[13].startswith("Keys, by id (your own go under [keys] in config.toml")
    assert "  mute" in "\n".join(lines) and "'m'" in "\n".join(lines)
    assert not config_path().exists()


def test_a_setting_is_changed_by_number_and_saved_with_the_comments_kept() -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# mine\nvolume = 70 # quiet\n", encoding="utf-8")
    lines = run("3\n4\n4\n3\n11\nbusy day, school run\n\n")
    assert CHOOSE_LINE in lines
    assert "Saved: Volume: 40%." in lines
    assert "Saved: Check-ins: full: every question." in lines
    assert "Saved: Your own context tags: busy day, school run." in lines
    config = load_config()
    assert (config.volume, config.checkin) == (40, "full")
    assert config.context_tags == ("busy day", "school run")
    assert path.read_text(encoding="utf-8").startswith("# mine\nvolume = 40 # quiet\n")


def test_a_value_typed_by_name_and_a_bad_one() -> None:
    lines = run("1\noff\n3\nloud\n99\n\n")
    assert "Saved: Chimes: off." in lines
    assert any(line.startswith("Not saved: volume:") for line in lines)
    assert "That is not one of the numbers 1 to 11." in lines
    assert load_config().sound is False


def test_a_broken_file_is_named_and_never_written() -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"volume = [\n")
    lines = run("3\n2\n\n")
    assert any(line.startswith(f"{path}:1:") for line in lines)
    assert any(line.startswith("Not saved: ") for line in lines)
    assert path.read_bytes() == b"volume = [\n"


def test_plain_settings_import_neither_textual_nor_rich() -> None:
    code = (
        "import sys, io; from emoflat.settings_plain import run_settings_plain; "
        "run_settings_plain(io.StringIO(''), io.StringIO()); "
        "print(sorted(m for m in ('textual', 'rich') if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
