"""The demo organizations' teams, categories, products, sellers, customers and the SLA
policies, escalation and routing rules they work with."""

from dataclasses import dataclass

TEAMS = ("Call centre", "Workshop", "Field service")
OTHER_TEAMS = {
    "Call centre": "Çağrı merkezi",
    "Workshop": "Atölye",
    "Field service": "Saha servisi",
}

# Problem categories: top level and their children.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "Washing machines": ("Leak", "Noise", "No power", "Error code"),
    "Refrigerators": ("Not cooling", "Noise", "Leak", "No power"),
    "Air conditioners": ("Not cooling", "Leak", "Noise", "Installation", "Periodic service"),
    "TVs": ("Display", "No power", "Sound", "Smart features"),
    "Spare parts": (),
    "Service quality": (),
    "Warranty and contracts": (),
}


@dataclass(frozen=True)
class Product:
    """A product model of the demo catalog."""

    name: str
    sku: str
    brand: str
    category: str
    serial_prefix: str
    code: str

    @property
    def short_name(self) -> str:
        """How customers write the model: brand and model code."""
        return f"{self.brand} {self.code}"


PRODUCTS = (
    Product(
        "WM-7100 7 kg front loader", "ARY-WM7100", "Arya", "Washing machines", "AW71", "WM-7100"
    ),
    Product("WM-9400 Inverter 9 kg", "ARY-WM9400", "Arya", "Washing machines", "AW94", "WM-9400"),
    Product("Clean 8 Steam", "MRM-CL8S", "Marmara", "Washing machines", "MC8S", "Clean 8"),
    Product("Frost NF-520 No Frost", "ALT-NF520", "Alatau", "Refrigerators", "AF52", "NF-520"),
    Product("Side-by-Side SB-700", "ALT-SB700", "Alatau", "Refrigerators", "AS70", "SB-700"),
    Product("Cool RF-380 twin door", "KVR-RF380", "Kavir", "Refrigerators", "KR38", "RF-380"),
    Product("Split AC-12K 12000 BTU", "KVR-AC12K", "Kavir", "Air conditioners", "KA12", "AC-12K"),
    Product(
        "Split AC-18KI Inverter 18000 BTU",
        "KVR-AC18KI",
        "Kavir",
        "Air conditioners",
        "KA18",
        "AC-18KI",
    ),
    Product("Split AC-24K 24000 BTU", "KVR-AC24K", "Kavir", "Air conditioners", "KA24", "AC-24K"),
    Product('Vision 43" UHD', "MRM-TV43U", "Marmara", "TVs", "MV43", "Vision 43"),
    Product('Vision 55" QLED', "MRM-TV55Q", "Marmara", "TVs", "MV55", "Vision 55"),
    Product('Vision 65" OLED', "MRM-TV65O", "Marmara", "TVs", "MV65", "Vision 65"),
)

SELLERS: dict[str, tuple[str, ...]] = {
    "fa": ("فروشگاه لوازم خانگی پارسیان", "فروشگاه اینترنتی آرامش", "نمایندگی مرکزی تهران"),
    "tr": ("Mavi Elektronik Kadıköy", "Beyaz Eşya Dünyası Ankara", "online mağaza"),
    "kk": ("Алматы Техно Маркет", "Астана Электроника", "интернет-дүкен"),
    "en": ("City Electronics", "the online store", "HomePlus Appliances"),
}


@dataclass(frozen=True)
class Person:
    """A customer: name, the local part of their email, language and, if any, company."""

    name: str
    email: str
    language: str
    company: str = ""


CUSTOMERS = (
    Person("مریم احمدی", "maryam.ahmadi", "fa"),
    Person("علی رضایی", "ali.rezaei", "fa"),
    Person("زهرا حسینی", "zahra.hosseini", "fa"),
    Person("محمد کریمی", "mohammad.karimi", "fa", "رستوران شب‌های تهران"),
    Person("فاطمه موسوی", "fatemeh.mousavi", "fa"),
    Person("حسین جعفری", "hossein.jafari", "fa"),
    Person("نرگس قاسمی", "narges.ghasemi", "fa"),
    Person("رضا نوروزی", "reza.nowruzi", "fa"),
    Person("سمانه اکبری", "samaneh.akbari", "fa"),
    Person("امیر صادقی", "amir.sadeghi", "fa", "هتل آسمان"),
    Person("لیلا مرادی", "leila.moradi", "fa"),
    Person("مهدی کاظمی", "mehdi.kazemi", "fa"),
    Person("الهام رستمی", "elham.rostami", "fa"),
    Person("سعید یزدانی", "saeed.yazdani", "fa"),
    Person("پریسا شریفی", "parisa.sharifi", "fa"),
    Person("Mehmet Yılmaz", "mehmet.yilmaz", "tr"),
    Person("Ayşe Kaya", "ayse.kaya", "tr"),
    Person("Mustafa Demir", "mustafa.demir", "tr"),
    Person("Elif Şahin", "elif.sahin", "tr"),
    Person("Ahmet Çelik", "ahmet.celik", "tr", "Ege Butik Otel"),
    Person("Zeynep Öztürk", "zeynep.ozturk", "tr"),
    Person("Emre Aydın", "emre.aydin", "tr"),
    Person("Fatma Arslan", "fatma.arslan", "tr"),
    Person("Burak Doğan", "burak.dogan", "tr"),
    Person("Selin Koç", "selin.koc", "tr"),
    Person("Hakan Kurt", "hakan.kurt", "tr"),
    Person("Merve Yıldız", "merve.yildiz", "tr"),
    Person("Oğuz Aksoy", "oguz.aksoy", "tr"),
    Person("Derya Polat", "derya.polat", "tr"),
    Person("Cem Erdoğan", "cem.erdogan", "tr"),
    Person("Айгерім Сейітқали", "aigerim.seitkali", "kk"),
    Person("Нұрлан Әбенов", "nurlan.abenov", "kk"),
    Person("Дина Жақсылықова", "dina.zhaksylykova", "kk"),
    Person("Ерлан Қасымов", "erlan.kassymov", "kk", "Алатау Кафе"),
    Person("Әсел Төлегенова", "assel.tulegenova", "kk"),
    Person("Бауыржан Омаров", "bauyrzhan.omarov", "kk"),
    Person("Гүлнар Мұхамеджанова", "gulnar.mukhamedzhanova", "kk"),
    Person("Дәурен Серікбаев", "dauren.serikbayev", "kk"),
    Person("Жанар Бекова", "zhanar.bekova", "kk"),
    Person("Арман Нұрпейісов", "arman.nurpeisov", "kk"),
    Person("Мадина Ахметова", "madina.akhmetova", "kk"),
    Person("Тимур Сұлтанов", "timur.sultanov", "kk"),
    Person("Сәуле Ибраева", "saule.ibrayeva", "kk"),
    Person("Қайрат Есенов", "kairat.yessenov", "kk"),
    Person("Ләззат Жұмабаева", "lazzat.zhumabayeva", "kk"),
    Person("James Wilson", "james.wilson", "en"),
    Person("Emma Thompson", "emma.thompson", "en"),
    Person("Oliver Smith", "oliver.smith", "en"),
    Person("Sophie Brown", "sophie.brown", "en"),
    Person("Daniel Harris", "daniel.harris", "en", "Northwind Offices"),
    Person("Charlotte Evans", "charlotte.evans", "en"),
    Person("Michael Carter", "michael.carter", "en"),
    Person("Hannah Walker", "hannah.walker", "en"),
    Person("Thomas Wright", "thomas.wright", "en"),
    Person("Olivia Green", "olivia.green", "en"),
    Person("Ryan Mitchell", "ryan.mitchell", "en"),
    Person("Grace Turner", "grace.turner", "en"),
    Person("Lucas Bennett", "lucas.bennett", "en"),
    Person("Amelia Clarke", "amelia.clarke", "en"),
    Person("Nathan Hughes", "nathan.hughes", "en"),
)

OTHER_CUSTOMERS = (
    Person("Gökhan Tekin", "gokhan.tekin", "tr"),
    Person("Esra Yavuz", "esra.yavuz", "tr"),
    Person("Serkan Güneş", "serkan.gunes", "tr"),
    Person("Tuğba Karaca", "tugba.karaca", "tr"),
    Person("Kerem Özdemir", "kerem.ozdemir", "tr"),
)
OTHER_PRODUCTS = (
    Product("Anadolu 8 kg washer", "ANA-W8", "Anadolu", "Washing machines", "AN8W", "AW-8"),
    Product("Anadolu NoFrost 480", "ANA-F480", "Anadolu", "Refrigerators", "AN48", "NF-480"),
    Product("Anadolu Split 12", "ANA-AC12", "Anadolu", "Air conditioners", "AN12", "AS-12"),
)

# Mobile prefixes that phonenumbers accepts as valid, per country.
PHONE_PLANS: dict[str, tuple[str, tuple[str, ...], int]] = {
    "IR": ("+98", ("912", "935", "901", "919", "936", "921"), 7),
    "TR": ("+90", ("532", "533", "542", "505", "555", "544"), 7),
    "KZ": ("+7", ("701", "702", "705", "707", "747", "777"), 7),
}
LANGUAGE_COUNTRY = {"fa": "IR", "tr": "TR", "kk": "KZ"}


@dataclass(frozen=True)
class DemoPolicy:
    """An SLA policy of the demo: its name per organization, conditions and targets (minutes)."""

    names: tuple[str, str]  # (demo, other)
    first_response: int
    next_response: int
    resolution: int
    priorities: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()
    customer_tiers: tuple[str, ...] = ()


# First match wins: VIP customers, then urgent requests, then repairs, then everything else.
SLA_POLICIES = (
    DemoPolicy(("VIP customers", "VIP müşteriler"), 30, 60, 8 * 60, customer_tiers=("vip",)),
    DemoPolicy(("Urgent", "Acil"), 60, 2 * 60, 16 * 60, priorities=(4,)),
    DemoPolicy(
        ("Repairs and warranty", "Onarım ve garanti"),
        4 * 60,
        8 * 60,
        40 * 60,
        kinds=("repair", "warranty_claim", "return_exchange"),
    ),
    DemoPolicy(("Standard", "Standart"), 8 * 60, 8 * 60, 24 * 60),
)

# (names, threshold, delay in minutes, actions)
ESCALATION_RULES = (
    (("Warn the assignee", "Atanan kişiyi uyar"), "warning", 0, {"notify_assignee": True}),
    (
        ("Breach: tell the supervisors", "İhlal: yöneticilere bildir"),
        "breach",
        0,
        {"notify_supervisors": True},
    ),
    (
        ("Breach + 2 hours: urgent", "İhlal + 2 saat: acil"),
        "breach",
        120,
        {"raise_priority_to": 4, "notify_supervisors": True},
    ),
)

# Routing rules, in order: (names, kinds, product categories (with their subcategories), team
# key). Every demo scenario reaches its team by them; the call centre takes the rest.
ROUTING_RULES: tuple[tuple[tuple[str, str], tuple[str, ...], tuple[str, ...], str], ...] = (
    (
        ("TV repairs and returns to the workshop", "TV onarım ve iadeleri atölyeye"),
        ("repair", "warranty_claim", "return_exchange"),
        ("TVs",),
        "Workshop",
    ),
    (
        ("Repairs and visits to field service", "Onarım ve ziyaretler saha servisine"),
        ("repair", "installation", "maintenance"),
        (),
        "Field service",
    ),
    (
        ("Warranty claims to the workshop", "Garanti talepleri atölyeye"),
        ("warranty_claim", "return_exchange"),
        (),
        "Workshop",
    ),
    (
        ("Everything else to the call centre", "Diğer her şey çağrı merkezine"),
        (),
        (),
        "Call centre",
    ),
)

# How each team's requests find an agent (a Team.Assignment value): the call centre gives each
# new request to the available agent with the fewest open requests who speaks its language; the
# workshop and field service are dispatched by hand (visits need planning).
TEAM_ASSIGNMENT = {
    "Call centre": "least_open",
    "Workshop": "manual",
    "Field service": "manual",
}

# How routing sees each role's member of staff: the most open requests routing gives them, and
# the languages they answer in (none listed: any language).
STAFF_CAPACITY = {"admin": 10, "supervisor": 15, "agent": 20, "technician": 20}
STAFF_LANGUAGES = {"agent": ("fa", "en", "tr"), "technician": ("fa", "tr", "kk", "en")}
