"""`overturn eval`: the eval sets, the foreign charts and letters, the auto-fill, imported-denials,
chat and packet-length evals, each printing a table (or JSON). Registered on the CLI by `cli.py`;
the evals' modules are imported only when the command runs."""

import json
from pathlib import Path
from typing import Annotated

import typer

from eval.harness import SYSTEMS
from service.components import Components
from service.config import Settings
from service.errors import InputError


def _eval_components(home: str) -> Components:
    """Components on a throwaway home: the eval's vectors and caches go with it."""
    return Components(Settings.from_env().model_copy(update={"home": Path(home), "vector_cache": False}))


def _packet_length_eval(path: Path, subset, style, only, foreign, json_out: bool, progress) -> None:
    """`eval --packet-length`: the set's cases (and the foreign charts, if named), padded."""
    import itertools
    import tempfile

    from eval.harness.evalset import load_specs
    from eval.harness.foreign import load_foreign
    from eval.harness.packet_length import foreign_cases, generator_cases, render_packet_length, run_packet_length

    styles = [s.strip() for value in style or [] for s in value.split(",") if s.strip()]
    specs = [s for s in load_specs(path, subset, styles or None) if not only or only in s.id]
    cases = generator_cases(specs, progress)
    if foreign is not None:
        cases = itertools.chain(cases, foreign_cases(c for c in load_foreign(foreign) if not only or only in c.id))
    with tempfile.TemporaryDirectory(prefix="overturn-eval-") as home:
        report = run_packet_length(cases, _eval_components(home), progress)
    typer.echo(json.dumps(report, indent=2) if json_out else render_packet_length(report))


def eval_command(
    json_out: Annotated[bool, typer.Option("--json", help="print the figures as JSON instead of the table")] = False,
    subset: Annotated[str | None, typer.Option("--subset", help="a named subset of the set, e.g. ci")] = None,
    set_file: Annotated[Path | None, typer.Option("--set", help="the eval set (default eval/set.toml)")] = None,
    cases_dir: Annotated[Path | None, typer.Option("--cases", help="evaluate written case folders instead")] = None,
    systems: Annotated[str, typer.Option("--systems", help=f"comma-separated: {', '.join(SYSTEMS)}")] = ",".join(
        SYSTEMS
    ),
    style: Annotated[
        list[str] | None,
        typer.Option("--style", help="only this chart style (repeat or comma-separate: prose, ehr, fax, notes)"),
    ] = None,
    only: Annotated[
        str | None, typer.Option("--only", help="only cases whose id contains this, e.g. CCM02 or /scans")
    ] = None,
    write: Annotated[Path | None, typer.Option("--write", help="write the cases to this folder and stop")] = None,
    chat: Annotated[
        bool, typer.Option("--chat", help="run only the chat eval (eval/chat_questions.yaml) and print its table")
    ] = False,
    autofill: Annotated[
        bool, typer.Option("--autofill", help="run only the denial-letter auto-fill eval (per layout and field)")
    ] = False,
    letters: Annotated[int, typer.Option("--letters", help="with --autofill: text letters per layout")] = 40,
    scans: Annotated[
        int, typer.Option("--scans", help="with --autofill: scanned letters per layout (OCR: ~15 s each)")
    ] = 5,
    remits: Annotated[
        bool, typer.Option("--remits", help="run only the imported-denials eval (835 -> case -> chart -> letter)")
    ] = False,
    foreign: Annotated[
        Path | None,
        typer.Option(
            "--foreign",
            help="run only the eval of charts written by others (folders with case.json, expect.json, PDFs); with --autofill: denial letters written by others (folders with letter.pdf, gold.json)",
        ),
    ] = None,
    refax: Annotated[
        str | None,
        typer.Option(
            "--refax", help="with --foreign: every page re-sent as a fax image first (fax, turned, bilevel, lowres)"
        ),
    ] = None,
    checks: Annotated[
        bool,
        typer.Option(
            "--checks",
            help="run only the before-you-bill eval: month-charts with known verdicts (eval/checks; the foreign charts when ../shared is present)",
        ),
    ] = False,
    packet_length: Annotated[
        bool,
        typer.Option(
            "--packet-length",
            help="recall per requirement in 10-, 40- and 70-page packets of the same charts (the set's cases made at 10 pages; with --foreign, those charts too)",
        ),
    ] = False,
) -> None:
    """Run the pipeline and the baselines on the eval set and print one table of figures, then the
    chat eval's table (answer precision and recall per kind of question)."""
    import tempfile

    from eval.harness.chat_eval import render_chat_table, run_chat_eval
    from eval.harness.evalset import EvalSetError, default_set, load_folders, load_specs, write_cases
    from eval.harness.report import render_table
    from eval.harness.runner import make_systems, run_eval

    def progress(line: str) -> None:
        typer.echo(line, err=True)

    if checks:
        from eval.checks.run import render, run_checks

        check_report = run_checks(progress, only)
        typer.echo(json.dumps(check_report, indent=2) if json_out else render(check_report))
        return
    if autofill:
        from eval.harness.autofill import render_autofill_table, run_autofill_eval

        settings = Settings.from_env()
        knowledge = Components(settings).knowledge
        filled = run_autofill_eval(settings, knowledge, letters, scans, progress)
        if foreign is None:
            typer.echo(json.dumps(filled, indent=2) if json_out else render_autofill_table(filled))
            return
        from eval.harness.foreign_letters import render_foreign_letters, run_foreign_letters

        theirs = run_foreign_letters(foreign, settings, knowledge, progress)
        if json_out:
            typer.echo(json.dumps({"ours": filled, "foreign": theirs}, indent=2))
        else:
            typer.echo(
                "\n\n".join(
                    t for t in (render_autofill_table(filled), render_foreign_letters(theirs, str(foreign))) if t
                )
            )
        return
    if remits:
        from eval.harness.remit_eval import render_remit_table, run_remit_eval

        with tempfile.TemporaryDirectory(prefix="overturn-eval-") as home:
            remit_report = run_remit_eval(_eval_components(home), progress)
        typer.echo(json.dumps(remit_report, indent=2) if json_out else render_remit_table(remit_report))
        return
    if packet_length:
        _packet_length_eval(set_file or default_set(), subset, style, only, foreign, json_out, progress)
        return
    if foreign is not None:
        from eval.harness.foreign import load_foreign, render_foreign_table, run_foreign_eval
        from eval.harness.refax import KINDS

        if refax and refax not in KINDS:
            raise typer.BadParameter(f"--refax must be one of {', '.join(KINDS)}")
        foreign_cases = load_foreign(foreign)
        if only:
            foreign_cases = [c for c in foreign_cases if only in c.id]
        with tempfile.TemporaryDirectory(prefix="overturn-eval-") as home:
            foreign_report = run_foreign_eval(
                foreign_cases, _eval_components(home), Path(home) / "foreign", progress, refax
            )
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
        if not (
            subset or styles or only
        ):  # the chat questions are a set of their own: a slice of the charts leaves them out
            report["chat"] = run_chat_eval(components, progress=progress)
    report["source"] = source
    table = render_table(report, source) + ("\n\n" + render_chat_table(report["chat"]) if "chat" in report else "")
    typer.echo(json.dumps(report, indent=2) if json_out else table)
