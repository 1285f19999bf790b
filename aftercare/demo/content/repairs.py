"""The demo's warranty terms, fault codes, spare parts and stock: what a Persian appliance
service centre works with."""

from dataclasses import dataclass

# Policy per product category: (name, months, starts from, registration days, transferable,
# covers travel).
POLICIES = {
    "Washing machines": (
        "Washers: 24 months from installation",
        24,
        "installation",
        30,
        True,
        True,
    ),
    "Refrigerators": ("Refrigerators: 24 months, compressor 60", 24, "purchase", 60, True, True),
    "Air conditioners": (
        "Air conditioners: 18 months from installation",
        18,
        "installation",
        15,
        False,
        True,
    ),
    "TVs": ("TVs: 12 months from purchase", 12, "purchase", None, True, False),
}

# Fault codes: code, name (the demo organization works in Persian), categories, excluded from
# warranty.
FAULT_CODES = (
    ("PHY-DMG", "آسیب فیزیکی یا ضربه", None, True),
    ("VOLT", "نوسان برق شهری", None, True),
    ("LIQ", "نفوذ مایعات", ("TVs",), True),
    ("WM-PUMP", "خرابی پمپ تخلیه", ("Washing machines",), False),
    ("WM-BRG", "فرسودگی بلبرینگ", ("Washing machines",), False),
    ("WM-BOARD", "خرابی برد اصلی", ("Washing machines",), False),
    ("RF-COMP", "خرابی کمپرسور", ("Refrigerators",), False),
    ("RF-GAS", "نشت گاز", ("Refrigerators", "Air conditioners"), False),
    ("RF-FAN", "خرابی فن اواپراتور", ("Refrigerators",), False),
    ("AC-CAP", "خرابی خازن", ("Air conditioners",), False),
    ("TV-PANEL", "خرابی پنل نمایشگر", ("TVs",), False),
    ("TV-PSU", "خرابی منبع تغذیه", ("TVs",), False),
)


@dataclass(frozen=True)
class Part:
    """A spare part of the demo catalog."""

    sku: str
    name: str
    fa: str
    tr: str
    kk: str
    price: int  # rials
    category: str
    serialised: bool = False


PARTS = (
    Part(
        "SP-PUMP-30",
        "Drain pump 30 W",
        "پمپ تخلیه ۳۰ وات",
        "Tahliye pompası 30 W",
        "Ағызу сорғысы 30 Вт",
        18_500_000,
        "Washing machines",
    ),
    Part(
        "SP-BRG-6205",
        "Drum bearing 6205",
        "بلبرینگ دیگ ۶۲۰۵",
        "Kazan rulmanı 6205",
        "Барабан мойынтірегі 6205",
        6_200_000,
        "Washing machines",
    ),
    Part(
        "SP-WMB-94",
        "Main board WM-9400",
        "برد اصلی WM-9400",
        "Ana kart WM-9400",
        "WM-9400 негізгі платасы",
        64_000_000,
        "Washing machines",
        True,
    ),
    Part(
        "SP-COMP-R600",
        "Compressor R600a",
        "کمپرسور R600a",
        "Kompresör R600a",
        "R600a компрессоры",
        142_000_000,
        "Refrigerators",
        True,
    ),
    Part(
        "SP-FAN-EV",
        "Evaporator fan",
        "فن اواپراتور",
        "Evaporatör fanı",
        "Буландырғыш желдеткіші",
        9_800_000,
        "Refrigerators",
    ),
    Part(
        "SP-CAP-35",
        "Run capacitor 35 µF",
        "خازن ۳۵ میکروفاراد",
        "Çalışma kondansatörü 35 µF",
        "35 мкФ жұмыс конденсаторы",
        3_400_000,
        "Air conditioners",
    ),
    Part(
        "SP-GAS-R410",
        "Refrigerant R410A (1 kg)",
        "گاز مبرد R410A (۱ کیلوگرم)",
        "Soğutucu gaz R410A (1 kg)",
        "R410A салқындатқыш (1 кг)",
        7_500_000,
        "Air conditioners",
    ),
    Part(
        "SP-PSU-55",
        "Power board Vision 55",
        "برد تغذیه Vision 55",
        "Güç kartı Vision 55",
        "Vision 55 қуат платасы",
        38_000_000,
        "TVs",
        True,
    ),
)

# Stock: (location name, kind, holder role or None, {sku: (on hand, reorder point)}).
LOCATIONS = (
    (
        "Central warehouse — Tehran",
        "warehouse",
        None,
        {
            "SP-PUMP-30": (24, 6),
            "SP-BRG-6205": (40, 10),
            "SP-WMB-94": (5, 2),
            "SP-COMP-R600": (3, 2),
            "SP-FAN-EV": (12, 4),
            "SP-CAP-35": (30, 8),
            "SP-GAS-R410": (18, 5),
            "SP-PSU-55": (2, 2),
        },
    ),
    (
        "Van — Ali Hosseini",
        "van",
        "technician",
        {
            "SP-PUMP-30": (3, 1),
            "SP-BRG-6205": (4, 2),
            "SP-CAP-35": (6, 2),
            "SP-GAS-R410": (2, 1),
        },
    ),
)

REPAIR_SETTINGS = {
    "currency": "IRR",
    "tax_rate": "10.00",
    "labour_rate": "4500000",
    "travel_fee": "3000000",
    "quote_valid_days": 14,
}

ADDRESSES = (
    "Tehran, Vanak Sq., Mollasadra St., No. 14, Unit 3",
    "Tehran, Tajrish, Fanaei St., No. 7",
    "Karaj, Gohardasht, 5th Golestan St., No. 22",
    "Isfahan, Chaharbagh-e Bala, Alley 9, No. 4",
)
DIAGNOSES = (
    "Drain pump impeller jammed by a coin; pump motor worn.",
    "Bearing noise at spin; drum play over tolerance.",
    "Board relay for the heater burnt after a power surge test: within spec otherwise.",
    "Low refrigerant pressure; leak found at the evaporator joint.",
    "Capacitor swollen; fan motor starts slowly.",
    "No standby voltage on the power board.",
)
LABOUR = ("Diagnosis and test run", "Replaced the part and tested", "Leak test and recharge")
WORK_DONE = (
    "Part replaced, full cycle tested, customer shown the result.",
    "Cleaned the filter and replaced the worn part; no leaks after a 30-minute run.",
)

OTHER_WAREHOUSE = "Merkez depo — İstanbul"
CLAIM_REJECTION = (
    "The board shows burn marks from a power surge, which the warranty does not cover; "
    "the repair is quoted at our standard rates."
)
