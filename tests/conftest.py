"""Shared fixtures: the bundled example corpus, the optional ../shared folder, a CLI runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "diplomacy-fr"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


def run_cli(*args: str, db: Path | None = None, stdin: bytes | None = None, env: dict | None = None,
            check: bool = True) -> subprocess.CompletedProcess:
    """Run the real `storyline` command in a subprocess (as a user would)."""
    cmd = [sys.executable, "-m", "storyline.cli", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    proc = subprocess.run(cmd, input=stdin, capture_output=True, env={**os.environ, **(env or {})}, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} exited {proc.returncode}:\n{proc.stderr.decode()}")
    return proc


def cli_json(*args: str, db: Path | None = None, **kw):
    proc = run_cli(*args, "--json", db=db, **kw)
    return json.loads(proc.stdout)


def build_tiny_sentence_model(root: Path, texts: list[str]) -> Path:
    """A tiny randomly initialised BERT with mean pooling over the words of `texts`, saved under `root` as a
    sentence-transformers model (skips the test when the optional packages are missing)."""
    pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    st = pytest.importorskip("sentence_transformers")
    import torch

    torch.manual_seed(0)
    words = sorted({w.lower() for t in texts for w in t.replace("\n", " ").split()})[:400]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]
    bert_dir = root / "bert"
    bert_dir.mkdir()
    (bert_dir / "vocab.txt").write_text("\n".join(vocab) + "\n", "utf-8")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(bert_dir / "vocab.txt"), do_lower_case=True)
    config = transformers.BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=128,
    )
    transformers.BertModel(config).save_pretrained(bert_dir)
    tokenizer.save_pretrained(bert_dir)
    try:  # sentence-transformers >= 6
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:
        from sentence_transformers.models import Pooling, Transformer

    word = Transformer(str(bert_dir), max_seq_length=64)
    dim = getattr(word, "get_embedding_dimension", None) or word.get_word_embedding_dimension
    pooling = Pooling(dim(), pooling_mode="mean")
    model = st.SentenceTransformer(modules=[word, pooling], device="cpu")
    out = root / "model"
    model.save(str(out))
    return out
