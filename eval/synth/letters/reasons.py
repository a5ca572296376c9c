"""Why the claim was denied, in the payer's voice, and the legend of every code printed.

Shared by the provider-facing layouts (MAC letter, commercial EOB, Medicaid notice); the
member-facing IDN words its own reasons.
"""

from __future__ import annotations

from .context import Ctx
from .scenarios import CARC_TEXT, DETAILS, PAYER_CODES, RARC_TEXT, SERVICE
from .values import _code_str


def _explain(c: Ctx, who: str) -> str:
    """The plain-language reason, in the payer's voice."""
    cl, s = c.claim, c.claim.scen
    svc = c.svc()
    dos = c.d(cl.dos)
    fam = cl.family
    detail = c.pick(DETAILS[fam])
    key = s.key
    if cl.payer_code:
        verb = c.pick(["is denied", "was denied", "cannot be paid"])
        return (
            f"{PAYER_CODES[cl.code][0]} The {svc} billed for {dos} {verb} "
            f"under payment policy code {cl.code}. "
            + c.pick(
                [
                    "Submit records that show the requirement was met if you request an appeal.",
                    "See the claim payment policy on the provider portal for the documentation we expect.",
                    "",
                ]
            )
        ).strip()
    if key == "necessity":
        return c.pick(
            [
                f"{who} reviewed the medical records received for this claim. The documentation does "
                f"not support the medical necessity of the {svc} billed for {dos}. {detail}",
                f"Payment for {svc} requires that the medical record show the service was reasonable "
                f"and necessary and met every element of the code billed. {detail} The service is "
                f"therefore denied as not medically necessary.",
                f"After review of the records submitted, the {svc} on {dos} does not meet coverage "
                f"requirements. Finding: {detail}",
            ]
        )
    if key == "records":
        adr = c.d(cl.extra["adr"])
        return c.pick(
            [
                f"We requested medical records for this claim on {adr}. The records were not received "
                f"within the 45-day response period, so the {svc} could not be reviewed and is denied.",
                f"An additional documentation request (ADR) was sent on {adr}. No response was "
                f"received. Without the records we cannot determine that the {svc} billed for {dos} "
                f"was covered.",
            ]
        )
    if key == "incomplete":
        adr = c.d(cl.extra["adr"])
        return (
            f"The records we asked for on {adr} were received, but they were incomplete: "
            f"{detail[0].lower() + detail[1:]} The {svc} is denied until the missing "
            f"information is provided."
        )
    if key.startswith("bundled"):
        other = next((ln.cpt for ln in cl.lines if not ln.denied), "another service")
        return c.pick(
            [
                f"Payment for {svc} is included in the payment for {other}, billed for the same "
                f"patient and period. It is not paid separately.",
                f"{SERVICE[fam].capitalize()} billed for {dos} may not be paid in the same period as "
                f"{other} for the same patient; the allowance for {other} already covers this work.",
            ]
        )
    if key == "frequency":
        per = {
            "99454": "30-day period",
            "99453": "episode of care",
            "99490": "calendar month",
            "99457": "calendar month",
        }.get(cl.denied[0].cpt, "period")
        return (
            f"{cl.denied[0].cpt} is payable once per {per} for the same patient. Our records "
            f"show this service was already paid for this {per} on an earlier claim, so the "
            f"{svc} billed for {dos} is denied as exceeding the allowed frequency."
        )
    if key.startswith("duplicate"):
        return (
            f"The {svc} billed for {dos} was already submitted and processed on another claim "
            f"for the same patient and date. This line is denied as a duplicate."
        )
    if key == "timely":
        limit = (
            "12 months" if c.layout == "medicare_mac" else c.pick(["180 days", "the filing limit in your agreement"])
        )
        return (
            f"This claim was received on {c.d(cl.received)}, more than {limit} after the "
            f"date of service ({dos}). Claims filed after the time limit cannot be paid."
        )
    if key == "noncovered":
        return (
            f"{SERVICE[fam].capitalize()} is not a covered benefit under the member's "
            f"current plan. The {svc} billed for {dos} is the member's responsibility."
        )
    if key == "other_payer":
        return (
            f"Our records show other insurance that pays before us for this patient on "
            f"{dos}. Bill the primary payer first, then send its payment information with a "
            f"new claim."
        )
    if key == "no_auth":
        return f"The {svc} requires prior authorization. No authorization was on file for the service date {dos}."
    if key == "out_of_network":
        return (
            f"The rendering provider is not in the member's network, and the member's plan "
            f"does not cover out-of-network {SERVICE[fam]} without a referral."
        )
    if key == "missing_npi":
        return (
            f"The rendering provider's NPI was missing or did not match our enrollment "
            f"records for the {svc} billed for {dos}."
        )
    if key == "diagnosis":
        return f"The diagnosis codes reported on the claim do not support the {svc}. " + (
            "Chronic care management requires two or more chronic conditions; the claim lists one."
            if fam == "ccm"
            else "The diagnosis listed does not support the need for this service."
        )
    if key == "coverage_ended":
        return f"The patient's coverage ended on {c.d(cl.extra['coverage_end'])}, before the date of service ({dos})."
    raise KeyError(key)


def _legend_rows(c: Ctx, sep: str) -> list[str]:
    """Descriptions of every code printed on the letter, in the payer's words."""
    out, seen = [], set()
    for ln in c.claim.lines:
        for g, r, _ in ln.adj:
            if (g, r) in seen:
                continue
            seen.add((g, r))
            if c.claim.payer_code:  # the paid lines' own codes are described by the caller
                if ln.denied:
                    out.append(f"{r}: {PAYER_CODES[r][0]}")
            else:
                out.append(f"{_code_str(g, r, sep)}: {CARC_TEXT[r]}")
    for r in dict.fromkeys(x for ln in c.claim.lines for x in ln.rarcs):
        out.append(f"{r}: {RARC_TEXT[r]}")
    return out
