"""Precision of the demand-to-institution ranking on the labelled set shipped in the tests.

Run: .venv/bin/python bench/talent_matching.py   (no database needed)
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from talent.matching import evaluate  # noqa: E402
from tests.talent.labelled_matching import CASES, INSTITUTIONS  # noqa: E402


def main() -> None:
    started = time.perf_counter()
    result = evaluate(CASES, INSTITUTIONS)
    elapsed = time.perf_counter() - started
    print(f"demands: {result.cases}, institutions: {len(INSTITUTIONS)}")
    print(f"precision@1: {result.hits_at_1}/{result.cases} = {result.precision_at_1:.3f}")
    print(f"hit rate@3: {result.hits_at_3}/{result.cases} = {result.hit_rate_at_3:.3f}")
    print(f"mean reciprocal rank: {result.mean_reciprocal_rank:.3f}")
    print(f"time (incl. loading jieba's dictionary): {elapsed:.2f} s")
    for title, expected, got in result.misses:
        print(f"miss: {title}: expected {expected}, ranked first {got}")


if __name__ == "__main__":
    main()
