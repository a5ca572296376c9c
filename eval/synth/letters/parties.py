"""The parties to a letter: the billing practice, the member's home address and the invented
payers (Medicare contractors, commercial plans, Medicare Advantage plans, Medicaid programs).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..people import PRACTICE, STAFF_FIRST, STREETS, TOWNS, NamePool


@dataclass
class Party:
    practice: str
    street: str
    town: str
    state: str
    zipc: str
    provider: str
    npi: str
    ptan: str
    tin: str
    phone: str

    @property
    def city_line(self) -> str:
        return f"{self.town}, {self.state} {self.zipc}"


def _party(rng: random.Random, pool: NamePool) -> Party:
    town, state, zipc = rng.choice(TOWNS)
    practice = rng.choice(PRACTICE).format(t=town)
    street = f"{rng.randint(100, 4800)} {rng.choice(STREETS)}"
    if rng.random() < 0.3:
        street += f", Suite {rng.randint(1, 4)}{rng.randint(0, 2)}{rng.randint(1, 9)}"
    doc = f"{rng.choice(STAFF_FIRST)} {pool.last()}, {rng.choice(['MD', 'MD', 'DO', 'NP'])}"
    npi = str(rng.choice([1, 1, 2])) + "".join(rng.choice("0123456789") for _ in range(9))
    ptan = "".join(rng.choice("0123456789") for _ in range(rng.choice([6, 7, 10])))
    tin = f"XX-XXX{rng.randint(1000, 9999)}"
    phone = f"({rng.randint(201, 989)}) 555-01{rng.randint(10, 99)}"
    return Party(practice, street, town, state, zipc, doc, npi, ptan, tin, phone)


def _member_address(rng: random.Random) -> list[str]:
    town, state, zipc = rng.choice(TOWNS)
    road = rng.choice(["Willow Lane", "Birch Court", "Maple Avenue", "Ridge Road", "Lakeview Drive", "Church Street"])
    return [f"{rng.randint(12, 9800)} {road}", f"{town}, {state} {zipc}"]


MACS = [
    ("Cascadia Medicare Services", "Jurisdiction F Part B", "PO Box 6702", "Topeka, KS 66601"),
    ("Great Plains Government Health Administrators", "Jurisdiction 5 Part B", "PO Box 3104", "Omaha, NE 68103"),
    ("Tri-River Medicare Solutions", "Jurisdiction L Part B", "PO Box 44117", "Harrisburg, PA 17105"),
    ("Piedmont Federal Benefit Services", "Jurisdiction M Part B", "PO Box 10066", "Greensboro, NC 27404"),
    ("Heartland Claims Administration", "Jurisdiction 15 Part B", "PO Box 20119", "Louisville, KY 40250"),
    ("Granite Coast Medicare Contractor Services", "Jurisdiction K Part B", "PO Box 7401", "Albany, NY 12212"),
    ("Sunbelt Medicare Claims Administration", "Jurisdiction H Part B", "PO Box 33812", "Tulsa, OK 74153"),
]
COMMERCIALS = [
    ("Bluewater Health Plan", "PO Box 30117", "Salt Lake City, UT 84130"),
    ("Cascade Choice Health", "PO Box 8804", "Spokane, WA 99203"),
    ("Keystone Meridian Health", "PO Box 71540", "Allentown, PA 18105"),
    ("Prairie Shield Insurance Company", "PO Box 2290", "Des Moines, IA 50306"),
    ("Harborline Health Insurance", "PO Box 55019", "Portland, ME 04112"),
    ("Evergreen Mutual Health", "PO Box 14437", "Boise, ID 83707"),
    ("Redstone Benefit Health Plans", "PO Box 9183", "Birmingham, AL 35283"),
]
MA_PLANS = [
    ("Summit Mutual Medicare Advantage HMO", "Summit Mutual Health"),
    ("Northstar Senior Advantage PPO", "Northstar Health Plans"),
    ("Silver Harbor Medicare Advantage (HMO)", "Silver Harbor Health"),
    ("Lakeshore Senior Care Plan (PPO)", "Lakeshore Health Partners"),
    ("Golden Prairie Medicare Complete (HMO-POS)", "Golden Prairie Health"),
    ("Bluewater Medicare Advantage Plus (PPO)", "Bluewater Health Plan"),
]
MEDICAIDS = [
    ("Riverbend Community Health Plan", "Medicaid Managed Care", "PO Box 3380", "Columbus, OH 43216"),
    ("Prairie Valley Health Connections", "A Medicaid Health Plan", "PO Box 1187", "Cedar Rapids, IA 52406"),
    (
        "Department of Family Health Services",
        "Medical Assistance Program - Claims Unit",
        "PO Box 9900",
        "Nashville, TN 37229",
    ),
    ("Bureau of Medical Assistance", "Provider Claims and Payment", "PO Box 4211", "Frankfort, KY 40602"),
    ("Mountain State Medicaid Partners", "Medicaid Managed Care Organization", "PO Box 17640", "Denver, CO 80217"),
]
