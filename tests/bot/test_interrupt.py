"""One Ctrl-C ends `interview-bot practice` at once, even while it waits for an answer.

Real processes: one on a pseudo-terminal (Ctrl-C typed as ^C, so the terminal sends SIGINT,
as in a terminal window or tmux) and one on pipes (SIGINT sent by `kill`).
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bot.test_cli import AUTH_ANSWER, run_cli

PROMPT = b"(Answer below"
MESSAGE = "interview-bot: interrupted; your answers so far are saved"
EXIT_WITHIN_S = 5.0
SETTLE_S = 0.5  # after the prompt, so the process is surely blocked reading, as a user's is


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"INTERVIEW_BOT_HOME": str(home), "PYTHONIOENCODING": "utf-8"})
    return env


def _read_until(fd: int, needle: bytes, count: int, seen: bytearray, timeout: float) -> None:
    """Read from `fd` into `seen` until `needle` occurs `count` times (or end of output)."""
    deadline = time.monotonic() + timeout
    while seen.count(needle) < count:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"timed out waiting for {needle!r}; got {bytes(seen)[-500:]!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            chunk = b""
        if not chunk:
            return
        seen.extend(chunk)


def _drain(fd: int, seen: bytearray, timeout: float) -> None:
    """Whatever else the process wrote, up to the end of its output or `timeout`."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        if not select.select([fd], [], [], left)[0]:
            return
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            return
        if not chunk:
            return
        seen.extend(chunk)


def _wait(pid: int, timeout: float) -> int | None:
    """The exit status, or None if the process still lives after `timeout` (it is killed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


def _assert_first_answer_kept(home: Path) -> None:
    progress = run_cli(["progress", "--user", "ctrl"], home)
    assert "Answers: 1 on 1 question(s)" in progress.stdout, progress.stdout + progress.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_ctrl_c_in_a_terminal_ends_practice_at_once(tmp_path: Path) -> None:
    args = [sys.executable, "-m", "bot", "practice", "--user", "ctrl", "--count", "2"]
    env = _environment(tmp_path)
    pid, fd = pty.fork()
    if pid == 0:  # the child: a session leader whose controlling terminal is the pty
        os.execve(sys.executable, args, env)
    seen = bytearray()
    try:
        _read_until(fd, PROMPT, 1, seen, 30)
        os.write(fd, AUTH_ANSWER.encode() + b"\n")
        _read_until(fd, PROMPT, 2, seen, 30)  # feedback shown, waiting for the second answer
        time.sleep(SETTLE_S)
        started = time.monotonic()
        os.write(fd, b"\x03")  # Ctrl-C: the terminal sends SIGINT to the foreground group
        status = _wait(pid, EXIT_WITHIN_S)
        _drain(fd, seen, 1)
    finally:
        os.close(fd)
    assert status is not None, f"still running {EXIT_WITHIN_S}s after Ctrl-C: {bytes(seen)!r}"
    assert time.monotonic() - started < EXIT_WITHIN_S
    assert status == 130
    text = seen.decode("utf-8", "replace")
    assert MESSAGE in text and "Traceback" not in text
    _assert_first_answer_kept(tmp_path)


def test_sigint_ends_practice_reading_a_pipe(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "practice", "--user", "ctrl", "--count", "2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_environment(tmp_path),
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        seen = bytearray()
        _read_until(process.stdout.fileno(), PROMPT, 1, seen, 30)
        process.stdin.write(AUTH_ANSWER.encode() + b"\n")
        process.stdin.flush()  # and the pipe stays open: the bot waits for the next answer
        _read_until(process.stdout.fileno(), PROMPT, 2, seen, 30)
        time.sleep(SETTLE_S)
        process.send_signal(signal.SIGINT)
        try:
            status = process.wait(timeout=EXIT_WITHIN_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {EXIT_WITHIN_S}s after SIGINT")
        stderr = process.stderr.read().decode() if process.stderr else ""
    finally:
        process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert status == 130
    assert stderr.strip().splitlines()[-1] == MESSAGE, stderr
    assert "Traceback" not in stderr
    _assert_first_answer_kept(tmp_path)
