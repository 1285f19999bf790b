"""Demo requests: air conditioners."""

from aftercare.demo.content.scenarios.base import Scenario

AIR_CONDITIONERS = (
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
)
