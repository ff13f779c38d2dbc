"""Search quality on challenges: the judged challenge queries (`bench/challenges_judged.json`) through the same
search the challenge list uses (`nyskap.challenges.selectors.filtered`, i.e. the library's search), scored with
recall@5 and mean reciprocal rank per group, the dev and test splits apart.

    python bench/challenges_quality.py                                                   # SQLite (a fresh file)
    python bench/challenges_quality.py --database-url postgres://postgres@127.0.0.1:5432/nyskap_challenges_bench

Builds a fresh database with the reference data, the white paper's example challenges (`load_challenges`) and the
bench's own 20 challenges (`bench/challenges_corpus.json`, bench data only), all open. Results:
bench/results/challenges-quality-<database>.json. Exit status 1 when a target (recall@5 >= 0.9 and MRR >= 0.75,
overall and per group, each split) is missed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.common import configure, reset_database  # noqa: E402
from bench.search_quality import judge_splits  # noqa: E402

JUDGED_FILE = ROOT / "bench" / "challenges_judged.json"
CORPUS_FILE = ROOT / "bench" / "challenges_corpus.json"
TARGET_RECALL, TARGET_MRR = 0.9, 0.75


def load_corpus() -> None:
    from nyskap.accounts.models import Membership, Role, User
    from nyskap.challenges import services
    from nyskap.challenges.models import Challenge
    from nyskap.organisations.models import Organisation

    owner = Organisation.objects.public_sector().order_by("name").first()
    user = User.objects.create_user(email="bench@nyskap.invalid", password=None)
    Membership.objects.create(user=user, organisation=owner, role=Role.EDITOR)
    for row in json.loads(CORPUS_FILE.read_text(encoding="utf-8")):
        fields = {k: row[k] for k in ("title", "need", "effect", "topics", "sector")} | {"procedure": "market_dialogue"}
        challenge = services.challenge_create(actor=user, owners=[owner], fields=fields)
        Challenge.objects.filter(pk=challenge.pk).update(slug=row["slug"])
        services.open_dialogue(actor=user, challenge=challenge)


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

    from nyskap.challenges.selectors import filtered, visible_to

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    call_command("load_challenges", stdout=io.StringIO(), stderr=io.StringIO())
    load_corpus()

    def search(query: str) -> list[str]:
        return list(filtered(visible_to(AnonymousUser()), {}, query).values_list("slug", flat=True)[:20])

    out = ROOT / "bench" / "results" / f"challenges-quality-{database}.json"
    return judge_splits(search, JUDGED_FILE, out, database, (TARGET_RECALL, TARGET_MRR))


if __name__ == "__main__":
    sys.exit(main())
