"""Word lists the population is drawn from: names, streets, towns, banks, references.

All invented or very common; no real person, and bank names are fictional (sort-code ranges
look plausible but are not real banks' ranges).
"""

from __future__ import annotations

# Given names as name:short-form pairs (the short form some banks record).
_FEMALE = (
    "Olivia:Liv Amelia:Millie Isla:Isla Ava:Ava Emily:Em Sophie:Soph Grace:Grace Mia:Mia "
    "Jessica:Jess Charlotte:Charlie Lily:Lily Ella:Ella Chloe:Chloe Hannah:Hannah "
    "Lucy:Lucy Rebecca:Becky Elizabeth:Liz Katherine:Kate Margaret:Maggie Susan:Sue "
    "Patricia:Pat Jennifer:Jenny Deborah:Debbie Victoria:Vicky Samantha:Sam "
    "Alexandra:Alex Catherine:Cathy Helen:Helen Sarah:Sarah Laura:Laura Emma:Emma "
    "Rachel:Rachel Nicola:Nicky Joanne:Jo Amira:Amira Fatima:Fatima Aisha:Aisha "
    "Priya:Priya Anjali:Anji Zainab:Zainab Agnieszka:Aga Maria:Maria Ioana:Ioana "
    "Chiamaka:Chi Ngozi:Ngozi Mei:Mei Siobhan:Siobhan Eleanor:Ellie Abigail:Abbie "
    "Georgia:George Freya:Freya Poppy:Poppy Ruby:Ruby Evie:Evie Megan:Meg Bethany:Beth "
    "Natalie:Nat Kirsty:Kirsty Dorothy:Dot Barbara:Babs"
)
_MALE = (
    "Oliver:Ollie George:George Harry:Harry Jack:Jack Jonathan:Jon James:Jim William:Will "
    "Thomas:Tom Joshua:Josh Daniel:Dan Matthew:Matt Christopher:Chris Michael:Mike "
    "David:Dave Robert:Rob Richard:Rich Andrew:Andy Anthony:Tony Stephen:Steve Peter:Pete "
    "Benjamin:Ben Samuel:Sam Alexander:Alex Nicholas:Nick Edward:Ed Joseph:Joe "
    "Charles:Charlie Timothy:Tim Patrick:Paddy Gareth:Gaz Liam:Liam Connor:Connor "
    "Mohammed:Mo Muhammad:Muhammad Ahmed:Ahmed Omar:Omar Ali:Ali Arjun:Arjun Rahul:Rahul "
    "Sanjay:Sanj Piotr:Piotr Tomasz:Tomek Andrei:Andrei Chinedu:Chinedu Oluwaseun:Seun "
    "Kwame:Kwame Wei:Wei Callum:Cal Ryan:Ryan Kieran:Kieran Luke:Luke Adam:Adam "
    "Jacob:Jake Nathan:Nate Lewis:Lew Dylan:Dyl Kevin:Kev Gary:Gaz Raymond:Ray "
    "Terence:Terry"
)
_FAMILY = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts "
    "Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke "
    "Patel Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker "
    "Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young "
    "Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy "
    "Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson "
    "Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen "
    "Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins "
    "Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews "
    "Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence "
    "Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry "
    "Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster "
    "Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid "
    "Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird "
    "Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns "
    "Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton "
    "McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss "
    "McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon "
    "Doyle Wallace George Jordan Hutchinson Rowe Burke May Pritchard Gilbert Willis "
    "Higgins Kowalski Nowak Popescu Okafor Adeyemi Mensah Chen Wang Nguyen"
)
_STREET_STEMS = (
    "High Station Church Park Victoria Green Manor Kings Queens Grange Mill Albert New "
    "School London Springfield Windsor Chester Highfield Richmond York Alexandra Cedar "
    "Elm Oak Beech Willow Meadow Orchard Brook North South West Mount Hill Stanley "
    "Clarence Marlborough Lansdowne Westfield Valley Chapel Bridge Castle Abbey Priory "
    "Forest"
)
_TOWNS = (
    "London:E:3.0 London:N:2.5 London:SE:3.0 London:SW:3.0 London:NW:2.5 London:W:2.5 "
    "Birmingham:B:4.0 Manchester:M:3.5 Leeds:LS:3.0 Liverpool:L:2.5 Sheffield:S:2.2 "
    "Bristol:BS:2.2 Newcastle:NE:1.8 Nottingham:NG:1.6 Leicester:LE:1.6 Coventry:CV:1.3 "
    "Bradford:BD:1.3 Cardiff:CF:1.5 Glasgow:G:2.5 Edinburgh:EH:2.0 Belfast:BT:1.4 "
    "Southampton:SO:1.1 Portsmouth:PO:1.0 Reading:RG:1.2 Luton:LU:1.0 "
    "Milton_Keynes:MK:1.0 Brighton:BN:1.2 Plymouth:PL:1.0 Norwich:NR:0.9 Oxford:OX:0.8 "
    "Cambridge:CB:0.8 Derby:DE:1.0 Stoke-on-Trent:ST:1.0 Wolverhampton:WV:1.0 "
    "Swansea:SA:0.9 Aberdeen:AB:0.8 Exeter:EX:0.8 York:YO:0.8 Hull:HU:1.0 Preston:PR:0.8"
)


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in (item.split(":") for item in text.split()))


FEMALE_NAMES = _pairs(_FEMALE)
MALE_NAMES = _pairs(_MALE)
FAMILY_NAMES: tuple[str, ...] = tuple(n.replace("_", " ") for n in _FAMILY.split())
STREET_KINDS = (("Road", "Rd"), ("Street", "St"), ("Avenue", "Ave"), ("Lane", "Ln"))
STREETS: tuple[tuple[str, str], ...] = tuple(
    (f"{stem} {kind}", f"{stem} {short}")
    for stem in _STREET_STEMS.split()
    for kind, short in STREET_KINDS
)
TOWNS: tuple[tuple[str, str], ...] = tuple(
    (t.replace("_", " "), a) for t, a, _ in (x.split(":") for x in _TOWNS.split())
)
TOWN_WEIGHTS: tuple[float, ...] = tuple(float(x.split(":")[2]) for x in _TOWNS.split())
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
EMAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com",
    "hotmail.co.uk",
    "outlook.com",
    "yahoo.co.uk",
    "icloud.com",
    "btinternet.com",
    "live.co.uk",
    "sky.com",
    "proton.me",
)
EMAIL_DOMAIN_WEIGHTS: tuple[float, ...] = (40, 15, 12, 8, 10, 5, 4, 3, 3)

# Fictional banks: (name, 4-letter code used in party ids and BICs, first sort-code pair,
# market share by personal accounts, relative ease of online onboarding).
BANKS: tuple[tuple[str, str, int, float, float], ...] = (
    ("Albion Bank", "ALBN", 20, 0.17, 1.0),
    ("Northern Counties Bank", "NCBK", 30, 0.16, 1.0),
    ("Crown & Shield", "CRSH", 40, 0.13, 1.0),
    ("Westgate Bank", "WGTE", 60, 0.14, 1.0),
    ("Thames Building Society", "THBS", 7, 0.09, 0.8),
    ("Pennine Savings Bank", "PNSB", 11, 0.07, 0.8),
    ("Harbour Mutual", "HBMU", 77, 0.06, 0.9),
    ("Kite (app bank)", "KITE", 4, 0.08, 1.8),
    ("Lumen (app bank)", "LUMN", 23, 0.06, 1.8),
    ("Sterling Direct", "STDR", 9, 0.04, 1.3),
)

# Foreign jurisdictions that receive international wires: (ISO code, IBAN length, share).
FOREIGN: tuple[tuple[str, int, float], ...] = (
    ("IE", 22, 0.10),
    ("LT", 20, 0.10),
    ("NL", 18, 0.07),
    ("DE", 22, 0.07),
    ("ES", 24, 0.06),
    ("PL", 28, 0.10),
    ("RO", 24, 0.10),
    ("AE", 23, 0.12),
    ("TR", 26, 0.08),
    ("PK", 24, 0.07),
    ("FR", 27, 0.05),
    ("MT", 31, 0.08),
)
FOREIGN_CURRENCY = {
    "IE": "EUR",
    "LT": "EUR",
    "NL": "EUR",
    "DE": "EUR",
    "ES": "EUR",
    "PL": "PLN",
    "RO": "RON",
    "AE": "AED",
    "TR": "TRY",
    "PK": "PKR",
    "FR": "EUR",
    "MT": "EUR",
}

# Payment references by purpose; a generator draws from its group, so many references are
# shared between ordinary and criminal payments (as in real data).
REF_GROUPS: dict[str, tuple[str, ...]] = {
    # ordinary life
    "salary": ("SALARY", "WAGES", "PAYROLL", "NET PAY"),
    "pension": ("PENSION", "STATE PENSION", "DWP"),
    "rent": ("RENT", "Rent", "rent", "flat", ""),
    "mortgage": ("MORTGAGE", "DD"),
    "bill": ("DD", "DIRECT DEBIT", "ENERGY", "COUNCIL TAX", "MOBILE", "BROADBAND", "INSURANCE",
             "tax"),
    "p2p": ("thanks", "dinner", "drinks", "for the tickets", "petrol", "birthday", "xx",
            "owe you", "gift", "loan", "urgent", "flight", "", "", ""),
    "own": ("Savings", "transfer", "Me", "moving money", "investment", "trading", "", ""),
    "student": ("allowance", "food money", "love mum", "books", ""),
    "sale": ("deposit", "item", "bike", "sofa", "phone", "tickets", "car", "refund", "", ""),
    "trade": ("invoice", "INV", "services", "ORDER", "job", "fee", ""),
    "remit": ("family", "support", "school fees", ""),
    "slc": ("STUDENT FINANCE",),
    "crypto": ("", "crypto", "top up", "deposit", "trading"),
    "b2b": ("INV", "invoice", "PO", "ORDER", "supplies", "urgent"),
    # criminal payments draw only on references ordinary payments also use
    "purchase": ("deposit", "item", "phone", "tickets", "car", "", ""),
    "investment": ("investment", "trading", "transfer", "", "crypto"),
    "romance": ("gift", "loan", "urgent", "", "xx", "flight"),
    "advance_fee": ("fee", "loan", "deposit", ""),
    "invoice_mandate": ("invoice", "INV", "ORDER", "services"),
    "ceo": ("invoice", "urgent", "INV", "services"),
    "impersonation_police_bank": ("Savings", "transfer", "Me", ""),
    "impersonation_other": ("refund", "fee", "urgent", "", "tax"),
    "mule": ("transfer", "", "", "thanks", "job", "loan", "family", "moving money"),
    "fee": ("job", "thanks", "", "", "loan", "owe you"),
    "none": ("",),
}  # fmt: skip
REFERENCES: tuple[str, ...] = tuple(
    dict.fromkeys(ref for group in REF_GROUPS.values() for ref in group)
)
_REF_INDEX = {ref: i for i, ref in enumerate(REFERENCES)}


def ref_codes(group: str) -> tuple[int, ...]:
    """Indices into REFERENCES of the references a payment of this purpose may carry."""
    return tuple(_REF_INDEX[ref] for ref in REF_GROUPS[group])
