"""The knowledge base: articles with a translation per language, their categories, every saved
version of a translation (append-only), images, "was this helpful" votes and deflections (a
customer who found the answer in an article instead of opening a request)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import Organization
from aftercare.catalog.models import ProductModel
from aftercare.customers.models import Customer
from aftercare.lib.uploads import private_storage


class ArticleCategory(models.Model):
    """A group of articles in the help centre, with its name per language, in its place."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="article_categories"
    )
    name = models.CharField(_("name"), max_length=200)
    # {"fa": "...", "tr": "..."}: the name in other languages; `name` otherwise.
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    # Archived categories are kept (their articles still name them), never deleted.
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")
        ordering = ["position", "id"]
        indexes = [
            models.Index(
                fields=["organization", "is_active", "position", "id"],
                name="kb_category_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str) -> str:
        """The category's name in a language, or its default name."""
        return (self.names or {}).get(language) or self.name


class Article(models.Model):
    """One help article: who may read it, its category and product models, and its counters.
    Its words are in its translations."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        CUSTOMERS = "customers", _("Signed-in customers")
        INTERNAL = "internal", _("Staff only")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        ArticleCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("category"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    product_models = models.ManyToManyField(
        ProductModel, blank=True, related_name="articles", verbose_name=_("product models")
    )
    # Whether any translation is published: the help centre's lists filter on it.
    is_published = models.BooleanField(_("published"), default=False)
    # Counters, each moved by one UPDATE ... SET n = n + 1 (never read, added and written back).
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    helpful_count = models.PositiveIntegerField(_("helpful"), default=0)
    unhelpful_count = models.PositiveIntegerField(_("not helpful"), default=0)
    deflection_count = models.PositiveIntegerField(_("problems solved"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["organization", "-updated_at", "-id"], name="kb_article_recent"),
            models.Index(
                fields=["organization", "is_published", "visibility", "-id"],
                name="kb_article_readable",
            ),
            models.Index(
                fields=["organization", "is_published", "-view_count", "-id"],
                name="kb_article_popular",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ArticleTranslation(models.Model):
    """An article in one language: the working copy staff edit, and the published copy
    readers see (kept apart, so a draft over a published article changes nothing for them)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # The working copy: the latest saved version.
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    # What readers see while published; empty otherwise.
    published_title = models.CharField(_("published title"), max_length=300, blank=True)
    published_body = models.TextField(_("published body"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # The working copy differs from the published one (a draft waiting to be published).
    has_changes = models.BooleanField(_("unpublished changes"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("article translation")
        verbose_name_plural = _("article translations")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="kb_translation_language_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "state", "language"], name="kb_translation_state"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    @property
    def is_published(self) -> bool:
        """Whether readers see this translation."""
        return self.state == self.State.PUBLISHED


class ArticleVersion(models.Model):
    """One saved version of a translation: append-only (the database refuses UPDATE and
    DELETE). A save writes a draft version, publishing a published one."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    translation = models.ForeignKey(
        ArticleTranslation, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ArticleTranslation.State.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The earlier version this one brought back, if it was a restore.
    restored_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.UniqueConstraint(
                fields=["translation", "number"], name="kb_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.number} {self.title}"


class ArticleImage(models.Model):
    """An image staff uploaded for an article: kept in private storage and served to whoever
    may read the article."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="images")
    file = models.FileField(upload_to="knowledge/images/%Y/%m/", storage=private_storage)
    filename = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("article image")
        verbose_name_plural = _("article images")

    def __str__(self) -> str:
        return self.filename


class ArticleVote(models.Model):
    """A reader's answer to "was this helpful": one per customer, or per browser session for
    someone not signed in; changeable."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="votes")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # SHA-256 of the session key of an anonymous reader; empty for a customer.
    session_hash = models.CharField(max_length=64, blank=True)
    is_helpful = models.BooleanField()
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("article vote")
        verbose_name_plural = _("article votes")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "customer"],
                condition=models.Q(customer__isnull=False),
                name="kb_vote_customer_unique",
            ),
            models.UniqueConstraint(
                fields=["article", "session_hash"],
                condition=models.Q(customer__isnull=True),
                name="kb_vote_session_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {'yes' if self.is_helpful else 'no'}"


class Deflection(models.Model):
    """A request that was not opened: a reader said an article solved their problem."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="deflections")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the customer had typed (in the request form or the search box), if passed along.
    text = models.TextField(_("text typed"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deflection")
        verbose_name_plural = _("deflections")
        indexes = [
            models.Index(
                fields=["organization", "-created_at", "-id"], name="kb_deflection_recent"
            ),
            models.Index(fields=["article", "-created_at"], name="kb_deflection_article"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.created_at:%Y-%m-%d}"
