"""Benchmark: how long the pure extractor takes on the seed summary (goal: under 20 ms per extraction) and on a
megabyte of text (goal: under 2 s).

Usage: .venv/bin/python bench/extract_seed.py [RUNS]

Decodes the seed once, warms up (regexes and the default catalogue are built on first use), then times RUNS
extractions and prints the median and 95th percentile in wall-clock and CPU milliseconds and the candidate
count. CPU time is printed too because a shared machine's wall clock includes time spent waiting for a core.
Then it times one extraction of a megabyte made of the seed repeated (read up to its readable length).
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parkdash.intake.extract import decode, extract, readable_length  # noqa: E402

SEED = ROOT / "tests" / "intake" / "samples" / "seed_000.txt"


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(runs=200, warmup=5):
    text = decode(SEED.read_bytes())
    for _ in range(warmup):
        candidates = extract(text)
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        candidates = extract(text)
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    print(
        "seed: {} characters, {} candidates, {} runs after {} warm-up".format(len(text), len(candidates), runs, warmup)
    )
    print("wall ms: median {:.2f}  p95 {:.2f}".format(statistics.median(wall), percentile(wall, 0.95)))
    print("cpu  ms: median {:.2f}  p95 {:.2f}".format(statistics.median(cpu), percentile(cpu, 0.95)))
    megabyte = (text * (1_000_000 // len(text) + 1))[:1_000_000]
    w, c = time.perf_counter(), time.process_time()
    found = extract(megabyte)
    print(
        "1 MB of the seed repeated: {} candidates from the first {} characters, wall {:.2f} s, cpu {:.2f} s".format(
            len(found), readable_length(megabyte), time.perf_counter() - w, time.process_time() - c
        )
    )
    return statistics.median(wall)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
