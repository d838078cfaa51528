"""Tokens as the API takes and gives them."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from domain.api_token import MAX_LABEL_LENGTH, MAX_TOKEN_DAYS
from tracker.api_tokens import DEFAULT_TOKEN_DAYS
from web.api.schemas.cases import text


class TokenRequestSchema(ma.Schema):
    """A username and password (and a code, where needed), exchanged for a token."""

    username = text(validate.Length(max=40), required=True)
    password = ma.fields.String(
        required=True, validate=validate.Length(max=1024), load_only=True
    )
    label = text(validate.Length(max=MAX_LABEL_LENGTH), load_default="")
    days = ma.fields.Integer(
        load_default=DEFAULT_TOKEN_DAYS, validate=validate.Range(1, MAX_TOKEN_DAYS)
    )
    code = ma.fields.String(
        load_default=None,
        load_only=True,
        validate=validate.Regexp(r"^[0-9]{6}$", error="a code is 6 digits"),
        metadata={
            "description": "The code an authenticator app shows: needed for "
            "admins and coordinators (and any account with a second factor)."
        },
    )


class IssuedTokenSchema(ma.Schema):
    """A new token: keep it, it is shown only this once."""

    token = ma.fields.String(required=True)
    token_id = ma.fields.UUID(required=True)
    expires_on = ma.fields.Date(required=True)
    username = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    municipalities = ma.fields.List(ma.fields.String(), required=True)


class TokenSchema(ma.Schema):
    """One of the caller's tokens (never the secret)."""

    token_id = ma.fields.UUID(required=True)
    label = ma.fields.String(required=True)
    expires_on = ma.fields.Date(required=True)
    revoked = ma.fields.Boolean(required=True)
