"""How good a password must be: long enough, and hard enough to guess."""

from __future__ import annotations

from domain.errors import InvalidValue

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
# A password must need at least 10**8 guesses by zxcvbn's estimate (its score
# 3 of 4): common passwords, words, names, dates, keyboard runs and the
# username itself are counted as the few guesses they are (OWASP ASVS 2.1.7).
MIN_GUESSES_LOG10 = 8
# zxcvbn's work grows fast with length; what follows this is not weighed.
WEIGHED_CHARACTERS = 100


class GuessablePassword(InvalidValue):
    """A password found among common ones, or as easy to guess as one."""


def valid_password(password: str, *, related: tuple[str, ...] = ()) -> str:
    """A password long enough and hard enough to guess, and not absurdly long.

    ``related`` are words a guesser would try first (the username).
    """
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidValue(
            f"a password has at least {MIN_PASSWORD_LENGTH} characters",
            field="password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidValue("the password is too long", field="password")
    # Its word lists take 40 ms to load: only a process that sets a password
    # pays for them.
    from zxcvbn import zxcvbn

    weighed = zxcvbn(password[:WEIGHED_CHARACTERS], user_inputs=list(related))
    if weighed["guesses_log10"] < MIN_GUESSES_LOG10:
        raise GuessablePassword(
            "the password is too easy to guess: a common password, words or "
            "a pattern, or the username",
            field="password",
        )
    return password
