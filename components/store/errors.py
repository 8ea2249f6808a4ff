"""Why the store refused a write. `code` is stable: the interface translates it (`store.refused.<code>`)."""

from __future__ import annotations


class StoreError(Exception):
    code = "error"


class NotSignedIn(StoreError):
    """No session, an unknown or ended one, one idle too long, or a disabled account."""

    code = "not_signed_in"


class Forbidden(StoreError):
    """Signed in, but this role or agency may not do this."""

    code = "forbidden"


class NotFound(StoreError):
    code = "not_found"


class WrongState(StoreError):
    """The report is not in a state that allows this (e.g. accepting a withdrawn report)."""

    code = "wrong_state"


class Changed(StoreError):
    """Someone wrote a newer version meanwhile: the reviewer must look at it before deciding."""

    code = "changed"


class LimitReached(StoreError):
    code = "limit"


class Invalid(StoreError):
    """Input the store refuses whatever the role (a bad name, a password too short, an unknown agency)."""

    code = "invalid"
