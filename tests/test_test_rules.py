"""The suite's own rules hold: under CI=true nothing is skipped or expected to fail, and
no test opens a network socket. Each rule is checked on a probe run of pytest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent


def run_probe(tmp_path: Path, code: str, *, ci: bool) -> subprocess.CompletedProcess[str]:
    probe = tmp_path / "test_probe.py"
    probe.write_text(code, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(TESTS), CI="true" if ci else "")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "-q", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), str(probe)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "code",
    [
        "import pytest\ndef test_x():\n    pytest.skip('no tool')\n",
        "import pytest\n@pytest.mark.xfail(reason='known')\ndef test_x():\n    assert False\n",
        "import pytest\npytest.importorskip('no_such_module_here')\ndef test_x():\n    pass\n",
        "import pytest\npytest.skip('whole module', allow_module_level=True)\n",
        "import pytest\npytestmark = pytest.mark.skip(reason='marked')\ndef test_x():\n    pass\n",
    ],
    ids=["skip", "xfail", "importorskip", "module skip", "skip mark"],
)
def test_under_ci_a_test_not_run_is_a_failure(tmp_path: Path, code: str) -> None:
    assert run_probe(tmp_path, code, ci=False).returncode in (0, 5)  # 5: none collected
    under_ci = run_probe(tmp_path, code, ci=True)
    assert under_ci.returncode != 0, under_ci.stdout
    assert "CI=true, which must run every test" in under_ci.stdout


def test_a_test_that_opens_a_network_socket_fails(tmp_path: Path) -> None:
    code = (
        "import socket\n"
        "def test_x():\n"
        "    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()\n"
        "def test_local_pairs_are_fine():\n"
        "    for end in socket.socketpair():\n"
        "        end.close()\n"
    )
    done = run_probe(tmp_path, code, ci=False)
    assert done.returncode != 0
    assert "a network socket was opened" in done.stdout
    assert "2 passed, 1 error" in done.stdout  # the error is the first test's, at its end
