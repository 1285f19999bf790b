"""After-sales text for the search bench: requests and their messages in Persian, Turkish,
Kazakh and English, drawn from vocabularies so that word frequencies look like a helpdesk's.

Every request is about one product (its word is in the subject and usually in the text), has
one symptom, often a part, a city, a brand and model, the time since purchase; its messages
are the agent's replies, the customer's follow-ups and internal notes. So, over a large
organization:

- very common words: the product words (کولر, یخچال, washing, buzdolabı, тоңазытқыш), the
  Persian verb forms (می‌شود), English "the", Kazakh "не" ("what": the customers ask what to
  do), each in about 5-30 % of requests;
- medium words: parts (کمپرسور, kompresör, компрессор, compressor), cities, brands, customers'
  names, error codes, each in about 0.3-3 %;
- rare words: RARE_PER_MILLION requests in a million for each rare word of a language (a
  thermistor, a capillary tube...), mentioned in the customer's description.

Persian is written as people type it: a joint that takes a ZWNJ (می‌شود, لباس‌شویی, کولرها) is
written with the ZWNJ, solid or with a space, and a share of customers type with an Arabic
keyboard (ي for ی, ك for ک). The query list (`QUERIES`) asks for words of each band, some
typed the other way (Arabic letters, Persian digits, Turkish and Kazakh upper case).
"""

import bisect
import itertools
import random
from dataclasses import dataclass

# Languages of the requests and their shares.
LANGUAGES = ("fa", "tr", "kk", "en")
LANGUAGE_WEIGHTS = (0.45, 0.2, 0.15, 0.2)

# How a Persian joint ("|" in the vocabularies) is written: ZWNJ, solid, a space.
ZWNJ = "\u200c"
JOINTS = ((ZWNJ, 0.55), ("", 0.25), (" ", 0.2))
# Persian customers who type with an Arabic keyboard (ي ك).
ARABIC_KEYBOARD = 0.15
_ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})

# Each rare word is in about this many requests of a million (of its language's share).
RARE_PER_MILLION = 30

# How many messages a request has (1, 2 or 3) and how often.
MESSAGE_COUNTS = (1, 2, 3)
MESSAGE_WEIGHTS = (0.45, 0.35, 0.2)

ERROR_CODES = tuple(f"{letter}{number:02d}" for letter in "EFH" for number in range(1, 11))

BRANDS = ("Arya", "Kavir", "Marmara", "Alatau")

# The products each symptom of a vocabulary's list (same order in every language) happens to:
# W washing machine, R refrigerator, A air conditioner, T TV, D dishwasher. In order: not
# cooling, leaking, loud noise, does not turn on, keeps switching off, does not drain,
# vibrates, no picture, smells of burning, stopped working.
SYMPTOM_FITS = ("RA", "WRAD", "WRAD", "WRATD", "WRATD", "WD", "WD", "T", "WRATD", "WRATD")


@dataclass(frozen=True)
class Vocabulary:
    """One language's words and sentences. Products are (words, weight, demo category, kind
    letter); `symptoms` are phrases after the product, in the order of SYMPTOM_FITS in every
    language; the templates take {product} {symptom} {part} {city} {time} {brand} {model}
    {name} {code} {rare}."""

    products: tuple[tuple[str, float, str, str], ...]
    symptoms: tuple[str, ...]
    error_symptom: str  # with {code}
    parts: tuple[str, ...]
    cities: tuple[str, ...]
    times: tuple[str, ...]
    brands: tuple[str, ...]
    descriptions: tuple[str, ...]
    replies: tuple[str, ...]
    follow_ups: tuple[str, ...]
    notes: tuple[str, ...]
    rare_sentence: str
    rare: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    resolution: str


FA = Vocabulary(
    products=(
        ("کولر گازی", 0.18, "Air conditioners", "A"),
        ("کولر آبی", 0.12, "Air conditioners", "A"),
        ("یخچال فریزر", 0.25, "Refrigerators", "R"),
        ("ماشین لباس|شویی", 0.22, "Washing machines", "W"),
        ("تلویزیون", 0.15, "TVs", "T"),
        ("ماشین ظرف|شویی", 0.08, "", "D"),
    ),
    symptoms=(
        "خنک نمی|کند",
        "آب چکه می|کند",
        "صدای زیادی می|دهد",
        "روشن نمی|شود",
        "مدام خاموش می|شود",
        "آب را تخلیه نمی|کند",
        "لرزش شدید دارد",
        "تصویر ندارد",
        "بوی سوختگی می|دهد",
        "کار نمی|کند",
    ),
    error_symptom="کد خطای {code} نشان می|دهد",
    parts=(
        "کمپرسور",
        "موتور",
        "پمپ تخلیه",
        "برد الکترونیکی",
        "ترموستات",
        "فن",
        "شیر برقی",
        "لاستیک درب",
        "خازن",
        "سنسور دما",
        "تسمه",
        "گاز",
        "رله",
        "فیلتر",
        "شلنگ ورودی",
        "المنت",
    ),
    cities=(
        "تهران",
        "مشهد",
        "اصفهان",
        "شیراز",
        "تبریز",
        "کرج",
        "اهواز",
        "قم",
        "کرمانشاه",
        "رشت",
        "یزد",
        "ارومیه",
    ),
    times=("سه روز", "دو هفته", "یک ماه", "شش ماه", "یک سال", "دو سال"),
    brands=("آریا", "کویر", "مرمره", "آلاتاو"),
    descriptions=(
        "سلام، {product} {brand} مدل {model} که {time} پیش خریدم {symptom}. لطفا یک تکنسین "
        "بفرستید.",
        "{product} ما از {time} پیش {symptom} و هنوز گارانتی دارد. آدرس: {city}، خیابان ولیعصر.",
        "با سلام. {product} {symptom}؛ فکر می|کنم {part} خراب شده است. شماره سریال روی برچسب هست.",
        "{product} در {city} نصب شده و {symptom}. لطفا برای تعمیر هماهنگ کنید.",
        "{product} {brand} {symptom}. قبلا هم {part} را عوض کرده|اند ولی دوباره همین مشکل هست.",
    ),
    replies=(
        "{name} عزیز، سلام. درخواست شما ثبت شد و تکنسین ما در {city} با شما تماس می|گیرد.",
        "با سلام، لطفا عکس برچسب {product} و فاکتور خرید را بفرستید.",
        "تکنسین برای تعویض {part} فردا صبح مراجعه می|کند.",
        "{name} گرامی، {part} سفارش داده شد و تا یک هفته دیگر می|رسد.",
    ),
    follow_ups=(
        "تکنسین هنوز نیامده است. کی می|آید؟",
        "ممنون، مشکل {part} حل شد.",
        "دوباره همان مشکل پیش آمد، {product} {symptom}.",
        "فاکتور خرید را فرستادم، لطفا بررسی کنید.",
        "لطفا زودتر پیگیری کنید، {product} {symptom}.",
    ),
    notes=(
        "قطعه {part} سفارش داده شد.",
        "مشتری پیگیری کرد؛ {part} در انبار {city} موجود نیست.",
        "بازدید انجام شد، {part} نیاز به تعویض دارد.",
    ),
    rare_sentence="تکنسین قبلی گفت ممکن است {rare} هم ایراد داشته باشد.",
    rare=(
        "ترموفیوز",
        "اواپراتور",
        "کاپیلاری",
        "اورلود",
        "دیفراست",
        "کندانسور",
        "سلونوئید",
        "ترایاک",
        "شناور",
        "بلبرینگ",
    ),
    first_names=(
        "مریم",
        "علی",
        "زهرا",
        "محمد",
        "فاطمه",
        "حسین",
        "نرگس",
        "رضا",
        "سمانه",
        "امیر",
        "لیلا",
        "مهدی",
        "الهام",
        "سعید",
        "پریسا",
        "کاوه",
        "نسرین",
        "بهرام",
        "شیرین",
        "یاسر",
    ),
    last_names=(
        "احمدی",
        "رضایی",
        "حسینی",
        "کریمی",
        "موسوی",
        "جعفری",
        "قاسمی",
        "نوروزی",
        "اکبری",
        "صادقی",
        "مرادی",
        "کاظمی",
        "رستمی",
        "یزدانی",
        "شریفی",
        "کیانی",
        "طاهری",
        "فرهادی",
        "نیک|نام",
        "میرزایی",
    ),
    resolution="{part} تعویض شد و دستگاه تست شد.",
)

TR = Vocabulary(
    products=(
        ("çamaşır makinesi", 0.35, "Washing machines", "W"),
        ("buzdolabı", 0.25, "Refrigerators", "R"),
        ("klima", 0.25, "Air conditioners", "A"),
        ("televizyon", 0.15, "TVs", "T"),
    ),
    symptoms=(
        "soğutmuyor",
        "su sızdırıyor",
        "çok ses yapıyor",
        "açılmıyor",
        "sürekli kapanıyor",
        "suyu boşaltmıyor",
        "çok titriyor",
        "görüntü vermiyor",
        "yanık kokusu geliyor",
        "çalışmıyor",
    ),
    error_symptom="{code} hata kodu veriyor",
    parts=(
        "kompresör",
        "motor",
        "pompa",
        "anakart",
        "termostat",
        "fan",
        "kapı contası",
        "rezistans",
        "kondansatör",
        "sensör",
        "kayış",
    ),
    cities=(
        "İstanbul",
        "Ankara",
        "İzmir",
        "Bursa",
        "Antalya",
        "Konya",
        "Adana",
        "Kayseri",
        "Eskişehir",
        "Trabzon",
    ),
    times=("üç gün", "iki hafta", "bir ay", "altı ay", "bir yıl", "iki yıl"),
    brands=BRANDS,
    descriptions=(
        "Merhaba, {time} önce aldığım {brand} {model} {product} {symptom}. Garanti kapsamında "
        "servis istiyorum.",
        "{city} adresimize teknisyen gönderebilir misiniz? {product} {symptom}.",
        "{product} {symptom}, sanırım {part} arızalı. Seri numarası etikette yazıyor.",
        "Evdeki {product} {time} önce {symptom} ve hâlâ garantide.",
    ),
    replies=(
        "Sayın {name}, talebiniz alındı. {city} servisimiz sizi arayacak.",
        "Lütfen faturanın ve etiketin fotoğrafını gönderin.",
        "Teknisyenimiz yarın {part} değişimi için gelecek.",
        "Sayın {name}, {part} sipariş edildi, bir hafta içinde gelecek.",
    ),
    follow_ups=(
        "Teknisyen hâlâ gelmedi, ne zaman gelecek?",
        "Teşekkürler, {part} sorunu çözüldü.",
        "Yine aynı arıza oldu: {product} {symptom}.",
        "Faturayı gönderdim, kontrol eder misiniz?",
    ),
    notes=(
        "{part} sipariş edildi.",
        "Müşteri aradı; {city} deposunda {part} yok.",
        "Ziyaret yapıldı, {part} değişmeli.",
    ),
    rare_sentence="Önceki teknisyen {rare} de arızalı olabilir dedi.",
    rare=(
        "termistör",
        "eşanjör",
        "selenoid",
        "kapiler",
        "triyak",
        "varistör",
        "amortisör",
        "rulman",
        "şamandıra",
        "debriyaj",
    ),
    first_names=(
        "Mehmet",
        "Ayşe",
        "Mustafa",
        "Elif",
        "Ahmet",
        "Zeynep",
        "Emre",
        "Fatma",
        "Burak",
        "Selin",
        "Hakan",
        "Merve",
        "Oğuz",
        "Derya",
        "Cem",
        "İbrahim",
        "Gökhan",
        "Esra",
        "Serkan",
        "Tuğba",
    ),
    last_names=(
        "Yılmaz",
        "Kaya",
        "Demir",
        "Şahin",
        "Çelik",
        "Öztürk",
        "Aydın",
        "Arslan",
        "Doğan",
        "Koç",
        "Kurt",
        "Yıldız",
        "Aksoy",
        "Polat",
        "Erdoğan",
        "Tekin",
        "Yavuz",
        "Güneş",
        "Karaca",
        "Özdemir",
    ),
    resolution="{part} değiştirildi, cihaz test edildi.",
)

KK = Vocabulary(
    products=(
        ("кір жуғыш машина", 0.3, "Washing machines", "W"),
        ("тоңазытқыш", 0.3, "Refrigerators", "R"),
        ("кондиционер", 0.25, "Air conditioners", "A"),
        ("теледидар", 0.15, "TVs", "T"),
    ),
    symptoms=(
        "суытпайды",
        "су ағызып тұр",
        "қатты шу шығарады",
        "іске қосылмайды",
        "өшіп қала береді",
        "суды төкпейді",
        "қатты дірілдейді",
        "сурет көрсетпейді",
        "күйік иісі шығады",
        "жұмыс істемейді",
    ),
    error_symptom="{code} қате кодын көрсетеді",
    parts=(
        "компрессор",
        "қозғалтқыш",
        "сорғы",
        "басқару тақтасы",
        "термостат",
        "желдеткіш",
        "есік тығыздағышы",
        "қыздырғыш",
        "конденсатор",
        "датчик",
    ),
    cities=(
        "Алматы",
        "Астана",
        "Шымкент",
        "Қарағанды",
        "Ақтөбе",
        "Атырау",
        "Павлодар",
        "Өскемен",
        "Тараз",
        "Семей",
    ),
    times=("үш күн", "екі апта", "бір ай", "алты ай", "бір жыл", "екі жыл"),
    brands=BRANDS,
    descriptions=(
        "Сәлеметсіз бе, {time} бұрын сатып алған {brand} {model} {product} {symptom}. Не "
        "істеу керек?",
        "{city} қаласына шебер жібере аласыз ба? {product} {symptom}.",
        "{product} {symptom}, менің ойымша {part} бұзылған. Не болғанын түсінбедім.",
        "Үйдегі {product} {time} бұрын {symptom}, кепілдік әлі бар.",
    ),
    replies=(
        "Құрметті {name}, өтінішіңіз қабылданды. {city} қаласындағы шебер сізге хабарласады.",
        "Өтінеміз, чек пен жапсырманың суретін жіберіңіз.",
        "Шебер ертең {part} ауыстыруға келеді.",
    ),
    follow_ups=(
        "Шебер әлі келген жоқ, не болды?",
        "Рахмет, {part} мәселесі шешілді.",
        "Тағы сол ақау: {product} {symptom}. Не істейміз?",
        "Чекті жібердім, тексеріп беріңізші.",
    ),
    notes=(
        "{part} тапсырыс берілді.",
        "Клиент қоңырау шалды; {city} қоймасында {part} жоқ.",
    ),
    rare_sentence="Алдыңғы шебер {rare} да ақаулы болуы мүмкін деді.",
    rare=(
        "термистор",
        "капилляр",
        "соленоид",
        "варистор",
        "амортизатор",
        "подшипник",
        "қалтқы",
        "эвапоратор",
        "симистор",
        "тахогенератор",
    ),
    first_names=(
        "Айгерім",
        "Нұрлан",
        "Дина",
        "Ерлан",
        "Әсел",
        "Бауыржан",
        "Гүлнар",
        "Дәурен",
        "Жанар",
        "Арман",
        "Мадина",
        "Тимур",
        "Сәуле",
        "Қайрат",
        "Ләззат",
        "Асқар",
        "Ақмарал",
        "Ғалым",
        "Іңкәр",
        "Ұлан",
    ),
    last_names=(
        "Сейітқали",
        "Әбенов",
        "Жақсылықова",
        "Қасымов",
        "Төлегенова",
        "Омаров",
        "Мұхамеджанова",
        "Серікбаев",
        "Бекова",
        "Нұрпейісов",
        "Ахметова",
        "Сұлтанов",
        "Ибраева",
        "Есенов",
        "Жұмабаева",
        "Оспанов",
        "Құдайбергенова",
        "Тоқтаров",
        "Әлиева",
        "Иманбаев",
    ),
    resolution="{part} ауыстырылды, құрылғы тексерілді.",
)

EN = Vocabulary(
    products=(
        ("washing machine", 0.4, "Washing machines", "W"),
        ("fridge", 0.25, "Refrigerators", "R"),
        ("air conditioner", 0.2, "Air conditioners", "A"),
        ("TV", 0.15, "TVs", "T"),
    ),
    symptoms=(
        "is not cooling",
        "is leaking water",
        "makes a loud noise",
        "does not turn on",
        "keeps switching off",
        "does not drain",
        "vibrates badly",
        "has no picture",
        "smells of burning",
        "stopped working",
    ),
    error_symptom="shows error code {code}",
    parts=(
        "compressor",
        "motor",
        "drain pump",
        "control board",
        "thermostat",
        "fan",
        "door seal",
        "heater",
        "capacitor",
        "sensor",
        "belt",
    ),
    cities=(
        "London",
        "Manchester",
        "Birmingham",
        "Leeds",
        "Glasgow",
        "Bristol",
        "Liverpool",
        "Sheffield",
        "Edinburgh",
        "Cardiff",
    ),
    times=("three days", "two weeks", "a month", "six months", "a year", "two years"),
    brands=BRANDS,
    descriptions=(
        "Hello, my {brand} {model} {product} bought {time} ago {symptom}. Please send a "
        "technician.",
        "The {product} at our {city} address {symptom}; I think the {part} is faulty.",
        "Our {product} {symptom} since {time} ago. It is still under warranty.",
        "Hi, the {product} {symptom}. The serial number is on the label at the back.",
    ),
    replies=(
        "Dear {name}, thank you, your request is registered and our {city} team will call you.",
        "Please send a photo of the label and of the receipt.",
        "Our technician will come tomorrow to replace the {part}.",
    ),
    follow_ups=(
        "The technician has not come yet, when will he come?",
        "Thanks, the {part} problem is solved.",
        "The same fault again: the {product} {symptom}.",
        "I have sent the receipt, please check it.",
    ),
    notes=(
        "{part} ordered.",
        "Customer called; no {part} in the {city} warehouse.",
        "Visited: the {part} must be replaced.",
    ),
    rare_sentence="The last technician said the {rare} may be faulty too.",
    rare=(
        "thermistor",
        "capillary",
        "solenoid",
        "varistor",
        "damper",
        "bearing",
        "evaporator",
        "triac",
        "tachometer",
        "grommet",
    ),
    first_names=(
        "James",
        "Emma",
        "Oliver",
        "Sophie",
        "Daniel",
        "Charlotte",
        "Michael",
        "Hannah",
        "Thomas",
        "Olivia",
        "Ryan",
        "Grace",
        "Lucas",
        "Amelia",
        "Nathan",
        "Chloe",
        "Jack",
        "Isla",
        "George",
        "Freya",
    ),
    last_names=(
        "Wilson",
        "Thompson",
        "Smith",
        "Brown",
        "Harris",
        "Evans",
        "Carter",
        "Walker",
        "Wright",
        "Green",
        "Mitchell",
        "Turner",
        "Bennett",
        "Clarke",
        "Hughes",
        "Taylor",
        "Roberts",
        "Cooper",
        "Ward",
        "Morgan",
    ),
    resolution="The {part} was replaced and the unit tested.",
)

VOCABULARIES = {"fa": FA, "tr": TR, "kk": KK, "en": EN}

# The query words wrk asks for: (band, as typed). Bands are what the vocabularies make of them
# (the seeding counts each word's requests and logs it); one word each, as a search box gets.
QUERIES: tuple[tuple[str, str], ...] = (
    ("common", "کولر"),
    ("common", "كولر"),  # Arabic kaf
    ("common", "يخچال"),  # Arabic ye
    ("common", "washing"),
    ("common", "не"),
    ("common", "BUZDOLABI"),  # upper-case Turkish: buzdolabı
    ("common", "тоңазытқыш"),
    ("common", "می‌شود"),  # with its ZWNJ
    ("common", "the"),
    ("common", "çamaşır"),
    ("medium", "کمپرسور"),
    ("medium", "كمپرسور"),  # Arabic kaf
    ("medium", "اصفهان"),
    ("medium", "KOMPRESÖR"),
    ("medium", "SIZDIRIYOR"),  # sızdırıyor
    ("medium", "İzmir"),
    ("medium", "компрессор"),
    ("medium", "АЛМАТЫ"),
    ("medium", "compressor"),
    ("medium", "thermostat"),
    ("medium", "E۰۷"),  # an error code in Persian digits
    ("medium", "YILMAZ"),
    ("rare", "ترموفيوز"),  # Arabic ye
    ("rare", "اواپراتور"),
    ("rare", "کاپیلاری"),
    ("rare", "TERMİSTÖR"),
    ("rare", "şamandıra"),
    ("rare", "соленоид"),
    ("rare", "ҚАЛТҚЫ"),
    ("rare", "thermistor"),
    ("rare", "Grommet"),
    ("rare", "solenoid"),
)

# The in-process sample: one common word.
SAMPLE_QUERY = "کولر"


def _cumulative(weights) -> list[float]:
    return list(itertools.accumulate(weights))


def _zipf(count: int, exponent: float) -> list[float]:
    """Cumulative weights of a list whose first items are the most frequent."""
    return _cumulative(1 / (rank + 1) ** exponent for rank in range(count))


@dataclass(frozen=True)
class Written:
    """A request's texts and what it is about."""

    subject: str
    description: str
    messages: tuple[str, ...]  # reply, follow-up or note bodies, in order
    kinds: tuple[str, ...]  # "reply", "customer" or "note", one per message
    category: str  # the demo category of its product, "" when none
    product_index: int  # which of the language's products
    resolution: str
    arabic_keyboard: bool


class TextWriter:
    """Draws requests' texts from the vocabularies with a seeded random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.random = rng.random
        self.languages = _cumulative(LANGUAGE_WEIGHTS)
        self.products = {
            code: _cumulative(weight for _words, weight, _cat, _kind in vocab.products)
            for code, vocab in VOCABULARIES.items()
        }
        # For each language and product: the symptoms that fit it.
        self.symptoms = {
            code: [
                tuple(
                    symptom
                    for symptom, fits in zip(vocab.symptoms, SYMPTOM_FITS, strict=True)
                    if kind in fits
                )
                for _words, _weight, _cat, kind in vocab.products
            ]
            for code, vocab in VOCABULARIES.items()
        }
        # Parts alike (each a medium word); cities as a country's population, the capital first.
        self.parts = {code: None for code in VOCABULARIES}
        self.cities = {code: _zipf(len(vocab.cities), 0.6) for code, vocab in VOCABULARIES.items()}
        self.messages = _cumulative(MESSAGE_WEIGHTS)
        # The chance that a request mentions one of its language's rare words: each is then in
        # RARE_PER_MILLION requests of a million.
        self.rare_chance = {
            code: RARE_PER_MILLION * len(vocab.rare) / 1e6 / share
            for (code, vocab), share in zip(VOCABULARIES.items(), LANGUAGE_WEIGHTS, strict=True)
        }

    def language(self) -> str:
        return LANGUAGES[bisect.bisect(self.languages, self.random() * self.languages[-1])]

    def _pick(self, items, cumulative=None):
        random = self.random
        if cumulative is None:
            return items[int(random() * len(items))]
        return items[bisect.bisect(cumulative, random() * cumulative[-1])]

    def name(self, language: str) -> tuple[str, str]:
        """A customer's (full name, first name) in the language, Persian joints resolved."""
        vocab = VOCABULARIES[language]
        first = self._pick(vocab.first_names)
        last = self._pick(vocab.last_names).replace("|", ZWNJ)
        return f"{first} {last}", first

    def product(self, language: str) -> tuple[int, str]:
        """Which of the language's products a request is about: (its index, demo category)."""
        cumulative = self.products[language]
        index = bisect.bisect(cumulative, self.random() * cumulative[-1])
        return index, VOCABULARIES[language].products[index][2]

    def request(self, *, language: str, product: int, first_name: str, model: str) -> Written:
        """One request about the language's `product` (an index, see `product`): subject,
        description and 1-3 messages, as its people wrote them."""
        vocab = VOCABULARIES[language]
        random, pick = self.random, self._pick
        index = product
        product, _weight, category, kind = vocab.products[index]
        if kind != "T" and random() < 0.1:
            symptom = vocab.error_symptom.format(code=pick(ERROR_CODES))
        else:
            symptom = pick(self.symptoms[language][index])
        slots = {
            "product": product,
            "symptom": symptom,
            "part": pick(vocab.parts, self.parts[language]),
            "city": pick(vocab.cities, self.cities[language]),
            "time": pick(vocab.times),
            "brand": pick(vocab.brands),
            "model": model,
            "name": first_name,
        }
        arabic = language == "fa" and random() < ARABIC_KEYBOARD
        subject = self._typed(f"{product} {symptom}", arabic)
        description = pick(vocab.descriptions).format_map(slots)
        if random() < self.rare_chance[language]:
            description += " " + vocab.rare_sentence.format(rare=pick(vocab.rare))
        description = self._typed(description, arabic)
        count = MESSAGE_COUNTS[bisect.bisect(self.messages, random() * self.messages[-1])]
        messages, kinds = [], []
        for position in range(count):
            roll = random()
            if position == 0 or (roll < 0.35 and kinds[-1] != "reply"):
                kinds.append("reply")
                messages.append(self._typed(pick(vocab.replies).format_map(slots), False))
            elif roll < 0.8:
                kinds.append("customer")
                messages.append(self._typed(pick(vocab.follow_ups).format_map(slots), arabic))
            else:
                kinds.append("note")
                messages.append(self._typed(pick(vocab.notes).format_map(slots), False))
        return Written(
            subject=subject,
            description=description,
            messages=tuple(messages),
            kinds=tuple(kinds),
            category=category,
            product_index=index,
            resolution=self._typed(vocab.resolution.format_map(slots), False),
            arabic_keyboard=arabic,
        )

    def _typed(self, text: str, arabic: bool) -> str:
        """A text as typed: each Persian joint written with a ZWNJ, solid or with a space (one
        habit per text), Arabic letters when the writer's keyboard has them."""
        if "|" in text:
            roll = self.random()
            chosen = JOINTS[-1][0]
            for joint, share in JOINTS:
                roll -= share
                if roll < 0:
                    chosen = joint
                    break
            text = text.replace("|", chosen)
        if arabic:
            text = text.translate(_ARABIC)
        return text
