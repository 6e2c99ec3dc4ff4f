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


def enabled() -> bool:
    return os.environ.get("INTERVIEW_SEMANTIC", "on").strip().lower() not in {"off", "0", "false"}


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
        from tokenizers import Tokenizer

        matrix = load_file(str(folder / WEIGHTS))["embedding.weight"]
        self._matrix: npt.NDArray[np.float32] = np.ascontiguousarray(matrix, dtype=np.float32)
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
        self._words: dict[str, Vector] = {}
        self.dimensions = int(self._matrix.shape[1])

    def word(self, word: str) -> Vector:
        vector = self._words.get(word)
        if vector is None:
            ids = self._tokenizer.encode(word, add_special_tokens=False).ids
            if ids:
                vector = self._matrix[ids].sum(axis=0)
            else:
                vector = np.zeros(self.dimensions, dtype=np.float32)
            if len(self._words) > WORD_CACHE_LIMIT:
                self._words.clear()
            self._words[word] = vector
        return vector

    def words(self, words: list[str]) -> npt.NDArray[np.float32]:
        """One row per word, unnormalised (a row's length says how much the word means)."""
        if not words:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.stack([self.word(w) for w in words])

    def texts(self, texts: list[list[str]]) -> npt.NDArray[np.float32]:
        """Unit vectors, one per text given as its words."""
        rows = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for index, words in enumerate(texts):
            for word in words:
                rows[index] += self.word(word)
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
