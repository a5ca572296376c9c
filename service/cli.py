"""The `overturn` command. Thin: parse arguments, call the service layer (`service/casework`, the
same functions the API uses), print; every error a user can cause becomes one line on stderr and a
non-zero exit, never a traceback. The contracts it keeps are in docs/design.md, every command in
docs/cli.md."""

import importlib
import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from service.cli_audit import audit_app
from service.cli_checks import check_command, read_fields
from service.cli_tracking import cases_app, import_app
from service.cli_users import users_app
from service.components import Components
from service.config import Settings
from service.errors import InputError, OverturnError
from service.knowledge.importer import parse_seed_page, render_code_file
from service.models import CaseFields, CodeEntry, DraftResult

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Cited appeal letters for denied medical claims.")
codes_app = typer.Typer(help="Denial codes in the knowledge base.", invoke_without_command=True)
knowledge_app = typer.Typer(help="Manage knowledge files.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys for `overturn serve`.", no_args_is_help=True)
db_app = typer.Typer(help="The database of cases, documents, appeals, keys and users.", no_args_is_help=True)
app.add_typer(codes_app, name="codes")
app.add_typer(knowledge_app, name="knowledge")
app.add_typer(keys_app, name="keys")
app.add_typer(users_app, name="users")
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
app.add_typer(cases_app, name="cases")
app.add_typer(audit_app, name="audit")
app.command("check")(check_command)

LAB_MISSING = (
    "overturn eval: the eval lab (generators, sets and harness) is not part of the installed package; "
    "it comes with a development install: clone the repository and run `make setup` there, "
    "then `.venv/bin/overturn eval`"
)


def _register_eval() -> None:
    """`overturn eval` comes from the lab (`eval/harness`) when a development install puts it on the
    path, and is found by name, so the product never imports the lab; without it the command says
    how to get it."""
    try:
        lab = importlib.import_module("eval.harness.cli")
    except ModuleNotFoundError as exc:
        if exc.name not in ("eval", "eval.harness", "eval.harness.cli"):
            raise
    else:
        app.command("eval")(lab.eval_command)
        return

    @app.command(
        "eval",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        help="Run the eval (needs a development install).",
    )
    def eval_unavailable() -> None:
        typer.echo(LAB_MISSING, err=True)
        raise typer.Exit(2)


_register_eval()

FORMATS = ("json", "text", "docx", "pdf")


def load_case(path: Path) -> CaseFields:
    return read_fields(path, CaseFields, "claim fields")


def contract_json(result: DraftResult) -> dict:
    """The draft result in the shape `overturn draft` promises (`DraftResult` without the case id:
    letter, method, citations, excluded pages, warnings, deadline); `attempts` is added only when
    a model was tried. The contract is described in docs/design.md ("The draft result")."""
    exclude = {"case_id"} | (set() if result.attempts else {"attempts"})
    return result.model_dump(mode="json", exclude=exclude)


@app.command()
def draft(
    case: Annotated[Path, typer.Option("--case", help="case.json with the claim fields")],
    records: Annotated[list[Path], typer.Option("--records", help="a record PDF; repeat for several")],
    format: Annotated[str, typer.Option("--format", help="json, text, docx or pdf")] = "json",
    out: Annotated[Path | None, typer.Option("--out", help="write here instead of stdout")] = None,
    packet: Annotated[
        Path | None, typer.Option("--packet", help="also write the evidence packet (cover sheet and cited pages) here")
    ] = None,
) -> None:
    """Draft a cited appeal letter from the claim fields and the patient's record PDFs."""
    from service.casework.appeals import export_appeal
    from service.casework.local import LOCAL_TENANT, draft_files, read_files
    from service.casework.state import open_workspace

    if format not in FORMATS:
        raise InputError(f"unknown format '{format}' (choose from {', '.join(FORMATS)})")
    if format in ("docx", "pdf") and out is None:
        raise InputError(f"--format {format} writes a file: add --out letter.{format}")
    settings = Settings.from_env()
    fields = load_case(case)
    inputs = read_files(records, settings)
    ws = open_workspace(settings)
    drafted = draft_files(ws, fields, inputs)
    result = drafted.result
    if packet is not None:
        packet.write_bytes(export_appeal(ws, LOCAL_TENANT, drafted.appeal_id, "packet"))
    if format == "json":
        output: str | bytes = json.dumps(contract_json(result), indent=2, ensure_ascii=False) + "\n"
    else:
        output = result.letter if format == "text" else export_appeal(ws, LOCAL_TENANT, drafted.appeal_id, format)
        for warning in result.warnings:
            typer.echo(f"warning: {warning}", err=True)
        typer.echo(f"note: case id {drafted.case_id} (for overturn ask --case-id; 'latest' also works)", err=True)
    if out is None:
        assert isinstance(output, str)  # docx and pdf write a file: --out is required above
        sys.stdout.write(output)
    elif isinstance(output, bytes):
        out.write_bytes(output)
    else:
        out.write_text(output, encoding="utf-8")


def _show(entry: CodeEntry) -> str:
    lines = [f"{entry.code}: {entry.title}", f"kind: {entry.kind}" + (f" (group {entry.group})" if entry.group else "")]
    if entry.services:
        lines.append(f"services: {', '.join(entry.services)}")
    lines += ["", entry.explanation, ""]
    for title, items in (("Common causes", entry.common_causes), ("Prevention", entry.prevention)):
        if items:
            lines += [f"{title}:", *[f"  - {i}" for i in items], ""]
    lines += ["Evidence the record must show:"]
    lines += [f"  - {r.label} ({r.id}): {r.need}" for r in entry.evidence]
    lines += ["", "Appeal argument:", entry.appeal_argument, ""]
    if entry.attachments:
        lines += ["Attach:", *[f"  - {a}" for a in entry.attachments]]
    return "\n".join(lines)


@codes_app.callback()
def codes(ctx: typer.Context) -> None:
    """List the denial codes (default) or show one."""
    if ctx.invoked_subcommand is None:
        codes_list()


@codes_app.command("list")
def codes_list() -> None:
    """Every code with its title."""
    for entry in Components(Settings.from_env()).knowledge.all():
        typer.echo(f"{entry.code:<8} {entry.kind:<6} {entry.title}")


@codes_app.command("show")
def codes_show(code: str) -> None:
    """Everything we know about one code."""
    typer.echo(_show(Components(Settings.from_env()).knowledge.get(code)))


@knowledge_app.command("import")
def knowledge_import(
    files: Annotated[list[Path], typer.Argument(help="pages in the seed format")],
    out_dir: Annotated[Path | None, typer.Option("--out-dir", help="default: $OVERTURN_HOME/knowledge")] = None,
) -> None:
    """Import denial-code pages (Quick Explanation / Common Causes / ...) as knowledge files."""
    settings = Settings.from_env()
    target = out_dir or settings.imported_codes_dir
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise InputError(f"{path.name}: cannot be read as text") from None
        result = parse_seed_page(text, path.name)
        dest = target / f"{result.entry.code}.md"
        dest.write_text(render_code_file(result.entry), encoding="utf-8")
        typer.echo(f"imported {result.entry.code} -> {dest}")
        for note in result.notes:
            typer.echo(f"  note: {note}", err=True)


@knowledge_app.command("codelist")
def knowledge_codelist(
    file: Annotated[
        Path, typer.Argument(help="CSV with 'code' and 'description' columns (and optionally 'type': CARC or RARC)")
    ],
) -> None:
    """Load the official CARC/RARC wording from a list your practice licenses (X12 publishes it;
    Overturn ships only its own short descriptions). Shown beside ours in `codes show` and letters' code files."""
    from service.knowledge.adjustments import read_official_list

    settings = Settings.from_env()
    try:
        data = file.read_bytes()
    except OSError:
        raise InputError(f"{file.name}: cannot be read") from None
    rows = read_official_list(data)
    settings.home.mkdir(parents=True, exist_ok=True)
    settings.code_list_file.write_bytes(data)
    carcs = sum(1 for key in rows if key.startswith("CARC "))
    typer.echo(f"loaded {carcs} CARCs and {len(rows) - carcs} RARCs -> {settings.code_list_file}")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="e.g. 'What does CCM20 mean? How do we prevent it?'")],
    case_id: Annotated[
        str | None, typer.Option("--case-id", help="also answer from this drafted case's evidence")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print the answer, sources and warnings as JSON")] = False,
) -> None:
    """Answer a question about denial codes, citing the knowledge base (and a case's evidence)."""
    from service.casework.chat import ask as ask_question
    from service.casework.local import LOCAL_TENANT, resolve_case
    from service.casework.state import open_workspace

    if not question.strip():
        raise InputError("ask needs a question")
    ws = open_workspace(Settings.from_env())
    chat = ask_question(ws, LOCAL_TENANT, question, resolve_case(ws, case_id) if case_id else None)
    if json_out:
        typer.echo(json.dumps(chat.model_dump(mode="json", exclude={"id"}), indent=2, ensure_ascii=False))
        return
    typer.echo(chat.answer)
    typer.echo("\nSources:\n" + "\n".join(f"{c.marker} {c.label}" for c in chat.citations))
    for warning in chat.warnings:
        typer.echo(f"warning: {warning}", err=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="address to listen on (loopback by default)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="API processes; more than one needs OVERTURN_CHROMA_URL")
    ] = 1,
) -> None:
    """Run the HTTP API (/v1, OpenAPI docs at /docs) with uvicorn."""
    import uvicorn

    from service.casework.processes import prepare

    settings = Settings.from_env()
    prepare(settings, api_workers=workers)
    if workers == 1:
        from service.api.app import create_app

        uvicorn.run(create_app(settings), host=host, port=port, log_level="info", access_log=True)
    else:  # each worker process builds its own app from the same OVERTURN_* settings
        uvicorn.run(
            "service.api.app:create_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info",
            access_log=True,
        )


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, help="documents read at once")] = 1,
) -> None:
    """Read (OCR, index) uploaded documents and draft appeals queued by `serve` with
    OVERTURN_JOBS=queue, until stopped; reading and drafting have threads of their own."""
    from service.casework.processes import run_worker

    settings = Settings.from_env()
    typer.echo(
        f"overturn worker: reading queued documents with {concurrency} thread(s), "
        f"drafting with {settings.draft_concurrency} (OVERTURN_DRAFT_CONCURRENCY)",
        err=True,
    )
    run_worker(settings, concurrency)


def _sessions():
    from service.store.db import open_home_database

    return open_home_database(Settings.from_env())


@keys_app.command("create")
def keys_create(
    tenant: Annotated[str, typer.Option("--tenant", help="the practice or portal the key acts for")],
    label: Annotated[str, typer.Option("--label", help="a note to tell keys apart")] = "",
    role: Annotated[
        str, typer.Option("--role", help="what the key may do: biller (default), reviewer or admin")
    ] = "biller",
) -> None:
    """Make a key and print it once: only its hash is stored."""
    from service.store.keys import create_key

    new = create_key(_sessions(), tenant, label, role)  # type: ignore[arg-type]
    typer.echo(new.key)
    typer.echo(
        f"note: key id {new.id} for tenant {new.tenant}, role {new.role}; it is shown only now, store it safely",
        err=True,
    )


@keys_app.command("list")
def keys_list() -> None:
    """Key ids, tenants and dates; never the keys themselves."""
    from service.store.keys import list_keys

    for row in list_keys(_sessions()):
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
        used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
        typer.echo(
            f"{row.id}  {row.tenant:<20} {row.role:<9} {state:<18} created {row.created_at:%Y-%m-%d}  last used {used}  {row.label}"
        )


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="the key id from `keys list`")]) -> None:
    """Stop a key working at once."""
    from service.store.keys import revoke_key

    row = revoke_key(_sessions(), key_id)
    typer.echo(f"revoked {row.id} (tenant {row.tenant})")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the migrations this version needs (OVERTURN_DATABASE_URL, or SQLite in OVERTURN_HOME)."""
    from service.store.db import connect
    from service.store.schema import upgrade

    settings = Settings.from_env()
    settings.home.mkdir(parents=True, exist_ok=True)
    before, after = upgrade(connect(settings.db_url))
    typer.echo(
        f"database schema at revision {after}" + (f" (was {before})" if before != after else " (already current)")
    )


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("pypdf", "chromadb", "sentence_transformers", "transformers", "httpx"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    try:
        app()
    except OverturnError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
