"""The layout reading and a language model's reading (already held to the letter) made one.

The layout reading stays the answer. The model can confirm a field (its confidence rises one
step), doubt one (it drops under the bar with a note of what the model read), or offer one the
layout reader did not find (under the bar, for review). A disagreement keeps the layout value
because it was read from where the letter labels the field, while the model's value is only
known to be printed somewhere in the letter (so are the subscriber's name, the paid claim's
number and the total), and because a letter then reads the same with or without a model: the
model can add doubt, never silently change a value.
"""

from datetime import date

from service.models import FieldReading, NoticeReading
from service.remittance.notice_grounding import agree

AGREED_STEP = 0.1
CEILING = 0.97
DOUBT = 0.05
"""How far under the bar a doubted field, or one only the model found, is put."""


def merge(layout: NoticeReading, model: dict[str, FieldReading]) -> NoticeReading:
    bar, fields = layout.bar, dict(layout.fields)
    for name, theirs in model.items():
        ours = fields.get(name)
        if ours is None:
            fields[name] = theirs.model_copy(
                update={
                    "confidence": min(theirs.confidence, doubted(bar)),
                    "review": True,
                    "note": "found only by the language model: check it against the letter",
                }
            )
        elif agree(name, ours.value, theirs.value):
            confidence = round(max(ours.confidence, min(CEILING, ours.confidence + AGREED_STEP)), 2)
            fields[name] = ours.model_copy(update={"confidence": confidence, "review": confidence < bar})
        else:
            note = f"the language model read {shown(theirs.value)} (page {theirs.page}): check which is right"
            fields[name] = ours.model_copy(
                update={"confidence": min(ours.confidence, doubted(bar)), "review": True, "note": note}
            )
    return NoticeReading(fields=fields, bar=bar)


def doubted(bar: float) -> float:
    return round(bar - DOUBT, 2)


def shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return f"{value:.2f}" if isinstance(value, float) else str(value)
