"""Advocacy commands: actions, referrals and their deadlines, responses."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from domain.case import Case
from domain.deadlines import DeadlineRule, due_date, latest_extension
from domain.errors import require_choice
from tracker.store import Store
from tracker.views import ReferralMade


class AdvocacyCommands(Store):
    """What advocacy staff record while pushing a case to an answer."""

    def take_action(
        self,
        case_id: UUID,
        *,
        actor: str,
        kind: str,
        taken_on: date,
        description: str,
        communities: list[str] | tuple[str, ...],
        signatures: int | None = None,
        expected_version: int | None = None,
    ) -> UUID:
        """Record an advocacy action; return its id."""
        self.require_past(taken_on, "taken_on")
        action_id = uuid4()
        self.change_case(
            case_id,
            lambda c: c.take_action(
                actor=actor,
                action_id=action_id,
                kind=kind,
                taken_on=taken_on,
                description=description,
                communities=communities,
                signatures=signatures,
            ),
            expected_version,
        )
        return action_id

    def refer_case(
        self,
        case_id: UUID,
        *,
        actor: str,
        institution_kind: str,
        institution_name: str,
        request_kind: str,
        sent_on: date,
        expected_version: int | None = None,
    ) -> ReferralMade:
        """Send the case to an institution; the due date follows its rule."""
        self.require_past(sent_on, "sent_on")
        rule = self._rule(request_kind)
        due_on = due_date(rule, sent_on, self.holidays)
        referral_id = uuid4()
        version = self.change_case(
            case_id,
            lambda c: c.refer(
                actor=actor,
                referral_id=referral_id,
                institution_kind=institution_kind,
                institution_name=institution_name,
                request_kind=request_kind,
                sent_on=sent_on,
                due_on=due_on,
            ),
            expected_version,
        )
        return ReferralMade(referral_id, due_on, version)

    def _rule(self, request_kind: str) -> DeadlineRule:
        require_choice(request_kind, tuple(self.deadline_rules), "request_kind")
        return self.deadline_rules[request_kind]

    def extend_deadline(
        self,
        case_id: UUID,
        referral_id: UUID,
        *,
        actor: str,
        due_on: date,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        """Move a referral's due date later, within its rule's limit."""

        def decide(case: Case) -> None:
            referral = case.referral(referral_id)
            rule = self._rule(referral.request_kind)
            latest = latest_extension(rule, referral.original_due_on, self.holidays)
            case.extend_deadline(
                actor=actor,
                referral_id=referral_id,
                due_on=due_on,
                reason=reason,
                latest_allowed=latest,
            )

        return self.change_case(case_id, decide, expected_version)

    def follow_up(
        self,
        case_id: UUID,
        referral_id: UUID,
        *,
        actor: str,
        followed_up_on: date,
        channel: str,
        note: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Record chasing an institution for its answer."""
        self.require_past(followed_up_on, "followed_up_on")
        return self.change_case(
            case_id,
            lambda c: c.follow_up(
                actor=actor,
                referral_id=referral_id,
                followed_up_on=followed_up_on,
                channel=channel,
                note=note,
            ),
            expected_version,
        )

    def record_response(
        self,
        case_id: UUID,
        referral_id: UUID,
        *,
        actor: str,
        received_on: date,
        kind: str,
        summary: str,
        document_id: UUID | None = None,
        expected_version: int | None = None,
    ) -> UUID:
        """Record an institution's response to a referral; return its id."""
        self.require_past(received_on, "received_on")
        response_id = uuid4()
        self.change_case(
            case_id,
            lambda c: c.record_response(
                actor=actor,
                response_id=response_id,
                referral_id=referral_id,
                received_on=received_on,
                kind=kind,
                summary=summary,
                document_id=document_id,
            ),
            expected_version,
        )
        return response_id

    def verify_commitment(
        self,
        case_id: UUID,
        response_id: UUID,
        *,
        actor: str,
        status: str,
        verified_on: date,
        evidence: str,
        expected_version: int | None = None,
    ) -> int:
        """Record whether a commitment was kept."""
        self.require_past(verified_on, "verified_on")
        return self.change_case(
            case_id,
            lambda c: c.verify_commitment(
                actor=actor,
                response_id=response_id,
                status=status,
                verified_on=verified_on,
                evidence=evidence,
            ),
            expected_version,
        )
