"""Where ../shared (the seeds and the real corpus) is: next to the checkout, or next to one of
its parents (a git worktree lives deeper than the main checkout)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _shared() -> Path:
    for parent in ROOT.parents:
        if (parent / "shared" / "seeds").is_dir():
            return parent / "shared"
    return ROOT.parent / "shared"


SHARED = _shared()
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
