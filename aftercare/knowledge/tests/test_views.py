"""Console pages of the knowledge base: lists, writing, publishing, history, images and
categories; who may do what; another organization's ids answer 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftercare.accounts.services import user_create
from aftercare.api.tests.files import png_bytes
from aftercare.customers.services import customer_link_user
from aftercare.knowledge.models import Article, ArticleCategory, ArticleImage, ArticleTranslation
from aftercare.knowledge.services import article_category_create, article_image_add
from aftercare.knowledge.tests.factories import make_article, translation_of
from aftercare.lib.testing import client_for, row_ids, text_of


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def test_the_list_filters_and_costs_the_same_however_many(
    org, agent_client, django_assert_max_num_queries
):
    category = article_category_create(organization=org, name="Fridges")
    for number in range(8):
        make_article(org, texts={"en": (f"A{number}", ""), "fa": (f"ب{number}", "")})
    drafts = [make_article(org, publish=False, category=category) for _ in range(2)]
    internal = make_article(org, visibility="internal")
    with django_assert_max_num_queries(14):
        response = agent_client.get("/knowledge/")
    assert response.status_code == 200 and len(row_ids(response, "article")) == 11
    response = agent_client.get(f"/knowledge/?category={category.pk}&state=draft")
    assert row_ids(response, "article") == [str(article.pk) for article in reversed(drafts)]
    response = agent_client.get("/knowledge/?visibility=internal")
    assert row_ids(response, "article") == [str(internal.pk)]
    response = agent_client.get("/knowledge/?language=fa")
    assert len(row_ids(response, "article")) == 8
    assert agent_client.get("/knowledge/?language=xx").status_code == 422


def test_the_list_pages_by_keyset(org, agent_client, monkeypatch):
    monkeypatch.setattr("aftercare.knowledge.views.PAGE_SIZE", 2)
    articles = [make_article(org) for _ in range(3)]
    first = agent_client.get("/knowledge/")
    assert row_ids(first, "article") == [str(articles[2].pk), str(articles[1].pk)]
    next_url = text_of(first).split('href="?cursor=')[1].split('"')[0]
    second = agent_client.get(f"/knowledge/?cursor={next_url}")
    assert row_ids(second, "article") == [str(articles[0].pk)]
    assert agent_client.get("/knowledge/?cursor=garbage").status_code == 422


def test_an_agent_writes_a_draft_and_a_supervisor_publishes_it(
    org, agent_client, supervisor_client
):
    category = article_category_create(organization=org, name="Fridges")
    response = agent_client.post(
        "/knowledge/articles/new/", {"category": category.pk, "visibility": "customers"}
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/knowledge/articles/{article.pk}/en/"
    response = agent_client.post(
        f"/knowledge/articles/{article.pk}/fa/",
        {"title": "یخچال صدا می‌دهد", "body": "<p>پایه‌ها</p><script>x</script>"},
    )
    assert response.status_code == 302
    translation = translation_of(article, "fa")
    assert (translation.state, translation.body) == ("draft", "<p>پایه‌ها</p>")
    assert agent_client.post(f"/knowledge/articles/{article.pk}/fa/publish/").status_code == 403
    assert (
        supervisor_client.post(f"/knowledge/articles/{article.pk}/fa/publish/").status_code == 302
    )
    translation.refresh_from_db()
    assert translation.state == "published"
    page = text_of(agent_client.get(f"/knowledge/articles/{article.pk}/"))
    assert "یخچال صدا می‌دهد" in page and 'data-testid="state-published"' in page
    assert (
        supervisor_client.post(f"/knowledge/articles/{article.pk}/fa/unpublish/").status_code == 302
    )
    translation.refresh_from_db()
    assert translation.state == "draft"


def test_a_viewer_reads_but_writes_nothing(org, viewer_client):
    article = make_article(org)
    assert viewer_client.get(f"/knowledge/articles/{article.pk}/").status_code == 200
    assert viewer_client.get(f"/knowledge/articles/{article.pk}/en/history/").status_code == 200
    assert viewer_client.get("/knowledge/articles/new/").status_code == 403
    response = viewer_client.post(f"/knowledge/articles/{article.pk}/en/", {"title": "X"})
    assert response.status_code == 403
    assert translation_of(article).title == "How to"


def test_an_empty_title_is_refused_on_its_field(org, agent_client):
    article = make_article(org, publish=False)
    response = agent_client.post(
        f"/knowledge/articles/{article.pk}/en/", {"title": " ", "body": ""}
    )
    assert response.status_code == 422
    assert 'data-testid="error-title"' in text_of(response)
    assert agent_client.get(f"/knowledge/articles/{article.pk}/xx/").status_code == 404


def test_only_a_manager_changes_who_may_read_a_published_article(
    org, agent_client, supervisor_client
):
    article = make_article(org)
    response = agent_client.post(
        f"/knowledge/articles/{article.pk}/edit/", {"visibility": "internal"}
    )
    assert response.status_code == 422 and 'data-testid="error-visibility"' in text_of(response)
    article.refresh_from_db()
    assert article.visibility == "public"
    response = supervisor_client.post(
        f"/knowledge/articles/{article.pk}/edit/", {"visibility": "internal"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.visibility == "internal"


def test_history_lists_every_version_and_restores_one(org, agent_client):
    article = make_article(org, texts={"en": ("First", "<p>one</p>")})
    agent_client.post(f"/knowledge/articles/{article.pk}/en/", {"title": "Second", "body": ""})
    translation = translation_of(article)
    response = agent_client.get(f"/knowledge/articles/{article.pk}/en/history/")
    assert len(row_ids(response, "version")) == 3
    first = translation.versions.get(number=1)
    response = agent_client.post(f"/knowledge/articles/{article.pk}/en/history/{first.pk}/restore/")
    assert response.status_code == 302
    translation.refresh_from_db()
    assert translation.title == "First" and translation.versions.count() == 4


def test_images_upload_and_are_served_to_whoever_may_read(
    org, customer, agent_client, viewer_client
):
    article = make_article(org, publish=False, visibility="customers")
    response = agent_client.post(
        f"/knowledge/articles/{article.pk}/images/",
        {"image": SimpleUploadedFile("step.png", png_bytes(), content_type="image/png")},
    )
    assert response.status_code == 302
    image = ArticleImage.objects.get()
    url = f"/help-images/{image.pk}/"
    refused = agent_client.post(
        f"/knowledge/articles/{article.pk}/images/",
        {"image": SimpleUploadedFile("x.svg", b"<svg/>", content_type="image/svg+xml")},
    )
    assert refused.status_code == 422 and ArticleImage.objects.count() == 1
    assert viewer_client.get(url).status_code == 200  # staff read drafts
    from django.test import Client

    assert Client().get(url).status_code == 404  # a draft: nobody outside
    agent_client.post(
        f"/knowledge/articles/{article.pk}/en/", {"title": "T", "body": f'<img src="{url}">'}
    )
    assert f'<img src="{url}">' in translation_of(article).body
    ArticleTranslation.objects.filter(article=article).update(state="published")
    Article.objects.filter(pk=article.pk).update(is_published=True)
    assert Client().get(url).status_code == 404  # customers only
    portal_user = user_create(email="portal@example.com")
    customer_link_user(customer=customer, user=portal_user)
    customer_response = client_for(portal_user).get(url)
    assert customer_response.status_code == 200
    assert customer_response["Content-Type"] == "image/png"
    assert b"".join(customer_response.streaming_content) == png_bytes()


def test_another_organizations_ids_answer_404(org, other_org, charlie_other_org, admin_client):
    foreign = make_article(other_org)
    category = article_category_create(organization=other_org, name="Theirs")
    image = article_image_add(
        article=foreign, upload=SimpleUploadedFile("a.png", png_bytes()), actor=None
    )
    version = translation_of(foreign).versions.first()
    base = f"/knowledge/articles/{foreign.pk}"
    for url in [
        f"{base}/",
        f"{base}/edit/",
        f"{base}/en/",
        f"{base}/en/history/",
        f"/knowledge/categories/{category.pk}/edit/",
    ]:
        assert admin_client.get(url).status_code == 404, url
    for url in [
        f"{base}/en/publish/",
        f"{base}/en/unpublish/",
        f"{base}/en/history/{version.pk}/restore/",
        f"{base}/images/",
    ]:
        assert admin_client.post(url).status_code == 404, url
    # A public article's image is public; an internal one's is not even for another's staff.
    foreign.visibility = "internal"
    foreign.save(update_fields=["visibility"])
    assert admin_client.get(f"/help-images/{image.pk}/").status_code == 404
    assert client_for(charlie_other_org).get(f"/help-images/{image.pk}/").status_code == 200


def test_categories_are_managed_by_managers(org, supervisor_client, agent_client):
    assert agent_client.get("/knowledge/categories/").status_code == 403
    response = supervisor_client.post(
        "/knowledge/categories/new/", {"name": "Air conditioners", "name_fa": "کولر گازی"}
    )
    assert response.status_code == 302
    category = ArticleCategory.objects.get()
    assert category.names == {"fa": "کولر گازی"}
    response = supervisor_client.post(
        f"/knowledge/categories/{category.pk}/edit/",
        {"name": "Air conditioners", "name_fa": "کولر", "position": "5"},
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.names, category.position, category.is_active) == ({"fa": "کولر"}, 5, False)
    response = supervisor_client.get("/knowledge/categories/?status=archived")
    assert row_ids(response, "category") == [str(category.pk)]
    assert 'data-testid="nav-knowledge"' in text_of(agent_client.get("/knowledge/"))
