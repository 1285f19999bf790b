"""Demo requests: refrigerators."""

from aftercare.demo.content.scenarios.base import Scenario

FRIDGES = (
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
)
