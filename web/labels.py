"""Every code the domain uses, as words in the reader's language.

The domain speaks in codes (``awaiting_response``, ``serb``); people read
these labels. A test checks that every code of the reference data has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from flask_babel import LazyString, force_locale, get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l

STATUSES: dict[str, LazyString] = {
    "submitted": _l("Submitted"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "duplicate": _l("Duplicate"),
    "in_advocacy": _l("In advocacy"),
    "referred": _l("Referred"),
    "awaiting_response": _l("Awaiting response"),
    "answered": _l("Answered"),
    "resolved": _l("Resolved"),
    "partially_resolved": _l("Partially resolved"),
    "unresolved": _l("Unresolved"),
    "reopened": _l("Reopened"),
}

COMMUNITIES: dict[str, LazyString] = {
    "albanian": _l("Albanian"),
    "serb": _l("Serb"),
    "bosniak": _l("Bosniak"),
    "turkish": _l("Turkish"),
    "roma": _l("Roma"),
    "ashkali": _l("Ashkali"),
    "egyptian": _l("Egyptian"),
    "gorani": _l("Gorani"),
    "croat": _l("Croat"),
    "montenegrin": _l("Montenegrin"),
    "other": _l("Other"),
}

CATEGORIES: dict[str, LazyString] = {
    "community_rights": _l("Community rights"),
    "environment": _l("Environment"),
    "domestic_violence": _l("Domestic violence"),
    "gender_equality": _l("Gender equality"),
    "rule_of_law": _l("Rule of law"),
    "economy_employment": _l("Economy and employment"),
    "infrastructure": _l("Infrastructure"),
    "public_services": _l("Public services"),
    "safety_crime": _l("Safety and crime"),
    "natural_hazards": _l("Natural hazards"),
    "youth_emigration": _l("Youth emigration"),
    "organized_crime": _l("Organized crime"),
    "violent_extremism": _l("Violent extremism"),
    "culture_language": _l("Culture and language"),
    "property": _l("Property"),
    "other": _l("Other"),
}

INSTITUTION_KINDS: dict[str, LazyString] = {
    "mayor": _l("Mayor"),
    "municipal_assembly": _l("Municipal assembly"),
    "communities_committee": _l("Communities committee"),
    "office_for_communities_and_returns": _l("Office for communities and returns"),
    "municipal_directorate": _l("Municipal directorate"),
    "central_government": _l("Central government"),
    "ombudsperson": _l("Ombudsperson"),
    "police": _l("Police"),
    "public_enterprise": _l("Public enterprise"),
    "other": _l("Other"),
}

ADVOCACY_ACTION_KINDS: dict[str, LazyString] = {
    "letter": _l("Letter"),
    "meeting_with_officials": _l("Meeting with officials"),
    "petition": _l("Petition"),
    "media": _l("Media"),
    "public_event": _l("Public event"),
    "joint_statement": _l("Joint statement"),
    "other": _l("Other"),
}

RESPONSE_KINDS: dict[str, LazyString] = {
    "acknowledgement": _l("Acknowledgement"),
    "information": _l("Information"),
    "commitment": _l("Commitment"),
    "policy_change": _l("Policy change"),
    "concrete_action": _l("Concrete action"),
    "partial": _l("Partial answer"),
    "refusal": _l("Refusal"),
    "redirected": _l("Redirected"),
}

REQUEST_KINDS: dict[str, LazyString] = {
    "public_documents": _l("Access to public documents"),
    "public_documents_urgent": _l("Access to public documents (urgent)"),
    "general_request": _l("General request"),
    "petition": _l("Petition"),
}

COMMITMENT_STATUSES: dict[str, LazyString] = {
    "fulfilled": _l("Fulfilled"),
    "partially_fulfilled": _l("Partially fulfilled"),
    "not_fulfilled": _l("Not fulfilled"),
}

OUTCOMES: dict[str, LazyString] = {
    "resolved": _l("Resolved"),
    "partially_resolved": _l("Partially resolved"),
    "unresolved": _l("Unresolved"),
}

PRIORITIES: dict[str, LazyString] = {
    "low": _l("Low"),
    "normal": _l("Normal"),
    "high": _l("High"),
    "urgent": _l("Urgent"),
}

FOLLOW_UP_CHANNELS: dict[str, LazyString] = {
    "letter": _l("Letter"),
    "email": _l("Email"),
    "phone": _l("Phone"),
    "meeting": _l("Meeting"),
    "visit": _l("Visit"),
    "other": _l("Other"),
}

GENDERS: dict[str, LazyString] = {
    "female": _l("Women"),
    "male": _l("Men"),
    "other": _l("Other"),
}

# "Albanian" and "Turkish" name communities too: the context tells them apart.
LANGUAGES: dict[str, LazyString] = {
    "sq": lazy_pgettext("language", "Albanian"),
    "sr": _l("Serbian"),
    "en": _l("English"),
    "tr": lazy_pgettext("language", "Turkish"),
    "bs": _l("Bosnian"),
}

ROLES: dict[str, LazyString] = {
    "admin": _l("Administrator"),
    "coordinator": _l("Coordinator"),
    "advocate": _l("Advocacy staff"),
    "secretary": _l("Forum secretary"),
    "viewer": _l("Viewer"),
}

DEADLINE_STATES: dict[str, LazyString] = {
    "answered": _l("Answered"),
    "pending": _l("Pending"),
    "overdue": _l("Overdue"),
    "very_overdue": _l("Very overdue"),
}

PUBLISHABLE_FIELDS: dict[str, LazyString] = {
    "title": _l("Title"),
    "description": _l("Description"),
    "category": _l("Category"),
    "communities": _l("Communities"),
    "municipality": _l("Municipality"),
    "location": _l("Location"),
    "status": _l("Status"),
    "timeline": _l("Timeline"),
    "responses": _l("Responses"),
}

EVENTS: dict[str, LazyString] = {
    "Submitted": _l("Case submitted"),
    "Amended": _l("Case amended"),
    "Translated": _l("Translation added"),
    "Accepted": _l("Accepted for advocacy"),
    "Declined": _l("Declined"),
    "MarkedDuplicate": _l("Marked as duplicate"),
    "AdvocacyActionTaken": _l("Advocacy action taken"),
    "Referred": _l("Referred to an institution"),
    "DeadlineExtended": _l("Deadline extended"),
    "FollowedUp": _l("Followed up"),
    "ResponseReceived": _l("Response received"),
    "CommitmentVerified": _l("Commitment verified"),
    "Resolved": _l("Resolved"),
    "Reopened": _l("Reopened"),
    "NoteAdded": _l("Note added"),
    "DocumentAttached": _l("Document attached"),
    "Published": _l("Published"),
    "Unpublished": _l("Unpublished"),
    "PersonalDataErased": _l("Personal data erased"),
}

ACCOUNT_EVENTS: dict[str, LazyString] = {
    "Created": _l("Account created"),
    "AccessChanged": _l("Role changed"),
    "PasswordChanged": _l("Password changed"),
    "Disabled": _l("Account disabled"),
    "Enabled": _l("Account enabled"),
    "SecondFactorEnrolled": _l("Second factor set up"),
    "SecondFactorReset": _l("Second factor reset"),
    "EmailChanged": _l("Email for reminders changed"),
}

AUDIT_KINDS: dict[str, LazyString] = {
    "signed_in": _l("Signed in"),
    "sign_in_failed": _l("Sign-in refused"),
    "signed_out": _l("Signed out"),
    "sessions_ended": _l("Sessions ended"),
    "account_created": _l("Account created"),
    "access_changed": _l("Role changed"),
    "password_changed": _l("Password changed"),
    "account_disabled": _l("Account disabled"),
    "account_enabled": _l("Account enabled"),
    "second_factor_enrolled": _l("Second factor set up"),
    "second_factor_reset": _l("Second factor reset"),
    "token_issued": _l("API token issued"),
    "token_revoked": _l("API token revoked"),
    "exported": _l("Data exported"),
    "personal_data_erased": _l("Personal data erased"),
    "email_changed": _l("Email for reminders changed"),
}

# The lists a template may ask for by name: ``label("statuses", code)``.
GROUPS: dict[str, dict[str, LazyString]] = {
    "statuses": STATUSES,
    "communities": COMMUNITIES,
    "categories": CATEGORIES,
    "institution_kinds": INSTITUTION_KINDS,
    "advocacy_action_kinds": ADVOCACY_ACTION_KINDS,
    "response_kinds": RESPONSE_KINDS,
    "request_kinds": REQUEST_KINDS,
    "commitment_statuses": COMMITMENT_STATUSES,
    "outcomes": OUTCOMES,
    "priorities": PRIORITIES,
    "follow_up_channels": FOLLOW_UP_CHANNELS,
    "genders": GENDERS,
    "languages": LANGUAGES,
    "roles": ROLES,
    "deadline_states": DEADLINE_STATES,
    "publishable_fields": PUBLISHABLE_FIELDS,
    "events": EVENTS,
    "account_events": ACCOUNT_EVENTS,
    "audit_kinds": AUDIT_KINDS,
}


def label(group: str, code: str | None) -> str:
    """The words for a code; the code itself if it has none (never an error)."""
    if code is None:
        return ""
    return _translated(str(get_locale()), group, code)


@cache
def _translated(language: str, group: str, code: str) -> str:
    # The catalogs do not change while the app runs: a code's words in one
    # language are looked up once (a list page asks for hundreds).
    return str(GROUPS[group].get(code, code))


def choices(group: str, codes: tuple[str, ...]) -> list[tuple[str, str]]:
    """Codes with their labels, as a select's options."""
    return [(code, label(group, code)) for code in codes]


def names(group: str, code: str, languages: Iterable[str]) -> dict[str, str]:
    """A code's words in each of the languages (for the API's reference data)."""
    found = {}
    for language in languages:
        with force_locale(language):
            found[language] = label(group, code)
    return found
