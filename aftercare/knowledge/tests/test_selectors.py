"""Reads of the knowledge base: what each reader may see, in which language, the stand-in
search (`article_hits`) and what the search index is given (`article_document`)."""

from aftercare.knowledge.selectors import (
    article_document,
    article_hits,
    help_article_page,
    help_article_popular,
)
from aftercare.knowledge.services import article_translation_save
from aftercare.knowledge.tests.factories import make_article, make_product_model, translation_of


def _ids(readers) -> list[int]:
    return [reader.article.pk for reader in readers]


def test_each_audience_reads_only_what_it_may(org):
    public = make_article(org, visibility="public")
    customers = make_article(org, visibility="customers")
    internal = make_article(org, visibility="internal")
    make_article(org, publish=False)
    assert set(_ids(help_article_popular(organization=org, audience="public", language="en"))) == {
        public.pk
    }
    assert set(
        _ids(help_article_popular(organization=org, audience="customer", language="en"))
    ) == {
        public.pk,
        customers.pk,
    }
    assert set(_ids(help_article_popular(organization=org, audience="staff", language="en"))) == {
        public.pk,
        customers.pk,
        internal.pk,
    }


def test_the_reader_gets_their_language_else_the_organizations_else_any(org):
    org.default_language = "fa"
    org.save(update_fields=["default_language"])
    both = make_article(org, texts={"en": ("Noisy", ""), "fa": ("پر سر و صدا", "")})
    persian = make_article(org, texts={"fa": ("فقط فارسی", "")})
    turkish = make_article(org, texts={"tr": ("Sadece Türkçe", "")})
    readers, _page = help_article_page(organization=org, audience="public", language="en")
    found = {reader.article.pk: (reader.language, reader.is_fallback) for reader in readers}
    assert found == {both.pk: ("en", False), persian.pk: ("fa", True), turkish.pk: ("tr", True)}


def test_a_list_of_articles_costs_the_same_however_many(org, django_assert_num_queries):
    for number in range(12):
        make_article(org, texts={"en": (f"A{number}", ""), "fa": (f"ب{number}", "")})
    with django_assert_num_queries(2):
        readers, _page = help_article_page(organization=org, audience="public", language="fa")
        assert len(readers) == 12 and {reader.title[0] for reader in readers} == {"ب"}


def test_hits_match_persian_typed_with_arabic_letters_and_no_zwnj(org):
    cooler = make_article(org, texts={"fa": ("کولر گازی خنک نمی‌کند", "")})
    fridge = make_article(org, texts={"fa": ("یخچال صدا می‌دهد", "")})
    hits = article_hits(org, query="كولر گازي خنك نميكند", language="fa", audience="public")
    assert _ids(hits) == [cooler.pk]
    # What a customer is typing: any of its words but the common ones ("من").
    hits = article_hits(
        org, query="يخچال من خیلی صدا ميدهد", language="fa", audience="public", typing=True
    )
    assert _ids(hits) == [fridge.pk]
    # A search wants every word.
    assert (
        article_hits(org, query="يخچال من خیلی صدا ميدهد", language="fa", audience="public") == []
    )


def test_hits_rank_more_words_first_and_skip_what_the_reader_may_not_see(org):
    make_article(org, texts={"en": ("Fridge is noisy", "")}, visibility="internal")
    make_article(org, texts={"en": ("Fridge is noisy at night", "")}, publish=False)
    noisy = make_article(org, texts={"en": ("The FRIDGE is noisy", "")})
    fridge = make_article(org, texts={"en": ("Fridge door", "")})
    hits = article_hits(
        org, query="my noisy fridge", language="en", audience="customer", typing=True
    )
    assert _ids(hits) == [noisy.pk, fridge.pk]
    hits = article_hits(org, query="noisy fridge", language="en", audience="customer")
    assert _ids(hits) == [noisy.pk]
    assert article_hits(org, query="", language="en", audience="public") == []


def test_hits_of_another_organization_are_never_found(org, other_org):
    make_article(other_org, texts={"en": ("Fridge is noisy", "")})
    assert article_hits(org, query="fridge", language="en", audience="staff") == []


def test_hits_about_product_models_include_general_articles(org):
    washer = make_product_model(organization=org, sku="W1", name="Washer")
    dryer = make_product_model(organization=org, sku="D1", name="Dryer")
    for_washer = make_article(org, texts={"en": ("Drum noise", "")}, product_models=[washer])
    make_article(org, texts={"en": ("Drum noise dryer", "")}, product_models=[dryer])
    general = make_article(org, texts={"en": ("Drum care", "")})
    hits = article_hits(
        org, query="drum", language="en", audience="public", product_model_ids=[washer.pk]
    )
    assert set(_ids(hits)) == {for_washer.pk, general.pk}


def test_the_document_for_the_index(org):
    article = make_article(
        org,
        texts={"fa": ("کولر خنک نمی‌کند", "<p>فیلتر را <strong>بشویید</strong>.</p><p>بعد</p>")},
        visibility="customers",
    )
    translation = translation_of(article, "fa")
    assert article_document(translation) == {
        "article_id": article.pk,
        "translation_id": translation.pk,
        "organization_id": org.pk,
        "language": "fa",
        "title": "کولر خنک نمی‌کند",
        "text": "فیلتر را بشویید . بعد",
        "audience": "customer",
        "state": "published",
    }
    draft = make_article(
        org, texts={"en": ("Draft", "<p>x</p>")}, publish=False, visibility="internal"
    )
    document = article_document(translation_of(draft))
    assert (document["state"], document["audience"], document["title"]) == (
        "draft",
        "staff",
        "Draft",
    )
    # A draft over a published text: the index keeps what readers see.
    article_translation_save(article=article, language="fa", title="تازه", body="", actor=None)
    assert article_document(translation_of(article, "fa"))["title"] == "کولر خنک نمی‌کند"
