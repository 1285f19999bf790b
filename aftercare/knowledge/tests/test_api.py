"""API v1 for articles, translations, history and categories."""

import pytest

from aftercare.accounts.services import api_token_create
from aftercare.api.tests.client import ApiClient
from aftercare.knowledge.models import Article, ArticleCategory, ArticleTranslation
from aftercare.knowledge.services import article_category_create, article_vote, deflection_record
from aftercare.knowledge.tests.factories import make_article, make_product_model, translation_of


@pytest.fixture
def admin_api(org, alice_admin):
    _token, key = api_token_create(user=alice_admin, organization=org, name="test")
    return ApiClient(key)


def test_write_a_draft_publish_it_and_read_its_history(org, agent_api, manager_api, customer):
    product = make_product_model(organization=org, sku="AC-1", name="Split")
    category = article_category_create(organization=org, name="AC")
    created = agent_api.post(
        "/articles/",
        {"category_id": category.pk, "visibility": "customers", "product_model_ids": [product.pk]},
    )
    assert created.status == 201, created.body
    article_id = created.body["id"]
    assert created.body["category"] == {"id": category.pk, "name": "AC"}
    assert created.body["product_model_ids"] == [product.pk]
    saved = agent_api.send(
        "PUT",
        f"/articles/{article_id}/translations/fa",
        {"title": "کولر خنک نمی‌کند", "body": '<p onclick="x">فیلتر</p>'},
    )
    assert saved.status == 200, saved.body
    assert (saved.body["state"], saved.body["body"]) == ("draft", "<p>فیلتر</p>")
    assert agent_api.post(f"/articles/{article_id}/translations/fa/publish").status == 403
    published = manager_api.post(f"/articles/{article_id}/translations/fa/publish")
    assert published.status == 200
    assert (published.body["state"], published.body["published_title"]) == (
        "published",
        "کولر خنک نمی‌کند",
    )
    article = Article.objects.get(pk=article_id)
    article_vote(article=article, is_helpful=True, customer=customer)
    deflection_record(article=article)
    got = agent_api.get(f"/articles/{article_id}")
    assert got.body["is_published"] is True
    assert (got.body["helpful_count"], got.body["deflection_count"]) == (1, 1)
    assert got.body["translations"][0]["language"] == "fa"
    history = agent_api.get(f"/articles/{article_id}/translations/fa/versions")
    assert [(v["number"], v["state"]) for v in history.body["items"]] == [
        (2, "published"),
        (1, "draft"),
    ]
    first = history.body["items"][1]["id"]
    agent_api.send("PUT", f"/articles/{article_id}/translations/fa", {"title": "دوم", "body": ""})
    restored = agent_api.post(f"/articles/{article_id}/translations/fa/versions/{first}/restore")
    assert restored.status == 200 and restored.body["title"] == "کولر خنک نمی‌کند"
    unpublished = manager_api.post(f"/articles/{article_id}/translations/fa/unpublish")
    assert unpublished.body["state"] == "draft"


def test_bad_input_names_the_field(org, other_org, agent_api):
    foreign_category = article_category_create(organization=other_org, name="Theirs")
    foreign_product = make_product_model(organization=other_org, sku="X", name="X")
    for body, field in [
        ({"visibility": "secret"}, "visibility"),
        ({"category_id": foreign_category.pk}, "category_id"),
        ({"product_model_ids": [foreign_product.pk]}, "product_model_ids"),
        ({"product_model_ids": "1"}, "product_model_ids"),
        ({"category_id": 0}, "category_id"),
    ]:
        answer = agent_api.post("/articles/", body)
        assert answer.status == 422 and answer.field == field, (body, answer.body)
    article = make_article(org)
    answer = agent_api.send("PUT", f"/articles/{article.pk}/translations/en", {"title": ""})
    assert answer.status == 422 and answer.field == "title"
    answer = agent_api.send("PUT", f"/articles/{article.pk}/translations/xx", {"title": "T"})
    assert answer.status == 422 and answer.field == "language"
    assert agent_api.get("/articles/", {"state": "gone"}).field == "state"
    assert agent_api.get("/articles/", {"cursor": "garbage"}).field == "cursor"
    assert Article.objects.count() == 1


def test_only_a_manager_changes_who_may_read_a_published_article(org, agent_api, manager_api):
    article = make_article(org)
    assert (
        agent_api.send("PATCH", f"/articles/{article.pk}", {"visibility": "internal"}).status == 403
    )
    draft = make_article(org, publish=False)
    answer = agent_api.send("PATCH", f"/articles/{draft.pk}", {"visibility": "internal"})
    assert answer.status == 200 and answer.body["visibility"] == "internal"
    answer = manager_api.send("PATCH", f"/articles/{article.pk}", {"visibility": "customers"})
    assert answer.body["visibility"] == "customers"


def test_the_list_filters_pages_and_costs_the_same(org, agent_api, django_assert_max_num_queries):
    category = article_category_create(organization=org, name="AC")
    for number in range(6):
        make_article(org, texts={"en": (f"A{number}", ""), "fa": (f"ب{number}", "")})
    draft = make_article(org, publish=False, category=category)
    with django_assert_max_num_queries(8):
        answer = agent_api.get("/articles/", {"limit": 5})
    assert len(answer.body["items"]) == 5 and answer.body["next_cursor"]
    rest = agent_api.get("/articles/", {"limit": 5, "cursor": answer.body["next_cursor"]})
    assert len(rest.body["items"]) == 2
    drafts = agent_api.get("/articles/", {"state": "draft", "category_id": category.pk})
    assert [item["id"] for item in drafts.body["items"]] == [draft.pk]


def test_categories_are_archived_not_deleted(org, agent_api, manager_api):
    assert agent_api.post("/article-categories/", {"name": "AC"}).status == 403
    created = manager_api.post("/article-categories/", {"name": "AC", "names": {"fa": "کولر"}})
    assert created.status == 201 and created.body["names"] == {"fa": "کولر"}
    category_id = created.body["id"]
    bad = manager_api.post("/article-categories/", {"name": "X", "names": {"xx": "?"}})
    assert bad.status == 422 and bad.field.startswith("names")
    patched = manager_api.send("PATCH", f"/article-categories/{category_id}", {"position": 3})
    assert patched.body["position"] == 3
    archived = manager_api.post(f"/article-categories/{category_id}/archive")
    assert archived.status == 200 and archived.body["is_active"] is False
    assert ArticleCategory.objects.filter(pk=category_id).exists()
    assert agent_api.get("/article-categories/").body["items"] == []
    listed = agent_api.get("/article-categories/", {"status": "archived"}).body["items"]
    assert [item["id"] for item in listed] == [category_id]


def test_another_organizations_ids_answer_404(other_org, admin_api):
    article = make_article(other_org)
    version = translation_of(article).versions.first()
    category = article_category_create(organization=other_org, name="Theirs")
    base = f"/articles/{article.pk}"
    for path in [base, f"{base}/translations/en", f"{base}/translations/en/versions"]:
        assert admin_api.get(path).status == 404, path
    assert admin_api.get(f"/article-categories/{category.pk}").status == 404
    for method, path, body in [
        ("PATCH", base, {"visibility": "internal"}),
        ("PUT", f"{base}/translations/en", {"title": "Mine now"}),
        ("POST", f"{base}/translations/en/publish", None),
        ("POST", f"{base}/translations/en/unpublish", None),
        ("POST", f"{base}/translations/en/versions/{version.pk}/restore", None),
        ("PATCH", f"/article-categories/{category.pk}", {"name": "Mine"}),
        ("POST", f"/article-categories/{category.pk}/archive", None),
    ]:
        assert admin_api.send(method, path, body).status == 404, path
    translation = translation_of(article)
    assert (translation.title, translation.state) == ("How to", "published")
    assert ArticleTranslation.objects.get(pk=translation.pk).versions.count() == 2
    category.refresh_from_db()
    assert category.is_active and category.name == "Theirs"
