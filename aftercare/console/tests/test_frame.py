"""The page frame's parts drawn in Python: the footer's language switcher and the scripts'
texts, each worked out once per language."""

import re

from django.test import Client
from django.utils import translation

from aftercare.console import navigation


def _switcher(html: str) -> str:
    return re.search(r'<form[^>]*data-testid="language-switcher".*?</form>', html, re.S).group(0)


def test_the_switcher_posts_back_to_the_page_in_each_language(org):
    client = Client()
    english = _switcher(client.get(f"/portal/{org.slug}/track/?a=1&b=<i>&c='").content.decode())
    assert 'action="/i18n/setlang/" method="post"' in english
    # The page to come back to, escaped.
    back = f"/portal/{org.slug}/track/?a=1&amp;b=%3Ci%3E&amp;c=&#x27;"
    assert f'name="next" type="hidden" value="{back}"' in english
    assert "<i>" not in english
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', english).group(1)
    assert len(token) == 64
    options = re.findall(r'<option value="(\w+)"( selected)? lang="\w+">([^<]+)</option>', english)
    assert options == [
        ("en", " selected", "English"),
        ("fa", "", "فارسی"),
        ("tr", "", "Türkçe"),
        ("kk", "", "Қазақ"),
    ]
    assert ">Language</label>" in english and ">Change</button>" in english
    persian = _switcher(
        client.get(f"/portal/{org.slug}/track/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    )
    assert '<option value="fa" selected lang="fa">فارسی</option>' in persian
    assert '<option value="en" lang="en">English</option>' in persian
    assert ">زبان</label>" in persian


def test_choosing_a_language_from_the_switcher_works(org):
    client = Client(enforce_csrf_checks=True)
    html = client.get(f"/portal/{org.slug}/track/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    answer = client.post(
        "/i18n/setlang/",
        {"csrfmiddlewaretoken": token, "language": "kk", "next": f"/portal/{org.slug}/track/"},
    )
    assert answer.status_code == 302 and answer["Location"] == f"/portal/{org.slug}/track/"
    page = client.get(f"/portal/{org.slug}/track/").content.decode()
    assert '<html lang="kk"' in page


def test_the_scripts_texts_follow_the_language():
    with translation.override("en"):
        english = navigation.script_texts()
    with translation.override("fa"):
        persian = navigation.script_texts()
        assert navigation.script_texts() is persian
    assert english["open"] == "Open" and english["persianDigits"] is False
    assert persian["open"] != "Open" and persian["persianDigits"] is True
