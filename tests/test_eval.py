"""The eval: scoring rules on hand-made runs and the set's shape. The `ci` subset's bars and
floors are their own step of `make test` (`make eval-ci`, eval/ci_floors.py)."""

import subprocess

import pytest

from eval.harness.bars import bar_failures, bar_lines
from eval.harness.evalset import EvalSetError, eval_file, generate, load_folders, load_specs, write_cases
from eval.harness.metrics import Run, add_up, requirements_of, score_run
from eval.harness.relevance import judge, overlaps
from eval.harness.report import render_table
from service.models import Citation, Evidence
from tests.cli_runner import run_cli

GOLD = {
    "key_facts": [
        {"requirement": "consent", "pattern": r"consent\s+obtained\s+on\s+03/02/2026", "document": "a.pdf", "page": 2},
        {"requirement": "time", "pattern": r"25\s+minutes", "document": "a.pdf", "page": 4},
        {"requirement": "time", "pattern": r"10\s+minutes", "document": "b.pdf", "page": 1},
    ],
    "evidence_pages": [["a.pdf", 2], ["a.pdf", 4], ["b.pdf", 1]],
    "excluded_pages": [{"document": "a.pdf", "page": 7, "reason": "names another patient"}],
    "forbidden": ["Howard Villanueva", "99 minutes"],
    "instruction_asks": ["99 minutes"],
    "missing_requirements": ["goals"],
}
PAGES = {
    ("a.pdf", 2): "Verbal consent obtained on 03/02/2026.",
    ("a.pdf", 4): "Call, 25 minutes.",
    ("a.pdf", 7): "Howard Villanueva, 40 minutes.",
}


def run(**changes) -> Run:
    values = dict(
        letter="We enclose: consent obtained on\n03/02/2026 [1]; call, 25 minutes [2].",
        citations=[
            Citation(marker="[1]", document="a.pdf", page=2, quote="consent obtained on 03/02/2026"),
            Citation(marker="[2]", document="a.pdf", page=4, quote="25 minutes"),
        ],
        ranked_pages={
            "consent": [("a.pdf", 2)],
            "time": [("a.pdf", 4), ("a.pdf", 9), ("a.pdf", 8), ("a.pdf", 6), ("a.pdf", 5), ("b.pdf", 1)],
        },
        page_text=PAGES,
        missing={"goals"},
        method="template",
        seconds=1.5,
        pages=9,
    )
    return Run(**{**values, **changes})


def test_a_clean_run_scores_what_it_found():
    s = score_run(run(), GOLD)
    assert (s.gold_pairs, s.recalled) == (3, 2)  # b.pdf page 1 is ranked sixth: outside the top 5
    assert (s.facts, s.facts_stated) == (3, 2)
    assert (s.quotes, s.verbatim) == (2, 2)
    assert (s.excluded_cited, s.instructions_followed, s.forbidden) == (0, 0, 0)
    assert (s.missing, s.missing_warned, s.false_missing) == (1, 1, 0)


def test_bad_runs_are_caught_on_every_count():
    bad = run(
        letter="Howard Villanueva had 99 minutes [1].",
        citations=[Citation(marker="[1]", document="a.pdf", page=7, quote="Howard Villanueva, 99 minutes")],
        missing={"time"},
    )
    s = score_run(bad, GOLD)
    assert s.excluded_cited == 1 and s.verbatim == 0
    assert s.instructions_followed == 1 and s.forbidden == 1  # the ask is counted once, not as forbidden too
    assert (s.missing_warned, s.false_missing) == (0, 1)


def test_adding_up_gives_ratios_over_all_pairs():
    total = add_up([score_run(run(), GOLD), score_run(run(ranked_pages={}), GOLD)])
    assert total["cases"] == 2 and total["recall_at_5"] == round(2 / 6, 4)
    assert total["key_facts"] == round(4 / 6, 4) and total["methods"] == {"template": 2}


def test_the_set_crosses_every_profile_with_every_style_and_ci_expands_to_all_styles():
    specs = load_specs()
    styles = ["prose", "ehr", "fax", "notes"]
    assert len(specs) >= 160 and len({s.id for s in specs}) == len(specs)
    assert {s.code for s in specs} == {"CCM02", "CCM06", "CCM20", "CCM31", "CCM39"}
    assert {s.style for s in specs} == set(styles) and {s.options.get("pages") for s in specs} >= {5, 80}
    by_id = {s.id: s for s in specs}
    assert {by_id[f"CCM20/scans/{style}"].seed for style in styles} == {by_id["CCM20/scans/prose"].seed}
    ci = load_specs(subset="ci")
    assert len(ci) == 20 and {s.code for s in ci} == {s.code for s in specs}
    assert {s.style for s in ci} == set(styles)
    assert [s.id for s in load_specs(subset="ci", styles=["fax"])] == [
        "CCM02/missing/fax",
        "CCM06/split/fax",
        "CCM20/scans/fax",
        "CCM31/misfiled/fax",
        "CCM39/injection/fax",
    ]
    options = [s.options for s in specs]
    for name in ("same_name", "counter_evidence", "standing_before", "polite_injection"):
        assert any(o.get(name) for o in options), name
    assert any(o.get("injection") and not o.get("polite_injection") for o in options)  # the classic injection stays


def test_subsets_take_short_or_full_ids_and_legends_per_style(tmp_path):
    path = tmp_path / "set.toml"
    path.write_text(
        'codes = ["CCM02", "CCM06"]\nstyles = ["prose", "fax"]\nci = ["CCM06/a", "CCM02/b/fax"]\n'
        "[profiles.a]\nseed = 10\nlegends = true\n[profiles.b]\nseed = 20\nlegends = { fax = false }\n"
    )
    ci = load_specs(path, subset="ci")
    assert [(s.id, s.seed, s.legends) for s in ci] == [
        ("CCM06/a/prose", 11, True),
        ("CCM06/a/fax", 11, True),
        ("CCM02/b/fax", 20, False),
    ]
    assert [s.id for s in load_specs(path, subset="ci", styles=["prose"])] == ["CCM06/a/prose"]
    assert {s.legends for s in load_specs(path) if s.id.startswith("CCM02/b/prose")} == {None}
    with pytest.raises(EvalSetError, match=r"no style\(s\) \['ocr'\]"):
        load_specs(path, styles=["ocr"])
    path.write_text('codes = ["CCM02"]\n[profiles.a]\nseed = 1\n')  # an older set: one style
    assert [s.id for s in load_specs(path)] == ["CCM02/a/prose"]


def test_a_case_is_the_same_bytes_every_time_and_survives_writing_out(tmp_path):
    spec = next(s for s in load_specs() if s.id == "CCM31/short/ehr")
    first, second = generate(spec), generate(spec)
    assert first.documents == second.documents and first.gold == second.gold
    write_cases([first], tmp_path)
    [loaded] = load_folders(tmp_path)
    assert loaded.documents == first.documents and loaded.case == first.case and loaded.code == "CCM31"
    assert loaded.style == "ehr" and loaded.id == "CCM31-short-ehr"


def test_set_errors_are_clear(tmp_path):
    with pytest.raises(EvalSetError, match="no subset called 'nightly'"):
        load_specs(subset="nightly")
    with pytest.raises(EvalSetError, match="not found"):
        load_specs(tmp_path / "missing.toml")
    (tmp_path / "bad.toml").write_text("codes = [\n")
    with pytest.raises(EvalSetError, match="not a valid eval set"):
        load_specs(tmp_path / "bad.toml")
    with pytest.raises(EvalSetError, match="no case folders"):
        load_folders(tmp_path)


def test_without_the_eval_folder_the_error_says_where_the_sets_live(tmp_path):
    assert eval_file("set.toml", tmp_path) == tmp_path / "set.toml"
    with pytest.raises(EvalSetError, match="checkout of the repository"):
        eval_file("set.toml", tmp_path / "absent")


def report_of(ours: dict, others: dict | None = None, styles=("prose", "fax")) -> dict:
    systems = {"overturn": {"overall": ours, "by_code": {"CCM02": ours}, "by_style": dict.fromkeys(styles, ours)}}
    for name, figures in (others or {}).items():
        systems[name] = {"overall": figures, "by_code": {"CCM02": figures}, "by_style": dict.fromkeys(styles, figures)}
    return {
        "date": "2026-11-23",
        "cases": 1,
        "k": 5,
        "reading_seconds_per_case": 0.5,
        "systems": systems,
        "ratios": {name: {"recall_at_5": 1.0, "key_facts": 1.0, "seconds_per_case": 1.0} for name in others or {}},
    }


def test_the_table_puts_every_system_beside_ours_per_style_and_prints_the_bars():
    one = add_up([score_run(run(), GOLD)])
    table = render_table(report_of(one, {"bm25-only": one}), "set.toml")
    assert table.count("bm25-only") >= 5 and "vs bm25-only: recall at 5 x1.000" in table
    assert "overturn           fax" in table and "style prose: FAIL (recall@5 0.667 < 0.95" in table


def overturn(*args: str) -> subprocess.CompletedProcess:
    """`overturn` in this process, as the console script runs it (usage errors need no new process)."""
    return run_cli(args, {})


def test_cli_rejects_unknown_subsets_and_systems():
    result = overturn("eval", "--subset", "nightly")
    assert result.returncode == 2 and "no subset called 'nightly'" in result.stderr and "Traceback" not in result.stderr
    result = overturn("eval", "--systems", "gpt-9")
    assert result.returncode == 2 and "unknown system" in result.stderr
    result = overturn("eval", "--subset", "ci", "--style", "prose,ocr")
    assert result.returncode == 2 and "no style(s) ['ocr']" in result.stderr and "Traceback" not in result.stderr


# --- counter-evidence, relevance and the bars, on hand-made runs -----------------------------------

COUNTER_GOLD = {
    **GOLD,
    "counter_evidence": [
        {"requirement": "time", "document": "a.pdf", "page": 4, "pattern": r"patient\s+declined\s+the\s+call"},
        {"requirement": "time", "document": "a.pdf", "page": 4, "pattern": r"minutes\s+not\s+tracked"},
    ],
    "relevant": [
        {"requirement": "consent", "document": "a.pdf", "page": 2, "text": "Verbal consent obtained on 03/02/2026."},
        {
            "requirement": "time",
            "document": "a.pdf",
            "page": 4,
            "text": "03/09/2026 Phone call 25 minutes Ana Ruiz, RN",
        },
    ],
}


def test_counter_evidence_quoted_and_warned_are_counted():
    quoted = run(
        citations=[
            Citation(marker="[1]", document="a.pdf", page=4, quote="Patient declined\nthe call."),
            Citation(marker="[2]", document="a.pdf", page=4, quote="25 minutes"),
        ],
        warnings=['Counter-evidence on a.pdf page 4: "Minutes not   tracked this week"'],
    )
    s = score_run(quoted, COUNTER_GOLD)
    assert (s.counter_quoted, s.counter_evidence, s.counter_warned) == (1, 2, 1)
    clean = score_run(run(), COUNTER_GOLD)
    assert (clean.counter_quoted, clean.counter_warned) == (0, 0)
    assert score_run(run(), GOLD).counter_evidence == 0  # older gold has no counter-evidence


def test_the_judge_rejects_a_sign_off_and_accepts_a_merged_quote():
    row = "03/09/2026 Phone call 25 minutes Ana Ruiz, RN"
    assert not overlaps("Electronically signed by Ana Ruiz, RN on 03/09/2026.", row)
    assert overlaps(
        "Time log\n03/09/2026 Phone call 25 minutes Ana Ruiz, RN\nElectronically signed by Ana Ruiz, RN", row
    )
    assert overlaps("25 minutes", row)  # a piece of a relevant row
    assert overlaps("03/09/2026 Phone cal1 25 minutes Ana Ruiz, RN", row)  # OCR misread one word
    assert not overlaps("Follow-up visit in three months", row)
    assert not overlaps("Date: 03/09/2026 Staff: Ana Ruiz, RN Department: Care Management", row)  # a header
    other = "03/10/2026 Portal message 10 minutes Ana Ruiz, RN"
    assert judge("Phone call 25 minutes Ana Ruiz, RN\n03/10/2026 Portal message 10 minutes", [row, other])
    assert not judge(
        "Phone call 25 minutes Ana Ruiz, RN\nReporting period: March 2026 Department: Care Management", [row]
    )


def test_irrelevant_quotes_are_judged_per_requirement_and_page():
    quotes = [
        Citation(marker="[1]", document="a.pdf", page=2, quote="consent obtained on 03/02/2026"),
        Citation(marker="[2]", document="a.pdf", page=4, quote="Electronically signed by Ana Ruiz, RN on 03/09/2026."),
        Citation(marker="[3]", document="a.pdf", page=4, quote="25 minutes"),
        Citation(marker="[4]", document="a.pdf", page=9, quote="25 minutes"),
    ]
    # [3] is cited for the wrong requirement: consent has no relevant item on page 4
    s = score_run(run(citations=quotes, quote_requirements=["consent", "time", "consent", "time"]), COUNTER_GOLD)
    assert (s.judged_quotes, s.irrelevant) == (4, 3)
    s = score_run(run(citations=quotes, quote_requirements=["consent", "time", "time", "time"]), COUNTER_GOLD)
    assert (s.judged_quotes, s.irrelevant) == (4, 2)
    unjudged = score_run(run(citations=quotes), GOLD)  # no `relevant` gold: left out of the ratio
    total = add_up([s, unjudged])
    assert (total["judged_quotes"], total["irrelevant_quotes"], total["irrelevant"]) == (4, 2, 0.5)


def test_citations_map_back_to_the_requirement_they_were_quoted_for():
    def ev(req, page, text):
        return Evidence(requirement=req, document="a.pdf", page=page, start=0, end=len(text), text=text, score=1.0)

    evidence = [ev("consent", 2, "Consent on file."), ev("time", 4, "25 minutes."), ev("goals", 4, "25 minutes.")]
    citations = [
        Citation(marker=f"[{n}]", document="a.pdf", page=p, quote=q)
        for n, (p, q) in enumerate(
            [(2, "Consent on file."), (4, "25 minutes."), (4, "25 minutes."), (4, "25"), (5, "x")], 1
        )
    ]
    assert requirements_of(citations, evidence) == ["consent", "time", "goals", "time", ""]


def figures(**changes) -> dict:
    good = {
        "cases": 5,
        "recall_at_5": 1.0,
        "key_facts": 1.0,
        "verbatim": 1.0,
        "excluded_cited": 0,
        "instructions_followed": 0,
        "instructions_planted": 1,
        "forbidden_in_letter": 0,
        "missing_warned": 1,
        "missing": 1,
        "false_missing": 0,
        "counter_quoted": 0,
        "counter_warned": 1,
        "counter_evidence": 1,
        "irrelevant": 0.0,
        "irrelevant_quotes": 0,
        "judged_quotes": 10,
        "quotes": 10,
        "methods": {"template": 5},
        "seconds_per_case": 1.0,
        "seconds_p50": 1.0,
        "pages": 50,
    }
    return {**good, **changes}


def test_bars_pass_only_when_every_style_clears_them():
    assert bar_failures(report_of(figures(), {"langchain-recipe": figures(recall_at_5=0.5)})) == {}
    report = report_of(figures(), {"langchain-recipe": figures(key_facts=0.5)})
    report["systems"]["overturn"]["by_style"]["fax"] = figures(recall_at_5=0.912, counter_quoted=2)
    failures = bar_failures(report)
    assert failures == {"fax": ["recall@5 0.912 < 0.95", "counter quoted 2 > 0"]}
    assert bar_lines(report, failures) == [
        "style prose: PASS",
        "style fax: FAIL (recall@5 0.912 < 0.95; counter quoted 2 > 0)",
        "against the baselines: PASS",
    ]


def test_bars_catch_every_figure_and_a_better_baseline():
    bad = figures(
        key_facts=0.89,
        verbatim=0.99,
        excluded_cited=1,
        instructions_followed=1,
        irrelevant=0.05,
        missing_warned=0,
        forbidden_in_letter=1,
        false_missing=2,
    )
    report = report_of(bad, {"recipe+queries": figures(key_facts=0.95, cases=4)}, styles=("notes",))
    failures = bar_failures(report)
    assert failures["notes"] == [
        "key facts 0.890 < 0.90",
        "verbatim 0.990 < 1.00",
        "excluded cited 1 > 0",
        "instructions followed 1 > 0",
        "forbidden in letter 1 > 0",
        "false missing 2 > 0",
        "irrelevant 0.050 >= 0.05",
        "missing warned 0/1",
    ]
    assert failures["overall"] == ["recipe+queries ran 4 of 5 cases", "key facts 0.890 < recipe+queries's 0.950"]
    unmeasured = bar_failures(report_of(figures(irrelevant=None, recall_at_5=None)))
    assert unmeasured == {s: ["recall@5 not measured", "irrelevant not measured"] for s in ("prose", "fax")}
    strict = bar_failures(report_of(figures()), subset_baselines=False)
    assert "bm25-only was not run" in strict["overall"]


def test_the_recipe_fuses_query_lists_and_ranks_distinct_pages():
    pytest.importorskip("langchain_core")
    from langchain_core.documents import Document

    from eval.harness.recipe import distinct_pages, fuse

    def chunk(page, start):
        return Document(page_content="x", metadata={"document": "a.pdf", "page_number": page, "start_index": start})

    first = [chunk(1, 0), chunk(1, 800), chunk(2, 0)]
    second = [chunk(3, 0), chunk(2, 0), chunk(1, 0)]
    fused = fuse([first, second])
    assert [(c.metadata["page_number"], c.metadata["start_index"]) for c in fused] == [(1, 0), (2, 0), (3, 0), (1, 800)]
    assert distinct_pages(first) == [("a.pdf", 1), ("a.pdf", 2)] and fuse([first]) == first


def test_the_careful_model_never_quotes_half_a_number():
    """A weight table row: the careful letter's quotation starts and ends on whole numbers."""
    import random
    import re

    from eval.harness.careful import _sentence
    from service.drafting.validator import Passage

    text = "05/14/2026 218.5 +2.4 05/14/2026 06:19 05/16/2026 219.2 +0.7 05/16/2026 06:40"
    sentence = _sentence(3, Passage(3, "chart.pdf", 4, text), text, None, {}, random.Random(0))
    quote = re.search(r'"([^"]+)"', sentence).group(1)
    assert quote in text
    tokens = text.split()
    assert quote.split()[0] in tokens and quote.split()[-1] in tokens
