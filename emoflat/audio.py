"""Chimes: play sounds in a child process, never in ours, through the backend chain of
:mod:`emoflat.audio_backends`.

A leaf: no UI. Playback runs in a child whose stdin, stdout and stderr are
``/dev/null``, in a session of its own (a Ctrl+C in the terminal does not reach it),
so a native library's crash or its "ALSA lib ..." chatter can neither reach the
screen nor end the session. ``simpleaudio`` is only ever imported in that child.

A backend whose child fails or dies by a signal is remembered as failed for the rest
of the run and the chain moves on: the next chime uses the next backend (and a chime
whose player exited with an error within :data:`RETRY_WINDOW` seconds is replayed on it).

Volume (0-100 %) multiplies the samples: the children scale them, and the scaled
copies are kept in a private cache (``$EMOFLAT_CACHE_DIR/chimes``, 0700/0600) so a
chime is scaled once per sound and volume.

A sound is looked at before any player gets it (:func:`emoflat.sounds.sound_problem`): one
that is not a regular file, whose file is too large or whose WAV header claims more samples
than a chime holds (:data:`emoflat.audio_child.MAX_SOUND_BYTES`) is passed over like a sound
that does not exist, with a note saying why, so no player and no cache ever gets it.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from emoflat import sounds as sound_files
from emoflat.audio_backends import CHAIN, chain_for, detect
from emoflat.config import config_path
from emoflat.sounds import available_sounds, sound_path

if TYPE_CHECKING:
    from emoflat.config import Config

#: Backends that play in a child process.
CHILD_BACKENDS = frozenset(CHAIN) - {"bell", "none"}
#: A chime whose player exits with an error this soon (seconds) is replayed on the next.
RETRY_WINDOW = 1.5
#: A child still running this long after its sound should have ended is stopped.
HANG_MARGIN = 10.0
#: The sound name played when neither the asked one nor the configured chime exists.
FALLBACK_SOUND = "bowl"

_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)
_EXIT_REASONS = {
    2: "bad arguments",
    3: "could not read the sound",
    4: "could not open the audio device",
    5: "simpleaudio could not be imported",
}

Status = Literal["played", "started", "off", "failed"]


@dataclass(frozen=True, slots=True)
class PlayResult:
    """What :meth:`ChimePlayer.play` did with a chime."""

    status: Status
    """``played`` (finished, or the bell rang), ``started`` (a child is playing it),
    ``off`` (muted, disabled, volume 0 or the ``none`` backend), ``failed``."""
    sound: str | None = None
    """The sound name played (after falling back to the configured chime)."""
    backend: str | None = None
    """The backend that played it, if any."""
    volume: int = 0
    detail: str = ""
    """Why it is off or failed, or a note (like a fallback to another sound)."""
    failures: tuple[str, ...] = ()
    """``"backend: what went wrong"`` for each backend that failed on the way."""

    def describe(self) -> str:
        """One line for people, e.g. ``bowl: played with aplay (volume 70%)``."""
        sound = self.sound or "chime"
        if self.status in ("played", "started") and self.backend == "bell":
            text = f"{sound}: rang the terminal bell"
            if self.failures:
                text += " (no audio player worked)"
        elif self.status == "played":
            text = f"{sound}: played with {self.backend} (volume {self.volume}%)"
        elif self.status == "started":
            text = f"{sound}: playing with {self.backend} (volume {self.volume}%)"
        elif self.status == "off" or (self.detail and not self.failures):
            text = f"{sound}: not played: {self.detail}"
        else:
            text = f"{sound}: not played: no audio backend worked"
        if self.detail and self.status in ("played", "started"):
            text += f"; {self.detail}"
        return text


@dataclass(slots=True)
class _Request:
    sound: str
    source: Path
    volume: int
    seconds: float | None
    requested: float
    failures: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Ringing:
    process: subprocess.Popen[bytes]
    backend: str | None
    """``None`` for a cache-filling child that plays nothing."""
    request: _Request | None
    deadline: float


def _terminal_bell() -> None:
    # The terminal itself: ``sys.stdout`` may be the CLI's CleanStream, which shows a
    # control character as an escape ("\\u0007") that a screen reader would read out.
    out = sys.__stdout__ or sys.stdout
    sys.stdout.flush()  # what was printed before the chime comes before it
    out.write("\a")
    out.flush()


def _describe_exit(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"killed by {name}"
    return f"exit {code}" + (f" ({_EXIT_REASONS[code]})" if code in _EXIT_REASONS else "")


class ChimePlayer:
    """Plays chimes without blocking and without touching the terminal.

    ``play()`` starts a child and returns at once; finished children are reaped on the
    next ``play()`` or ``poll()``. Nothing here raises into the caller: a failure is
    remembered and the next chime falls back to the next backend.

    Example::

        player = ChimePlayer(config, enabled=options.sound, bell=app.bell)
        player.play(None)          # the configured chime
        player.set_muted(True)
        player.close()
    """

    def __init__(
        self,
        config: Config,
        *,
        enabled: bool = True,
        bell: Callable[[], None] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        """Choose the backends for ``config``.

        Args:
            config: The settings: ``chime``, ``volume``, ``audio_backend`` and ``sound``.
            enabled: False for ``--no-sound``: nothing ever plays (nor does it when the
                settings turn sound off).
            bell: The UI's bell (e.g. Textual's ``App.bell``); without one the bell
                backend writes ``\\a`` to stdout when stdout is a terminal.
            env: The players' environment; default ``os.environ`` at each spawn.
        """
        self._config = config
        self._enabled = enabled and config.sound
        self._muted = False
        self._bell = bell
        self._env = dict(env) if env is not None else None
        self._volume = max(0, min(config.volume, 100))
        self._backends = {b.name: b for b in detect(bell=bell is not None, env=env)}
        self._chain = chain_for(config.audio_backend)
        self._failed: dict[str, str] = {}
        self._ringing: list[_Ringing] = []
        self._lock = threading.RLock()
        self._closed = False

    # State -----------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        """False with ``--no-sound`` or ``sound = false``: chimes never play."""
        return self._enabled

    @property
    def muted(self) -> bool:
        """Muted for now (the ``m`` key); :meth:`set_muted` changes it."""
        return self._muted

    def set_muted(self, muted: bool) -> None:
        """Mute or unmute. Muting also silences a chime that is still ringing."""
        with self._lock:
            self._muted = muted
            if muted:
                self._stop_ringing()

    @property
    def volume(self) -> int:
        """The volume, 0-100 (%)."""
        return self._volume

    @property
    def backend_name(self) -> str:
        """The backend the next chime will use: the first available one not failed."""
        return self._usable()[0]

    @property
    def failures(self) -> dict[str, str]:
        """Backends that failed this run, and how."""
        return dict(self._failed)

    @property
    def ringing(self) -> int:
        """How many chimes are still playing in children."""
        with self._lock:
            self._reap()
            return sum(1 for r in self._ringing if r.backend is not None)

    def _usable(self) -> list[str]:
        return [n for n in self._chain if self._backends[n].available and n not in self._failed]

    # Playing ---------------------------------------------------------------------------

    def play(self, sound: str | None = None, *, wait: bool = False) -> PlayResult:
        """Play a chime.

        Args:
            sound: A sound name; ``None`` for the configured chime. An unknown name
                falls back to the configured chime.
            wait: Wait for the end (``emoflat chime``), trying the next backend if one
                fails. Without it a child is started and this returns at once.

        Returns:
            What happened; never raises.
        """
        with self._lock:
            self._reap()
            name, source, note = self._resolve(sound)
            volume = self._volume
            if not self._enabled:
                return PlayResult("off", name, volume=volume, detail="sound is off")
            if self._closed:
                return PlayResult("off", name, volume=volume, detail="the player is closed")
            if self._muted:
                return PlayResult("off", name, volume=volume, detail="muted")
            if source is None:
                return PlayResult("failed", name, volume=volume, detail=note or "no such sound")
            if volume == 0:
                return PlayResult("off", name, volume=0, detail="the volume is 0%")
            request = _Request(name, source, volume, _seconds(source), time.monotonic())
            result = self._run(request, wait=wait)
            return replace(result, detail=result.detail or note)

    def poll(self) -> None:
        """Reap finished children; note failures and replay a chime that failed fast.

        Call it from a UI timer for prompt fallback; ``play()`` calls it too.
        """
        with self._lock:
            self._reap()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every chime still ringing has finished, and reap them.

        Args:
            timeout: Give up after this many seconds; ``None`` waits (a hung player is
                still stopped at its deadline).

        Returns:
            True if nothing is left ringing.
        """
        end = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while True:
                self._reap()
                if not self._ringing:
                    return True
                now = time.monotonic()
                if end is not None and now >= end:
                    return False
                first = min(self._ringing, key=lambda r: r.deadline)
                limit = first.deadline - now if end is None else min(first.deadline, end) - now
                with contextlib.suppress(subprocess.TimeoutExpired):
                    first.process.wait(timeout=max(min(limit, 0.05), 0.001))

    def prepare(self, sounds: Iterable[str | None] = (None,)) -> None:
        """Scale ``sounds`` into the cache in the background, so their first play is quick.

        Only useful for backends that play scaled copies (simpleaudio, aplay, winsound);
        plays nothing and returns at once.
        """
        with self._lock:
            if not self._enabled or self._closed or self._volume in (0, 100):
                return
            if self.backend_name not in ("simpleaudio", "aplay", "winsound"):
                return
            pairs: list[str] = []
            for sound in dict.fromkeys(sounds):
                name, source, _ = self._resolve(sound)
                if source is None:
                    continue
                cache = sound_files.scaled_copy_path(name, source, self._volume)
                if cache is not None and not cache.exists():
                    pairs += [str(source), str(cache)]
            if pairs:
                self._spawn(None, None, [*_child("prepare"), str(self._volume), *pairs])

    def close(self, *, detach: bool = False) -> None:
        """Stop: terminate chimes still ringing and reap every child.

        Args:
            detach: Let chimes still ringing finish on their own instead (they live in
                their own session; the system reaps them once this process exits).
        """
        with self._lock:
            self._closed = True
            if detach:
                self._reap()
                self._ringing.clear()
            else:
                self._stop_ringing()

    def __enter__(self) -> ChimePlayer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Internals -------------------------------------------------------------------------

    def _stop_ringing(self) -> None:
        """Terminate every child still running and reap them all (failures not noted)."""
        for ringing in self._ringing:
            if ringing.process.poll() is None:
                _stop(ringing.process)
        self._ringing = [r for r in self._ringing if r.process.poll() is None]

    def _resolve(self, sound: str | None) -> tuple[str, Path | None, str]:
        """The sound name to play, its file, and a note if it fell back (a sound that
        does not exist, or that :func:`sound_problem` refuses, falls back to the next)."""
        wanted = sound or self._config.chime
        passed_over = ""
        for name in dict.fromkeys([wanted, self._config.chime, FALLBACK_SOUND]):
            source = sound_path(name)
            if source is None:
                continue
            problem = sound_files.sound_problem(source)
            if problem:
                passed_over = passed_over or problem
                continue
            if name == wanted:
                return name, source, ""
            return name, source, f"{passed_over or f'no sound named {wanted!r}'}; played {name}"
        return wanted, None, passed_over

    def _run(self, request: _Request, *, wait: bool) -> PlayResult:
        for backend in self._usable():
            if backend == "none":
                break
            if backend == "bell":
                try:
                    (self._bell or _terminal_bell)()
                except Exception as exc:  # a UI callback must not end the session
                    self._fail(request, "bell", f"raised {type(exc).__name__}")
                    continue
                return self._result("played", request, "bell")
            ringing = self._start(request, backend)
            if ringing is None:
                continue
            if not wait:
                return self._result("started", request, backend)
            code = self._wait(ringing)
            self._ringing.remove(ringing)
            if code == 0:
                return self._result("played", request, backend)
            self._fail(request, backend, "did not finish" if code is None else _describe_exit(code))
        if request.failures:
            return self._result("failed", request, None)
        forced = self._chain == ("none",)
        detail = "audio_backend is none" if forced else "no audio backend is available"
        return PlayResult("off", request.sound, volume=request.volume, detail=detail)

    def _result(self, status: Status, request: _Request, backend: str | None) -> PlayResult:
        return PlayResult(
            status,
            request.sound,
            backend,
            request.volume,
            failures=tuple(request.failures),
        )

    def _start(self, request: _Request, backend: str) -> _Ringing | None:
        command = self._command(request, backend)
        if command is None:
            self._fail(request, backend, "cannot play this sound")
            return None
        seconds = request.seconds if request.seconds is not None else 60.0
        return self._spawn(backend, request, command, seconds + HANG_MARGIN)

    def _spawn(
        self,
        backend: str | None,
        request: _Request | None,
        command: Sequence[str],
        seconds: float = 60.0,
    ) -> _Ringing | None:
        flags = 0
        if sys.platform == "win32":  # pragma: no cover - no Windows here
            flags = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW
        try:
            process = subprocess.Popen(
                list(command),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                close_fds=True,
                cwd=_PACKAGE_PARENT,
                env=self._env,
                start_new_session=True,  # a Ctrl+C in the terminal must not reach it
                creationflags=flags,
            )
        except (OSError, ValueError, subprocess.SubprocessError) as exc:
            if backend is not None and request is not None:
                self._fail(request, backend, f"could not start: {exc}")
            return None
        ringing = _Ringing(process, backend, request, time.monotonic() + seconds)
        self._ringing.append(ringing)
        return ringing

    def _command(self, request: _Request, backend: str) -> list[str] | None:
        source, volume = str(request.source), request.volume
        program = self._backends[backend].command
        fraction = f"{volume / 100:.3f}"
        if backend == "pw-play" and program:
            return [program, "--volume", fraction, source]
        if backend == "paplay" and program:
            # PulseAudio volumes are cubic: 65536 * cbrt(linear factor).
            return [program, f"--volume={round(65536 * (volume / 100) ** (1 / 3))}", source]
        if backend == "afplay" and program:
            return [program, "-v", fraction, source]
        cache = (
            sound_files.scaled_copy_path(request.sound, request.source, volume)
            if volume != 100
            else None
        )
        ready = cache is not None and cache.is_file()
        if backend == "simpleaudio":
            if ready:
                return [*_child("simpleaudio"), str(cache), "100"]
            return [*_child("simpleaudio"), source, str(volume), *([str(cache)] if cache else [])]
        if backend == "aplay" and program:
            if volume == 100 or ready:
                return [program, "-q", str(cache) if ready else source]
            if cache is None:
                return None
            return [*_child("exec"), source, str(volume), str(cache), "--", program, "-q", "{}"]
        if backend == "winsound":
            if volume == 100 or ready:
                return [*_child("winsound"), str(cache) if ready else source, "100"]
            if cache is None:
                return None
            return [*_child("winsound"), source, str(volume), str(cache)]
        return None

    def _wait(self, ringing: _Ringing) -> int | None:
        try:
            return ringing.process.wait(timeout=max(ringing.deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            _stop(ringing.process)
            return None

    def _reap(self) -> None:
        now = time.monotonic()
        for ringing in list(self._ringing):
            code = ringing.process.poll()
            if code is None and now > ringing.deadline:
                _stop(ringing.process)
                code = None
                self._ringing.remove(ringing)
                if ringing.backend is not None and ringing.request is not None:
                    self._fail(ringing.request, ringing.backend, "did not finish")
                continue
            if code is None:
                continue
            self._ringing.remove(ringing)
            if code == 0 or ringing.backend is None or ringing.request is None:
                continue
            request = ringing.request
            self._fail(request, ringing.backend, _describe_exit(code))
            # An error exit means the player never got going: replay the chime now on
            # the next backend. A signal may have come mid-sound: don't ring it twice.
            fresh = now - request.requested <= RETRY_WINDOW
            if code > 0 and fresh and not (self._closed or self._muted):
                self._run(request, wait=False)

    def _fail(self, request: _Request, backend: str, how: str) -> None:
        self._failed.setdefault(backend, how)
        request.failures.append(f"{backend}: {how}")


# The child skips site (-S) and runpy (-c, not -m): that saves about a third of its
# start-up, which is most of a chime's delay. It runs with emoflat's parent folder as
# its working directory (so ``emoflat`` imports) and appends simpleaudio's folder.
_CHILD_CODE = (
    "import sys; d = sys.argv.pop(1); d and sys.path.append(d); "
    "from emoflat.audio_child import main; sys.exit(main(sys.argv[1:]))"
)


def _child(mode: str) -> list[str]:
    return [sys.executable, "-S", "-c", _CHILD_CODE, _simpleaudio_dir(), mode]


@functools.cache
def _simpleaudio_dir() -> str:
    """The folder simpleaudio is installed in (as found here), or ``""``."""
    spec = importlib.util.find_spec("simpleaudio")
    if spec is None or not spec.submodule_search_locations:
        return ""
    return str(Path(next(iter(spec.submodule_search_locations))).parent)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate a child (its whole session), then kill it if it lingers."""
    _signal(process, kill=False)
    try:
        process.wait(timeout=0.5)
    except subprocess.TimeoutExpired:
        _signal(process, kill=True)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.5)


def _signal(process: subprocess.Popen[bytes], *, kill: bool) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":  # pragma: no cover
            process.kill() if kill else process.terminate()
            return
        try:
            # The child leads its own session; players may have children of their own.
            os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        except ProcessLookupError:  # not yet in its own session
            process.kill() if kill else process.terminate()


def _seconds(source: Path) -> float | None:
    """The sound's length from its WAV header; ``None`` if the child would refuse it
    (not a PCM WAV this Python's ``wave`` reads, or too long for a chime)."""
    from emoflat.audio_child import wav_seconds

    try:
        return wav_seconds(source)
    except (OSError, ValueError):
        return None


# The `emoflat chime` command --------------------------------------------------------------


def run_chime(
    name: str | None,
    *,
    config: Config,
    bell: Callable[[], None] | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """``emoflat chime [NAME]``: play a chime (the configured one without ``name``, even
    with ``sound = false``), wait for its end, say which backend played it. Exit code 0
    when it was handled, even silently (``emoflat doctor`` says why); 1 when the configured
    chime does not exist; 2 for an unknown ``name``."""
    if name is not None and sound_path(name) is None:
        _say_unknown(f"no sound is named {name!r}")
        return 2
    if name is None and sound_path(config.chime) is None:
        _say_unknown(f"{config_path()}: chime: no sound is named {config.chime!r}")
        return 1
    with ChimePlayer(replace(config, sound=True), bell=bell, env=env) as player:
        result = player.play(name, wait=True)
    print(result.describe())
    for failure in result.failures:
        print(f"  tried {failure}")
    return 0


def _say_unknown(message: str) -> None:
    names = ", ".join(sorted(available_sounds())) or "none"
    print(f"emoflat: {message}; the sounds are: {names}", file=sys.stderr)
