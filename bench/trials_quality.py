"""Search quality on the trials registry: the judged trial queries (`bench/trials_judged.json`) through the same
search the overview uses (`nyskap.trials.selectors.filtered`, i.e. the library's search), scored with recall@5 and
mean reciprocal rank per group, the dev and test splits apart.

    python bench/trials_quality.py                                                   # SQLite (a fresh file)
    python bench/trials_quality.py --database-url postgres://postgres@127.0.0.1:5432/nyskap_trials_bench

Builds a fresh database with the reference data and the white paper's trials (`load_trials`), as `make run` does.
Results: bench/results/trials-quality-<database>.json. Exit status 1 when a target (recall@5 >= 0.9 and
MRR >= 0.75, overall and per group, each split) is missed.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.common import configure, reset_database  # noqa: E402
from bench.search_quality import judge_splits  # noqa: E402

JUDGED_FILE = ROOT / "bench" / "trials_judged.json"
TARGET_RECALL, TARGET_MRR = 0.9, 0.75


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    args = parser.parse_args()
    database = "postgresql" if args.database_url else "sqlite"
    configure(args.database_url)
    reset_database(args.database_url)
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command

    from nyskap.trials.selectors import filtered

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    call_command("load_trials", stdout=io.StringIO(), stderr=io.StringIO())

    def search(query: str) -> list[str]:
        return list(filtered(AnonymousUser(), {}, query).values_list("slug", flat=True)[:20])

    out = ROOT / "bench" / "results" / f"trials-quality-{database}.json"
    return judge_splits(search, JUDGED_FILE, out, database, (TARGET_RECALL, TARGET_MRR))


if __name__ == "__main__":
    sys.exit(main())
