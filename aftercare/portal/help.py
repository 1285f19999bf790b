"""The help centre of each organization, in the portal: categories and articles in the
reader's language (or a marked fallback), an article with its votes and "this solved my
problem", search, the guides for the products a signed-in customer owns, and the articles
suggested while a customer types a request. What a reader may see is the knowledge app's
rule: public articles for anyone, customers' ones for a signed-in customer, staff ones never."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftercare.accounts.models import Organization
from aftercare.customers.models import Customer
from aftercare.customers.selectors import customer_for_portal_user
from aftercare.knowledge.selectors import (
    CUSTOMER,
    PUBLIC,
    article_category_get,
    article_category_list,
    article_hits,
    article_vote_find,
    help_article_get,
    help_article_page,
    help_article_popular,
)
from aftercare.knowledge.services import article_viewed, article_vote, deflection_record
from aftercare.lib.errors import ApplicationError
from aftercare.lib.ratelimit import client_ip, rate_limit_hit
from aftercare.portal.access import portal_page
from aftercare.warranty.models import Unit

QUERY_MAX = 200
TYPED_MAX = 4000
SUGGESTIONS = 5


def _reader(request: HttpRequest, organization: Organization) -> tuple[Customer | None, str]:
    customer = customer_for_portal_user(organization=organization, user=request.user)
    return customer, (CUSTOMER if customer is not None else PUBLIC)


def _language() -> str:
    return translation.get_language() or ""


def _context(organization: Organization, customer: Customer | None, **extra) -> dict:
    return {"organization": organization, "customer": customer, "section": "help", **extra}


def _owned_product_model_ids(customer: Customer) -> list[int]:
    """The product models of the units the customer owns (one query)."""
    return list(
        Unit.objects.filter(organization_id=customer.organization_id, customer=customer)
        .values_list("product_model_id", flat=True)
        .distinct()[:200]
    )


@require_GET
@portal_page
def help_home_view(request: HttpRequest, organization: Organization) -> HttpResponse:
    """The help centre: search, categories, guides for the customer's products, most read."""
    customer, audience = _reader(request, organization)
    language = _language()
    query = (request.GET.get("q") or "").strip()[:QUERY_MAX]
    limited = bool(query) and not _search_allowed(request)
    hits = (
        article_hits(organization, query=query, language=language, audience=audience, limit=20)
        if query and not limited
        else []
    )
    guides = []
    if customer is not None:
        owned = _owned_product_model_ids(customer)
        if owned:
            guides, _page = help_article_page(
                organization=organization,
                audience=audience,
                language=language,
                product_model_ids=owned,
                limit=10,
            )
    categories = article_category_list(organization=organization)
    for category in categories:
        category.label = category.name_in(language)
    context = _context(
        organization,
        customer,
        query=query,
        limited=limited,
        hits=hits,
        guides=guides,
        categories=categories,
        popular=[]
        if query
        else help_article_popular(organization=organization, audience=audience, language=language),
    )
    return render(request, "portal/help_home.html", context, status=429 if limited else 200)


@require_GET
@portal_page
def help_category_view(
    request: HttpRequest, organization: Organization, article_category_id: int
) -> HttpResponse:
    """A category's articles, newest first, a page at a time."""
    customer, audience = _reader(request, organization)
    category = article_category_get(organization=organization, category_id=article_category_id)
    if not category.is_active:
        raise Http404
    try:
        articles, page = help_article_page(
            organization=organization,
            audience=audience,
            language=_language(),
            category_id=category.pk,
            cursor=request.GET.get("cursor") or None,
        )
    except ApplicationError as error:
        return HttpResponseBadRequest(error.message)
    next_url = f"?cursor={page.next_cursor}" if page.next_cursor else ""
    context = _context(
        organization,
        customer,
        category=category,
        category_name=category.name_in(_language()),
        articles=articles,
        next_url=next_url,
    )
    return render(request, "portal/help_category.html", context)


def _search_allowed(request: HttpRequest) -> bool:
    """Count a search (or suggestion) from this client address; False past the limit: each one
    is a look-up in the index that anyone may ask for, signed in or not."""
    return rate_limit_hit(
        key=f"help:search:{client_ip(request)}",
        limit=settings.HELP_SEARCH_MAX_PER_IP,
        window_seconds=settings.HELP_SEARCH_WINDOW_MINUTES * 60,
    )


def _typed(request: HttpRequest) -> str:
    return (request.GET.get("q") or request.POST.get("text") or "").strip()[:TYPED_MAX]


@require_GET
@portal_page
def help_article_view(
    request: HttpRequest, organization: Organization, article_id: int
) -> HttpResponse:
    """An article in the reader's language (or marked as in another), counted as one view."""
    customer, audience = _reader(request, organization)
    reader = help_article_get(
        organization=organization, audience=audience, language=_language(), article_id=article_id
    )
    article_viewed(article_id=reader.article.pk)
    vote = article_vote_find(
        article=reader.article, customer=customer, session_key=request.session.session_key or ""
    )
    category = reader.article.category
    context = _context(
        organization,
        customer,
        reader=reader,
        body=reader.translation.published_body,
        category=category if category is not None and category.is_active else None,
        category_name=category.name_in(_language()) if category is not None else "",
        vote=vote,
        typed=_typed(request),
    )
    return render(request, "portal/help_article.html", context)


def _session_key(request: HttpRequest) -> str:
    """The browser session's key, starting one for a reader who has none yet."""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


@require_POST
@portal_page
def help_vote_view(
    request: HttpRequest, organization: Organization, article_id: int
) -> HttpResponse:
    """ "Was this helpful?": yes or no, one vote per reader, changeable."""
    customer, audience = _reader(request, organization)
    reader = help_article_get(
        organization=organization, audience=audience, language=_language(), article_id=article_id
    )
    answer = request.POST.get("helpful")
    if answer not in ("yes", "no"):
        return HttpResponseBadRequest(_("Answer yes or no."))
    article_vote(
        article=reader.article,
        is_helpful=answer == "yes",
        customer=customer,
        session_key="" if customer is not None else _session_key(request),
        language=reader.language,
    )
    messages.success(request, _("Thank you for your answer."))
    return redirect("portal:help_article", organization.slug, reader.article.pk)


@require_POST
@portal_page
def help_solved_view(
    request: HttpRequest, organization: Organization, article_id: int
) -> HttpResponse:
    """ "This solved my problem": counted as a request the reader did not need to open, with
    what they had typed."""
    customer, audience = _reader(request, organization)
    reader = help_article_get(
        organization=organization, audience=audience, language=_language(), article_id=article_id
    )
    deflection_record(
        article=reader.article,
        customer=customer,
        text=_typed(request),
        language=reader.language,
    )
    return render(
        request,
        "portal/help_solved.html",
        _context(organization, customer, reader=reader),
    )


@require_GET
@portal_page
def help_suggest_view(request: HttpRequest, organization: Organization) -> HttpResponse:
    """Articles matching what a customer is typing in a request's subject and description (a
    fragment the request form shows as they type)."""
    customer, audience = _reader(request, organization)
    typed = " ".join(
        (request.GET.get(name) or "").strip() for name in ("q", "subject", "description")
    ).strip()[:TYPED_MAX]
    # Past the limit the form just offers nothing: the customer is typing, not searching.
    hits = (
        article_hits(
            organization,
            query=typed[: QUERY_MAX * 2],
            language=_language(),
            audience=audience,
            typing=True,
            limit=SUGGESTIONS,
        )
        if typed and _search_allowed(request)
        else []
    )
    return render(
        request,
        "portal/_help_suggestions.html",
        _context(organization, customer, hits=hits, typed=typed),
    )
