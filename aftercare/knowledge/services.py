"""Every write of the knowledge base: categories, articles, their translations and versions,
images, votes, view counts and deflections."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization, User
from aftercare.catalog.models import ProductModel
from aftercare.customers.models import Customer
from aftercare.knowledge.indexing import article_index
from aftercare.knowledge.models import (
    Article,
    ArticleCategory,
    ArticleImage,
    ArticleTranslation,
    ArticleVersion,
    ArticleVote,
    Deflection,
)
from aftercare.knowledge.richtext import sanitize
from aftercare.knowledge.selectors import session_hash
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import is_language
from aftercare.lib.unset import UNSET, Unset
from aftercare.lib.uploads import upload_check
from aftercare.lib.validation import clean_position, clean_text, next_position

TITLE_MAX = 300
BODY_MAX = 200_000
DEFLECTION_TEXT_MAX = 4000
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp"}
PRODUCT_MODELS_MAX = 200


# --- Categories ---


def _clean_names(names: dict | None) -> dict[str, str]:
    """A category's names in other languages: known languages only, blanks dropped."""
    cleaned = {}
    for language, name in (names or {}).items():
        if not is_language(language):
            raise ApplicationError(
                _("Unknown language: %(language)s.") % {"language": language}, field="names"
            )
        name = clean_text(name, field="names", required=False, max_length=200)
        if name:
            cleaned[language] = name
    return cleaned


def article_category_create(
    *,
    organization: Organization,
    name: str,
    names: dict | None = None,
    position: int | None = None,
) -> ArticleCategory:
    """A category of the help centre; without a position it goes last."""
    name = clean_text(name, field="name", required=True, max_length=200)
    names = _clean_names(names)
    categories = ArticleCategory.objects.filter(organization=organization)
    position = next_position(categories) if position is None else clean_position(position)
    return ArticleCategory.objects.create(
        organization=organization, name=name, names=names, position=position
    )


def article_category_update(
    *,
    category: ArticleCategory,
    name: str | Unset = UNSET,
    names: dict | Unset = UNSET,
    position: int | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> ArticleCategory:
    """Rename, reorder, archive or bring back a category (categories are never deleted)."""
    changed = []
    if name is not UNSET:
        category.name = clean_text(name, field="name", required=True, max_length=200)
        changed.append("name")
    if names is not UNSET:
        category.names = _clean_names(names)
        changed.append("names")
    if position is not UNSET:
        category.position = clean_position(position)
        changed.append("position")
    if is_active is not UNSET:
        category.is_active = bool(is_active)
        changed.append("is_active")
    if changed:
        category.save(update_fields=changed)
    return category


def article_category_archive(*, category: ArticleCategory) -> ArticleCategory:
    """Take a category out of the help centre and of the choices; its articles keep it."""
    return article_category_update(category=category, is_active=False)


# --- Articles ---


def _check_category(organization_id: int, category: ArticleCategory | None) -> None:
    if category is not None and category.organization_id != organization_id:
        raise ApplicationError(_("No such category."), field="category_id")


def _check_products(organization_id: int, product_models: list[ProductModel]) -> list:
    if len(product_models) > PRODUCT_MODELS_MAX:
        raise ApplicationError(
            _("At most %(count)s product models.") % {"count": PRODUCT_MODELS_MAX},
            field="product_model_ids",
        )
    if any(product.organization_id != organization_id for product in product_models):
        raise ApplicationError(_("No such product model."), field="product_model_ids")
    return product_models


def _check_visibility(visibility: str) -> str:
    if visibility not in Article.Visibility.values:
        raise ApplicationError(_("Unknown visibility."), field="visibility")
    return visibility


@transaction.atomic
def article_create(
    *,
    organization: Organization,
    actor: User | None,
    category: ArticleCategory | None = None,
    visibility: str = Article.Visibility.PUBLIC,
    product_models: list[ProductModel] | tuple = (),
) -> Article:
    """A new article, with no translation yet (nothing a reader sees)."""
    _check_category(organization.pk, category)
    _check_visibility(visibility)
    products = _check_products(organization.pk, list(product_models))
    article = Article.objects.create(
        organization=organization, category=category, visibility=visibility, created_by=actor
    )
    if products:
        article.product_models.set(products)
    return article


@transaction.atomic
def article_update(
    *,
    article: Article,
    category: ArticleCategory | None | Unset = UNSET,
    visibility: str | Unset = UNSET,
    product_models: list[ProductModel] | Unset = UNSET,
) -> Article:
    """Change an article's category, who may read it, or the product models it is about."""
    changed = ["updated_at"]
    if category is not UNSET:
        _check_category(article.organization_id, category)
        article.category = category
        changed.append("category")
    if visibility is not UNSET:
        article.visibility = _check_visibility(visibility)
        changed.append("visibility")
    if product_models is not UNSET:
        article.product_models.set(_check_products(article.organization_id, list(product_models)))
    article.updated_at = timezone.now()
    article.save(update_fields=changed)
    article_index(article.pk)
    return article


# --- Translations and their versions ---


def _image_ids(article: Article) -> set[int]:
    return set(ArticleImage.objects.filter(article=article).values_list("pk", flat=True))


def _next_number(translation: ArticleTranslation) -> int:
    last = ArticleVersion.objects.filter(translation=translation).aggregate(last=Max("number"))
    return (last["last"] or 0) + 1


def _version_write(
    *,
    translation: ArticleTranslation,
    state: str,
    actor: User | None,
    restored_from: ArticleVersion | None = None,
) -> ArticleVersion:
    return ArticleVersion.objects.create(
        organization_id=translation.organization_id,
        translation=translation,
        number=_next_number(translation),
        title=translation.title,
        body=translation.body,
        state=state,
        author=actor,
        restored_from=restored_from,
    )


def _touch(article: Article, now) -> None:
    Article.objects.filter(pk=article.pk).update(updated_at=now)
    article.updated_at = now


def article_translation_save(
    *,
    article: Article,
    language: str,
    title: str,
    body: str,
    actor: User | None,
    restored_from: ArticleVersion | None = None,
) -> ArticleTranslation:
    """Save an article's text in one language as a draft: a new version in its history. A
    published translation stays as readers see it until the draft is published. Saving the
    text it already has writes nothing."""
    if not is_language(language):
        raise ApplicationError(_("Unknown language."), field="language")
    title = clean_text(title, field="title", required=True, max_length=TITLE_MAX)
    if len(body or "") > BODY_MAX:
        raise ApplicationError(
            _("Too long: %(max)s characters at most.") % {"max": BODY_MAX}, field="body"
        )
    body = sanitize(body or "", image_ids=_image_ids(article))
    now = timezone.now()
    with transaction.atomic():
        translation = (
            ArticleTranslation.objects.select_for_update()
            .filter(article=article, language=language)
            .first()
        )
        if translation is None:
            try:
                with transaction.atomic():
                    translation = ArticleTranslation.objects.create(
                        organization_id=article.organization_id,
                        article=article,
                        language=language,
                        title=title,
                        body=body,
                        updated_by=actor,
                        created_at=now,
                        updated_at=now,
                    )
            except IntegrityError:
                raise ApplicationError(
                    _("This language was just added by someone else: open it again."),
                    field="language",
                ) from None
        elif translation.title == title and translation.body == body and restored_from is None:
            return translation
        else:
            translation.title, translation.body = title, body
            translation.updated_by, translation.updated_at = actor, now
            translation.has_changes = translation.is_published and (
                title != translation.published_title or body != translation.published_body
            )
            translation.save(
                update_fields=["title", "body", "updated_by", "updated_at", "has_changes"]
            )
        _version_write(
            translation=translation,
            state=ArticleTranslation.State.DRAFT,
            actor=actor,
            restored_from=restored_from,
        )
        _touch(article, now)
        article_index(article.pk)
    return translation


@transaction.atomic
def article_translation_publish(
    *, translation: ArticleTranslation, actor: User | None
) -> ArticleTranslation:
    """Make the working copy what readers see; the history records it as published."""
    translation = ArticleTranslation.objects.select_for_update().get(pk=translation.pk)
    if translation.is_published and not translation.has_changes:
        return translation
    now = timezone.now()
    translation.state = ArticleTranslation.State.PUBLISHED
    translation.published_title = translation.title
    translation.published_body = translation.body
    translation.published_at = now
    translation.has_changes = False
    translation.updated_by, translation.updated_at = actor, now
    translation.save(
        update_fields=[
            "state",
            "published_title",
            "published_body",
            "published_at",
            "has_changes",
            "updated_by",
            "updated_at",
        ]
    )
    _version_write(translation=translation, state=ArticleTranslation.State.PUBLISHED, actor=actor)
    Article.objects.filter(pk=translation.article_id).update(is_published=True, updated_at=now)
    article_index(translation.article_id)
    return translation


@transaction.atomic
def article_translation_unpublish(
    *, translation: ArticleTranslation, actor: User | None
) -> ArticleTranslation:
    """Take a translation away from readers; its working copy and history stay."""
    translation = ArticleTranslation.objects.select_for_update().get(pk=translation.pk)
    if not translation.is_published:
        return translation
    now = timezone.now()
    translation.state = ArticleTranslation.State.DRAFT
    translation.published_title = translation.published_body = ""
    translation.published_at = None
    translation.has_changes = False
    translation.updated_by, translation.updated_at = actor, now
    translation.save(
        update_fields=[
            "state",
            "published_title",
            "published_body",
            "published_at",
            "has_changes",
            "updated_by",
            "updated_at",
        ]
    )
    still_published = (
        ArticleTranslation.objects.filter(
            article_id=translation.article_id, state=ArticleTranslation.State.PUBLISHED
        )
        .exclude(pk=translation.pk)
        .exists()
    )
    Article.objects.filter(pk=translation.article_id).update(
        is_published=still_published, updated_at=now
    )
    article_index(translation.article_id)
    return translation


def article_version_restore(*, version: ArticleVersion, actor: User | None) -> ArticleTranslation:
    """Bring back an earlier version's text as a new draft (the history keeps every version,
    the restored one included)."""
    translation = version.translation
    return article_translation_save(
        article=translation.article,
        language=translation.language,
        title=version.title,
        body=version.body,
        actor=actor,
        restored_from=version,
    )


# --- Images ---


def article_image_add(
    *, article: Article, upload: UploadedFile, actor: User | None
) -> ArticleImage:
    """Keep an image for an article (JPEG, PNG, GIF or WebP, at most
    KNOWLEDGE_IMAGE_MAX_BYTES), checked before anything is written."""
    info = upload_check(
        upload,
        field="image",
        extensions=IMAGE_EXTENSIONS,
        max_bytes=settings.KNOWLEDGE_IMAGE_MAX_BYTES,
    )
    image = ArticleImage(
        organization_id=article.organization_id,
        article=article,
        filename=info["filename"],
        content_type=info["content_type"],
        size=info["size"],
        sha256=info["sha256"],
        uploaded_by=actor,
    )
    image.file.save(info["filename"], upload, save=False)
    try:
        image.save()
    except Exception:
        image.file.delete(save=False)
        raise
    return image


# --- Readers: views, votes, deflections ---


def article_viewed(*, article_id: int) -> None:
    """Count one view: one UPDATE ... SET view_count = view_count + 1."""
    Article.objects.filter(pk=article_id).update(view_count=F("view_count") + 1)


_COUNTERS = {True: "helpful_count", False: "unhelpful_count"}


def article_vote(
    *,
    article: Article,
    is_helpful: bool,
    customer: Customer | None = None,
    session_key: str = "",
    language: str = "",
) -> ArticleVote:
    """Record a reader's "was this helpful": one vote per customer (or per browser session
    when not signed in), which they may change; the article's counters move with it."""
    if customer is None and not session_key:
        raise ApplicationError(_("Your browser did not keep a session."), field="session")
    if customer is not None and customer.organization_id != article.organization_id:
        raise ApplicationError(_("No such customer."), field="customer")
    language = language if is_language(language) else ""
    who = (
        {"customer": customer}
        if customer is not None
        else {"customer": None, "session_hash": session_hash(session_key)}
    )
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _vote(article, is_helpful=bool(is_helpful), who=who, language=language)
        except IntegrityError:
            # Two first votes of one reader at once: the other one won; change it.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _vote(article: Article, *, is_helpful: bool, who: dict, language: str) -> ArticleVote:
    now = timezone.now()
    vote = ArticleVote.objects.select_for_update().filter(article=article, **who).first()
    if vote is None:
        vote = ArticleVote.objects.create(
            organization_id=article.organization_id,
            article=article,
            is_helpful=is_helpful,
            language=language,
            created_at=now,
            updated_at=now,
            **who,
        )
        Article.objects.filter(pk=article.pk).update(
            **{_COUNTERS[is_helpful]: F(_COUNTERS[is_helpful]) + 1}
        )
        return vote
    if vote.is_helpful == is_helpful:
        return vote
    vote.is_helpful, vote.language, vote.updated_at = is_helpful, language or vote.language, now
    vote.save(update_fields=["is_helpful", "language", "updated_at"])
    Article.objects.filter(pk=article.pk).update(
        **{
            _COUNTERS[is_helpful]: F(_COUNTERS[is_helpful]) + 1,
            _COUNTERS[not is_helpful]: F(_COUNTERS[not is_helpful]) - 1,
        }
    )
    return vote


@transaction.atomic
def deflection_record(
    *,
    article: Article,
    customer: Customer | None = None,
    text: str = "",
    language: str = "",
) -> Deflection:
    """A reader said this article solved their problem: a request that was not opened."""
    if customer is not None and customer.organization_id != article.organization_id:
        raise ApplicationError(_("No such customer."), field="customer")
    text = clean_text(text, field="text", required=False, max_length=DEFLECTION_TEXT_MAX * 4)
    deflection = Deflection.objects.create(
        organization_id=article.organization_id,
        article=article,
        customer=customer,
        text=text[:DEFLECTION_TEXT_MAX],
        language=language if is_language(language) else "",
    )
    Article.objects.filter(pk=article.pk).update(deflection_count=F("deflection_count") + 1)
    return deflection
