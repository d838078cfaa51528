"""Audit the installed dependencies for known vulnerabilities (pip-audit).

Every vulnerability found fails the run unless `scripts/audit-explained.txt`
names it with the reason it does not apply. pip-audit asks PyPI's JSON API
(or OSV) for the advisories; where neither can be reached, as on a machine
whose only network is a package mirror, nothing can be audited: the run
says so, with how many packages went unaudited, and does not pretend.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404
import sys
from pathlib import Path

EXPLAINED = Path(__file__).with_name("audit-explained.txt")
TIMEOUT_SECONDS = 600


def explained() -> dict[str, str]:
    """Advisory ids judged not to apply, each with its reason."""
    found = {}
    for line in EXPLAINED.read_text(encoding="utf-8").splitlines():
        advisory, _, reason = line.partition(" ")
        if advisory and not advisory.startswith("#"):
            found[advisory] = reason.strip()
    return found


def audit() -> dict[str, list[dict[str, object]]]:
    """pip-audit's JSON report of this environment (our own package skipped)."""
    # A fixed command, no shell.
    finished = subprocess.run(  # nosec B603
        [
            sys.executable, "-m", "pip_audit", "--local", "--skip-editable",
            "--progress-spinner", "off", "--format", "json", "--timeout", "15",
        ],
        capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
    )  # fmt: skip
    if not finished.stdout.strip():
        return {"dependencies": [], "error": [{"message": finished.stderr[-2000:]}]}
    report: dict[str, list[dict[str, object]]] = json.loads(finished.stdout)
    return report


def main() -> int:
    """Print the findings; fail on any not explained."""
    report = audit()
    if report.get("error"):
        print("pip-audit could not run:", report["error"][0]["message"])
        return 1
    dependencies = report["dependencies"]
    unaudited = [d for d in dependencies if "skip_reason" in d]
    if dependencies and len(unaudited) == len(dependencies):
        print(
            f"pip-audit: NOT AUDITED — no advisory database answers from "
            f"this machine (PyPI's JSON API and OSV); {len(unaudited)} packages "
            f"unaudited, e.g. {unaudited[0]['skip_reason']}"
        )
        return 0
    reasons = explained()
    unexplained = []
    for dependency in dependencies:
        for vulnerability in dependency.get("vulns", []):  # type: ignore[attr-defined]
            advisory = vulnerability["id"]
            where = f"{dependency['name']} {dependency.get('version')}: {advisory}"
            if advisory in reasons:
                print(f"explained  {where} — {reasons[advisory]}")
            else:
                unexplained.append(where)
                print(f"FOUND      {where} (fixed in {vulnerability['fix_versions']})")
    audited = len(dependencies) - len(unaudited)
    print(
        f"pip-audit: {audited} packages audited, {len(unaudited)} not found on "
        f"the index, {len(unexplained)} unexplained vulnerabilities"
    )
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
