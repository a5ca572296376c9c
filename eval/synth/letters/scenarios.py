"""What a letter denies: the layouts, the billed codes, the reason and remark codes and the
denial scenarios that pair them.

Kept apart so the code tables can be read and extended without touching any layout. Code
descriptions are paraphrased in our own words (the X12 code lists are copyrighted).
"""

from __future__ import annotations

from dataclasses import dataclass

LAYOUTS = ("medicare_mac", "commercial_eob", "cms_idn", "medicaid_notice")

# CPT/HCPCS: (short description in our words, family, typical charge)
CPT = {
    "99490": ("Chronic care mgmt, clinical staff, first 20 min", "ccm", 92.0),
    "99439": ("Chronic care mgmt, clinical staff, each addl 20 min", "ccm", 71.0),
    "99491": ("Chronic care mgmt by physician, first 30 min", "ccm", 128.0),
    "99437": ("Chronic care mgmt by physician, addl 30 min", "ccm", 92.0),
    "99487": ("Complex chronic care mgmt, first 60 min", "ccm", 185.0),
    "99489": ("Complex chronic care mgmt, each addl 30 min", "ccm", 96.0),
    "G0506": ("Care planning add-on at CCM initiating visit", "ccm", 95.0),
    "99424": ("Principal care mgmt by physician, first 30 min", "pcm", 118.0),
    "99426": ("Principal care mgmt, clinical staff, first 30 min", "pcm", 88.0),
    "99453": ("Remote monitoring setup and patient education", "rpm", 32.0),
    "99454": ("Remote monitoring device supply, 16-30 days", "rpm", 68.0),
    "99445": ("Remote monitoring device supply, 2-15 days", "rpm", 60.0),
    "99457": ("Remote monitoring treatment mgmt, first 20 min", "rpm", 75.0),
    "99458": ("Remote monitoring treatment mgmt, addl 20 min", "rpm", 62.0),
    "99470": ("Remote monitoring treatment mgmt, first 10 min", "rpm", 40.0),
    "99091": ("Collection and interpretation of physiologic data", "rpm", 80.0),
    "99495": ("Transitional care mgmt, moderate complexity", "tcm", 285.0),
    "99496": ("Transitional care mgmt, high complexity", "tcm", 380.0),
    "99213": ("Office/outpatient visit, established, low MDM", "visit", 135.0),
    "99214": ("Office/outpatient visit, established, moderate MDM", "visit", 195.0),
    "G2211": ("Visit complexity add-on", "visit", 22.0),
    "36415": ("Routine venipuncture", "visit", 18.0),
    "93000": ("Electrocardiogram with interpretation and report", "visit", 55.0),
}
NEW_2026 = {"99445", "99470"}
SERVICE = {
    "ccm": "chronic care management",
    "pcm": "principal care management",
    "rpm": "remote physiologic monitoring",
    "tcm": "transitional care management",
    "visit": "office visit",
}
COMPANIONS = ["99213", "99214", "36415", "93000", "99490", "99454", "99457", "99453"]

GROUP_TEXT = {
    "CO": "Contractual obligation: the provider may not bill the patient for this amount.",
    "PR": "Patient responsibility: this amount may be billed to the patient.",
    "OA": "Other adjustment.",
}
CARC_TEXT = {
    "1": "Amount applied to the patient's deductible.",
    "2": "Coinsurance amount.",
    "3": "Copayment amount.",
    "45": "The charge is more than the fee schedule or contracted amount for this service.",
    "253": "Reduction required by federal sequestration.",
    "50": "We did not find this service medically necessary based on the information we have.",
    "252": "Documentation or an attachment is needed to process this service.",
    "226": "Information we asked for was not sent or was incomplete.",
    "97": "Payment for this service is included in the payment for another service.",
    "151": "The information received does not support this many services or this frequency.",
    "18": "Exact duplicate of a claim or service already processed.",
    "29": "The time limit for filing this claim has passed.",
    "204": "This service is not covered under the patient's current benefit plan.",
    "22": "Another payer may be responsible first (coordination of benefits).",
    "197": "Precertification, authorization or notification was not obtained.",
    "242": "The service was not furnished by a network or primary care provider.",
    "16": "The claim or service is missing information or has a billing error.",
    "11": "The diagnosis does not match the procedure billed.",
    "27": "The service was furnished after the patient's coverage ended.",
}
RARC_TEXT = {
    "N115": "This decision was based on a Local Coverage Determination (LCD).",
    "M127": "The medical record for this service is missing.",
    "M15": "Services billed separately have been bundled and are not paid separately.",
    "M80": "Not covered when furnished in the same period as a service already processed.",
    "N290": "The rendering provider's identifier is missing or invalid.",
    "MA130": "The claim cannot be processed and has no appeal rights; send a new, complete and correct claim.",
    "MA01": "Alert: if you disagree with the amount approved for these services, you may appeal.",
    "N130": "See the plan's benefit documents or guidelines for coverage information.",
    "M86": "A payment was already made for the same or a similar service within the allowed time period.",
    "MA04": "Secondary payment cannot be considered without the primary payer's information.",
    "N54": "The claim information does not match the services that were authorized.",
}
# Payer-internal codes (the seed pages), described the way a payer would.
PAYER_CODES = {
    "CCM02": ("The care plan on file is not comprehensive or not individualized to the patient.", ["99490", "99487"]),
    "CCM06": ("Care coordination activities billed are not documented in the record.", ["99490"]),
    "CCM20": (
        "Remote monitoring data were not sent automatically by the device or were not "
        "integrated with the patient's record.",
        ["99454", "99457"],
    ),
    "CCM31": ("The record does not show that care gaps were identified in a systematic way.", ["99490"]),
    "CCM39": ("The record does not show that patient engagement was measured.", ["99490"]),
}
PAID_CODES = {
    "CTR": "Contract rate reduction; not billable to the member.",
    "COI": "Member coinsurance.",
    "DED": "Applied to the member's deductible.",
    "CPY": "Member copayment.",
}

DETAILS = {
    "ccm": [
        "The record does not contain a comprehensive care plan for the service period.",
        "The time log does not account for the clinical staff minutes the code requires.",
        "The record does not show two or more chronic conditions expected to last at least 12 months.",
        "No documentation of the patient's consent to care management services was found.",
    ],
    "pcm": [
        "The record does not show a disease-specific care plan for the high-risk condition.",
        "The time log does not support the 30 minutes the code requires.",
    ],
    "rpm": [
        "The device readings submitted cover fewer than 16 days of the 30-day period.",
        "The record does not show an interactive communication with the patient during the calendar month.",
        "The records do not show that the monitoring data were used to manage the patient's treatment.",
        "The records do not show that the readings were transmitted automatically by the device.",
    ],
    "tcm": [
        "The record does not show an interactive contact within 2 business days of discharge.",
        "The face-to-face visit falls outside the time frame the code requires.",
        "Medication reconciliation was not documented by the date of the face-to-face visit.",
    ],
    "visit": ["The note does not support the level of service billed."],
}


@dataclass(frozen=True)
class Scenario:
    key: str
    group: str
    carc: str
    rarcs: tuple  # options, each a tuple of remark codes
    cpts: tuple  # options, each a tuple of denied codes
    layouts: tuple
    weight: int = 1
    needs: tuple = ()  # paid codes that must be on the claim (bundling)

    @property
    def code(self) -> str:
        return f"{self.group}-{self.carc}"


ALL = LAYOUTS
SCENARIOS = [
    Scenario(
        "necessity",
        "CO",
        "50",
        ((), ("N115",), ("N115",), ("MA01",)),
        (
            ("99490",),
            ("99490", "99439"),
            ("99491",),
            ("99487",),
            ("99487", "99489"),
            ("99457",),
            ("99457", "99458"),
            ("99454",),
            ("99091",),
            ("99424",),
            ("99426",),
            ("99495",),
            ("99496",),
            ("99445",),
            ("99470",),
        ),
        ALL,
        5,
    ),
    Scenario(
        "records",
        "CO",
        "252",
        (("M127",),),
        (("99490",), ("99457",), ("99454", "99457"), ("99487",), ("99495",)),
        ("medicare_mac", "commercial_eob", "medicaid_notice", "cms_idn"),
        3,
    ),
    Scenario(
        "incomplete",
        "CO",
        "226",
        (("M127",), ()),
        (("99490",), ("99491",), ("99457",)),
        ("commercial_eob", "medicaid_notice"),
        1,
    ),
    Scenario("bundled", "CO", "97", (("M15",), ("M80",)), (("99091",),), ALL[:2] + ALL[3:], 1, needs=("99457",)),
    Scenario(
        "bundled_pcm", "CO", "97", (("M80",), ()), (("99426",), ("99424",)), ALL[:2] + ALL[3:], 1, needs=("99490",)
    ),
    Scenario("frequency", "CO", "151", ((), ("M86",)), (("99454",), ("99453",), ("99490",), ("99457",)), ALL, 2),
    Scenario(
        "duplicate",
        "OA",
        "18",
        ((),),
        (("99490",), ("99457",), ("99214",), ("99495",)),
        ("medicare_mac", "commercial_eob", "medicaid_notice"),
        1,
    ),
    Scenario("duplicate_co", "CO", "18", ((),), (("99490",), ("99454",)), ("commercial_eob", "medicaid_notice"), 1),
    Scenario(
        "timely",
        "CO",
        "29",
        ((),),
        (("99490",), ("99457",), ("99495",), ("99214",)),
        ("medicare_mac", "commercial_eob", "medicaid_notice"),
        1,
    ),
    Scenario(
        "noncovered",
        "PR",
        "204",
        ((), ("N130",)),
        (("99454",), ("99457",), ("99453", "99454"), ("99091",)),
        ("commercial_eob", "medicaid_notice", "cms_idn"),
        2,
    ),
    Scenario(
        "other_payer",
        "CO",
        "22",
        ((), ("MA04",)),
        (("99490",), ("99214",), ("99457",)),
        ("medicare_mac", "commercial_eob"),
        1,
    ),
    Scenario(
        "no_auth",
        "CO",
        "197",
        ((), ("N54",)),
        (("99457",), ("99454", "99457"), ("99487",), ("99496",)),
        ("commercial_eob", "medicaid_notice", "cms_idn"),
        2,
    ),
    Scenario(
        "out_of_network", "CO", "242", ((),), (("99490",), ("99457",), ("99214",)), ("commercial_eob", "cms_idn"), 1
    ),
    Scenario(
        "missing_npi",
        "CO",
        "16",
        (("N290",), ("N290", "MA130")),
        (("99490",), ("99457",), ("99214",)),
        ("medicare_mac", "medicaid_notice"),
        1,
    ),
    Scenario(
        "diagnosis",
        "CO",
        "11",
        ((),),
        (("99490",), ("99487",), ("99454",)),
        ("medicare_mac", "commercial_eob", "medicaid_notice"),
        1,
    ),
    Scenario(
        "coverage_ended",
        "CO",
        "27",
        ((),),
        (("99490",), ("99457",), ("99214",)),
        ("commercial_eob", "cms_idn", "medicaid_notice"),
        1,
    ),
]
