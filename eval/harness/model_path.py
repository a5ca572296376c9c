"""The model path measured: a careful and a careless scripted model drafting each eval case.

Both run through `write_appeal` with a LangChain fake chat model, so what is measured is what
ships: the careful model's letter must come back as `method: "llm"` (a rejection is a false
rejection), and no careless letter (one planted defect, sent for the draft and again for the
repair) may ship with its defect: the template letter ships instead, or the model's letter
without the planted sentence (cite or abstain). `named` counts the catches whose failure names
include the defect's own; `shipped` counts letters that went out with the defect in them.
"""

import random

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

from eval.harness.careful import careful_letter
from eval.harness.defects import DEFECTS, DefectContext
from service.drafting.llm import number_passages
from service.drafting.statements import split_statements
from service.drafting.template import ordered_evidence
from service.llm.chat import ChatModel
from service.models import CaseFields
from service.pipeline import CaseAnalysis, write_appeal


def scripted(*replies: str) -> ChatModel:
    return ChatModel("scripted", "eval", GenericFakeChatModel(messages=iter(replies)))


def run_model_path(
    fields: CaseFields, analysis: CaseAnalysis, key_facts: list[dict], others: dict, embed, seed: int
) -> dict:
    """{"careful": {"letters", "rejected", "failures"}, "defects": {class: {"planted", "caught", "named", "shipped"}}}"""
    rng = random.Random(seed)
    passages = number_passages(ordered_evidence(analysis.entry, analysis.selection.evidence))
    out: dict = {"careful": {"letters": 0, "rejected": 0, "failures": []}, "defects": {}}
    if not passages:
        return out
    letter_date = fields.letter_date or fields.date_of_service
    body = careful_letter(fields, analysis.entry, passages, key_facts, letter_date, rng)
    result = write_appeal(fields, analysis, [scripted(body, body)], embed)
    rejected = result.method != "llm"
    out["careful"] = {
        "letters": 1,
        "rejected": int(rejected),
        "failures": sorted({f for a in result.attempts for f in a.failures}),
    }
    if rejected:
        return out  # a defect planted in a letter that fails anyway proves nothing
    context = defect_context(fields, analysis, passages, others)
    for defect in DEFECTS:
        planted = defect(body, context, rng)
        if planted is None or planted[0] == body:
            continue
        bad, names = planted
        result = write_appeal(fields, analysis, [scripted(bad, bad)], embed)
        failures = set(result.attempts[0].failures) if result.attempts else set()
        shipped = result.method == "llm" and defect_shipped(body, bad, result.letter)
        out["defects"][defect.__name__] = {
            "planted": 1,
            "caught": int(not shipped),
            "named": int(bool(failures & names)),
            "shipped": int(shipped),
        }
    return out


def defect_shipped(good: str, bad: str, shipped: str) -> bool:
    """Did the planted defect go out? A statement the defect wrote (added or altered) is in the
    shipped letter; for a defect that only removes something, any model letter that shipped."""
    before = {st.text for st in split_statements(good)}
    planted = [st.text for st in split_statements(bad) if st.text not in before]
    sent = {st.text for st in split_statements(shipped)}
    return any(text in sent for text in planted) if planted else True


def defect_context(fields: CaseFields, analysis: CaseAnalysis, passages: dict, others: dict) -> DefectContext:
    cited = {(p.document, p.page) for p in passages.values()}
    uncited = [
        line
        for (document, page), text in analysis.page_text.items()
        if (document, page) not in cited
        for line in text.splitlines()
        if len(line.split()) >= 5
    ]
    return DefectContext(
        case=fields,
        entry=analysis.entry,
        passages=passages,
        uncited=uncited,
        instructions=analysis.instructions,
        other_names=[n for n in others.get("names", []) if n != fields.patient_name],
        other_payers=others.get("payers", []),
        other_codes=others.get("codes", []),
    )


def add_up_model_path(results: list[dict]) -> dict:
    careful = {
        "letters": sum(r["careful"]["letters"] for r in results),
        "rejected": sum(r["careful"]["rejected"] for r in results),
    }
    careful["false_rejection"] = round(careful["rejected"] / careful["letters"], 3) if careful["letters"] else None
    reasons: dict[str, int] = {}
    for r in results:
        for name in r["careful"]["failures"]:
            reasons[name] = reasons.get(name, 0) + 1
    careful["reasons"] = dict(sorted(reasons.items()))
    defects: dict[str, dict] = {}
    for r in results:
        for name, d in r["defects"].items():
            into = defects.setdefault(name, {"planted": 0, "caught": 0, "named": 0, "shipped": 0})
            for key in into:
                into[key] += d[key]
    for d in defects.values():
        d["catch_rate"] = round(d["caught"] / d["planted"], 3) if d["planted"] else None
    return {"careful": careful, "defects": defects}
