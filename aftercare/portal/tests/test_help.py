"""The help centre in the portal: what each reader sees, in their language; votes, "this
solved my problem", guides for the customer's products, suggestions while typing."""

from django.test import Client
from django.urls import reverse

from aftercare.knowledge.models import Article, ArticleVote, Deflection
from aftercare.knowledge.services import article_category_create
from aftercare.knowledge.tests.factories import make_article
from aftercare.lib.testing import text_of
from aftercare.portal.tests.conftest import sign_in
from aftercare.warranty.tests.unit_factories import make_product_model, make_unit


def _fa(client: Client) -> Client:
    client.cookies["aftercare_language"] = "fa"
    return client


def test_anyone_sees_public_articles_a_customer_also_customers_ones_nobody_internal(org, customer):
    public = make_article(org, texts={"en": ("Public guide", "")})
    make_article(org, texts={"en": ("For customers", "")}, visibility="customers")
    internal = make_article(org, texts={"en": ("Staff notes", "")}, visibility="internal")
    make_article(org, texts={"en": ("Unfinished", "")}, publish=False)
    anonymous = text_of(Client().get("/portal/demo/help/"))
    assert "Public guide" in anonymous and "For customers" not in anonymous
    assert "Staff notes" not in anonymous and "Unfinished" not in anonymous
    signed_in = text_of(sign_in(customer).get("/portal/demo/help/"))
    assert "For customers" in signed_in and "Staff notes" not in signed_in
    assert Client().get(f"/portal/demo/help/articles/{public.pk}/").status_code == 200
    assert sign_in(customer).get(f"/portal/demo/help/articles/{internal.pk}/").status_code == 404


def test_an_article_in_persian_is_right_to_left_and_counts_a_view(org):
    article = make_article(org, texts={"fa": ("کولر گازی خنک نمی‌کند", "<p>فیلترها را بشویید.</p>")})
    response = _fa(Client()).get(f"/portal/demo/help/articles/{article.pk}/")
    page = text_of(response)
    assert response.status_code == 200
    assert 'dir="rtl"' in page and "<p>فیلترها را بشویید.</p>" in page
    assert 'data-testid="fallback-note"' not in page
    article.refresh_from_db()
    assert article.view_count == 1


def test_an_article_not_in_the_readers_language_is_marked(org):
    article = make_article(org, texts={"tr": ("Buzdolabı gürültülü", "")})
    page = text_of(_fa(Client()).get(f"/portal/demo/help/articles/{article.pk}/"))
    assert "Buzdolabı gürültülü" in page and 'data-testid="fallback-note"' in page
    home = text_of(_fa(Client()).get("/portal/demo/help/"))
    assert 'data-testid="fallback-language"' in home


def test_votes_are_one_per_reader_and_changeable(org, customer):
    article = make_article(org)
    url = f"/portal/demo/help/articles/{article.pk}/vote/"
    client = sign_in(customer)
    assert client.post(url, {"helpful": "yes"}).status_code == 302
    assert client.post(url, {"helpful": "yes"}).status_code == 302
    anonymous = Client()
    anonymous.post(url, {"helpful": "yes"})
    anonymous.post(url, {"helpful": "no"})
    article.refresh_from_db()
    assert (article.helpful_count, article.unhelpful_count) == (1, 1)
    assert ArticleVote.objects.count() == 2
    assert client.post(url, {"helpful": "maybe"}).status_code == 400
    page = text_of(client.get(f"/portal/demo/help/articles/{article.pk}/"))
    assert 'data-testid="vote-yes" aria-pressed="true"' in page


def test_this_solved_my_problem_records_a_deflection_with_what_was_typed(org, customer):
    article = make_article(org, texts={"fa": ("کولر گازی خنک نمی‌کند", "")})
    client = sign_in(customer)
    typed = "كولر من خنك نميكند"
    page = text_of(client.get(f"/portal/demo/help/articles/{article.pk}/", {"q": typed}))
    assert f'name="text" value="{typed}"' in page
    response = client.post(f"/portal/demo/help/articles/{article.pk}/solved/", {"text": typed})
    assert response.status_code == 200 and 'data-testid="help-solved-done"' in text_of(response)
    deflection = Deflection.objects.get()
    assert (deflection.organization, deflection.article, deflection.customer, deflection.text) == (
        org,
        article,
        customer,
        typed,
    )
    Client().post(f"/portal/demo/help/articles/{article.pk}/solved/")
    assert Article.objects.get(pk=article.pk).deflection_count == 2


def test_the_help_centre_lists_guides_for_the_customers_products(org, customer):
    washer = make_product_model(organization=org, sku="W-1", name="Washer")
    fridge = make_product_model(organization=org, sku="F-1", name="Fridge")
    make_unit(organization=org, product_model=washer, customer=customer, serial="SN-1")
    mine = make_article(org, texts={"en": ("Washer drum care", "")}, product_models=[washer])
    make_article(org, texts={"en": ("Fridge defrosting", "")}, product_models=[fridge])
    page = text_of(sign_in(customer).get("/portal/demo/help/"))
    guides = page[page.index('data-testid="help-guides"') :]
    guides = guides[: guides.index("</div>")]
    assert "Washer drum care" in guides and "Fridge defrosting" not in guides
    assert f'data-article-id="{mine.pk}"' in guides
    assert 'data-testid="help-guides"' not in text_of(Client().get("/portal/demo/help/"))


def test_search_and_suggestions_find_persian_typed_any_way(org):
    article = make_article(org, texts={"fa": ("یخچال صدا می‌دهد", "")})
    page = text_of(_fa(Client()).get("/portal/demo/help/", {"q": "يخچال"}))
    assert 'data-testid="help-hits"' in page and f'data-article-id="{article.pk}"' in page
    fragment = _fa(Client()).get(
        "/portal/demo/help/suggest/",
        {"subject": "یخچالم", "description": "يخچال خیلی صدا ميدهد"},
    )
    assert fragment.status_code == 200
    assert f'data-article-id="{article.pk}"' in text_of(fragment)
    assert "?q=" in text_of(fragment)
    empty = Client().get("/portal/demo/help/suggest/", {"subject": ""})
    assert text_of(empty).strip() == ""


def test_categories_and_another_organizations_articles(org, other_org):
    category = article_category_create(organization=org, name="Fridges", names={"fa": "یخچال"})
    article = make_article(org, category=category)
    page = text_of(_fa(Client()).get("/portal/demo/help/"))
    assert "یخچال" in page
    listed = text_of(Client().get(f"/portal/demo/help/categories/{category.pk}/"))
    assert f'data-article-id="{article.pk}"' in listed
    theirs = make_article(other_org)
    assert Client().get(f"/portal/demo/help/articles/{theirs.pk}/").status_code == 404
    assert Client().get(f"/portal/other/help/articles/{article.pk}/").status_code == 404
    assert (
        Client()
        .post(f"/portal/demo/help/articles/{theirs.pk}/vote/", {"helpful": "yes"})
        .status_code
        == 404
    )
    assert Client().post(f"/portal/demo/help/articles/{theirs.pk}/solved/").status_code == 404
    their_category = article_category_create(organization=other_org, name="Theirs")
    assert Client().get(f"/portal/demo/help/categories/{their_category.pk}/").status_code == 404
    assert not Deflection.objects.exists() and not ArticleVote.objects.exists()


def test_the_request_form_asks_for_suggestions_as_the_customer_types(org, customer):
    page = text_of(sign_in(customer).get("/portal/demo/requests/new/"))
    assert 'hx-get="/portal/demo/help/suggest/"' in page


def test_the_home_page_costs_the_same_however_many_articles(
    org, customer, django_assert_max_num_queries
):
    washer = make_product_model(organization=org, sku="W-1", name="Washer")
    make_unit(organization=org, product_model=washer, customer=customer, serial="SN-1")
    for number in range(10):
        make_article(
            org,
            texts={"en": (f"Guide {number}", ""), "fa": (f"راهنما {number}", "")},
            product_models=[washer],
        )
    client = sign_in(customer)
    client.get("/portal/demo/help/")
    with django_assert_max_num_queries(14):
        assert client.get("/portal/demo/help/").status_code == 200


def test_searches_and_suggestions_are_limited_per_address(client, org, settings):
    settings.HELP_SEARCH_MAX_PER_IP = 2
    make_article(org, texts={"en": ("Fridge is noisy", "")})
    home = reverse("portal:help_home", args=[org.slug])
    suggest = reverse("portal:help_suggest", args=[org.slug])
    assert (
        'data-testid="help-article-link"'
        in client.get(suggest, {"subject": "fridge"}).content.decode()
    )
    assert client.get(home, {"q": "fridge"}).status_code == 200
    # The third look-up from this address in the window: refused, and nothing looked up.
    refused = client.get(home, {"q": "fridge"})
    assert refused.status_code == 429
    assert 'data-testid="help-limited"' in refused.content.decode()
    assert 'data-testid="help-article-link"' not in refused.content.decode()
    quiet = client.get(suggest, {"subject": "fridge"})
    assert (
        quiet.status_code == 200 and 'data-testid="help-article-link"' not in quiet.content.decode()
    )
    # The help centre itself still opens.
    assert client.get(home).status_code == 200
