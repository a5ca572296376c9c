"""The `overturn` command. Thin: parse arguments, call the pipeline, print; every error a user can
cause becomes one line on stderr and a non-zero exit, never a traceback."""

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from pydantic import ValidationError

from service.cli_tracking import cases_app, import_app
from service.components import Components
from service.config import Settings
from service.errors import CaseFieldError, InputError, OverturnError
from service.evaluation import SYSTEMS
from service.knowledge.importer import parse_seed_page, render_code_file
from service.models import CaseFields, CodeEntry, DraftResult

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Cited appeal letters for denied medical claims.")
codes_app = typer.Typer(help="Denial codes in the knowledge base.", invoke_without_command=True)
knowledge_app = typer.Typer(help="Manage knowledge files.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys for `overturn serve`.", no_args_is_help=True)
db_app = typer.Typer(help="The database of cases, documents, appeals and keys.", no_args_is_help=True)
app.add_typer(codes_app, name="codes")
app.add_typer(knowledge_app, name="knowledge")
app.add_typer(keys_app, name="keys")
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
app.add_typer(cases_app, name="cases")

FORMATS = ("json", "text", "docx", "pdf")


def load_case(path: Path) -> CaseFields:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CaseFieldError(f"{path.name}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CaseFieldError(f"{path.name}: not valid JSON ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict):
        raise CaseFieldError(f"{path.name}: must be a JSON object of claim fields")
    try:
        return CaseFields.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "case"
        raise CaseFieldError(f"{path.name}: field '{field}': {first['msg']}") from None


def contract_json(result: DraftResult) -> dict:
    """The draft result in the shape `overturn draft` promises (`DraftResult` without the case id:
    letter, method, citations, excluded pages, warnings, deadline); `attempts` is added only when
    a model was tried."""
    exclude = {"case_id"} | (set() if result.attempts else {"attempts"})
    return result.model_dump(mode="json", exclude=exclude)


@app.command()
def draft(
    case: Annotated[Path, typer.Option("--case", help="case.json with the claim fields")],
    records: Annotated[list[Path], typer.Option("--records", help="a record PDF; repeat for several")],
    format: Annotated[str, typer.Option("--format", help="json, text, docx or pdf")] = "json",
    out: Annotated[Optional[Path], typer.Option("--out", help="write here instead of stdout")] = None,
    packet: Annotated[Optional[Path], typer.Option("--packet", help="also write the evidence packet (cover sheet and cited pages) here")] = None,
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
    out_dir: Annotated[Optional[Path], typer.Option("--out-dir", help="default: $OVERTURN_HOME/knowledge")] = None,
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
    file: Annotated[Path, typer.Argument(help="CSV with 'code' and 'description' columns (and optionally 'type': CARC or RARC)")],
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
    case_id: Annotated[Optional[str], typer.Option("--case-id", help="also answer from this drafted case's evidence")] = None,
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


def _eval_components(home: str) -> Components:
    """Components on a throwaway home: the eval's vectors and caches go with it."""
    return Components(Settings.from_env().model_copy(update={"home": Path(home), "vector_cache": False}))


def _packet_length_eval(path: Path, subset, style, only, foreign, json_out: bool, progress) -> None:
    """`eval --packet-length`: the set's cases (and the foreign charts, if named), padded."""
    import itertools
    import tempfile

    from service.evaluation.evalset import load_specs
    from service.evaluation.foreign import load_foreign
    from service.evaluation.packet_length import foreign_cases, generator_cases, render_packet_length, run_packet_length

    styles = [s.strip() for value in style or [] for s in value.split(",") if s.strip()]
    specs = [s for s in load_specs(path, subset, styles or None) if not only or only in s.id]
    cases = generator_cases(specs, progress)
    if foreign is not None:
        cases = itertools.chain(cases, foreign_cases(c for c in load_foreign(foreign) if not only or only in c.id))
    with tempfile.TemporaryDirectory(prefix="overturn-eval-") as home:
        report = run_packet_length(cases, _eval_components(home), progress)
    typer.echo(json.dumps(report, indent=2) if json_out else render_packet_length(report))


@app.command("eval")
def eval_command(
    json_out: Annotated[bool, typer.Option("--json", help="print the figures as JSON instead of the table")] = False,
    subset: Annotated[Optional[str], typer.Option("--subset", help="a named subset of the set, e.g. ci")] = None,
    set_file: Annotated[Optional[Path], typer.Option("--set", help="the eval set (default eval/set.toml)")] = None,
    cases_dir: Annotated[Optional[Path], typer.Option("--cases", help="evaluate written case folders instead")] = None,
    systems: Annotated[str, typer.Option("--systems", help=f"comma-separated: {', '.join(SYSTEMS)}")] = ",".join(SYSTEMS),
    style: Annotated[Optional[list[str]], typer.Option("--style", help="only this chart style (repeat or comma-separate: prose, ehr, fax, notes)")] = None,
    only: Annotated[Optional[str], typer.Option("--only", help="only cases whose id contains this, e.g. CCM02 or /scans")] = None,
    write: Annotated[Optional[Path], typer.Option("--write", help="write the cases to this folder and stop")] = None,
    chat: Annotated[bool, typer.Option("--chat", help="run only the chat eval (eval/chat_questions.yaml) and print its table")] = False,
    autofill: Annotated[bool, typer.Option("--autofill", help="run only the denial-letter auto-fill eval (per layout and field)")] = False,
    letters: Annotated[int, typer.Option("--letters", help="with --autofill: text letters per layout")] = 40,
    scans: Annotated[int, typer.Option("--scans", help="with --autofill: scanned letters per layout (OCR: ~15 s each)")] = 5,
    remits: Annotated[bool, typer.Option("--remits", help="run only the imported-denials eval (835 -> case -> chart -> letter)")] = False,
    foreign: Annotated[Optional[Path], typer.Option("--foreign", help="run only the eval of charts written by others (folders with case.json, expect.json, PDFs); with --autofill: denial letters written by others (folders with letter.pdf, gold.json)")] = None,
    refax: Annotated[Optional[str], typer.Option("--refax", help="with --foreign: every page re-sent as a fax image first (fax, turned, bilevel, lowres)")] = None,
    packet_length: Annotated[bool, typer.Option("--packet-length", help="recall per requirement in 10-, 40- and 70-page packets of the same charts (the set's cases made at 10 pages; with --foreign, those charts too)")] = False,
) -> None:
    """Run the pipeline and the baselines on the eval set and print one table of figures, then the
    chat eval's table (answer precision and recall per kind of question)."""
    import tempfile

    from service.evaluation.chat_eval import render_chat_table, run_chat_eval
    from service.evaluation.evalset import EvalSetError, default_set, load_folders, load_specs, write_cases
    from service.evaluation.report import render_table
    from service.evaluation.runner import make_systems, run_eval

    def progress(line: str) -> None:
        typer.echo(line, err=True)

    if autofill:
        from service.evaluation.autofill import render_autofill_table, run_autofill_eval

        settings = Settings.from_env()
        knowledge = Components(settings).knowledge
        filled = run_autofill_eval(settings, knowledge, letters, scans, progress)
        if foreign is None:
            typer.echo(json.dumps(filled, indent=2) if json_out else render_autofill_table(filled))
            return
        from service.evaluation.foreign_letters import render_foreign_letters, run_foreign_letters

        theirs = run_foreign_letters(foreign, settings, knowledge, progress)
        if json_out:
            typer.echo(json.dumps({"ours": filled, "foreign": theirs}, indent=2))
        else:
            typer.echo("\n\n".join(t for t in (render_autofill_table(filled), render_foreign_letters(theirs, str(foreign))) if t))
        return
    if remits:
        from service.evaluation.remit_eval import render_remit_table, run_remit_eval

        with tempfile.TemporaryDirectory(prefix="overturn-eval-") as home:
            remit_report = run_remit_eval(_eval_components(home), progress)
        typer.echo(json.dumps(remit_report, indent=2) if json_out else render_remit_table(remit_report))
        return
    if packet_length:
        _packet_length_eval(set_file or default_set(), subset, style, only, foreign, json_out, progress)
        return
    if foreign is not None:
        from service.evaluation.foreign import load_foreign, render_foreign_table, run_foreign_eval

        from service.evaluation.refax import KINDS

        if refax and refax not in KINDS:
            raise typer.BadParameter(f"--refax must be one of {', '.join(KINDS)}")
        foreign_cases = load_foreign(foreign)
        if only:
            foreign_cases = [c for c in foreign_cases if only in c.id]
        with tempfile.TemporaryDirectory(prefix="overturn-eval-") as home:
            foreign_report = run_foreign_eval(foreign_cases, _eval_components(home), Path(home) / "foreign", progress, refax)
        source = f"{foreign}, re-sent as faxes ({refax})" if refax else str(foreign)
        typer.echo(json.dumps(foreign_report, indent=2) if json_out else render_foreign_table(foreign_report, source))
        return
    if chat:
        with tempfile.TemporaryDirectory(prefix="overturn-eval-") as home:
            chat_report = run_chat_eval(_eval_components(home), progress=progress)
        typer.echo(json.dumps(chat_report, indent=2) if json_out else render_chat_table(chat_report))
        return
    names = [n.strip() for n in systems.split(",") if n.strip()]
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown or not names:
        raise InputError(f"unknown system(s) {unknown} (choose from {', '.join(SYSTEMS)})")
    styles = [s.strip() for value in style or [] for s in value.split(",") if s.strip()]
    if cases_dir is not None:
        cases, source = load_folders(cases_dir), str(cases_dir)
        if styles:
            missing = [s for s in styles if s not in {c.style for c in cases}]
            if missing:
                raise EvalSetError(f"no case folder has style(s) {missing}")
            cases = [c for c in cases if c.style in styles]
    else:
        path = set_file or default_set()
        cases = load_specs(path, subset, styles or None)
        source = path.name + (f" (subset {subset})" if subset else "")
    if styles:
        source += f", style {', '.join(styles)}"
    if only:
        cases = [c for c in cases if only in c.id]
        source += f", cases matching '{only}'"
        if not cases:
            raise InputError(f"no case id contains '{only}'")
    if write is not None:
        for folder in write_cases(cases, write):
            typer.echo(str(folder))
        return
    with tempfile.TemporaryDirectory(prefix="overturn-eval-") as home:
        components = _eval_components(home)
        report = run_eval(cases, make_systems(names, components), components, progress)
        if not (subset or styles or only):  # the chat questions are a set of their own: a slice of the charts leaves them out
            report["chat"] = run_chat_eval(components, progress=progress)
    report["source"] = source
    table = render_table(report, source) + ("\n\n" + render_chat_table(report["chat"]) if "chat" in report else "")
    typer.echo(json.dumps(report, indent=2) if json_out else table)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="address to listen on (loopback by default)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="API processes; more than one needs OVERTURN_CHROMA_URL")] = 1,
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
        uvicorn.run("service.api.app:create_app", factory=True, workers=workers, host=host, port=port,
                    log_level="info", access_log=True)


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, help="documents read at once")] = 1,
) -> None:
    """Read (OCR, index) uploaded documents queued by `serve` with OVERTURN_JOBS=queue, until stopped."""
    from service.casework.processes import run_worker

    typer.echo(f"overturn worker: reading queued documents with {concurrency} thread(s)", err=True)
    run_worker(Settings.from_env(), concurrency)


def _sessions():
    from service.store.db import open_database

    settings = Settings.from_env()
    settings.home.mkdir(parents=True, exist_ok=True)
    return open_database(settings.db_url)


@keys_app.command("create")
def keys_create(
    tenant: Annotated[str, typer.Option("--tenant", help="the practice or portal the key acts for")],
    label: Annotated[str, typer.Option("--label", help="a note to tell keys apart")] = "",
) -> None:
    """Make a key and print it once: only its hash is stored."""
    from service.store.keys import create_key

    new = create_key(_sessions(), tenant, label)
    typer.echo(new.key)
    typer.echo(f"note: key id {new.id} for tenant {new.tenant}; it is shown only now, store it safely", err=True)


@keys_app.command("list")
def keys_list() -> None:
    """Key ids, tenants and dates; never the keys themselves."""
    from service.store.keys import list_keys

    for row in list_keys(_sessions()):
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
        used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
        typer.echo(f"{row.id}  {row.tenant:<20} {state:<18} created {row.created_at:%Y-%m-%d}  last used {used}  {row.label}")


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
    typer.echo(f"database schema at revision {after}" + (f" (was {before})" if before != after else " (already current)"))


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
