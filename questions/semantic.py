"""General knowledge of English words, so a concept said in other words is still recognised.

The vectors are WordLlama's static token embeddings (256 dimensions, 32,000 tokens, 16 MB),
which its wheel ships. Only its two data files are used, loaded by explicit path with
`tokenizers` and `safetensors`: WordLlama's own loader looks for the tokenizer in the wrong
folder and then tries to download it, and nothing here may touch the network.

A text's vector is the sum of its tokens' vectors, normalised. The vectors of frequent words
are short ("the" about 1.6, "cache" about 21), so the sum already weighs the words that carry
meaning. Word vectors are cached, so an answer costs a few dictionary lookups per word.

`INTERVIEW_SEMANTIC=off` turns this off (tiny machines): scoring is then lexical only.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]

WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
WORD_CACHE_LIMIT = 100_000


_setting: list[str] = []  # set by the command line from .env and the environment


def configure(value: str | None) -> None:
    """The INTERVIEW_SEMANTIC value a command read (from .env or the environment)."""
    _setting[:] = [] if value is None else [value]


def enabled() -> bool:
    value = os.environ.get("INTERVIEW_SEMANTIC") or (_setting[0] if _setting else "on")
    return value.strip().lower() not in {"off", "0", "false", "no"}


def model_folder() -> Path | None:
    """WordLlama's installed folder, found without importing it (its import is heavy)."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    if not (folder / WEIGHTS).is_file() or not (folder / TOKENIZER).is_file():
        return None
    return folder


class Embedder:
    """Word and text vectors from the shipped static embeddings."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from threadpoolctl import threadpool_limits
        from tokenizers import Tokenizer

        # The products here are small (an answer's clauses by a rubric's vectors). BLAS worker
        # threads cost more to wake than they save: one answer took 2.8 ms instead of 0.7.
        threadpool_limits(limits=1, user_api="blas")

        matrix = load_file(str(folder / WEIGHTS))["embedding.weight"]
        # Kept as shipped (float16, 16 MB); a word's rows are widened when it is first seen.
        self._matrix: npt.NDArray[np.float16] = np.ascontiguousarray(matrix)
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
        self.dimensions = int(self._matrix.shape[1])
        # Word vectors computed so far, one row each: an answer's words become one gather.
        self._rows: dict[str, int] = {}
        self._table = np.zeros((1024, self.dimensions), dtype=np.float32)

    def word(self, word: str) -> Vector:
        return self._table[self._row(word)]

    def _row(self, word: str) -> int:
        row = self._rows.get(word)
        if row is None:
            if len(self._rows) >= WORD_CACHE_LIMIT:
                self._rows.clear()
            row = len(self._rows)
            if row >= len(self._table):
                grown = np.zeros((max(1024, 2 * len(self._table)), self.dimensions), np.float32)
                grown[: len(self._table)] = self._table
                self._table = grown
            ids = self._tokenizer.encode(word, add_special_tokens=False).ids
            self._table[row] = self._matrix[ids].sum(axis=0, dtype=np.float32) if ids else 0.0
            self._rows[word] = row
        return row

    def words(self, words: list[str]) -> npt.NDArray[np.float32]:
        """One row per word, unnormalised (a row's length says how much the word means)."""
        rows = self._rows
        ids = [rows.get(w) for w in words]
        if None in ids:
            ids = [self._row(w) for w in words]
        return self._table[np.asarray(ids, dtype=np.intp)]

    def texts(self, texts: list[list[str]]) -> npt.NDArray[np.float32]:
        """Unit vectors, one per text given as its words."""
        rows = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for index, words in enumerate(texts):
            if words:
                rows[index] = self.words(words).sum(axis=0)
        return normalised(rows)


def normalised(rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-6)


_lock = threading.Lock()
_loaded: list[Embedder | None] = []


def embedder() -> Embedder | None:
    """The shared embedder, loaded on first use; None when off or not installed."""
    if not enabled():
        return None
    if not _loaded:
        with _lock:
            if not _loaded:
                folder = model_folder()
                _loaded.append(Embedder(folder) if folder is not None else None)
    return _loaded[0]


def warm_up() -> None:
    """Load the model in a background thread, so the first answer does not wait for it."""
    if enabled() and not _loaded:
        threading.Thread(target=embedder, name="semantic-warm-up", daemon=True).start()
