"""`interview-bot grade`: batch-score a CSV without ever losing the input or a previous output.

The output is written to a temporary file beside the target and renamed over it only when
the run succeeds, so `-o` may name the input itself and a failed run leaves nothing behind.
`-` stands for standard input or standard output.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from questions.batch import BatchInputError, grade_csv
from questions.model import QuestionBank

STDIO = "-"


class GradeError(Exception):
    """A user-facing failure of `grade`: printed as one line, exit status 1."""


@contextmanager
def _csv_input(name: str, stdin: TextIO) -> Iterator[TextIO]:
    """The input opened for the csv module: UTF-8 (a BOM is dropped), newlines untouched."""
    if name != STDIO:
        try:
            source = open(name, newline="", encoding="utf-8-sig")  # noqa: SIM115
        except OSError as exc:
            raise GradeError(f"cannot read {name}: {exc.strerror}") from None
        with source:
            yield source
        return
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:  # an in-memory stream (tests): already text
        yield stdin
        return
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="")
    try:
        yield wrapper
    finally:
        wrapper.detach()  # standard input stays open for whoever owns it


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def _replace_on_success(name: str) -> Iterator[TextIO]:
    """A temporary file beside `name` that replaces it only if the block succeeds.

    The target's symlinks are followed so the link survives, and an existing file keeps
    its permissions (a temporary file starts private).
    """
    target = Path(os.path.realpath(name))
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise GradeError(f"cannot write {name}: {exc.strerror}") from None
    try:
        with open(handle, "w", newline="", encoding="utf-8") as out:
            yield out
        if target.exists():
            shutil.copymode(target, temporary)
        else:
            os.chmod(temporary, _new_file_mode())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def grade(
    input_name: str, output_name: str | None, bank: QuestionBank, stdin: TextIO, stdout: TextIO
) -> str:
    """Run the grading; returns the summary line for stderr."""
    to_stdout = output_name in (None, STDIO)
    source_label = "standard input" if input_name == STDIO else input_name
    try:
        with _csv_input(input_name, stdin) as source:
            if to_stdout:
                graded, errors = grade_csv(source, stdout, bank)
            else:
                assert output_name is not None
                with _replace_on_success(output_name) as target:
                    graded, errors = grade_csv(source, target, bank)
    except BatchInputError as exc:
        raise GradeError(f"{source_label}: {exc}") from None
    except UnicodeDecodeError:
        raise GradeError(f"{source_label} is not UTF-8 text") from None
    except BrokenPipeError:
        raise  # the reader went away (`| head`): not an error of ours to report
    except OSError as exc:
        doing = f"read {source_label}" if to_stdout else f"write {output_name}"
        raise GradeError(f"cannot {doing}: {exc.strerror}") from None
    summary = f"graded {graded} row(s), {errors} with an error"
    return summary + ("" if to_stdout else f"; wrote {output_name}")
