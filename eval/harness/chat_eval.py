"""The chat eval (`overturn eval --chat`): how well the answer given without a model answers.

Each question in `eval/chat_questions.yaml` has gold sentences: knowledge sentences for questions
about a code, key facts of a generated case for questions about a chart. A case question is
asked the way `overturn ask --case-id` asks it: the case is drafted along the product's road
(`road.py`) and its selected evidence (and the sentences that give instructions) go to `answer_question`.

- answer precision: share of answer sentences that match a gold sentence;
- answer recall: share of gold sentences that some answer sentence matches;
a sentence matches a gold string when either contains the other, ignoring case and whitespace.
Both are summed over the sentences of every question of a kind (micro averages), then overall.
`from record` counts answer sentences quoting the case: on knowledge questions asked with a case
it shows evidence given where none was asked for.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from eval.harness.evalset import EvalSetError, default_set, eval_file, load_specs, materialise
from service.casework.state import Workspace
from service.chat.answer import answer_question
from service.components import Components
from service.drafting.validator import MARKER
from service.models import CaseFields, Evidence

KINDS = ("meaning", "causes", "prevention", "attachments", "evidence", "case")
QUOTE = re.compile(r'^From the record: "(.*)"$')


@dataclass(frozen=True)
class ChatQuestion:
    id: str
    kind: str
    question: str
    gold: tuple[str, ...]
    case: str | None = None


@dataclass
class CaseContext:
    code: str
    evidence: list[Evidence]
    instructions: list[str]
    key_facts: list[str]
    """The case's gold fact patterns: every gold string of a question about it must be one."""


def load_questions(path: Path | None = None) -> list[ChatQuestion]:
    """The questions at `path`, by default the checkout's eval/chat_questions.yaml."""
    path = eval_file("chat_questions.yaml") if path is None else path
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        questions = [
            ChatQuestion(
                str(q["id"]), str(q["kind"]), str(q["question"]), tuple(str(g) for g in q["gold"]), q.get("case")
            )
            for q in raw["questions"]
        ]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise EvalSetError(f"{path.name}: not a valid question file ({exc.__class__.__name__})") from None
    for q in questions:
        if q.kind not in KINDS or not q.gold:
            raise EvalSetError(f"{path.name}: question {q.id} needs a kind of {', '.join(KINDS)} and gold sentences")
    return questions


def norm(text: str) -> str:
    return " ".join(text.lower().split())


def answer_sentences(text: str) -> list[str]:
    """The answer's lines without their markers, record quotes without their quotation marks."""
    out = []
    for line in text.splitlines():
        line = MARKER.sub(" ", line).strip()
        if line:
            quoted = QUOTE.match(line)
            out.append(quoted.group(1) if quoted else line)
    return out


def matches(sentence: str, gold: str) -> bool:
    s, g = norm(sentence), norm(gold)
    return bool(s and g) and (g in s or s in g)


def score_answer(sentences: list[str], gold: tuple[str, ...] | list[str]) -> dict:
    """Counts for one answer: sentences that match some gold, gold that some sentence matches."""
    return {
        "sentences": len(sentences),
        "matched": sum(any(matches(s, g) for g in gold) for s in sentences),
        "gold": len(gold),
        "covered": sum(any(matches(s, g) for s in sentences) for g in gold),
    }


def add_up(rows: list[dict]) -> dict:
    total = {key: sum(r[key] for r in rows) for key in ("sentences", "matched", "gold", "covered", "from_record")}
    total["questions"] = len(rows)
    total["precision"] = round(total["matched"] / total["sentences"], 3) if total["sentences"] else None
    total["recall"] = round(total["covered"] / total["gold"], 3) if total["gold"] else None
    return total


def case_context(case_id: str, ws: Workspace) -> CaseContext:
    """The case generated from its eval-set spec and drafted along the product's road: its chosen
    evidence and instructions are what `overturn ask --case-id` hands to `answer_question`."""
    path = default_set()
    specs = {s.id: s for s in load_specs(path)}
    if case_id not in specs:
        raise EvalSetError(f"chat question names case '{case_id}', which is not in {path.name}")
    from service.casework.local import draft_files

    case = materialise(specs[case_id])
    analysis = draft_files(ws, CaseFields.model_validate(case.case), case.documents).analysis
    assert analysis is not None  # a draft that failed raised its error
    patterns = [k["pattern"] for k in case.gold["key_facts"]]
    return CaseContext(case.code, analysis.selection.evidence, analysis.instructions, patterns)


def run_chat_eval(
    components: Components,
    questions: list[ChatQuestion] | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> dict:
    """{"questions", "kinds": {kind: TOTALS}, "overall": TOTALS, "per_question": [...]}; TOTALS
    as `add_up`. Each case is analysed once however many questions name it."""
    questions = load_questions() if questions is None else questions
    cases: dict[str, CaseContext] = {}
    ws: Workspace | None = None
    rows = []
    for n, q in enumerate(questions, 1):
        asked, evidence, instructions = q.question, None, None
        if q.case:
            if q.case not in cases:
                if ws is None:
                    from eval.harness.road import eval_workspace

                    ws = eval_workspace(components, "chat")
                cases[q.case] = case_context(q.case, ws)
            context = cases[q.case]
            if q.kind == "case":
                unknown = [g for g in q.gold if not any(re.fullmatch(p, g, re.I) for p in context.key_facts)]
                if unknown:
                    raise EvalSetError(
                        f"chat question {q.id}: {len(unknown)} gold string(s) are not key facts of its case"
                    )
            asked, evidence, instructions = f"{q.question} {context.code}", context.evidence, context.instructions
        answer = answer_question(
            asked, components.knowledge, evidence, instructions=instructions, embed=components.embedder.embed
        )
        sentences = answer_sentences(answer.text)
        row = {
            "id": q.id,
            "kind": q.kind,
            **score_answer(sentences, q.gold),
            "from_record": sum(
                QUOTE.match(MARKER.sub(" ", line).strip()) is not None for line in answer.text.splitlines()
            ),
        }
        rows.append(row)
        progress(
            f"[{n}/{len(questions)}] {q.id}: {row['matched']}/{row['sentences']} sentences match, {row['covered']}/{row['gold']} gold covered"
        )
    kinds = {
        kind: add_up([r for r in rows if r["kind"] == kind]) for kind in KINDS if any(r["kind"] == kind for r in rows)
    }
    return {"questions": len(rows), "kinds": kinds, "overall": add_up(rows), "per_question": rows}


def render_chat_table(report: dict) -> str:
    def num(value) -> str:
        return "-" if value is None else f"{value:.3f}"

    header = f"{'kind':<12}{'questions':>10}{'sentences':>11}{'precision':>11}{'recall':>9}{'from record':>13}"
    lines = [
        f"Chat eval: {report['questions']} questions, answers without a model (answer precision and recall against gold sentences).",
        "",
        header,
    ]
    for kind, t in [*report["kinds"].items(), ("all", report["overall"])]:
        lines.append(
            f"{kind:<12}{t['questions']:>10}{t['sentences']:>11}{num(t['precision']):>11}{num(t['recall']):>9}{t['from_record']:>13}"
        )
    lines += [
        "",
        "precision: answer sentences matching a gold sentence / answer sentences; recall: gold sentences matched / gold sentences.",
        "from record: answer sentences quoting the case's evidence.",
    ]
    return "\n".join(lines)
