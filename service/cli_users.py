"""`overturn users`: staff accounts for the page of `overturn serve` (create, list, disable).

Each change is an audit event whose actor is `cli` (the command line acts as an admin of the
user's tenant). Passwords are never printed but once, when generated, and never listed."""

import sys
from typing import Annotated

import typer

from service.config import Settings

users_app = typer.Typer(help="Staff accounts that sign in on the page of `overturn serve`.", no_args_is_help=True)


def _sessions():
    from service.store.db import open_home_database

    return open_home_database(Settings.from_env())


def _by_cli(sessions, tenant: str, action: str, user_id: str) -> None:
    from service.audit.trail import record
    from service.models import Principal

    record(sessions, Principal(tenant, "admin", "cli"), action, f"user:{user_id}")


@users_app.command("create")
def users_create(
    tenant: Annotated[str, typer.Option("--tenant", help="the practice the user works for")],
    email: Annotated[str, typer.Option("--email", help="what the user signs in with")],
    role: Annotated[str, typer.Option("--role", help="biller, reviewer or admin")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from stdin (at least 12 characters)")
    ] = False,
) -> None:
    """Make an account. Without --password-stdin a password is generated and printed once."""
    from service.store.users import create_user

    password = sys.stdin.read().removesuffix("\n").removesuffix("\r") if password_stdin else None
    sessions = _sessions()
    row, generated = create_user(sessions, tenant, email, role, password)
    _by_cli(sessions, row.tenant, "user.create", row.id)
    if generated is None:
        typer.echo(f"{row.id}  {row.email}  {row.role}  {row.tenant}")
        return
    typer.echo(generated)
    typer.echo(
        f"note: user {row.id} ({row.email}, {row.role}, tenant {row.tenant}); the password above is shown "
        "only now: hand it over safely",
        err=True,
    )


@users_app.command("list")
def users_list(
    tenant: Annotated[str | None, typer.Option("--tenant", help="only this practice's users")] = None,
) -> None:
    """User ids, emails, roles and states; never a password or its hash."""
    from service.store.db import now
    from service.store.users import list_users

    stamp = now()
    for row in list_users(_sessions(), tenant):
        if row.disabled_at:
            state = f"disabled {row.disabled_at:%Y-%m-%d}"
        elif row.locked_until and row.locked_until > stamp:
            state = f"locked to {row.locked_until:%H:%M}"
        else:
            state = "active"
        seen = f"{row.last_sign_in_at:%Y-%m-%d %H:%M}" if row.last_sign_in_at else "never"
        typer.echo(f"{row.id}  {row.tenant:<20} {row.role:<9} {state:<19} last sign-in {seen}  {row.email}")


@users_app.command("disable")
def users_disable(email: Annotated[str, typer.Argument(help="the user's email")]) -> None:
    """Stop an account signing in; its open sessions end at once."""
    from service.store.users import disable_user

    sessions = _sessions()
    row = disable_user(sessions, email)
    _by_cli(sessions, row.tenant, "user.disable", row.id)
    typer.echo(f"disabled {row.id} ({row.email}, tenant {row.tenant})")
