"""CI's last words: per pass, what failed and where the time went, read from the passes' JUnit reports.

Printed at the very end of the run, so that the tail of the output names every failing test and the slowest ones.
"""

import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path


def summarise(name: str, report: Path) -> None:
    if not report.exists():
        print(f"{name}: no report (the pass did not finish)")
        return
    cases = list(ET.parse(report).getroot().iter("testcase"))  # noqa: S314 (our own pytest wrote it)
    failed: list[str] = []
    times: list[tuple[float, str]] = []
    per_file: defaultdict[str, float] = defaultdict(float)
    for case in cases:
        test = f"{case.get('classname', '')}::{case.get('name', '')}"
        seconds = float(case.get("time") or 0)
        times.append((seconds, test))
        per_file[case.get("classname", "").rsplit(".", 1)[0]] += seconds
        for problem in (*case.iter("failure"), *case.iter("error")):
            first_line = (problem.get("message") or "").splitlines()[:1]
            failed.append(f"  {problem.tag.upper()} {test}: {' '.join(first_line)[:300]}")
    print(f"{name}: {len(cases)} tests, {len(failed)} failed or in error, {sum(t for t, _ in times):.0f} s in tests")
    print("\n".join(failed))
    print(
        "  slowest modules: " + ", ".join(f"{m} {s:.0f}s" for m, s in sorted(per_file.items(), key=lambda i: -i[1])[:8])
    )
    print("  slowest tests: " + ", ".join(f"{t.rsplit('::', 1)[-1][:60]} {s:.0f}s" for s, t in sorted(times)[-5:]))


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        summarise(arg, Path(f"var/ci-{arg}.xml"))
