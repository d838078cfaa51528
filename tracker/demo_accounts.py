"""Demo accounts, one per role, so a fresh `make run` can be signed into."""

from __future__ import annotations

from tracker.accounts import UsernameTaken
from tracker.application import CaseTracker

# Printed by `make run`; a real installation creates its own accounts with
# `tracker users create` and never loads these.
# The demo's published password.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  # nosec B105
DEMO_ACCOUNTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "admin": ("admin", ()),
    "coordinator": ("coordinator", ()),
    "advocate": ("advocate", ()),
    "secretary": ("secretary", ("GRA", "STR")),
    "viewer": ("viewer", ()),
}


def load_demo_accounts(tracker: CaseTracker) -> list[str]:
    """Create the demo accounts that do not exist yet; return their names."""
    created = []
    for username, (role, municipalities) in DEMO_ACCOUNTS.items():
        try:
            tracker.create_account(
                actor="demo",
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                municipalities=municipalities,
            )
        except UsernameTaken:
            continue
        created.append(username)
    return created
