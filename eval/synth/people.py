"""Fictional people, practices, payers and claim identifiers, all drawn from a seed.

Every name is a random recombination of common first and last names; none is meant
to denote a real person or practice.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

FIRST_F = [
    "Maria",
    "Linda",
    "Dorothy",
    "Gloria",
    "Evelyn",
    "Rosa",
    "Janet",
    "Mae",
    "Hazel",
    "Irene",
    "Carmen",
    "Joyce",
    "Beatrice",
    "Lorraine",
    "Yolanda",
    "Mildred",
    "Ruth",
]
FIRST_M = [
    "Walter",
    "Harold",
    "Eugene",
    "Ramon",
    "Curtis",
    "Leonard",
    "Frank",
    "Alvin",
    "Dennis",
    "Raymond",
    "Gilbert",
    "Howard",
    "Vernon",
    "Luis",
    "Clarence",
    "Otis",
]
LAST = [
    "Gonzalez",
    "Whitaker",
    "Okonkwo",
    "Lindqvist",
    "Brannigan",
    "Delacroix",
    "Pham",
    "Castellano",
    "Abernathy",
    "Haddad",
    "Kowalczyk",
    "Fairbanks",
    "Yamada",
    "Oduya",
    "Marchetti",
    "Thornbury",
    "Villanueva",
    "Esposito",
    "Grimsley",
    "Nakashima",
    "Roarke",
    "Petrakis",
    "Holloway",
    "Szabo",
    "Mbeki",
    "Carrow",
    "Dunleavy",
    "Ostrowski",
]
STAFF_FIRST = [
    "Jordan",
    "Teresa",
    "Luis",
    "Priya",
    "Dana",
    "Kendra",
    "Marcus",
    "Alana",
    "Renee",
    "Tomas",
    "Wendy",
    "Ibrahim",
    "Shauna",
    "Colin",
]
STAFF_LAST = [
    "Ellis",
    "Nguyen",
    "Ortega",
    "Brandt",
    "Kaur",
    "Sorensen",
    "Mwangi",
    "Reyes",
    "Fitzgerald",
    "Lindgren",
    "Achebe",
    "Moreau",
    "Quintero",
    "Halvorsen",
]
TOWNS = [
    ("Springfield", "OR", "97477"),
    ("Cedar Falls", "IA", "50613"),
    ("Millbrook", "NY", "12545"),
    ("Fairview", "TN", "37062"),
    ("Harlan", "KY", "40831"),
    ("Lakewood", "CO", "80226"),
    ("Brookhaven", "GA", "30319"),
    ("Marion", "OH", "43302"),
]
PRACTICE = [
    "{t} Family Medicine",
    "{t} Internal Medicine Associates",
    "{t} Primary Care",
    "Harborview Family Practice of {t}",
    "{t} Community Health Partners",
]
STREETS = ["Alder Street", "Main Street", "Commerce Drive", "Oak Avenue", "Medical Park Way"]
MEDICARE = [
    "Medicare Part B (Noridian JF)",
    "Medicare Part B (Novitas JL)",
    "Medicare Part B (Palmetto GBA JM)",
    "Medicare Part B (NGS J6)",
    "Medicare Part B (WPS J5)",
    "Medicare Part B (CGS J15)",
]
COMMERCIAL = [
    "Bluewater Health Plan PPO",
    "Summit Mutual Medicare Advantage HMO",
    "Cascade Choice Health",
    "Northstar Senior Advantage PPO",
]
CREDS = [("RN", 3), ("MA", 2), ("LPN", 2)]


@dataclass(frozen=True)
class Person:
    first: str
    middle: str
    last: str
    mrn: str
    dob: dt.date
    sex: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.middle}. {self.last}"

    @property
    def short(self) -> str:
        return f"{self.first} {self.last}"

    def header(self) -> str:
        return f"Patient: {self.name}    MRN: {self.mrn}    DOB: {self.dob:%m/%d/%Y}"


@dataclass(frozen=True)
class Staff:
    name: str
    cred: str

    @property
    def signed(self) -> str:
        return f"{self.name}, {self.cred}"


@dataclass(frozen=True)
class Identity:
    patient: Person
    provider: str
    practice: str
    address: str
    phone: str
    payer: str
    staff: tuple[Staff, ...]
    claim_number: str


class NamePool:
    """Hands out unique surnames so the patient, decoy patient and staff never collide."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def last(self) -> str:
        choice = self.rng.choice([n for n in LAST if n not in self.used])
        self.used.add(choice)
        return choice

    def person(self, around: dt.date | None = None) -> Person:
        sex = self.rng.choice("FM")
        first = self.rng.choice(FIRST_F if sex == "F" else FIRST_M)
        middle = self.rng.choice("ABCDEFGJKLMNPRSTW")
        base = around or dt.date(1938, 1, 1) + dt.timedelta(days=self.rng.randint(0, 365 * 22))
        dob = base + dt.timedelta(days=self.rng.randint(-900, 900)) if around else base
        mrn = str(self.rng.randint(1_000_000, 9_899_999))
        return Person(first, middle, self.last(), mrn, dob, sex)


def make_identity(rng: random.Random, pool: NamePool, code: str) -> Identity:
    patient = pool.person()
    town, state, zipc = rng.choice(TOWNS)
    practice = rng.choice(PRACTICE).format(t=town)
    address = f"{rng.randint(100, 4800)} {rng.choice(STREETS)}, {town}, {state} {zipc}"
    phone = f"({rng.randint(201, 989)}) 555-01{rng.randint(10, 99)}"
    doc_last = pool.last()
    provider = f"{rng.choice(STAFF_FIRST)} {doc_last}, {rng.choice(['MD', 'MD', 'DO'])}"
    staff_last = rng.sample(STAFF_LAST, 3)
    staff_first = rng.sample(STAFF_FIRST, 3)
    creds = ["RN", rng.choice(["MA", "LPN"]), rng.choice(["RN", "MA", "LPN"])]
    staff = tuple(Staff(f"{first} {last}", c) for first, last, c in zip(staff_first, staff_last, creds))
    medicare = rng.random() < 0.65
    payer = rng.choice(MEDICARE if medicare else COMMERCIAL)
    if medicare:
        claim = f"{rng.randint(10, 22)}{rng.randint(10**10, 10**11 - 1)}"
    else:
        claim = f"{rng.choice('BCNS')}{rng.randint(10**8, 10**9 - 1)}-{rng.randint(10, 99)}"
    return Identity(patient, provider, practice, address, phone, payer, staff, claim)


def md(d: dt.date) -> str:
    return f"{d:%m/%d/%Y}"


def month_name(d: dt.date) -> str:
    return f"{d:%B %Y}"
