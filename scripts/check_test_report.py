"""Turn a pytest JUnit report into CI's verdict: no failure, no skip, and at least one test."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main(report: str, status: str) -> int:
    if not Path(report).exists():
        print(f"no test report at {report}: pytest did not run (exit {status})")
        return 1
    suites = ET.parse(report).getroot()
    tests = skipped = failed = 0
    skipped_names: list[str] = []
    for suite in suites.iter("testsuite"):
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    for case in suites.iter("testcase"):
        if case.find("skipped") is not None:
            skipped += 1
            skipped_names.append(f"{case.get('classname')}::{case.get('name')}")
    print(f"test report: {tests} tests, {failed} failed, {skipped} skipped")
    if skipped:
        print("skipped tests count as failures in CI:\n  " + "\n  ".join(skipped_names))
        return 1
    if tests == 0:
        print("no test ran")
        return 1
    return 1 if failed or status != "0" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
