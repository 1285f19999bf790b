"""Demo requests: questions and complaints."""

from aftercare.demo.content.scenarios.base import Scenario

GENERAL = (
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
