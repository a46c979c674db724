"""A wheel built from the checkout carries the practices and sounds, and works installed alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (found,) = out.glob("emoflat-*.whl")
    return found


def test_the_wheel_carries_practices_sounds_and_help(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for practice in (ROOT / "practices").glob("*.yaml"):
        assert f"emoflat/_data/practices/{practice.name}" in names
    for sound in (ROOT / "sounds").glob("*.wav"):
        assert f"emoflat/_data/sounds/{sound.name}" in names
    assert "emoflat/help-now.txt" in names
    assert "emoflat/about-flat.txt" in names
    assert "emoflat/py.typed" in names
    assert not any(n.startswith(("tests/", "bench/")) for n in names)


def test_installed_in_a_fresh_venv_it_works_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMOFLAT_", "PYTHON"))}
    env.update(
        EMOFLAT_CONFIG_DIR=str(tmp_path / "config"),
        EMOFLAT_DATA_DIR=str(tmp_path / "data"),
        EMOFLAT_CACHE_DIR=str(tmp_path / "cache"),
    )
    emoflat = str(venv / "bin" / "emoflat")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [emoflat, *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60
        )

    listed = run("list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert {r["id"] for r in rows} == {p.stem for p in (ROOT / "practices").glob("*.yaml")}
    for row in rows:
        assert row["origin"] == "built-in"
        assert str(ROOT) not in row["path"], "the installed copy must not read the checkout"
        assert "/_data/practices/" in row["path"]

    mine = elsewhere / "mine.yaml"
    mine.write_text(
        'format: 1\ntitle: "Mine"\nsummary: "A test."\n'
        'steps:\n  - say: "Look."\n    seconds: 30\n    chime: bell\n'
    )
    checked = run("validate", "mine.yaml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    mine.write_text(mine.read_text().replace("chime: bell", "chime: gong"))
    checked = run("validate", "mine.yaml")
    assert checked.returncode == 1
    assert checked.stdout.startswith("mine.yaml:7:12: steps[0].chime: ")
