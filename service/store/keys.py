"""API keys: `ovt_<id>_<secret>`, shown once, stored as a SHA-256 of the secret.

The secret is 32 random bytes, so a fast hash is enough (nothing to brute-force); the id lets a
request find its row without scanning, and lets `keys list` and `keys revoke` name a key
without ever showing it again.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from service.errors import InputError, InvalidTenantError, UnknownKeyError
from service.models import ROLES, Principal, Role
from service.store.db import ApiKey, now

TENANT = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
KEY = re.compile(r"ovt_([a-z0-9]{12})_([A-Za-z0-9_-]{43})")


@dataclass
class NewKey:
    id: str
    tenant: str
    key: str
    role: Role = "biller"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_tenant_and_role(tenant: str, role: str) -> None:
    """What a key and a staff account are made for: a valid tenant name and one of the roles."""
    if role not in ROLES:
        raise InputError(f"a role is one of {', '.join(ROLES)}")
    if not TENANT.fullmatch(tenant):
        raise InvalidTenantError(
            "a tenant name is 1-63 lower-case letters, digits, '-' or '_', starting with a letter or digit"
        )


def create_key(sessions: sessionmaker, tenant: str, label: str = "", role: Role = "biller") -> NewKey:
    """A portal's key acts as a user of `role`: biller by default (cases, documents, drafts)."""
    check_tenant_and_role(tenant, role)
    key_id = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))
    secret = secrets.token_urlsafe(32)
    with sessions.begin() as session:
        session.add(ApiKey(id=key_id, tenant=tenant, secret_hash=_hash(secret), label=label[:100], role=role))
    return NewKey(key_id, tenant, f"ovt_{key_id}_{secret}", role)


def list_keys(sessions: sessionmaker) -> list[ApiKey]:
    with sessions() as session:
        return list(session.scalars(select(ApiKey).order_by(ApiKey.tenant, ApiKey.created_at)))


def revoke_key(sessions: sessionmaker, key_id: str) -> ApiKey:
    with sessions.begin() as session:
        row = session.get(ApiKey, key_id)
        if row is None:
            raise UnknownKeyError(f"no key with id '{key_id[:24]}'")
        if row.revoked_at is None:
            row.revoked_at = now()
        return row


def tenant_for(sessions: sessionmaker, presented: str) -> str | None:
    """The tenant a presented key belongs to, or None for anything malformed, unknown or revoked."""
    found = principal_for_key(sessions, presented)
    return found.tenant if found else None


def principal_for_key(sessions: sessionmaker, presented: str, client: str = "") -> Principal | None:
    """Who a presented key acts as, or None for anything malformed, unknown or revoked."""
    match = KEY.fullmatch(presented.strip())
    if not match:
        return None
    key_id, secret = match.groups()
    with sessions.begin() as session:
        row = session.get(ApiKey, key_id)
        if row is None or row.revoked_at is not None or not hmac.compare_digest(row.secret_hash, _hash(secret)):
            return None
        stamp = now()
        if row.last_used_at is None or (stamp - row.last_used_at).total_seconds() > 60:
            row.last_used_at = stamp
        role: Role = row.role if row.role in ROLES else "biller"
        return Principal(tenant=row.tenant, role=role, actor=f"key:{row.id}", client=client)
