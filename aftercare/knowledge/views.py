"""Console pages of the knowledge base: the article list, an article with its translations,
editing, publishing, history and restore, images, and the categories in the settings. Every
member of staff reads; those who work requests write drafts; admins and supervisors publish
and manage categories."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation as django_translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.catalog.selectors import product_model_choices
from aftercare.console.access import Access, allows
from aftercare.console.pages import (
    apply_error,
    console_view,
    form_data,
    form_page,
    next_page_url,
    render_console,
)
from aftercare.knowledge.forms import (
    ArticleFilterForm,
    ArticleForm,
    CategoryFilterForm,
    CategoryForm,
    ImageForm,
    TranslationForm,
)
from aftercare.knowledge.models import Article, ArticleTranslation
from aftercare.knowledge.richtext import image_url
from aftercare.knowledge.selectors import (
    article_category_get,
    article_category_list,
    article_category_page,
    article_get,
    article_image_list,
    article_page,
    article_translation_find,
    article_translation_get,
    article_version_get,
    article_version_page,
    reader_translation,
)
from aftercare.knowledge.services import (
    article_category_create,
    article_category_update,
    article_create,
    article_image_add,
    article_translation_publish,
    article_translation_save,
    article_translation_unpublish,
    article_update,
    article_version_restore,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import is_language

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 20

_writer_view = console_view(
    refusal=gettext_lazy("Your role can read articles but not change them.")
)
_manager_view = console_view(
    refusal=gettext_lazy("Only admins and supervisors publish articles and manage categories.")
)
_FIELDS = {"category_id": "category", "product_model_ids": "product_models"}


def _language_names() -> dict[str, str]:
    from django.conf import settings

    return {code: str(name) for code, name in settings.LANGUAGES}


def _label(article: Article, membership: Membership) -> None:
    """Give an article (its translations prefetched) the title staff see in the list: in their
    language, else the organization's, else any."""
    chosen, _fallback = reader_translation(
        list(article.translations.all()),
        language=django_translation.get_language() or "",
        default_language=membership.organization.default_language,
    )
    article.label = chosen.title if chosen else _("(no translation yet)")
    article.label_language = chosen.language if chosen else ""


@console_view()
def article_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Articles, last changed first, by category, language, state and visibility."""
    organization = membership.organization
    form = ArticleFilterForm(
        request.GET, categories=article_category_list(organization=organization, active_only=False)
    )
    page = None
    if form.is_valid():
        category = form.object_for("category")
        try:
            page = article_page(
                organization=organization,
                category_id=category.pk if category else None,
                language=form.cleaned_data["language"],
                state=form.cleaned_data["state"],
                visibility=form.cleaned_data["visibility"],
                cursor=request.GET.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except ApplicationError as error:
            apply_error(form, error)
    articles = page.items if page else []
    for article in articles:
        _label(article, membership)
    context = {
        "form": form,
        "articles": articles,
        "next_url": next_page_url(request, page),
        "is_first_page": not request.GET.get("cursor"),
        "filtered": any(request.GET.get(key) for key in form.fields),
        "can_write": allows(membership, Access.WRITE),
    }
    return render_console(
        request,
        membership,
        "knowledge/article_list.html",
        context,
        status=200 if page is not None else 422,
    )


def _article_form(request: HttpRequest, membership: Membership, article=None) -> ArticleForm:
    organization = membership.organization
    categories = article_category_list(organization=organization)
    kept = list(article.product_models.all()) if article else []
    if article and article.category and article.category not in categories:
        categories.append(article.category)
    initial = {}
    if article is not None:
        initial = {
            "category": str(article.category_id or ""),
            "visibility": article.visibility,
            "product_models": [str(product.pk) for product in kept],
        }
    return ArticleForm(
        form_data(request),
        initial=initial,
        categories=categories,
        products=product_model_choices(organization=organization, keep=kept),
    )


@_writer_view
def article_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new article: its category, readers and product models; then its first translation."""
    form = _article_form(request, membership)

    def save() -> HttpResponse:
        article = article_create(
            organization=membership.organization,
            actor=membership.user,
            category=form.object_for("category"),
            visibility=form.cleaned_data["visibility"],
            product_models=form.checked("product_models"),
        )
        messages.success(request, _("Article created. Write its first translation."))
        language = django_translation.get_language() or membership.organization.default_language
        if not is_language(language):
            language = membership.organization.default_language
        return redirect("knowledge:translation_edit", article.pk, language)

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="knowledge/article_form.html",
        context={"article": None},
        fields=_FIELDS,
    )


@_writer_view
def article_edit_view(
    request: HttpRequest, membership: Membership, article_id: int
) -> HttpResponse:
    """Change an article's category, readers or product models. Changing who may read a
    published article is for admins and supervisors."""
    article = article_get(organization=membership.organization, article_id=article_id)
    form = _article_form(request, membership, article)

    def save() -> HttpResponse:
        visibility = form.cleaned_data["visibility"]
        if (
            visibility != article.visibility
            and article.is_published
            and not allows(membership, Access.MANAGE)
        ):
            raise ApplicationError(
                _("Only admins and supervisors change who may read a published article."),
                field="visibility",
            )
        article_update(
            article=article,
            category=form.object_for("category"),
            visibility=visibility,
            product_models=form.checked("product_models"),
        )
        messages.success(request, _("Article saved."))
        return redirect("knowledge:article", article.pk)

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="knowledge/article_form.html",
        context={"article": article},
        fields=_FIELDS,
    )


@console_view()
def article_detail_view(
    request: HttpRequest, membership: Membership, article_id: int
) -> HttpResponse:
    """An article: who reads it, its translations in every language with their state, its
    counters and images."""
    article = article_get(organization=membership.organization, article_id=article_id)
    _label(article, membership)
    names = _language_names()
    by_language = {item.language: item for item in article.translations.all()}
    rows = [
        {"code": code, "name": name, "translation": by_language.get(code)}
        for code, name in names.items()
    ]
    images = article_image_list(article=article)
    for image in images:
        image.url = image_url(image.pk)
    context = {
        "article": article,
        "rows": rows,
        "images": images,
        "image_form": ImageForm(),
        "can_write": allows(membership, Access.WRITE),
        "can_manage": allows(membership, Access.MANAGE),
        "product_models": list(article.product_models.all()),
    }
    return render_console(request, membership, "knowledge/article_detail.html", context)


def _language(language: str) -> str:
    if not is_language(language):
        raise Http404
    return language


@_writer_view
def translation_edit_view(
    request: HttpRequest, membership: Membership, article_id: int, language: str
) -> HttpResponse:
    """Write or change an article's text in one language; saving keeps a draft version."""
    article = article_get(organization=membership.organization, article_id=article_id)
    language = _language(language)
    translation = article_translation_find(article=article, language=language)
    initial = {"title": translation.title, "body": translation.body} if translation else {}
    form = TranslationForm(form_data(request), initial=initial)

    def save() -> HttpResponse:
        article_translation_save(
            article=article,
            language=language,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            actor=membership.user,
        )
        messages.success(request, _("Draft saved."))
        return redirect("knowledge:article", article.pk)

    images = article_image_list(article=article)
    for image in images:
        image.url = image_url(image.pk)
    return form_page(
        request,
        membership,
        form,
        save=save,
        template="knowledge/translation_form.html",
        context={
            "article": article,
            "translation": translation,
            "language": language,
            "language_name": _language_names()[language],
            "images": images,
            "can_manage": allows(membership, Access.MANAGE),
        },
    )


def _translation(membership: Membership, article_id: int, language: str) -> ArticleTranslation:
    article = article_get(organization=membership.organization, article_id=article_id)
    return article_translation_get(article=article, language=_language(language))


@require_POST
@_manager_view
def translation_publish_view(
    request: HttpRequest, membership: Membership, article_id: int, language: str
) -> HttpResponse:
    """Publish a translation's working copy."""
    translation = _translation(membership, article_id, language)
    article_translation_publish(translation=translation, actor=membership.user)
    messages.success(request, _("Published."))
    return redirect("knowledge:article", article_id)


@require_POST
@_manager_view
def translation_unpublish_view(
    request: HttpRequest, membership: Membership, article_id: int, language: str
) -> HttpResponse:
    """Take a translation away from readers."""
    translation = _translation(membership, article_id, language)
    article_translation_unpublish(translation=translation, actor=membership.user)
    messages.success(request, _("Unpublished: readers no longer see this translation."))
    return redirect("knowledge:article", article_id)


@console_view()
def translation_history_view(
    request: HttpRequest, membership: Membership, article_id: int, language: str
) -> HttpResponse:
    """Every saved version of a translation, newest first; a writer restores one as a draft."""
    translation = _translation(membership, article_id, language)
    error = ""
    try:
        page = article_version_page(
            translation=translation,
            cursor=request.GET.get("cursor") or None,
            limit=HISTORY_PAGE_SIZE,
        )
    except ApplicationError as refused:
        page, error = None, refused.message
    context = {
        "article": translation.article,
        "translation": translation,
        "language_name": _language_names()[translation.language],
        "versions": page.items if page else [],
        "next_url": next_page_url(request, page),
        "error": error,
        "can_write": allows(membership, Access.WRITE),
    }
    return render_console(
        request,
        membership,
        "knowledge/translation_history.html",
        context,
        status=422 if error else 200,
    )


@require_POST
@_writer_view
def version_restore_view(
    request: HttpRequest, membership: Membership, article_id: int, language: str, version_id: int
) -> HttpResponse:
    """Bring an earlier version back as a new draft."""
    translation = _translation(membership, article_id, language)
    version = article_version_get(translation=translation, version_id=version_id)
    article_version_restore(version=version, actor=membership.user)
    messages.success(
        request, _("Version %(number)s restored as a new draft.") % {"number": version.number}
    )
    return redirect("knowledge:translation_edit", article_id, translation.language)


@require_POST
@_writer_view
def image_upload_view(
    request: HttpRequest, membership: Membership, article_id: int
) -> HttpResponse:
    """Upload an image for the article; its address goes in a translation's body."""
    article = article_get(organization=membership.organization, article_id=article_id)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            image = article_image_add(
                article=article, upload=form.cleaned_data["image"], actor=membership.user
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                _("Image uploaded. Put it in a body with: %(markup)s")
                % {"markup": f'<img src="{image_url(image.pk)}" alt="">'},
            )
            return redirect("knowledge:article", article.pk)
    _label(article, membership)
    context = {
        "article": article,
        "rows": [],
        "images": [],
        "image_form": form,
        "can_write": True,
        "can_manage": allows(membership, Access.MANAGE),
        "product_models": list(article.product_models.all()),
    }
    return render_console(request, membership, "knowledge/article_detail.html", context, status=422)


# --- Categories, in the settings ---


@_manager_view
def category_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The help centre's categories in their order."""
    form = CategoryFilterForm(request.GET)
    page = None
    if form.is_valid():
        try:
            page = article_category_page(
                organization=membership.organization,
                status=form.cleaned_data["status"],
                cursor=request.GET.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except ApplicationError as error:
            apply_error(form, error)
    context = {
        "settings_section": "article_categories",
        "form": form,
        "categories": page.items if page else [],
        "next_url": next_page_url(request, page),
        "is_first_page": not request.GET.get("cursor"),
        "language_names": _language_names(),
    }
    return render_console(
        request,
        membership,
        "knowledge/category_list.html",
        context,
        status=200 if page is not None else 422,
    )


@_manager_view
def category_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new category."""
    form = CategoryForm(form_data(request), editing=False)

    def save() -> HttpResponse:
        category = article_category_create(
            organization=membership.organization,
            name=form.cleaned_data["name"],
            names=form.names(),
            position=form.cleaned_data["position"],
        )
        messages.success(request, _("Category %(name)s added.") % {"name": category.name})
        return redirect("knowledge:categories")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="knowledge/category_form.html",
        context={"settings_section": "article_categories", "category": None},
    )


@_manager_view
def category_edit_view(
    request: HttpRequest, membership: Membership, article_category_id: int
) -> HttpResponse:
    """Rename, reorder or archive a category."""
    category = article_category_get(
        organization=membership.organization, category_id=article_category_id
    )
    initial = {
        "name": category.name,
        "position": category.position,
        "is_active": category.is_active,
        **{f"name_{code}": name for code, name in (category.names or {}).items()},
    }
    form = CategoryForm(form_data(request), initial=initial, editing=True)

    def save() -> HttpResponse:
        data = form.cleaned_data
        changes = {"name": data["name"], "names": form.names(), "is_active": data["is_active"]}
        if data["position"] is not None:
            changes["position"] = data["position"]
        saved = article_category_update(category=category, **changes)
        messages.success(request, _("Category %(name)s saved.") % {"name": saved.name})
        return redirect("knowledge:categories")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="knowledge/category_form.html",
        context={"settings_section": "article_categories", "category": category},
    )
