"""Official moving holidays (python-holidays) on calendars made for a country, their source,
estimate and corrections, and a stable key that names a preset's holiday in every language.

Existing rows are given what they can be known to be: a holiday whose kind, month, day and English
name are a preset's gets that preset's key (so it is shown translated), and a calendar holding every
fixed holiday of exactly one country's preset is marked as made for that country.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The presets' fixed holidays as they were when this migration was written: (kind, month, day,
# English name, key).
PRESET_HOLIDAYS = {
    "IR": (
        ("yearly_jalali", 1, 1, "Nowruz", "ir.nowruz"),
        ("yearly_jalali", 1, 2, "Nowruz", "ir.nowruz"),
        ("yearly_jalali", 1, 3, "Nowruz", "ir.nowruz"),
        ("yearly_jalali", 1, 4, "Nowruz", "ir.nowruz"),
        ("yearly_jalali", 1, 12, "Islamic Republic Day", "ir.islamic_republic_day"),
        ("yearly_jalali", 1, 13, "Nature Day", "ir.nature_day"),
        ("yearly_jalali", 3, 14, "Death of Imam Khomeini", "ir.khomeini_death"),
        ("yearly_jalali", 3, 15, "15 Khordad uprising", "ir.khordad_uprising"),
        ("yearly_jalali", 11, 22, "Victory of the Islamic Revolution", "ir.revolution_victory"),
        ("yearly_jalali", 12, 29, "Oil Nationalization Day", "ir.oil_nationalization"),
    ),
    "TR": (
        ("yearly_gregorian", 1, 1, "New Year's Day", "tr.new_year"),
        (
            "yearly_gregorian",
            4,
            23,
            "National Sovereignty and Children's Day",
            "tr.sovereignty_children",
        ),
        ("yearly_gregorian", 5, 1, "Labour and Solidarity Day", "tr.labour_day"),
        (
            "yearly_gregorian",
            5,
            19,
            "Commemoration of Atatürk, Youth and Sports Day",
            "tr.ataturk_youth_sports",
        ),
        ("yearly_gregorian", 7, 15, "Democracy and National Unity Day", "tr.democracy_unity"),
        ("yearly_gregorian", 8, 30, "Victory Day", "tr.victory_day"),
        ("yearly_gregorian", 10, 29, "Republic Day", "tr.republic_day"),
    ),
    "KZ": (
        ("yearly_gregorian", 1, 1, "New Year", "kz.new_year"),
        ("yearly_gregorian", 1, 2, "New Year", "kz.new_year"),
        ("yearly_gregorian", 1, 7, "Orthodox Christmas", "kz.orthodox_christmas"),
        ("yearly_gregorian", 3, 8, "International Women's Day", "kz.womens_day"),
        ("yearly_gregorian", 3, 21, "Nauryz", "kz.nauryz"),
        ("yearly_gregorian", 3, 22, "Nauryz", "kz.nauryz"),
        ("yearly_gregorian", 3, 23, "Nauryz", "kz.nauryz"),
        ("yearly_gregorian", 5, 1, "Unity Day of the People of Kazakhstan", "kz.unity_day"),
        ("yearly_gregorian", 5, 7, "Defender of the Fatherland Day", "kz.defender_day"),
        ("yearly_gregorian", 5, 9, "Victory Day", "kz.victory_day"),
        ("yearly_gregorian", 7, 6, "Capital City Day", "kz.capital_day"),
        ("yearly_gregorian", 8, 30, "Constitution Day", "kz.constitution_day"),
        ("yearly_gregorian", 10, 25, "Republic Day", "kz.republic_day"),
        ("yearly_gregorian", 12, 16, "Independence Day", "kz.independence_day"),
    ),
}


def keys_and_countries(apps, schema_editor):
    """Key the preset holidays already stored; mark the calendars made from one preset."""
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    Holiday = apps.get_model("sla", "Holiday")
    keys = {
        (kind, month, day, name): key
        for rows in PRESET_HOLIDAYS.values()
        for kind, month, day, name, key in rows
    }
    held: dict[int, set] = {}
    for holiday in Holiday.objects.filter(kind__in=["yearly_jalali", "yearly_gregorian"]):
        signature = (holiday.kind, holiday.month, holiday.day, holiday.name)
        held.setdefault(holiday.calendar_id, set()).add(signature)
        key = keys.get(signature)
        if key is not None:
            Holiday.objects.filter(pk=holiday.pk).update(key=key)
    for calendar_id, signatures in held.items():
        countries = [
            country
            for country, rows in PRESET_HOLIDAYS.items()
            if {row[:4] for row in rows} <= signatures
        ]
        if len(countries) == 1:
            BusinessCalendar.objects.filter(pk=calendar_id).update(country=countries[0])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_security_controls"),
        ("sla", "0002_escalationrule_team_in_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="businesscalendar",
            name="country",
            field=models.CharField(
                blank=True, default="", max_length=2, verbose_name="official holidays of"
            ),
        ),
        migrations.AddField(
            model_name="businesscalendar",
            name="official_holidays_through",
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="dateoverride",
            name="is_estimated",
            field=models.BooleanField(default=False, verbose_name="estimated by its source"),
        ),
        migrations.AddField(
            model_name="dateoverride",
            name="key",
            field=models.CharField(blank=True, default="", max_length=40, verbose_name="key"),
        ),
        migrations.AddField(
            model_name="dateoverride",
            name="occurrence",
            field=models.CharField(
                blank=True, default="", max_length=20, verbose_name="occurrence"
            ),
        ),
        migrations.AddField(
            model_name="dateoverride",
            name="source",
            field=models.CharField(blank=True, default="", max_length=60, verbose_name="source"),
        ),
        migrations.AddField(
            model_name="holiday",
            name="corrected_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="corrected"),
        ),
        migrations.AddField(
            model_name="holiday",
            name="corrected_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="corrected by",
            ),
        ),
        migrations.AddField(
            model_name="holiday",
            name="is_estimated",
            field=models.BooleanField(default=False, verbose_name="estimated by its source"),
        ),
        migrations.AddField(
            model_name="holiday",
            name="key",
            field=models.CharField(blank=True, default="", max_length=40, verbose_name="key"),
        ),
        migrations.AddField(
            model_name="holiday",
            name="occurrence",
            field=models.CharField(
                blank=True, default="", max_length=20, verbose_name="occurrence"
            ),
        ),
        migrations.AddField(
            model_name="holiday",
            name="source",
            field=models.CharField(blank=True, default="", max_length=60, verbose_name="source"),
        ),
        migrations.AddField(
            model_name="holiday",
            name="source_date",
            field=models.DateField(blank=True, null=True, verbose_name="date given by the source"),
        ),
        migrations.AddConstraint(
            model_name="dateoverride",
            constraint=models.UniqueConstraint(
                condition=models.Q(("occurrence", ""), _negated=True),
                fields=("calendar", "key", "occurrence"),
                name="date_override_occurrence_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="holiday",
            constraint=models.UniqueConstraint(
                condition=models.Q(("occurrence", ""), _negated=True),
                fields=("calendar", "key", "occurrence"),
                name="holiday_occurrence_unique",
            ),
        ),
        migrations.RunPython(keys_and_countries, migrations.RunPython.noop),
    ]
