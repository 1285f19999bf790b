"""The demo's help articles: real advice for its air conditioners, refrigerators and washing
machines, in English and Persian (plain data; `aftercare.demo.knowledge` writes it)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoArticle:
    """A help article: its category (by the catalog category of its products), who may read
    it, and its title and HTML body per language."""

    category: str
    visibility: str
    texts: dict[str, tuple[str, str]]


# The help centre's categories: the catalog category and its name per language.
ARTICLE_CATEGORIES: dict[str, dict[str, str]] = {
    "Air conditioners": {"fa": "کولر گازی", "tr": "Klimalar", "kk": "Кондиционерлер"},
    "Refrigerators": {"fa": "یخچال", "tr": "Buzdolapları", "kk": "Тоңазытқыштар"},
    "Washing machines": {"fa": "ماشین لباسشویی", "tr": "Çamaşır makineleri", "kk": "Кір жуғыш"},
}

ARTICLES = (
    DemoArticle(
        "Air conditioners",
        "public",
        {
            "en": (
                "The air conditioner does not cool",
                "<p>Before you ask for a visit, check these in order:</p>"
                "<ol><li><strong>Mode and temperature.</strong> The remote shows a snowflake "
                "(Cool) and a temperature at least 3 °C below the room's.</li>"
                "<li><strong>Filters.</strong> Open the front panel and wash the two mesh "
                "filters in lukewarm water; dry them in the shade. Clogged filters are the most "
                "common cause.</li>"
                "<li><strong>Outdoor unit.</strong> Its fan must turn and nothing may block it "
                "within 50 cm. In summer, wash dust off its fins with a gentle water jet "
                "(power off).</li>"
                "<li><strong>Doors and windows</strong> closed; curtains drawn in direct sun.</li>"
                "</ol><p>If the indoor unit blows only room-temperature air after 15 minutes, "
                "the unit may be low on refrigerant: open a request and a technician will "
                "check it. Do not open the refrigerant circuit yourself.</p>",
            ),
            "fa": (
                "کولر گازی خنک نمی‌کند",
                "<p>پیش از درخواست سرویس، این موارد را به ترتیب بررسی کنید:</p>"
                "<ol><li><strong>حالت و دما.</strong> روی کنترل، علامت برف‌دانه (Cool) و "
                "دمایی دست‌کم ۳ درجه کمتر از دمای اتاق انتخاب شده باشد.</li>"
                "<li><strong>فیلترها.</strong> پنل جلو را باز کنید و دو فیلتر توری را با آب "
                "ولرم بشویید و در سایه خشک کنید. فیلتر گرفته رایج‌ترین علت است.</li>"
                "<li><strong>یونیت بیرونی.</strong> پروانه‌اش باید بچرخد و تا ۵۰ سانتی‌متری آن "
                "مانعی نباشد. در تابستان، با برق قطع، گرد و خاک پره‌ها را با فشار ملایم آب "
                "بشویید.</li>"
                "<li><strong>در و پنجره‌ها</strong> بسته و پرده‌ها در آفتاب مستقیم کشیده باشند."
                "</li></ol><p>اگر پس از ۱۵ دقیقه هوای خروجی همچنان هم‌دمای اتاق است، ممکن است "
                "گاز کولر کم شده باشد: درخواست ثبت کنید تا تکنسین بررسی کند. مدار گاز را خودتان "
                "باز نکنید.</p>",
            ),
        },
    ),
    DemoArticle(
        "Refrigerators",
        "public",
        {
            "en": (
                "The refrigerator is noisy",
                "<p>Some sounds are normal: a soft hum from the compressor, clicks when the "
                "thermostat switches, and gurgling of refrigerant after it starts.</p>"
                "<h2>Check these</h2><ul>"
                "<li><strong>Level.</strong> Turn the front feet until the cabinet does not "
                "rock; a tilted refrigerator vibrates.</li>"
                "<li><strong>Distance from the wall.</strong> Leave at least 10 cm behind it "
                "and 5 cm on each side.</li>"
                "<li><strong>Things on top or behind</strong> that rattle against it.</li>"
                "<li><strong>No Frost models:</strong> a fan that scrapes may be touching ice. "
                "Unplug for a few hours with the doors open to defrost.</li></ul>"
                "<p>A loud knocking, a buzz that never stops, or a compressor that starts and "
                "stops every few minutes needs a technician: open a request.</p>",
            ),
            "fa": (
                "یخچال صدا می‌دهد",
                "<p>برخی صداها طبیعی است: وزوز آرام کمپرسور، تق‌تق ترموستات هنگام قطع و وصل، "
                "و صدای جریان گاز پس از روشن شدن.</p>"
                "<h2>این موارد را بررسی کنید</h2><ul>"
                "<li><strong>تراز بودن.</strong> پایه‌های جلو را بچرخانید تا یخچال لق نزند؛ "
                "یخچال کج لرزش دارد.</li>"
                "<li><strong>فاصله از دیوار.</strong> دست‌کم ۱۰ سانتی‌متر پشت و ۵ سانتی‌متر دو "
                "طرف فاصله بگذارید.</li>"
                "<li><strong>اشیای روی یخچال یا پشت آن</strong> که به بدنه می‌خورند.</li>"
                "<li><strong>مدل‌های نوفراست:</strong> اگر پروانه به یخ می‌خورد، چند ساعت دوشاخه "
                "را بکشید و درها را باز بگذارید تا یخ آب شود.</li></ul>"
                "<p>صدای ضربه‌ی بلند، وزوز دائمی، یا کمپرسوری که هر چند دقیقه روشن و خاموش "
                "می‌شود نیاز به تکنسین دارد: درخواست ثبت کنید.</p>",
            ),
        },
    ),
    DemoArticle(
        "Washing machines",
        "public",
        {
            "en": (
                "The washing machine does not drain",
                "<ol><li>Unplug the machine and put a shallow tray and a towel under the "
                "filter door (bottom right, at the front).</li>"
                "<li>Pull out the small emergency hose and let the water run out.</li>"
                "<li>Unscrew the pump filter counter-clockwise and remove coins, hair and "
                "lint.</li><li>Check the drain hose behind the machine is not kinked and its "
                "end is no higher than 100 cm.</li></ol>"
                "<p>If it still does not drain, note the error code on the display and open a "
                "request.</p>",
            ),
            "fa": (
                "ماشین لباسشویی آب را تخلیه نمی‌کند",
                "<ol><li>دوشاخه را بکشید و یک سینی کم‌عمق و حوله زیر درِ فیلتر (پایین، سمت "
                "راست جلو) بگذارید.</li>"
                "<li>شلنگ کوچک تخلیه‌ی اضطراری را بیرون بکشید تا آب خارج شود.</li>"
                "<li>فیلتر پمپ را خلاف جهت عقربه‌های ساعت باز کنید و سکه، مو و پرز را "
                "بردارید.</li><li>شلنگ تخلیه‌ی پشت دستگاه تا نخورده باشد و سر آن بالاتر از "
                "۱۰۰ سانتی‌متر نباشد.</li></ol>"
                "<p>اگر باز هم تخلیه نکرد، کد خطای روی نمایشگر را یادداشت و درخواست ثبت "
                "کنید.</p>",
            ),
        },
    ),
    DemoArticle(
        "Air conditioners",
        "internal",
        {
            "en": (
                "Checking refrigerant pressure on split units (technicians)",
                "<p>Run the unit in Cool for 10 minutes at the lowest set point. Connect the "
                "gauge to the service port of the suction line.</p><table><thead><tr><th>"
                "Refrigerant</th><th>Suction pressure</th></tr></thead><tbody><tr><td>R410A"
                "</td><td>8–10 bar</td></tr><tr><td>R32</td><td>8–9.5 bar</td></tr></tbody>"
                "</table><p>Below range: look for a leak before recharging; record the amount "
                "charged on the work order.</p>",
            ),
        },
    ),
)
