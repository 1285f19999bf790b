"""Demo data content: organizations, people, products and realistic after-sales requests.

Plain data only (no models): `aftercare.lib.management.demo_seed` writes it through the
services, and the benchmark reuses the names, products and request texts.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

PASSWORD_ENV = "DEMO_PASSWORD"
PASSWORD_FILENAME = "demo-password"

DEMO_ORGANIZATION = {
    "name": "Demo Electronics",
    "slug": "demo",
    "country": "IR",
    "time_zone": "Asia/Tehran",
    "default_language": "fa",
}
OTHER_ORGANIZATION = {
    "name": "Other Appliances",
    "slug": "other",
    "country": "TR",
    "time_zone": "Europe/Istanbul",
    "default_language": "tr",
}


@dataclass(frozen=True)
class Login:
    """A demo account: who signs in where, with which role."""

    email: str
    full_name: str
    role: str  # a Membership.Role value, or "customer" for the portal account
    organization: str  # organization slug


DEMO_LOGINS = (
    Login("admin@demo.example", "ندا رحیمی", "admin", "demo"),
    Login("supervisor@demo.example", "کامران صالحی", "supervisor", "demo"),
    Login("agent@demo.example", "سارا محمدی", "agent", "demo"),
    Login("tech@demo.example", "علی حسینی", "technician", "demo"),
    Login("customer@demo.example", "شیرین کمالی", "customer", "demo"),
    Login("admin@other.example", "Emre Kaya", "admin", "other"),
)
DEMO_CUSTOMER_PHONE = "+98 912 418 2736"


def demo_password_path() -> Path:
    """Where seed_demo keeps the password it generated."""
    return Path(settings.VAR_DIR) / PASSWORD_FILENAME


def demo_password_known() -> str | None:
    """The demo password: DEMO_PASSWORD when set, else the one seed_demo generated, if any."""
    from_env = os.environ.get(PASSWORD_ENV, "")
    if from_env:
        return from_env
    path = demo_password_path()
    if path.exists():
        return path.read_text().strip() or None
    return None


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
class Scenario:
    """One kind of real after-sales request, written in every demo language.

    Placeholders: {model} {serial} {purchase_date} {seller} {days}.
    """

    key: str
    kind: str
    category: tuple[str, str | None]
    product_category: str | None
    team: str
    texts: dict[str, tuple[str, str]] = field(repr=False)
    needs_serial: bool = False
    needs_purchase: bool = False
    priority_weights: tuple[int, int, int, int] = (15, 50, 25, 10)  # low, normal, high, urgent
    tags: tuple[str, ...] = ()


SCENARIOS = (
    Scenario(
        "washer_leak",
        "repair",
        ("Washing machines", "Leak"),
        "Washing machines",
        "Field service",
        {
            "fa": (
                "نشت آب از زیر ماشین لباسشویی",
                "سلام، ماشین لباسشویی {model} که حدود یک سال پیش خریدم از دیروز موقع شستشو "
                "از زیرش آب می‌آید و کف حمام خیس می‌شود. شیلنگ ورودی را چک کردم و سالم به نظر "
                "می‌رسد. لطفاً یک تکنسین بفرستید. شماره سریال: {serial}",
            ),
            "tr": (
                "Çamaşır makinesinin altından su sızıyor",
                "Merhaba, yaklaşık bir yıl önce aldığım {model} çamaşır makinesi dünden beri "
                "yıkama sırasında alttan su kaçırıyor, banyo zemini sırılsıklam oluyor. Su giriş "
                "hortumunu kontrol ettim, sağlam görünüyor. Bir teknisyen gönderebilir misiniz? "
                "Seri no: {serial}",
            ),
            "kk": (
                "Кір жуғыш машинаның астынан су ағып жатыр",
                "Сәлеметсіз бе, бір жылдай бұрын сатып алған {model} кір жуғыш машинасы кеше "
                "жуу кезінде астынан су ағыза бастады, ванна бөлмесінің едені су болып қалды. Су "
                "кіретін шлангты тексердім, бүтін сияқты. Шебер жібере аласыз ба? Сериялық "
                "нөмірі: {serial}",
            ),
            "en": (
                "Washing machine leaking water from underneath",
                "Hello, my {model} washing machine, bought about a year ago, started leaking "
                "from underneath during the wash yesterday and the bathroom floor gets soaked. "
                "I checked the inlet hose and it looks fine. Could you send a technician? "
                "Serial number: {serial}",
            ),
        },
        needs_serial=True,
        priority_weights=(5, 45, 40, 10),
    ),
    Scenario(
        "washer_noise",
        "technical_support",
        ("Washing machines", "Noise"),
        "Washing machines",
        "Call centre",
        {
            "fa": (
                "صدای شدید ماشین لباسشویی هنگام آبگیری",
                "ماشین لباسشویی {model} موقع آبگیری صدای خیلی بلندی می‌دهد و کل دستگاه "
                "می‌لرزد و جابه‌جا می‌شود. پایه‌ها را تراز کردم ولی فرقی نکرد. آیا ممکن است "
                "پیچ‌های حمل‌ونقل باز نشده باشد؟ دستگاه را سه ماه پیش نصب کردیم.",
            ),
            "tr": (
                "Sıkma sırasında çok yüksek ses ve titreşim",
                "{model} çamaşır makinem sıkma programında çok yüksek ses çıkarıyor, bütün "
                "makine titreyip yerinden kayıyor. Ayakları ayarladım ama değişmedi. Nakliye "
                "vidaları sökülmemiş olabilir mi? Makine üç ay önce kuruldu.",
            ),
            "kk": (
                "Сығу кезінде қатты шу мен діріл",
                "{model} кір жуғыш машинам сығу режимінде өте қатты шу шығарады, бүкіл машина "
                "дірілдеп, орнынан жылжиды. Аяқтарын түзеттім, бірақ өзгеріс жоқ. Тасымалдау "
                "бұрандалары алынбай қалуы мүмкін бе? Машина үш ай бұрын орнатылған.",
            ),
            "en": (
                "Loud banging noise during the spin cycle",
                "My {model} makes a very loud banging noise on the spin cycle and the whole "
                "machine shakes and walks across the floor. I levelled the feet but it made no "
                "difference. Could the transit bolts still be in? It was installed three months "
                "ago.",
            ),
        },
    ),
    Scenario(
        "washer_error",
        "technical_support",
        ("Washing machines", "Error code"),
        "Washing machines",
        "Call centre",
        {
            "fa": (
                "خطای E21 روی صفحه لباسشویی",
                "ماشین لباسشویی {model} بعد از شستشو آب را تخلیه نمی‌کند و روی صفحه خطای E21 "
                "نشان می‌دهد. فیلتر پمپ را باز کردم و یک سکه و مقداری پرز درآوردم ولی باز همان "
                "خطا می‌آید. چه کار کنم؟",
            ),
            "tr": (
                "Çamaşır makinesinde E21 hata kodu",
                "{model} çamaşır makinesi yıkamadan sonra suyu boşaltmıyor ve ekranda E21 "
                "hatası veriyor. Pompa filtresini açıp bir bozuk para ve biraz tüy çıkardım ama "
                "aynı hata devam ediyor. Ne yapmalıyım?",
            ),
            "kk": (
                "Кір жуғыш машинада E21 қатесі",
                "{model} кір жуғыш машинасы жуғаннан кейін суды төкпейді, экранда E21 қатесі "
                "шығады. Сорғы сүзгісін ашып, бір тиын мен біраз түбіт алып тастадым, бірақ сол "
                "қате қайта шығады. Не істеуім керек?",
            ),
            "en": (
                "Error E21 on the washing machine display",
                "My {model} won't drain after the wash and shows error E21. I opened the pump "
                "filter and took out a coin and some lint, but the same error comes back. What "
                "should I do?",
            ),
        },
    ),
    Scenario(
        "washer_warranty",
        "warranty_claim",
        ("Washing machines", "No power"),
        "Workshop",
        "Workshop",
        {
            "fa": (
                "گارانتی - لباسشویی وسط برنامه خاموش شد",
                "ماشین لباسشویی {model} (سریال {serial}، تاریخ خرید {purchase_date}، خریداری "
                "شده از {seller}) وسط برنامه شستشو خاموش شد و دیگر روشن نمی‌شود. فیوز و پریز را "
                "بررسی کردم و مشکلی ندارد. در دستگاه قفل مانده و لباس‌ها داخلش هستند. طبق "
                "گارانتی لطفاً رسیدگی کنید.",
            ),
            "tr": (
                "Garanti - çamaşır makinesi program ortasında kapandı",
                "{model} çamaşır makinem (seri no {serial}, alış tarihi {purchase_date}, "
                "{seller}) yıkamanın ortasında kapandı ve bir daha açılmadı. Sigortayı ve prizi "
                "kontrol ettim, sorun yok. Kapak kilitli kaldı, çamaşırlar içeride. Garanti "
                "kapsamında ilgilenmenizi rica ederim.",
            ),
            "kk": (
                "Кепілдік — кір жуғыш машина бағдарлама ортасында сөнді",
                "{model} кір жуғыш машинам (сериялық нөмірі {serial}, {purchase_date} күні "
                "{seller} дүкенінен алынған) жуудың ортасында сөніп, қайта қосылмады. "
                "Сақтандырғыш пен розетканы тексердім, ақау жоқ. Есігі құлыпталып қалды, кірлер "
                "ішінде. Кепілдік бойынша көмектесулеріңізді сұраймын.",
            ),
            "en": (
                "Warranty claim: washing machine died mid-cycle",
                "My {model} (serial {serial}, bought from {seller} on {purchase_date}) switched "
                "off in the middle of a wash and won't turn back on. I checked the fuse and the "
                "socket, both fine. The door is locked with the laundry inside. Please handle "
                "this under warranty.",
            ),
        },
        needs_serial=True,
        needs_purchase=True,
        priority_weights=(0, 40, 45, 15),
        tags=("warranty",),
    ),
    Scenario(
        "fridge_not_cooling",
        "repair",
        ("Refrigerators", "Not cooling"),
        "Refrigerators",
        "Field service",
        {
            "fa": (
                "یخچال خنک نمی‌کند",
                "سلام، یخچال {model} ما از دو روز پیش خنک نمی‌کند؛ فریزر هنوز یخ می‌زند ولی "
                "قسمت پایین گرم است و مواد غذایی دارد خراب می‌شود. کمپرسور روشن می‌شود و صدایش "
                "می‌آید. لطفاً هرچه زودتر رسیدگی کنید.",
            ),
            "tr": (
                "Buzdolabı soğutmuyor",
                "Merhaba, {model} buzdolabımız iki gündür soğutmuyor; dondurucu hâlâ donduruyor "
                "ama alt bölme ılık ve yiyecekler bozulmaya başladı. Kompresör çalışıyor, sesi "
                "geliyor. Lütfen en kısa zamanda ilgilenin.",
            ),
            "kk": (
                "Тоңазытқыш суытпайды",
                "Сәлеметсіз бе, {model} тоңазытқышымыз екі күннен бері суытпай тұр; мұздатқыш "
                "әлі қатырады, бірақ төменгі бөлігі жылы, тамақ бұзыла бастады. Компрессор "
                "қосылады, дыбысы естіледі. Мүмкіндігінше тезірек көмектесіңізші.",
            ),
            "en": (
                "Fridge not cooling, freezer still works",
                "Hi, our {model} fridge stopped cooling two days ago. The freezer still freezes "
                "but the fridge compartment is warm and food is going off. The compressor runs, "
                "I can hear it. Please help as soon as possible.",
            ),
        },
        priority_weights=(0, 30, 50, 20),
    ),
    Scenario(
        "fridge_noise",
        "technical_support",
        ("Refrigerators", "Noise"),
        "Refrigerators",
        "Call centre",
        {
            "fa": (
                "صدای وزوز و تق‌تق از یخچال",
                "یخچال {model} شب‌ها صدای وزوز بلندی می‌دهد و هر چند دقیقه یک بار صدای تق "
                "می‌آید. طوری است که از اتاق خواب هم شنیده می‌شود. آیا این طبیعی است یا باید "
                "سرویس شود؟",
            ),
            "tr": (
                "Buzdolabından uğultu ve tıkırtı sesi",
                "{model} buzdolabı geceleri yüksek bir uğultu çıkarıyor ve birkaç dakikada bir "
                "tık sesi geliyor. Yatak odasından bile duyuluyor. Bu normal mi, yoksa servis "
                "gerekiyor mu?",
            ),
            "kk": (
                "Тоңазытқыштан гуіл мен тықылдаған дыбыс",
                "{model} тоңазытқышы түнде қатты гуілдейді, бірнеше минут сайын тық-тық еткен "
                "дыбыс шығады. Жатын бөлмеден де естіледі. Бұл қалыпты ма, әлде шебер шақыру "
                "керек пе?",
            ),
            "en": (
                "Fridge humming and clicking loudly at night",
                "Our {model} hums loudly at night and makes a clicking sound every few minutes. "
                "You can hear it from the bedroom. Is this normal or does it need a service "
                "visit?",
            ),
        },
        priority_weights=(30, 55, 15, 0),
    ),
    Scenario(
        "fridge_shelf",
        "spare_parts",
        ("Spare parts", None),
        "Refrigerators",
        "Call centre",
        {
            "fa": (
                "سفارش قفسه در یخچال",
                "سلام، قفسه پایینی در یخچال {model} ترک خورده و شکسته است. می‌خواهم یک قفسه نو "
                "سفارش بدهم. قیمت و زمان ارسال چقدر است؟ شماره سریال روی برچسب داخل یخچال: "
                "{serial}",
            ),
            "tr": (
                "Buzdolabı kapı rafı siparişi",
                "Merhaba, {model} buzdolabımın en alttaki kapı rafı çatlayıp kırıldı. Yenisini "
                "sipariş etmek istiyorum. Fiyatı ve gönderim süresi nedir? İç etiketteki seri "
                "no: {serial}",
            ),
            "kk": (
                "Тоңазытқыш есігінің сөресіне тапсырыс",
                "Сәлеметсіз бе, {model} тоңазытқышымның есігіндегі ең төменгі сөре жарылып, "
                "сынып қалды. Жаңасына тапсырыс бергім келеді. Бағасы қанша және қанша күнде "
                "жеткізіледі? Ішкі жапсырмадағы сериялық нөмір: {serial}",
            ),
            "en": (
                "Ordering a replacement fridge door shelf",
                "Hi, the bottom door shelf of my {model} cracked and broke. I'd like to order a "
                "new one. What is the price and how long is delivery? Serial number from the "
                "label inside: {serial}",
            ),
        },
        needs_serial=True,
        priority_weights=(50, 45, 5, 0),
    ),
    Scenario(
        "fridge_renewal",
        "contract_renewal",
        ("Warranty and contracts", None),
        "Refrigerators",
        "Call centre",
        {
            "fa": (
                "تمدید گارانتی تکمیلی یخچال",
                "گارانتی یخچال {model} با سریال {serial} ماه آینده تمام می‌شود. می‌خواهم "
                "گارانتی تکمیلی دوساله را تمدید کنم. شرایط و هزینه‌اش چیست و آیا بازدید قبل از "
                "تمدید لازم است؟",
            ),
            "tr": (
                "Buzdolabı ek garanti yenileme",
                "{serial} seri numaralı {model} buzdolabımın garantisi gelecek ay bitiyor. İki "
                "yıllık ek garantiyi yenilemek istiyorum. Koşulları ve ücreti nedir, yenilemeden "
                "önce kontrol ziyareti gerekiyor mu?",
            ),
            "kk": (
                "Тоңазытқыштың қосымша кепілдігін ұзарту",
                "Сериялық нөмірі {serial} {model} тоңазытқышының кепілдігі келесі айда "
                "аяқталады. Екі жылдық қосымша кепілдікті ұзартқым келеді. Шарттары мен бағасы "
                "қандай, ұзартпас бұрын тексеру қажет пе?",
            ),
            "en": (
                "Renewing the extended warranty on my fridge",
                "The warranty on my {model}, serial {serial}, ends next month. I'd like to renew "
                "the two-year extended warranty. What are the terms and the price, and is an "
                "inspection needed first?",
            ),
        },
        needs_serial=True,
        needs_purchase=True,
        priority_weights=(45, 50, 5, 0),
    ),
    Scenario(
        "ac_not_cooling",
        "repair",
        ("Air conditioners", "Not cooling"),
        "Air conditioners",
        "Field service",
        {
            "fa": (
                "کولر گازی باد گرم می‌دهد",
                "کولر گازی {model} روشن می‌شود و فن کار می‌کند ولی فقط باد گرم می‌دهد. روی حالت "
                "سرمایش و ۲۲ درجه تنظیم است. با این گرما واقعاً نمی‌شود در خانه ماند؛ لطفاً فوری "
                "تکنسین بفرستید.",
            ),
            "tr": (
                "Klima soğutmuyor, sıcak hava üflüyor",
                "{model} klima açılıyor, fan çalışıyor ama sadece ılık hava veriyor. Soğutma "
                "modunda ve 22 dereceye ayarlı. Bu sıcakta evde durmak mümkün değil, lütfen "
                "acilen teknisyen gönderin.",
            ),
            "kk": (
                "Кондиционер суытпайды, жылы ауа шығарады",
                "{model} кондиционері қосылады, желдеткіші жұмыс істейді, бірақ тек жылы ауа "
                "үрлейді. Салқындату режимінде, 22 градусқа қойылған. Мына ыстықта үйде отыру "
                "мүмкін емес, шеберді тез жіберіңізші.",
            ),
            "en": (
                "Air conditioner blowing warm air",
                "The {model} turns on and the fan runs, but it only blows warm air. It is set to "
                "cool at 22°C. With this heat we can't stay at home, please send a technician "
                "urgently.",
            ),
        },
        priority_weights=(0, 25, 45, 30),
    ),
    Scenario(
        "ac_leak",
        "repair",
        ("Air conditioners", "Leak"),
        "Air conditioners",
        "Field service",
        {
            "fa": (
                "چکه کردن آب از یونیت داخلی کولر",
                "از یونیت داخلی کولر گازی {model} آب روی دیوار و فرش چکه می‌کند. از هفته پیش "
                "شروع شده و هر روز بیشتر می‌شود. فعلاً کولر را خاموش کرده‌ایم.",
            ),
            "tr": (
                "Klima iç ünitesinden su damlıyor",
                "{model} klimanın iç ünitesinden duvara ve halıya su damlıyor. Geçen hafta "
                "başladı, her gün artıyor. Şimdilik klimayı kapattık.",
            ),
            "kk": (
                "Кондиционердің ішкі блогынан су тамшылайды",
                "{model} кондиционерінің ішкі блогынан қабырға мен кілемге су тамады. Өткен "
                "аптада басталды, күн сайын көбейіп келеді. Әзірге кондиционерді өшіріп қойдық.",
            ),
            "en": (
                "Water dripping from the indoor AC unit",
                "Water is dripping from the indoor unit of our {model} down the wall and onto "
                "the carpet. It started last week and is getting worse every day. We've switched "
                "it off for now.",
            ),
        },
    ),
    Scenario(
        "ac_install",
        "installation",
        ("Air conditioners", "Installation"),
        "Air conditioners",
        "Field service",
        {
            "fa": (
                "درخواست نصب کولر گازی",
                "سلام، کولر گازی {model} را از {seller} خریده‌ام و می‌خواهم برای نصب وقت بگیرم. "
                "آپارتمان طبقه سوم است و یونیت بیرونی باید روی بالکن نصب شود. آیا لوله‌کشی "
                "اضافه هزینه دارد؟ روزهای شنبه تا چهارشنبه بعدازظهر در خانه هستم.",
            ),
            "tr": (
                "Klima montajı için randevu",
                "Merhaba, {seller} mağazasından {model} klima aldım, montaj için randevu almak "
                "istiyorum. Daire üçüncü katta, dış ünite balkona takılacak. Ek boru için ücret "
                "alınıyor mu? Hafta içi öğleden sonra evdeyim.",
            ),
            "kk": (
                "Кондиционер орнатуға жазылу",
                "Сәлеметсіз бе, {seller} дүкенінен {model} кондиционерін сатып алдым, орнатуға "
                "уақыт алғым келеді. Пәтер үшінші қабатта, сыртқы блок балконға орнатылуы керек. "
                "Қосымша құбыр үшін ақы алына ма? Жұмыс күндері түстен кейін үйдемін.",
            ),
            "en": (
                "Booking an air conditioner installation",
                "Hello, I bought a {model} from {seller} and would like to book the "
                "installation. The flat is on the third floor and the outdoor unit has to go on "
                "the balcony. Is extra piping charged? I'm at home on weekday afternoons.",
            ),
        },
        needs_purchase=True,
        priority_weights=(20, 65, 15, 0),
    ),
    Scenario(
        "ac_service",
        "maintenance",
        ("Air conditioners", "Periodic service"),
        "Air conditioners",
        "Field service",
        {
            "fa": (
                "سرویس دوره‌ای کولر گازی قبل از تابستان",
                "سلام، می‌خواهم قبل از شروع گرما برای سرویس دوره‌ای کولر گازی {model} (شستشوی "
                "فیلتر و یونیت‌ها و بررسی گاز) وقت بگیرم. هزینه سرویس چقدر است و اولین نوبت "
                "خالی کی است؟",
            ),
            "tr": (
                "Yaz öncesi klima periyodik bakımı",
                "Merhaba, sıcaklar başlamadan {model} klimam için periyodik bakım (filtre ve "
                "ünite temizliği, gaz kontrolü) randevusu almak istiyorum. Bakım ücreti ne kadar, "
                "en erken ne zaman gelebilirsiniz?",
            ),
            "kk": (
                "Жаз алдында кондиционерге мерзімді қызмет көрсету",
                "Сәлеметсіз бе, ыстық басталмай тұрып {model} кондиционеріне мерзімді қызмет "
                "көрсетуге (сүзгі мен блоктарды тазалау, газды тексеру) жазылғым келеді. Қызмет "
                "құны қанша және ең жақын бос уақыт қашан?",
            ),
            "en": (
                "Annual air conditioner service before summer",
                "Hello, I'd like to book the annual service for my {model} before the hot "
                "weather starts (filter and coil cleaning, refrigerant check). What does it cost "
                "and when is the earliest slot?",
            ),
        },
        priority_weights=(40, 55, 5, 0),
    ),
    Scenario(
        "tv_no_picture",
        "repair",
        ("TVs", "Display"),
        "TVs",
        "Workshop",
        {
            "fa": (
                "تلویزیون صدا دارد ولی تصویر ندارد",
                "تلویزیون {model} روشن می‌شود و صدا پخش می‌شود ولی صفحه کاملاً سیاه است. اگر با "
                "چراغ‌قوه به صفحه نور بیندازم تصویر خیلی کم‌رنگ دیده می‌شود. کابل‌ها و منبع "
                "ورودی را عوض کردم، فرقی نکرد.",
            ),
            "tr": (
                "Televizyonda ses var ama görüntü yok",
                "{model} televizyon açılıyor, ses geliyor ama ekran tamamen siyah. Ekrana fenerle "
                "tuttuğumda görüntü çok soluk seçiliyor. Kabloları ve kaynağı değiştirdim, fark "
                "etmedi.",
            ),
            "kk": (
                "Теледидарда дыбыс бар, бірақ сурет жоқ",
                "{model} теледидары қосылады, дыбыс шығады, бірақ экран мүлдем қара. Экранға шам "
                "жарығын түсірсем, сурет әрең көрінеді. Кабельдер мен кіріс көзін ауыстырып "
                "көрдім, өзгеріс жоқ.",
            ),
            "en": (
                "TV has sound but no picture",
                "The {model} turns on and I get sound, but the screen stays completely black. If "
                "I shine a torch on the screen I can just make out a faint picture. I tried "
                "other cables and inputs, no change.",
            ),
        },
        needs_serial=True,
    ),
    Scenario(
        "tv_warranty",
        "warranty_claim",
        ("TVs", "No power"),
        "TVs",
        "Workshop",
        {
            "fa": (
                "درخواست گارانتی - تلویزیون روشن نمی‌شود",
                "تلویزیون {model} با شماره سریال {serial} که در تاریخ {purchase_date} از "
                "{seller} خریده‌ام دیگر روشن نمی‌شود؛ چراغ قرمز آماده‌به‌کار چند بار چشمک می‌زند "
                "و خاموش می‌شود. دستگاه هنوز گارانتی دارد و فاکتور خرید را دارم. لطفاً برای "
                "تعمیر یا تعویض اقدام کنید.",
            ),
            "tr": (
                "Garanti talebi - televizyon açılmıyor",
                "{purchase_date} tarihinde {seller} mağazasından aldığım {serial} seri numaralı "
                "{model} televizyon artık açılmıyor; kırmızı bekleme ışığı birkaç kez yanıp "
                "sönüyor ve kapanıyor. Cihaz hâlâ garanti kapsamında, faturası bende. Onarım "
                "veya değişim için gereğini rica ederim.",
            ),
            "kk": (
                "Кепілдік бойынша өтініш — теледидар қосылмайды",
                "{purchase_date} күні {seller} дүкенінен сатып алған, сериялық нөмірі {serial} "
                "{model} теледидары қосылмай қалды; қызыл күту шамы бірнеше рет жыпылықтап, "
                "сөніп қалады. Құрылғының кепілдігі әлі бітпеген, чегі бар. Жөндеуді немесе "
                "ауыстыруды сұраймын.",
            ),
            "en": (
                "Warranty claim: TV will not power on",
                "My {model} TV, serial number {serial}, bought from {seller} on {purchase_date}, "
                "no longer turns on: the red standby light blinks a few times and goes off. It "
                "is still under warranty and I have the receipt. Please arrange a repair or "
                "replacement.",
            ),
        },
        needs_serial=True,
        needs_purchase=True,
        priority_weights=(0, 50, 40, 10),
        tags=("warranty",),
    ),
    Scenario(
        "tv_dead_pixels",
        "return_exchange",
        ("TVs", "Display"),
        "TVs",
        "Workshop",
        {
            "fa": (
                "درخواست تعویض تلویزیون نو به‌خاطر پیکسل سوخته",
                "تلویزیون {model} را {days} روز پیش از {seller} خریدیم و وسط صفحه چند پیکسل "
                "سوخته دیده می‌شود که روی پس‌زمینه روشن خیلی توی چشم است. چون هنوز در مهلت "
                "تعویض هستیم، درخواست تعویض دارم. کارتن و لوازم کامل موجود است. سریال: {serial}",
            ),
            "tr": (
                "Yeni televizyonda ölü piksel - değişim talebi",
                "{model} televizyonu {days} gün önce {seller} mağazasından aldık, ekranın "
                "ortasında açık renkli arka planda hemen göze çarpan birkaç ölü piksel var. Hâlâ "
                "değişim süresi içinde olduğumuz için değişim istiyorum. Kutusu ve aksesuarları "
                "tam. Seri no: {serial}",
            ),
            "kk": (
                "Жаңа теледидардағы күйген пиксельдер — ауыстыру өтініші",
                "{model} теледидарын {days} күн бұрын {seller} дүкенінен сатып алдық, экранның "
                "ортасында ашық фонда бірден көзге түсетін бірнеше күйген пиксель бар. Қайтару "
                "мерзімі әлі өтпегендіктен, ауыстыруды сұраймын. Қорабы мен керек-жарақтары "
                "толық. Сериялық нөмірі: {serial}",
            ),
            "en": (
                "Exchange request: dead pixels on a new TV",
                "We bought the {model} from {seller} {days} days ago and there is a cluster of "
                "dead pixels in the middle of the screen, very visible on bright backgrounds. As "
                "we are still within the return period I'd like an exchange. Box and accessories "
                "are complete. Serial: {serial}",
            ),
        },
        needs_serial=True,
        needs_purchase=True,
        priority_weights=(0, 55, 40, 5),
    ),
    Scenario(
        "tv_remote",
        "spare_parts",
        ("Spare parts", None),
        "TVs",
        "Call centre",
        {
            "fa": (
                "کنترل اصلی تلویزیون می‌خواهم",
                "کنترل تلویزیون {model} گم شده است. کنترل اصلی با دکمه دستیار صوتی را از کجا "
                "می‌توانم بخرم؟ آیا امکان ارسال با پست هست؟",
            ),
            "tr": (
                "Orijinal kumanda siparişi",
                "{model} televizyonumun kumandası kayboldu. Sesli asistan düğmeli orijinal "
                "kumandayı nereden alabilirim? Kargo ile gönderebilir misiniz?",
            ),
            "kk": (
                "Түпнұсқа пульт керек",
                "{model} теледидарымның пульті жоғалып кетті. Дауыстық көмекші батырмасы бар "
                "түпнұсқа пультті қайдан сатып алуға болады? Поштамен жібере аласыз ба?",
            ),
            "en": (
                "Need an original remote control",
                "I lost the remote for my {model}. Where can I buy the original remote with the "
                "voice assistant button? Can you send it by post?",
            ),
        },
        priority_weights=(60, 40, 0, 0),
    ),
    Scenario(
        "tv_training",
        "training",
        ("TVs", "Smart features"),
        "TVs",
        "Call centre",
        {
            "fa": (
                "آموزش تنظیمات هوشمند تلویزیون",
                "پدر و مادرم تلویزیون {model} را تازه خریده‌اند و نمی‌توانند به وای‌فای وصل شوند "
                "و برنامه‌ها را نصب کنند. آیا امکان آموزش تلفنی یا حضوری کوتاه برایشان هست؟ "
                "ترجیحاً به زبان ساده.",
            ),
            "tr": (
                "Akıllı TV kurulumu için eğitim",
                "Annemle babam yeni bir {model} televizyon aldı ama Wi-Fi'ye bağlanamıyor ve "
                "uygulamaları yükleyemiyorlar. Onlara telefonla ya da evde kısa bir eğitim "
                "verebilir misiniz? Mümkünse sade bir dille.",
            ),
            "kk": (
                "Смарт-теледидарды баптауды үйрету",
                "Ата-анам жаңа {model} теледидарын алды, бірақ Wi-Fi-ға қосыла алмай, "
                "қосымшаларды орната алмай жүр. Оларға телефон арқылы немесе үйге келіп қысқаша "
                "үйретіп бере аласыз ба? Мүмкіндігінше қарапайым тілмен.",
            ),
            "en": (
                "Help setting up smart TV features",
                "My parents just bought a {model} and can't get it onto Wi-Fi or install apps. "
                "Could you give them a short walkthrough by phone or at home? Plain language "
                "please.",
            ),
        },
        priority_weights=(50, 50, 0, 0),
    ),
    Scenario(
        "washer_question",
        "question",
        ("Washing machines", None),
        "Washing machines",
        "Call centre",
        {
            "fa": (
                "سؤال درباره برنامه اکو و شروع با تأخیر",
                "سلام، چطور می‌توانم در ماشین لباسشویی {model} شروع با تأخیر را تنظیم کنم که "
                "شستشو ساعت ۶ صبح تمام شود؟ در دفترچه راهنما توضیحش واضح نیست. ضمناً برنامه اکو "
                "۴۰-۶۰ برای لباس‌های رنگی مناسب است؟",
            ),
            "tr": (
                "Eko programı ve gecikmeli başlatma hakkında soru",
                "Merhaba, {model} çamaşır makinesinde yıkamanın sabah 6'da bitmesi için "
                "gecikmeli başlatmayı nasıl ayarlarım? Kılavuzda açıkça anlatılmamış. Ayrıca Eko "
                "40-60 programı renkliler için uygun mu?",
            ),
            "kk": (
                "Эко бағдарламасы мен кейінге қалдырып іске қосу туралы сұрақ",
                "Сәлеметсіз бе, {model} кір жуғыш машинасында жуу таңғы 6-да аяқталатындай етіп "
                "кейінге қалдырылған іске қосуды қалай орнатамын? Нұсқаулықта түсінікті "
                "жазылмаған. Сондай-ақ Эко 40-60 бағдарламасы түрлі түсті киімдерге жарай ма?",
            ),
            "en": (
                "How do I use delay start and the Eco programme?",
                "Hello, how do I set the delay start on my {model} so that the wash finishes at "
                "6 am? The manual isn't clear about it. Also, is the Eco 40-60 programme fine for "
                "coloured clothes?",
            ),
        },
        priority_weights=(60, 40, 0, 0),
    ),
    Scenario(
        "complaint_no_show",
        "complaint",
        ("Service quality", None),
        None,
        "Call centre",
        {
            "fa": (
                "شکایت: تکنسین سر وقت نیامد",
                "برای امروز ساعت ۱۰ تا ۱۲ وقت تعمیر داشتیم و من به خاطرش مرخصی گرفتم، ولی "
                "تکنسین نیامد و هیچ‌کس هم تماس نگرفت. این دومین بار است که این اتفاق می‌افتد. "
                "واقعاً از خدمات شما ناراضی هستم و انتظار پیگیری جدی دارم.",
            ),
            "tr": (
                "Şikâyet: teknisyen randevuya gelmedi",
                "Bugün 10:00-12:00 arası servis randevumuz vardı, bunun için izin aldım ama "
                "teknisyen gelmedi, kimse de aramadı. Bu ikinci kez oluyor. Hizmetinizden hiç "
                "memnun değilim ve ciddi bir geri dönüş bekliyorum.",
            ),
            "kk": (
                "Шағым: шебер келісілген уақытта келмеді",
                "Бүгін сағат 10:00–12:00 аралығына жөндеуге жазылған едік, сол үшін жұмыстан "
                "сұранып қалдым, бірақ шебер келмеді, ешкім хабарласпады да. Бұл екінші рет "
                "қайталанып отыр. Қызметтеріңізге мүлдем көңілім толмайды, нақты жауап күтемін.",
            ),
            "en": (
                "Complaint: technician did not show up",
                "We had a repair appointment today between 10:00 and 12:00 and I took the "
                "morning off for it, but the technician never came and nobody called. This is "
                "the second time it has happened. I am very unhappy with the service and expect "
                "a proper follow-up.",
            ),
        },
        priority_weights=(0, 10, 60, 30),
        tags=("escalated",),
    ),
)

# The timeline around a request, per language. {name} is the customer, {ref} the request.
FIRST_REPLIES: dict[str, tuple[str, ...]] = {
    "fa": (
        "سلام {name} عزیز، درخواست شما با شماره {ref} ثبت شد. برای بررسی دقیق‌تر لطفاً یک عکس "
        "از برچسب مشخصات دستگاه (پشت یا داخل در) برای ما بفرستید.",
        "سلام، ممنون از تماس شما. درخواست {ref} به واحد فنی ارجاع شد و همکاران ما حداکثر تا "
        "۲۴ ساعت آینده با شما تماس می‌گیرند.",
        "سلام، بابت مشکل پیش‌آمده عذرخواهی می‌کنیم. بازدید تکنسین برای شما در اولین نوبت خالی "
        "هماهنگ شد؛ زمان دقیق با پیامک اطلاع داده می‌شود.",
    ),
    "tr": (
        "Merhaba {name}, talebiniz {ref} numarasıyla kaydedildi. Daha iyi inceleyebilmemiz için "
        "cihazın etiketinin (arkada veya kapak içinde) bir fotoğrafını gönderebilir misiniz?",
        "Merhaba, bize ulaştığınız için teşekkürler. {ref} numaralı talebiniz teknik ekibe "
        "iletildi, arkadaşlarımız en geç 24 saat içinde sizi arayacak.",
        "Merhaba, yaşadığınız sorun için özür dileriz. İlk boş randevuya teknisyen ziyareti "
        "planlandı; kesin saat SMS ile bildirilecek.",
    ),
    "kk": (
        "Сәлеметсіз бе, {name}! Өтініміңіз {ref} нөмірімен тіркелді. Толығырақ тексеру үшін "
        "құрылғының жапсырмасының (артқы жағында немесе есік ішінде) суретін жібересіз бе?",
        "Сәлеметсіз бе, хабарласқаныңызға рахмет. {ref} өтініміңіз техникалық топқа жіберілді, "
        "әріптестеріміз 24 сағат ішінде сізге хабарласады.",
        "Сәлеметсіз бе, туындаған қолайсыздық үшін кешірім сұраймыз. Шебердің келуі ең жақын "
        "бос уақытқа белгіленді; нақты уақыты SMS арқылы жіберіледі.",
    ),
    "en": (
        "Hello {name}, your request has been logged as {ref}. To look into it properly, could "
        "you send us a photo of the rating label (on the back or inside the door)?",
        "Hi, thanks for getting in touch. Request {ref} has been passed to our technical team "
        "and they will call you within 24 hours.",
        "Hello, we're sorry for the trouble. A technician visit has been booked for the first "
        "available slot; you'll get a text with the exact time.",
    ),
}
PROGRESS_REPLIES: dict[str, tuple[str, ...]] = {
    "fa": (
        "قطعه مورد نیاز سفارش داده شد و حدود ۳ تا ۵ روز کاری دیگر به انبار می‌رسد. به محض "
        "رسیدن با شما هماهنگ می‌کنیم.",
        "تکنسین ما فردا بین ساعت ۱۴ تا ۱۷ در محل حاضر می‌شود. لطفاً دسترسی به دستگاه و پریز "
        "برق را فراهم کنید.",
        "طبق بررسی، دستگاه شما مشمول گارانتی است و هزینه‌ای بابت قطعه و اجرت دریافت نمی‌شود.",
    ),
    "tr": (
        "Gerekli parça sipariş edildi, 3-5 iş günü içinde depoya ulaşacak. Gelir gelmez "
        "sizinle randevu planlayacağız.",
        "Teknisyenimiz yarın 14:00-17:00 arasında adresinizde olacak. Lütfen cihaza ve prize "
        "erişimi sağlayın.",
        "İncelememize göre cihazınız garanti kapsamında; parça ve işçilik için ücret alınmayacak.",
    ),
    "kk": (
        "Қажетті бөлшекке тапсырыс берілді, 3–5 жұмыс күнінде қоймаға келеді. Келген бойда "
        "сізбен уақытты келісеміз.",
        "Шебер ертең сағат 14:00–17:00 аралығында келеді. Құрылғы мен розеткаға қол жеткізуді "
        "қамтамасыз етіңізші.",
        "Тексеру нәтижесі бойынша құрылғыңыз кепілдікке жатады; бөлшек пен жұмыс үшін ақы "
        "алынбайды.",
    ),
    "en": (
        "The part you need has been ordered and should reach our warehouse in 3–5 working "
        "days. We'll book the visit as soon as it arrives.",
        "Our technician will be with you tomorrow between 14:00 and 17:00. Please make sure the "
        "appliance and the socket are accessible.",
        "We've checked and your appliance is covered by the warranty, so there is no charge for "
        "parts or labour.",
    ),
}
PART_ORDERED = {lang: replies[0] for lang, replies in PROGRESS_REPLIES.items()}
INFO_REQUESTS: dict[str, tuple[str, ...]] = {
    "fa": (
        "برای ادامه بررسی به تصویر فاکتور خرید و شماره سریال دستگاه نیاز داریم. لطفاً آن‌ها را "
        "در پاسخ همین پیام ارسال کنید.",
        "لطفاً بفرمایید چه روز و ساعتی برای بازدید تکنسین مناسب شماست؟",
    ),
    "tr": (
        "İncelemeye devam edebilmemiz için faturanın fotoğrafına ve cihazın seri numarasına "
        "ihtiyacımız var. Lütfen bu mesaja yanıt olarak gönderin.",
        "Teknisyen ziyareti için hangi gün ve saat size uygun?",
    ),
    "kk": (
        "Тексеруді жалғастыру үшін сатып алу чегінің суреті мен құрылғының сериялық нөмірі "
        "қажет. Осы хатқа жауап ретінде жіберіңізші.",
        "Шебердің келуіне қай күн мен уақыт сізге ыңғайлы?",
    ),
    "en": (
        "To continue we need a photo of the purchase receipt and the appliance's serial number. "
        "Please send them in reply to this message.",
        "Which day and time would suit you for the technician's visit?",
    ),
}
CUSTOMER_NUDGES: dict[str, tuple[str, ...]] = {
    "fa": (
        "سلام، خبری نشد؟ هنوز کسی با من تماس نگرفته است.",
        "عکس برچسب و فاکتور را فرستادم. شنبه صبح هم برای بازدید مناسب است.",
    ),
    "tr": (
        "Merhaba, bir gelişme var mı? Hâlâ kimse aramadı.",
        "Etiketin ve faturanın fotoğrafını gönderdim. Cumartesi sabahı ziyaret için uygun.",
    ),
    "kk": (
        "Сәлеметсіз бе, жаңалық бар ма? Әлі ешкім хабарласқан жоқ.",
        "Жапсырма мен чектің суретін жібердім. Сенбі күні таңертең келуге болады.",
    ),
    "en": (
        "Hi, any news? Nobody has called me yet.",
        "I've sent the label and the receipt. Saturday morning works for a visit.",
    ),
}
CUSTOMER_THANKS = {
    "fa": "ممنون، تکنسین آمد و مشکل حل شد. از پیگیری‌تان سپاسگزارم.",
    "tr": "Teşekkürler, teknisyen geldi ve sorun çözüldü. İlginiz için sağ olun.",
    "kk": "Рахмет, шебер келіп, ақау жөнделді. Көмектескендеріңізге алғыс айтамын.",
    "en": "Thanks, the technician came and the problem is fixed. Much appreciated.",
}
CUSTOMER_RELAPSE = {
    "fa": "متأسفانه بعد از تعمیر دوباره همان مشکل پیش آمده است.",
    "tr": "Maalesef onarımdan sonra aynı sorun tekrar başladı.",
    "kk": "Өкінішке қарай, жөндеуден кейін сол ақау қайта шықты.",
    "en": "Unfortunately the same problem came back after the repair.",
}
CLOSING_REPLIES = {
    "fa": "خوشحالیم که مشکل برطرف شد. درخواست شما حل‌شده علامت خورد؛ اگر دوباره مشکلی پیش آمد "
    "کافی است به همین پیام پاسخ دهید.",
    "tr": "Sorunun çözülmesine sevindik. Talebinizi çözüldü olarak işaretliyoruz; sorun "
    "tekrarlarsa bu mesajı yanıtlamanız yeterli.",
    "kk": "Ақаудың жойылғанына қуаныштымыз. Өтініміңізді шешілді деп белгілейміз; ақау "
    "қайталанса, осы хатқа жауап беріңіз.",
    "en": "Glad to hear it's sorted. We're marking your request as resolved; if the problem "
    "comes back, just reply to this message.",
}
NOTES: dict[str, tuple[str, ...]] = {
    "fa": (
        "گارانتی در سیستم بررسی شد: معتبر تا پایان سال. قطعه احتمالی: پمپ تخلیه.",
        "مشتری دو بار قبلاً هم برای همین مشکل تماس گرفته؛ در اولویت قرار گیرد.",
        "قطعه از انبار مرکزی درخواست شد، کد رهگیری در سیستم انبار ثبت است.",
    ),
    "tr": (
        "Garanti sistemde kontrol edildi: yıl sonuna kadar geçerli. Muhtemel parça: tahliye "
        "pompası.",
        "Müşteri aynı sorun için daha önce iki kez aradı, öncelik verelim.",
        "Parça merkez depodan istendi, takip kodu depo sisteminde.",
    ),
    "kk": (
        "Кепілдік жүйеде тексерілді: жыл соңына дейін жарамды. Ықтимал бөлшек: су төгу сорғысы.",
        "Клиент осы ақау бойынша бұрын екі рет хабарласқан, басымдық берейік.",
        "Бөлшек орталық қоймадан сұралды, бақылау коды қойма жүйесінде.",
    ),
    "en": (
        "Warranty checked in the system: valid until the end of the year. Likely part: drain pump.",
        "Customer has called twice before about the same fault, let's prioritise.",
        "Part requested from the central warehouse; tracking code is in the stock system.",
    ),
}
# (text, direction) of logged phone calls.
CALLS: dict[str, tuple[tuple[str, str], ...]] = {
    "fa": (
        ("با مشتری تماس گرفتم؛ زمان بازدید را برای پنجشنبه صبح تأیید کرد.", "outbound"),
        ("مشتری تماس گرفت و وضعیت درخواست را پرسید؛ توضیح داده شد قطعه در راه است.", "inbound"),
        ("تماس بی‌پاسخ ماند؛ پیامک ارسال شد.", "outbound"),
    ),
    "tr": (
        ("Müşteriyi aradım; ziyareti perşembe sabahı için onayladı.", "outbound"),
        ("Müşteri arayıp talebin durumunu sordu; parçanın yolda olduğu anlatıldı.", "inbound"),
        ("Arama cevapsız kaldı; SMS gönderildi.", "outbound"),
    ),
    "kk": (
        ("Клиентке қоңырау шалдым; бейсенбі таңертең келуді растады.", "outbound"),
        ("Клиент қоңырау шалып, өтінімнің жайын сұрады; бөлшектің жолда екені айтылды.", "inbound"),
        ("Қоңырауға жауап берілмеді; SMS жіберілді.", "outbound"),
    ),
    "en": (
        ("Called the customer; visit confirmed for Thursday morning.", "outbound"),
        ("Customer called asking for an update; explained the part is on its way.", "inbound"),
        ("No answer; sent a text message instead.", "outbound"),
    ),
}
# (resolution, root cause)
RESOLUTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "fa": (
        ("تکنسین در محل، قطعه معیوب را تعویض کرد و دستگاه با موفقیت تست شد.", "قطعه معیوب"),
        ("راهنمایی تلفنی انجام شد و مشکل با تنظیم صحیح دستگاه برطرف شد.", "تنظیمات نادرست"),
        ("دستگاه در تعمیرگاه تعمیر و به مشتری تحویل داده شد.", "خرابی برد الکترونیکی"),
    ),
    "tr": (
        (
            "Teknisyen arızalı parçayı yerinde değiştirdi, cihaz test edildi, sorunsuz çalışıyor.",
            "Arızalı parça",
        ),
        ("Telefonda yönlendirme yapıldı, cihaz doğru ayarlanınca sorun giderildi.", "Yanlış ayar"),
        ("Cihaz serviste onarılıp müşteriye teslim edildi.", "Elektronik kart arızası"),
    ),
    "kk": (
        (
            "Шебер ақаулы бөлшекті орнында ауыстырды, құрылғы тексеріліп, қалыпты жұмыс істейді.",
            "Ақаулы бөлшек",
        ),
        ("Телефон арқылы кеңес берілді, құрылғы дұрыс бапталған соң ақау жойылды.", "Қате баптау"),
        ("Құрылғы сервис орталығында жөнделіп, клиентке қайтарылды.", "Электрондық плата ақауы"),
    ),
    "en": (
        (
            "Technician replaced the faulty part on site; appliance tested and working normally.",
            "Faulty part",
        ),
        (
            "Talked the customer through the settings by phone; issue gone once set up correctly.",
            "Incorrect settings",
        ),
        ("Repaired in the service centre and returned to the customer.", "Control board failure"),
    ),
}
CLOSE_REASON = "No reply from the customer for 7 days after resolution."


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

# Kinds of request that go straight to a team (team key), in order; the rest go to the call centre.
ROUTING_RULES = (
    (("Repairs to the workshop", "Onarımlar atölyeye"), ("repair", "warranty_claim"), "Workshop"),
    (
        ("Visits to field service", "Ziyaretler saha servisine"),
        ("installation", "maintenance"),
        "Field service",
    ),
    (("Everything else to the call centre", "Diğer her şey çağrı merkezine"), (), "Call centre"),
)
