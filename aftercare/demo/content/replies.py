"""What agents and customers write on a demo request's timeline, per language."""

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
