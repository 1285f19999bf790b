"""Demo requests: televisions."""

from aftercare.demo.content.scenarios.base import Scenario

TELEVISIONS = (
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
)
