"""What the benchmarks share."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def compile_emoflat() -> None:
    """Compile emoflat's bytecode once, as installing a wheel does.

    A checkout under ``PYTHONDONTWRITEBYTECODE=1`` (as on these machines) would compile
    every module on every start, so the figures would not be those of an installed emoflat.
    """
    package = ROOT / "emoflat"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
