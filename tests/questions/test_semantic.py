"""Matching by meaning: shipped vectors, loaded offline, and a switch to turn it off."""

from __future__ import annotations

import socket
import subprocess
import sys
import tracemalloc
from dataclasses import replace

import pytest

from questions import semantic
from questions.loader import default_bank
from questions.scoring import score_answer

# The question without its hand-written rubric, so concepts come from the model answer.
DERIVED = replace(default_bank().questions["auth-web-services"], id="auth-derived", rubric=())
PARAPHRASE = (
    "The user signs in with an email and a secret; we compare it with the salted digest we "
    "stored. On success we hand back a short-lived signed pass that the app attaches to every "
    "later call, and we check that signature and its end time before serving anything."
)


def fresh_embedder(monkeypatch: pytest.MonkeyPatch) -> semantic.Embedder | None:
    monkeypatch.setattr(semantic, "_loaded", [])
    return semantic.embedder()


def test_the_vectors_load_and_work_with_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the semantic model tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    embedder = fresh_embedder(monkeypatch)
    assert embedder is not None
    vectors = embedder.texts([["latency", "delay"], ["cache", "banana"]])
    assert vectors.shape == (2, embedder.dimensions)
    assert float(embedder.texts([["latency"]])[0] @ embedder.texts([["delay"]])[0]) > 0.3


def test_loading_does_not_import_wordllama_itself() -> None:
    # WordLlama's own loader downloads a tokenizer it cannot find; only its files are used.
    code = (
        "import sys; from questions import semantic; "
        "assert semantic.embedder() is not None; "
        "assert 'wordllama' not in sys.modules, 'imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_model_adds_less_than_80_mb(monkeypatch: pytest.MonkeyPatch) -> None:
    tracemalloc.start()
    try:
        fresh_embedder(monkeypatch)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 80 * 2**20, f"{peak / 2**20:.0f} MB"


def test_a_paraphrase_earns_derived_concepts_by_meaning(monkeypatch: pytest.MonkeyPatch) -> None:
    with_meaning = score_answer(DERIVED, PARAPHRASE)
    monkeypatch.setenv("INTERVIEW_SEMANTIC", "off")
    assert semantic.embedder() is None
    lexical = score_answer(replace(DERIVED, id="auth-derived-off"), PARAPHRASE)
    assert with_meaning.covered and not lexical.covered
    assert with_meaning.score > lexical.score


@pytest.mark.parametrize("value", ["off", "OFF", "0", "false"])
def test_the_switch_turns_it_off(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("INTERVIEW_SEMANTIC", value)
    assert not semantic.enabled()
    assert semantic.embedder() is None


def test_a_setting_read_from_dotenv_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTERVIEW_SEMANTIC", raising=False)
    monkeypatch.setattr(semantic, "_setting", [])
    semantic.configure("off")  # what the command line does with a value from .env
    assert not semantic.enabled()
    semantic.configure(None)
    assert semantic.enabled()
