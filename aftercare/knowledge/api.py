"""API v1: knowledge articles, their translations (draft, publish, unpublish), each
translation's history and restore, and article categories. Every member reads; those who work
requests write drafts; admins and supervisors publish and manage categories."""

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.permissions import require_manager
from aftercare.api.schemas import (
    CREATE,
    LIST,
    READ,
    WRITE,
    BodySchema,
    Id,
    LanguageCode,
    PageQuery,
    Position,
    RefOut,
    Text,
    UserRefOut,
    responses,
)
from aftercare.catalog.selectors import product_models_for_input
from aftercare.knowledge.models import Article, ArticleCategory, ArticleTranslation
from aftercare.knowledge.selectors import (
    CATEGORY_STATUSES,
    article_category_for_input,
    article_category_get,
    article_category_page,
    article_get,
    article_page,
    article_translation_get,
    article_version_get,
    article_version_page,
)
from aftercare.knowledge.services import (
    BODY_MAX,
    PRODUCT_MODELS_MAX,
    TITLE_MAX,
    article_category_archive,
    article_category_create,
    article_category_update,
    article_create,
    article_translation_publish,
    article_translation_save,
    article_translation_unpublish,
    article_update,
    article_version_restore,
)
from aftercare.lib.languages import language_codes

articles_router = Router(tags=["knowledge"])
categories_router = Router(tags=["knowledge"])

Visibility = Literal[tuple(Article.Visibility.values)]
VisibilityFilter = Literal[("", *Article.Visibility.values)]
State = Literal[tuple(ArticleTranslation.State.values)]
StateFilter = Literal[("", *ArticleTranslation.State.values)]
LanguageFilter = Literal[("", *language_codes())]
ProductModelIds = Annotated[list[Id], Field(max_length=PRODUCT_MODELS_MAX)]


class TranslationSummaryOut(Schema):
    """An article's text in one language, in short."""

    language: LanguageCode
    title: str = Field(description="The working copy's title.")
    state: State
    has_changes: bool = Field(description="A saved draft differs from the published text.")
    published_at: datetime.datetime | None
    updated_at: datetime.datetime


class ArticleOut(Schema):
    """A knowledge article: who may read it, its category and product models, its counters
    and its translations."""

    id: int
    category: RefOut | None
    visibility: Visibility
    product_model_ids: list[int]
    is_published: bool = Field(description="Some translation is published.")
    view_count: int
    helpful_count: int = Field(description='Readers who answered "was this helpful" with yes.')
    unhelpful_count: int
    deflection_count: int = Field(description="Readers who said it solved their problem.")
    translations: list[TranslationSummaryOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_product_model_ids(obj) -> list[int]:
        return [product.pk for product in obj.product_models.all()]

    @staticmethod
    def resolve_translations(obj) -> list:
        return list(obj.translations.all())


class ArticlePageOut(Schema):
    """One page of articles, last changed first."""

    items: list[ArticleOut]
    next_cursor: str | None


class ArticleListQuery(PageQuery):
    """Filters of the article list."""

    category_id: Id | None = None
    language: LanguageFilter = Field("", description="Articles with a translation in it.")
    state: StateFilter = Field(
        "", description="published: a published translation; draft: one unpublished or changed."
    )
    visibility: VisibilityFilter = ""


class ArticleIn(BodySchema):
    """A new article (its text comes in its translations)."""

    category_id: Id | None = None
    visibility: Visibility = "public"
    product_model_ids: ProductModelIds = []


class ArticleUpdateIn(BodySchema):
    """Fields to change; `category_id: null` takes the category away. Changing who may read a
    published article is for admins and supervisors."""

    category_id: Id | None = None
    visibility: Visibility = None
    product_model_ids: ProductModelIds = None


class TranslationOut(Schema):
    """An article in one language: the working copy and, while published, what readers see."""

    article_id: int
    language: LanguageCode
    title: str
    body: str = Field(description="Sanitised HTML.")
    state: State
    has_changes: bool
    published_title: str
    published_body: str
    published_at: datetime.datetime | None
    updated_by: UserRefOut | None
    updated_at: datetime.datetime


class TranslationIn(BodySchema):
    """The text of a draft; the body is HTML, sanitised when saved."""

    title: Text(TITLE_MAX, min_length=1)
    body: Text(BODY_MAX) = ""


class VersionOut(Schema):
    """One saved version of a translation."""

    id: int
    number: int
    title: str
    body: str
    state: State
    author: UserRefOut | None
    restored_from_id: int | None
    created_at: datetime.datetime


class VersionPageOut(Schema):
    """One page of a translation's history, newest first."""

    items: list[VersionOut]
    next_cursor: str | None


class ArticleCategoryOut(Schema):
    """A category of the help centre."""

    id: int
    name: str
    names: dict[str, str] = Field(description="The name in other languages, by language code.")
    position: int
    is_active: bool
    created_at: datetime.datetime


class ArticleCategoryPageOut(Schema):
    """One page of categories in their order."""

    items: list[ArticleCategoryOut]
    next_cursor: str | None


class ArticleCategoryListQuery(PageQuery):
    """Filters of the category list."""

    status: Literal[CATEGORY_STATUSES] = "active"


class ArticleCategoryIn(BodySchema):
    """A new category; without a position it goes last."""

    name: Text(200, min_length=1)
    names: dict[LanguageCode, Text(200)] = {}
    position: Position | None = None


class ArticleCategoryUpdateIn(BodySchema):
    """Fields to change; `is_active: false` archives (categories are never deleted)."""

    name: Text(200, min_length=1) = None
    names: dict[LanguageCode, Text(200)] = None
    position: Position = None
    is_active: bool = None


def _category(request: HttpRequest, category_id: int | None):
    if category_id is None:
        return None
    return article_category_for_input(organization=request.organization, category_id=category_id)


def _products(request: HttpRequest, ids: list[int]):
    return product_models_for_input(
        organization=request.organization, product_model_ids=ids, field="product_model_ids"
    )


def _article(request: HttpRequest, article_id: int) -> Article:
    return article_get(organization=request.organization, article_id=article_id)


def _translation(request: HttpRequest, article_id: int, language: str) -> ArticleTranslation:
    return article_translation_get(article=_article(request, article_id), language=language)


@articles_router.get("/", response=responses({200: ArticlePageOut}, LIST), summary="List articles")
def article_list_api(request: HttpRequest, filters: Query[ArticleListQuery]):
    """Articles, last changed first, with their translations' state."""
    return article_page(
        organization=request.organization,
        category_id=filters.category_id,
        language=filters.language,
        state=filters.state,
        visibility=filters.visibility,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@articles_router.post(
    "/", response=responses({201: ArticleOut}, CREATE), summary="Create an article"
)
def article_create_api(request: HttpRequest, payload: ArticleIn):
    """A new article; write its text with `PUT /articles/{id}/translations/{language}`."""
    article = article_create(
        organization=request.organization,
        actor=request.auth,
        category=_category(request, payload.category_id),
        visibility=payload.visibility,
        product_models=_products(request, payload.product_model_ids),
    )
    return Answer(201, _article(request, article.pk))


@articles_router.get(
    "/{article_id}", response=responses({200: ArticleOut}, READ), summary="Get an article"
)
def article_get_api(request: HttpRequest, article_id: Id):
    """One article with its translations' state and its counters."""
    return _article(request, article_id)


@articles_router.patch(
    "/{article_id}", response=responses({200: ArticleOut}, WRITE), summary="Update an article"
)
def article_update_api(request: HttpRequest, article_id: Id, payload: ArticleUpdateIn):
    """Change the fields sent."""
    article = _article(request, article_id)
    sent = payload.model_dump(exclude_unset=True)
    changes = {}
    if "category_id" in sent:
        changes["category"] = _category(request, sent["category_id"])
    if sent.get("visibility") is not None and sent["visibility"] != article.visibility:
        if article.is_published:
            require_manager(request)
        changes["visibility"] = sent["visibility"]
    if sent.get("product_model_ids") is not None:
        changes["product_models"] = _products(request, sent["product_model_ids"])
    article_update(article=article, **changes)
    return _article(request, article.pk)


@articles_router.get(
    "/{article_id}/translations/{language}",
    response=responses({200: TranslationOut}, READ),
    summary="Get a translation",
)
def article_translation_get_api(request: HttpRequest, article_id: Id, language: LanguageCode):
    """An article's text in one language."""
    return _translation(request, article_id, language)


@articles_router.put(
    "/{article_id}/translations/{language}",
    response=responses({200: TranslationOut}, WRITE),
    summary="Save a draft",
)
def article_translation_save_api(
    request: HttpRequest, article_id: Id, language: LanguageCode, payload: TranslationIn
):
    """Save the text in one language as a draft (a new version in its history; the
    published text, if any, stays until the draft is published)."""
    article = _article(request, article_id)
    translation = article_translation_save(
        article=article,
        language=language,
        title=payload.title,
        body=payload.body,
        actor=request.auth,
    )
    return article_translation_get(article=article, language=translation.language)


@articles_router.post(
    "/{article_id}/translations/{language}/publish",
    response=responses({200: TranslationOut}, WRITE),
    summary="Publish a translation",
)
def article_translation_publish_api(request: HttpRequest, article_id: Id, language: LanguageCode):
    """Make the saved draft what readers see (admins and supervisors only)."""
    translation = _translation(request, article_id, language)
    article_translation_publish(translation=translation, actor=request.auth)
    return _translation(request, article_id, language)


@articles_router.post(
    "/{article_id}/translations/{language}/unpublish",
    response=responses({200: TranslationOut}, WRITE),
    summary="Unpublish a translation",
)
def article_translation_unpublish_api(request: HttpRequest, article_id: Id, language: LanguageCode):
    """Take a translation away from readers (admins and supervisors only)."""
    translation = _translation(request, article_id, language)
    article_translation_unpublish(translation=translation, actor=request.auth)
    return _translation(request, article_id, language)


@articles_router.get(
    "/{article_id}/translations/{language}/versions",
    response=responses({200: VersionPageOut}, READ),
    summary="A translation's history",
)
def article_version_list_api(
    request: HttpRequest, article_id: Id, language: LanguageCode, page: Query[PageQuery]
):
    """Every saved version, newest first."""
    translation = _translation(request, article_id, language)
    return article_version_page(translation=translation, cursor=page.cursor, limit=page.limit)


@articles_router.post(
    "/{article_id}/translations/{language}/versions/{version_id}/restore",
    response=responses({200: TranslationOut}, WRITE),
    summary="Restore a version",
)
def article_version_restore_api(
    request: HttpRequest, article_id: Id, language: LanguageCode, version_id: Id
):
    """Bring an earlier version back as a new draft."""
    translation = _translation(request, article_id, language)
    version = article_version_get(translation=translation, version_id=version_id)
    article_version_restore(version=version, actor=request.auth)
    return _translation(request, article_id, language)


@categories_router.get(
    "/", response=responses({200: ArticleCategoryPageOut}, LIST), summary="List article categories"
)
def article_category_list_api(request: HttpRequest, filters: Query[ArticleCategoryListQuery]):
    """Categories in their order."""
    return article_category_page(
        organization=request.organization,
        status=filters.status,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@categories_router.post(
    "/", response=responses({201: ArticleCategoryOut}, CREATE), summary="Create an article category"
)
def article_category_create_api(request: HttpRequest, payload: ArticleCategoryIn):
    """A new category (admins and supervisors only)."""
    category = article_category_create(
        organization=request.organization,
        name=payload.name,
        names=payload.names,
        position=payload.position,
    )
    return Answer(201, category)


@categories_router.get(
    "/{article_category_id}",
    response=responses({200: ArticleCategoryOut}, READ),
    summary="Get an article category",
)
def article_category_get_api(request: HttpRequest, article_category_id: Id):
    """One category."""
    return article_category_get(organization=request.organization, category_id=article_category_id)


@categories_router.patch(
    "/{article_category_id}",
    response=responses({200: ArticleCategoryOut}, WRITE),
    summary="Update an article category",
)
def article_category_update_api(
    request: HttpRequest, article_category_id: Id, payload: ArticleCategoryUpdateIn
):
    """Change the fields sent (admins and supervisors only)."""
    category: ArticleCategory = article_category_get(
        organization=request.organization, category_id=article_category_id
    )
    sent = {key: value for key, value in payload.model_dump(exclude_unset=True).items()}
    changes = {key: value for key, value in sent.items() if value is not None}
    return article_category_update(category=category, **changes)


@categories_router.post(
    "/{article_category_id}/archive",
    response=responses({200: ArticleCategoryOut}, WRITE),
    summary="Archive an article category",
)
def article_category_archive_api(request: HttpRequest, article_category_id: Id):
    """Hide a category from the help centre and the choices; its articles keep it (admins and
    supervisors only; categories are never deleted)."""
    category = article_category_get(
        organization=request.organization, category_id=article_category_id
    )
    return article_category_archive(category=category)
