"""Does each signature in the record say what it claims? (issue 11, item 3)

A signature binds a signer, a role, a meaning and a time to the hash of the record as it stood
when it was signed. ``verify`` and import check every one, so a signature cannot be zeroed,
borrowed from another entry, re-attributed to another person, or given a meaning or a role its
signer never had:

* its content hash is the record's hash at the entry that carries it (the entry's
  ``prev_hash``: signing happens against the record as the signer saw it);
* its signer is an account of this clinic, with the name and role the signature prints;
* that role grants what the meaning needs (a nurse cannot have approved a discharge);
* its meaning is the one the field holds (a witness's signature is a witness's);
* it was made no later than the entry was saved.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel

from bedside.events import ChartEvent
from bedside.ids import UserId
from bedside.people import ROLE_PERMISSIONS, Permission, User
from bedside.signatures import Meaning, Signature
from bedside.signing_keys import seal_matches

if TYPE_CHECKING:  # the store imports this module to verify: no import of the store here
    from bedside.store.keys import StoredKey

NEEDS: dict[Meaning, Permission] = {
    Meaning.DISCHARGE_APPROVED: Permission.SIGN_DISCHARGE,
    Meaning.WITNESSED_WASTE: Permission.WITNESS,
    Meaning.DOUBLE_CHECKED_DOSE: Permission.WITNESS,
    Meaning.CONSENT_OBTAINED: Permission.CONFIRM_CONSENT,
    Meaning.ORDER_SIGNED: Permission.ORDER_COURSE,
    Meaning.AUTHORED_ADDENDUM: Permission.CHART,
    Meaning.CHARTED_BY: Permission.CHART,
    Meaning.OVERRIDE: Permission.OVERRIDE,
    Meaning.PROTOCOL_APPROVED: Permission.APPROVE_PROTOCOL,
}
"""What the signer's role must grant for each meaning (as the service checks at signing)."""

FIELD_MEANING: dict[tuple[str, str], Meaning] = {
    ("session_signed", "signature"): Meaning.DISCHARGE_APPROVED,
    ("waste_recorded", "witness"): Meaning.WITNESSED_WASTE,
    ("drug_prepared", "double_check"): Meaning.DOUBLE_CHECKED_DOSE,
    ("consent_recorded", "clinician_signature"): Meaning.CONSENT_OBTAINED,
    ("addendum", "signature"): Meaning.AUTHORED_ADDENDUM,
    ("chart_attested", "signature"): Meaning.CHARTED_BY,
}
"""The meaning a signature must carry where it sits; an override's is always an override."""

CLOCK_SLACK = timedelta(seconds=5)


def signatures_in(value: object, path: str = "") -> Iterator[tuple[str, Signature]]:
    """Every signature inside a payload, with its dotted field path (``override.signature``)."""
    if isinstance(value, Signature):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            inner = f"{path}.{name}" if path else name
            yield from signatures_in(getattr(value, name), inner)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from signatures_in(item, f"{path}[{i}]")


def expected_meaning(kind: str, path: str) -> Meaning | None:
    """The meaning the signature at ``path`` of a ``kind`` entry must have (None: any)."""
    if path.endswith(("override.signature", "allowed.signature")):
        return Meaning.OVERRIDE
    return FIELD_MEANING.get((kind, path))


def signature_problems(
    event: ChartEvent,
    accounts: Mapping[UserId, User],
    keys: Mapping[str, StoredKey] | None = None,
) -> list[str]:
    """What is wrong with the signatures an entry carries (empty: each says what it claims).
    With ``keys`` (this database's signing keys), each seal is checked too."""
    out: list[str] = []
    where = f"event #{event.seq} ({event.kind})"
    for path, sig in signatures_in(event.payload):
        said = f"{where}: the signature '{sig.meaning.value}' by {sig.signer_name}"
        if sig.content_hash != event.prev_hash:
            out.append(f"{said} does not bind the record as it stood at that entry")
        account = accounts.get(sig.signer_id)
        if account is None:
            out.append(f"{said} names an account this clinic does not have")
        else:
            if account.role is not sig.signer_role:
                out.append(
                    f"{said} claims the role {sig.signer_role.value}; the account is a "
                    f"{account.role.value}"
                )
            if account.display_name != sig.signer_name:
                out.append(
                    f"{said} does not carry the name of its account ({account.display_name})"
                )
        if NEEDS[sig.meaning] not in ROLE_PERMISSIONS[sig.signer_role]:
            out.append(f"{said}: a {sig.signer_role.value} cannot sign that")
        wanted = expected_meaning(event.kind, path)
        if wanted is not None and sig.meaning is not wanted:
            out.append(f"{said} sits where '{wanted.value}' belongs")
        if sig.signed_at > event.recorded_time + CLOCK_SLACK:
            out.append(f"{said} is dated after the entry was saved")
        if keys is not None:
            out.extend(f"{said} {p}" for p in seal_problems(sig, keys))
    return out


def seal_problems(sig: Signature, keys: Mapping[str, StoredKey]) -> list[str]:
    """A sealed signature must verify under a key of its signer; an unsealed one is accepted
    only if its signer had no key yet when it was made (signatures from before keys)."""
    if sig.seal is None or sig.key_id is None:
        had_key = any(
            k.user_id == sig.signer_id and k.created_at <= sig.signed_at for k in keys.values()
        )
        return ["is not sealed although its signer had a signing key"] if had_key else []
    key = keys.get(sig.key_id)
    if key is None:
        return ["names a signing key this clinic does not have"]
    if key.user_id != sig.signer_id:
        return ["was sealed with another person's key"]
    if not seal_matches(key.key.public_key, sig.digest(), sig.seal):
        return ["has a seal that does not match it (changed after signing, or forged)"]
    return []
