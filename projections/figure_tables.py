"""The figures view's tables and indexes (`projections.figures` fills them).

Each table keeps the dates users entered for when things happened, so the
report (`projections.figure_tally`) counts "as of" any day with a range of
an index; the indexes are shaped by the queries that read them. Every
statement has ``{s}`` where a rebuild puts its tables' suffix.
"""

from __future__ import annotations


def _table(name: str, columns: str, *, rowid: bool = True) -> str:
    # A table without rowids keeps its rows in its primary key's order: a
    # range of that key is read without a second lookup per row.
    shape = "" if rowid else " WITHOUT ROWID"
    return f"CREATE TABLE IF NOT EXISTS {name}{{s}} ({columns}){shape}"


TABLES: dict[str, str] = {
    "figure_cases": _table(
        "figure_cases",
        "case_id TEXT PRIMARY KEY, reference TEXT NOT NULL, "
        "municipality TEXT NOT NULL, "
        "category TEXT NOT NULL, communities INTEGER NOT NULL, "
        "raised_on TEXT NOT NULL, status TEXT NOT NULL, "
        "effective_on TEXT NOT NULL, latest_on TEXT NOT NULL, "
        "dated INTEGER NOT NULL, open_referrals TEXT NOT NULL",
    ),
    "figure_status_changes": _table(
        "figure_status_changes",
        "case_id TEXT NOT NULL, seq INTEGER NOT NULL, dated_on TEXT, "
        "effective_on TEXT NOT NULL, status TEXT NOT NULL, "
        "PRIMARY KEY (case_id, seq)",
        rowid=False,
    ),
    "figure_actions": _table(
        "figure_actions",
        "action_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, "
        "municipality TEXT NOT NULL, kind TEXT NOT NULL, taken_on TEXT NOT NULL",
    ),
    "figure_referrals": _table(
        "figure_referrals",
        "referral_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, "
        "municipality TEXT NOT NULL, institution_kind TEXT NOT NULL, "
        "institution TEXT NOT NULL, sent_on TEXT NOT NULL, "
        "due_on TEXT NOT NULL, extended_on TEXT, first_response_on TEXT, "
        "first_substantive_response_on TEXT",
    ),
    "figure_deadlines": _table(
        "figure_deadlines",
        "referral_id TEXT NOT NULL, seq INTEGER NOT NULL, "
        "effective_on TEXT NOT NULL, due_on TEXT NOT NULL, "
        "PRIMARY KEY (referral_id, seq)",
        rowid=False,
    ),
    "figure_responses": _table(
        "figure_responses",
        "received_on TEXT NOT NULL, reference TEXT NOT NULL, "
        "response_id TEXT NOT NULL, referral_id TEXT NOT NULL, "
        "municipality TEXT NOT NULL, kind TEXT NOT NULL, "
        "substantive INTEGER NOT NULL, institution_kind TEXT NOT NULL, "
        "institution TEXT NOT NULL, "
        "PRIMARY KEY (received_on, reference, response_id)",
        rowid=False,
    ),
    "figure_verifications": _table(
        "figure_verifications",
        "response_id TEXT NOT NULL, seq INTEGER NOT NULL, "
        "status TEXT NOT NULL, verified_on TEXT NOT NULL, "
        "PRIMARY KEY (response_id, seq)",
        rowid=False,
    ),
    "figure_resolutions": _table(
        "figure_resolutions",
        "case_id TEXT NOT NULL, seq INTEGER NOT NULL, "
        "municipality TEXT NOT NULL, outcome TEXT NOT NULL, "
        "resolved_on TEXT NOT NULL, PRIMARY KEY (case_id, seq)",
    ),
    "figure_meetings": _table(
        "figure_meetings",
        "meeting_id TEXT PRIMARY KEY, municipality TEXT NOT NULL, "
        "held_on TEXT NOT NULL",
    ),
    "figure_attendance": _table(
        "figure_attendance",
        "meeting_id TEXT NOT NULL, gender TEXT NOT NULL, "
        "community TEXT NOT NULL, count INTEGER NOT NULL, "
        "PRIMARY KEY (meeting_id, gender, community)",
    ),
}
# The report asks for rows dated in a period: each index covers a query.
# Counts by municipality and code read an index in that order, so that
# counting needs no sort (and one municipality's is a short range).
INDEXES: dict[str, str] = {
    "figure_cases_by_raised": "CREATE INDEX IF NOT EXISTS "
    "figure_cases_by_raised{s} ON figure_cases{s} (raised_on, municipality, "
    "category, communities, latest_on, status, case_id)",
    "figure_referrals_by_case": "CREATE INDEX IF NOT EXISTS "
    "figure_referrals_by_case{s} ON figure_referrals{s} (case_id)",
    "figure_referrals_by_sent": "CREATE INDEX IF NOT EXISTS "
    "figure_referrals_by_sent{s} ON figure_referrals{s} (sent_on, "
    "municipality, first_response_on, first_substantive_response_on, due_on, "
    "extended_on, referral_id)",
    "figure_actions_by_kind": "CREATE INDEX IF NOT EXISTS "
    "figure_actions_by_kind{s} ON figure_actions{s} "
    "(municipality, kind, taken_on)",
    "figure_responses_by_kind": "CREATE INDEX IF NOT EXISTS "
    "figure_responses_by_kind{s} ON figure_responses{s} "
    "(municipality, kind, received_on)",
    "figure_resolutions_by_outcome": "CREATE INDEX IF NOT EXISTS "
    "figure_resolutions_by_outcome{s} ON figure_resolutions{s} "
    "(municipality, outcome, resolved_on)",
}
