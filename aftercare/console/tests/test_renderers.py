"""The console's form renderer writes exactly what Django's widget templates write."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from aftercare.console.forms import MultipleFileField, MultipleFileInput
from aftercare.console.renderers import PYTHON_WIDGETS, ConsoleFormRenderer


class Everything(forms.Form):
    """One field of every widget the renderer draws in Python, with awkward values."""

    text = forms.CharField(
        widget=forms.TextInput(attrs={"placeholder": 'Say "hi" <now>', "class": "form-control"})
    )
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 0}))
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    url = forms.URLField(required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False)
    time = forms.TimeField(required=False)
    agree = forms.BooleanField(required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}))
    empty_body = forms.CharField(required=False, widget=forms.Textarea)
    choice = forms.ChoiceField(
        choices=[("", "—"), ("a&b", "A & B"), ("c", "<C>")],
        widget=forms.Select(attrs={"class": "form-select", "aria-invalid": "true"}),
    )
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("Fruit", [("1", "Apple"), ("2", "Pear")]), ("3", "Other")]
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    disabled = forms.ChoiceField(choices=[("1", "One")], disabled=True)
    upload = forms.FileField(required=False, widget=forms.FileInput(attrs={"accept": "image/*"}))
    uploads = MultipleFileField(widget=MultipleFileInput(attrs={"class": "form-control"}))


BOUND = {
    "text": '<b>"quoted"</b> & more',
    "search": "washing machine",
    "number": "12",
    "email": "a@example.com",
    "password": "s3cret&",
    "hidden": "h'idden",
    "date": "2026-12-06",
    "when": "2026-12-06 10:00",
    "time": "10:00",
    "agree": "on",
    "body": "line one\n<script>alert(1)</script>",
    "choice": "a&b",
    "grouped": "2",
    "many": ["x", "z"],
    "disabled": "1",
}

INITIAL = {"date": datetime.date(2026, 1, 2), "number": 7, "agree": False, "grouped": "3"}


def _fields(form: forms.Form) -> list[str]:
    return [str(form[name]) for name in form.fields]


@pytest.mark.parametrize(
    "make",
    [
        lambda renderer: Everything(renderer=renderer),
        lambda renderer: Everything(initial=INITIAL, renderer=renderer),
        lambda renderer: Everything(BOUND, renderer=renderer),
        lambda renderer: Everything({}, renderer=renderer),
    ],
    ids=["unbound", "initial", "bound", "invalid"],
)
def test_python_widgets_match_django_templates(make):
    django_form, console_form = make(DjangoTemplates()), make(ConsoleFormRenderer())
    for form in (django_form, console_form):
        if form.is_bound:
            form.full_clean()  # errors add aria attributes to the widgets
    assert _fields(console_form) == _fields(django_form)


def test_every_python_widget_is_drawn_by_the_form_above():
    """Each template the renderer replaces is exercised by the comparison test."""
    used = set()
    for field in Everything().fields.values():
        widget = field.widget
        used.add(widget.template_name)
        used.add(getattr(widget, "option_template_name", None))
    replaced = {name.rsplit("/", 1)[-1] for name in PYTHON_WIDGETS}
    shown = {name.rsplit("/", 1)[-1] for name in used if name}
    # input.html itself is never a widget's own template; every other replaced one is.
    assert replaced - shown == {"input.html", "search.html", "tel.html", "color.html"}


def test_a_stored_file_is_drawn_by_its_template():
    class Stored:
        url = "/files/report.pdf"

        def __str__(self) -> str:
            return "report.pdf"

    field = forms.FileField(required=False)
    form = type("Upload", (forms.Form,), {"report": field})
    console = str(form(initial={"report": Stored()}, renderer=ConsoleFormRenderer())["report"])
    assert console == str(form(initial={"report": Stored()}, renderer=DjangoTemplates())["report"])
    assert '<a href="/files/report.pdf">report.pdf</a>' in console


def test_other_widgets_still_use_their_templates():
    field = forms.ChoiceField(choices=[("1", "One"), ("2", "Two")], widget=forms.RadioSelect)
    form = type("Radio", (forms.Form,), {"pick": field})
    assert str(form(renderer=ConsoleFormRenderer())["pick"]) == str(
        form(renderer=DjangoTemplates())["pick"]
    )
    assert 'type="radio"' in str(form(renderer=ConsoleFormRenderer())["pick"])


def test_escaping_keeps_markup_out():
    form = Everything(BOUND, renderer=ConsoleFormRenderer())
    html = str(form["body"]) + str(form["text"]) + str(form["choice"])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'value="&lt;b&gt;&quot;quoted&quot;&lt;/b&gt; &amp; more"' in html
    assert '<option value="a&amp;b" selected>A &amp; B</option>' in html
