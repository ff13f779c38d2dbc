"""Load a synthetic, clearly labelled set of procurement notices so the statistics pages have something to show.

The notices are written as eForms XML and OCDS JSON and imported through the same import as real files; every one is
marked synthetic, and the statistics page says so while any is present. Buyers are taken from the reference data
(public bodies with an organisation number), so the county and buyer tables fill in."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nyskap.organisations.models import Organisation
from nyskap.procurement.models import Notice
from nyskap.procurement.services import NoticeFile, notices_import, tallies_rebuild
from nyskap.procurement.synthetic import eforms_xml, ocds_package, ocds_release, random_notices

FALLBACK_BUYERS = [("Oslo kommune", "958935420"), ("Bergen kommune", "964338531"), ("Statens vegvesen", "971032081")]


class Command(BaseCommand):
    help = "Load a few thousand synthetic procurement notices (labelled as demo data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=3000)
        parser.add_argument("--replace", action="store_true", help="Delete earlier synthetic notices first.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["replace"]:
            Notice.objects.filter(synthetic=True).delete()
            tallies_rebuild()
        buyers = (
            list(
                Organisation.objects.public_sector()
                .exclude(organisation_number="")
                .order_by("pk")
                .values_list("name", "organisation_number")[:400]
            )
            or FALLBACK_BUYERS
        )
        count = options["count"]
        archive_buffer = io.BytesIO()
        releases = []
        with zipfile.ZipFile(archive_buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for index, values in enumerate(random_notices(count, buyers, prefix="DEMO"), start=1):
                if index % 3:
                    archive.writestr(f"{values.notice_id}.xml", eforms_xml(values))
                else:
                    releases.append(ocds_release(values))
        archive_buffer.seek(0)
        files = [
            NoticeFile("demo-eforms.zip", archive_buffer),
            NoticeFile("demo-ocds.json", io.BytesIO(ocds_package(releases))),
        ]
        run = notices_import(files=files, synthetic=True)
        self.stdout.write(f"Loaded {run.notices_created} synthetic notices ({run.notices_skipped} already there).")
