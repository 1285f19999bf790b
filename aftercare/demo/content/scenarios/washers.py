"""Demo requests: washing machines."""

from aftercare.demo.content.scenarios.base import Scenario

WASHERS = (
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
)
