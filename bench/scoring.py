"""Benchmark of the domain engine on one core.

    python bench/scoring.py [--n 5000] [--repeat 3] [--seed 1]

Loads the real questionnaire and catalogue, generates N random complete answer sets and
prints how many assessments are scored per second, then suggestions (next-rung changes)
and roadmaps per second. Each figure is the best of ``--repeat`` runs, measured in CPU
time of this process (so other load on the machine does not skew it).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from maturity.engine.answers import random_answers  # noqa: E402
from maturity.engine.catalogue import load_catalogue  # noqa: E402
from maturity.engine.loader import load_questionnaire  # noqa: E402
from maturity.engine.roadmap import build_roadmap  # noqa: E402
from maturity.engine.scoring import ENGINE_VERSION, score  # noqa: E402
from maturity.engine.suggestions import next_rung_changes  # noqa: E402

CONTENT = ROOT / "maturity" / "content"


def rate(label: str, count: int, run: Callable[[], None], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    per_second = count / best
    print(f"{label:<28} {per_second:>10,.0f} / s   ({best * 1e6 / count:8.1f} µs each)")
    return per_second


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="answer sets (default 5000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best kept)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    started = time.process_time()
    questionnaire = load_questionnaire(CONTENT / "questionnaire.yaml")
    catalogue = load_catalogue(CONTENT / "actions.yaml", questionnaire)
    loaded = time.process_time() - started
    rng = random.Random(args.seed)
    answer_sets = [random_answers(questionnaire, rng) for _ in range(args.n)]
    results = [score(questionnaire, answers) for answers in answer_sets]
    print(
        f"engine {ENGINE_VERSION}, questionnaire {questionnaire.version} "
        f"({questionnaire.content_hash[:12]}), {len(questionnaire.questions)} questions, "
        f"{len(catalogue.actions)} actions; content loaded and checked in {loaded * 1000:.0f} ms"
    )
    rungs = Counter(r.rung for r in results)
    print(f"{args.n} random answer sets; rungs: {dict(sorted(rungs.items()))}")
    print(f"python {sys.version.split()[0]}, one core, best of {args.repeat}")

    def scoring() -> None:
        for answers in answer_sets:
            score(questionnaire, answers)

    pairs = list(zip(answer_sets, results, strict=True))

    def suggesting() -> None:
        for answers, result in pairs:
            next_rung_changes(questionnaire, answers, result)

    def roadmaps() -> None:
        for answers, result in pairs:
            build_roadmap(questionnaire, answers, result, catalogue)

    rate("assessments scored", args.n, scoring, args.repeat)
    rate("suggestions (next rung)", args.n, suggesting, args.repeat)
    rate("roadmaps", args.n, roadmaps, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
