"""Writes of the knowledge base: drafts, publishing, history and restore, images, votes,
views and deflections."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError, transaction

from aftercare.api.tests.files import png_bytes
from aftercare.knowledge.models import (
    Article,
    ArticleCategory,
    ArticleImage,
    ArticleTranslation,
    ArticleVersion,
    ArticleVote,
    Deflection,
)
from aftercare.knowledge.selectors import article_hits
from aftercare.knowledge.services import (
    article_category_archive,
    article_category_create,
    article_category_update,
    article_create,
    article_image_add,
    article_translation_publish,
    article_translation_save,
    article_translation_unpublish,
    article_version_restore,
    article_viewed,
    article_vote,
    deflection_record,
)
from aftercare.knowledge.tests.factories import make_article, make_product_model, translation_of
from aftercare.lib.errors import ApplicationError


def test_saving_writes_a_draft_version_and_publishing_a_published_one(
    org, bob_agent, sam_supervisor
):
    article = article_create(organization=org, actor=bob_agent)
    translation = article_translation_save(
        article=article, language="fa", title="یخچال صدا می‌دهد", body="<p>متن</p>", actor=bob_agent
    )
    assert translation.state == "draft" and translation.published_title == ""
    article_translation_publish(translation=translation, actor=sam_supervisor)
    translation.refresh_from_db()
    article.refresh_from_db()
    assert translation.state == "published"
    assert translation.published_title == "یخچال صدا می‌دهد"
    # Readers find it in the search index now, typed with Arabic letters and no ZWNJ.
    found = article_hits(org, query="يخچال صدا ميدهد", language="fa", audience="public")
    assert [hit.translation.pk for hit in found] == [translation.pk]
    assert article.is_published
    versions = list(
        translation.versions.order_by("number").values_list("number", "state", "author")
    )
    assert versions == [(1, "draft", bob_agent.pk), (2, "published", sam_supervisor.pk)]


def test_a_draft_over_a_published_translation_leaves_readers_the_published_text(org, bob_agent):
    article = make_article(org, texts={"en": ("Old title", "<p>Old</p>")})
    translation = article_translation_save(
        article=article, language="en", title="New title", body="<p>New</p>", actor=bob_agent
    )
    assert translation.state == "published" and translation.has_changes
    assert translation.published_title == "Old title" and translation.published_body == "<p>Old</p>"
    article_translation_publish(translation=translation, actor=None)
    translation.refresh_from_db()
    assert translation.published_title == "New title" and not translation.has_changes


def test_saving_the_same_text_again_writes_no_version(org, bob_agent):
    article = make_article(org, publish=False)
    translation = translation_of(article)
    article_translation_save(
        article=article, language="en", title="How to", body="<p>Do this.</p>", actor=bob_agent
    )
    assert translation.versions.count() == 1


def test_the_body_is_sanitised_when_saved(org):
    article = article_create(organization=org, actor=None)
    translation = article_translation_save(
        article=article,
        language="en",
        title="T",
        body='<p onmouseover="x">a</p><script>alert(1)</script><a href="javascript:x">l</a>',
        actor=None,
    )
    assert translation.body == '<p>a</p><a rel="noopener">l</a>'
    assert translation.versions.get().body == translation.body


def test_history_is_append_only_in_the_database(org):
    article = make_article(org)
    version = translation_of(article).versions.first()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        ArticleVersion.objects.filter(pk=version.pk).update(title="changed")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        ArticleVersion.objects.filter(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.title == "How to"


def test_restoring_a_version_writes_a_new_draft_and_keeps_every_version(org, bob_agent):
    article = make_article(org, texts={"en": ("First", "<p>one</p>")})
    translation = translation_of(article)
    article_translation_save(
        article=article, language="en", title="Second", body="<p>two</p>", actor=bob_agent
    )
    first = translation.versions.get(number=1)
    restored = article_version_restore(version=first, actor=bob_agent)
    assert (restored.title, restored.body) == ("First", "<p>one</p>")
    # Still published as it was; the restored text waits as a draft.
    assert restored.state == "published" and restored.published_title == "First"
    history = list(translation.versions.order_by("number").values_list("number", "title", "state"))
    assert history == [
        (1, "First", "draft"),
        (2, "First", "published"),
        (3, "Second", "draft"),
        (4, "First", "draft"),
    ]
    assert translation.versions.get(number=4).restored_from == first


def test_unpublishing_the_last_translation_unpublishes_the_article(org):
    article = make_article(org, texts={"en": ("A", ""), "fa": ("ب", "")})
    article_translation_unpublish(translation=translation_of(article, "en"), actor=None)
    article.refresh_from_db()
    assert article.is_published
    article_translation_unpublish(translation=translation_of(article, "fa"), actor=None)
    article.refresh_from_db()
    fa = translation_of(article, "fa")
    assert not article.is_published
    assert (fa.state, fa.published_title) == ("draft", "")
    assert article_hits(org, query="ب", language="fa", audience="staff") == []


def test_bad_input_names_the_field_and_changes_nothing(org, other_org):
    article = article_create(organization=org, actor=None)
    for arguments, field in [
        ({"language": "xx", "title": "T", "body": ""}, "language"),
        ({"language": "en", "title": "  ", "body": ""}, "title"),
        ({"language": "en", "title": "T" * 301, "body": ""}, "title"),
        ({"language": "en", "title": "T", "body": "x" * 200_001}, "body"),
    ]:
        with pytest.raises(ApplicationError) as error:
            article_translation_save(article=article, actor=None, **arguments)
        assert error.value.field == field
    assert not ArticleTranslation.objects.exists()
    foreign = article_category_create(organization=other_org, name="Other")
    with pytest.raises(ApplicationError) as error:
        article_create(organization=org, actor=None, category=foreign)
    assert error.value.field == "category_id"
    with pytest.raises(ApplicationError) as error:
        article_create(
            organization=org,
            actor=None,
            product_models=[make_product_model(organization=other_org, sku="THEIRS")],
        )
    assert error.value.field == "product_model_ids"
    with pytest.raises(ApplicationError) as error:
        article_create(organization=org, actor=None, visibility="secret")
    assert error.value.field == "visibility"
    assert Article.objects.count() == 1


def test_categories_are_archived_not_deleted(org):
    first = article_category_create(organization=org, name="Air conditioners", names={"fa": "کولر"})
    second = article_category_create(organization=org, name="Refrigerators")
    assert (first.position, second.position) == (10, 20)
    assert first.name_in("fa") == "کولر" and first.name_in("tr") == "Air conditioners"
    article_category_archive(category=first)
    first.refresh_from_db()
    assert not first.is_active and ArticleCategory.objects.count() == 2
    with pytest.raises(ApplicationError) as error:
        article_category_update(category=second, names={"xx": "?"})
    assert error.value.field == "names"


def test_an_image_is_checked_before_anything_is_written(org, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    article = article_create(organization=org, actor=None)
    image = article_image_add(
        article=article, upload=SimpleUploadedFile("step 1.png", png_bytes()), actor=None
    )
    assert (image.filename, image.content_type) == ("step 1.png", "image/png")
    assert image.file.read() == png_bytes()
    written = sorted(path.name for path in tmp_path.rglob("*") if path.is_file())
    refused = [
        SimpleUploadedFile("x.svg", b"<svg onload='alert(1)'/>"),
        SimpleUploadedFile("x.png", b"<html>not a png</html>"),
        SimpleUploadedFile("x.exe", b"MZ"),
    ]
    settings.KNOWLEDGE_IMAGE_MAX_BYTES = 10
    refused.append(SimpleUploadedFile("big.png", png_bytes()))
    for upload in refused:
        with pytest.raises(ApplicationError) as error:
            article_image_add(article=article, upload=upload, actor=None)
        assert error.value.field == "image"
    assert ArticleImage.objects.count() == 1
    assert sorted(path.name for path in tmp_path.rglob("*") if path.is_file()) == written


def test_a_view_is_one_update(org, django_assert_num_queries):
    article = make_article(org)
    with django_assert_num_queries(1) as captured:
        article_viewed(article_id=article.pk)
    assert captured.captured_queries[0]["sql"].upper().startswith("UPDATE")
    article_viewed(article_id=article.pk)
    article.refresh_from_db()
    assert article.view_count == 2


def test_one_vote_per_customer_changeable_and_counted(org, customer):
    article = make_article(org)
    article_vote(article=article, is_helpful=True, customer=customer)
    article_vote(article=article, is_helpful=True, customer=customer)
    article.refresh_from_db()
    assert (article.helpful_count, article.unhelpful_count) == (1, 0)
    article_vote(article=article, is_helpful=False, customer=customer)
    article.refresh_from_db()
    assert (article.helpful_count, article.unhelpful_count) == (0, 1)
    assert ArticleVote.objects.get().is_helpful is False


def test_one_vote_per_anonymous_session(org):
    article = make_article(org)
    article_vote(article=article, is_helpful=True, session_key="session-a")
    article_vote(article=article, is_helpful=True, session_key="session-a")
    article_vote(article=article, is_helpful=False, session_key="session-b")
    article.refresh_from_db()
    assert (article.helpful_count, article.unhelpful_count) == (1, 1)
    assert ArticleVote.objects.count() == 2
    assert "session-a" not in set(ArticleVote.objects.values_list("session_hash", flat=True))
    with pytest.raises(ApplicationError):
        article_vote(article=article, is_helpful=True)


def test_a_vote_of_another_organizations_customer_is_refused(org, other_customer):
    article = make_article(org)
    with pytest.raises(ApplicationError):
        article_vote(article=article, is_helpful=True, customer=other_customer)
    assert not ArticleVote.objects.exists()


def test_a_deflection_is_recorded_and_counted(org, customer):
    article = make_article(org)
    deflection = deflection_record(
        article=article, customer=customer, text="  کولر خنک نمی‌کند ", language="fa"
    )
    deflection_record(article=article, text="x" * 10000)
    article.refresh_from_db()
    assert article.deflection_count == 2
    assert (deflection.organization, deflection.customer, deflection.text, deflection.language) == (
        org,
        customer,
        "کولر خنک نمی‌کند",
        "fa",
    )
    assert len(Deflection.objects.get(customer__isnull=True).text) == 4000
