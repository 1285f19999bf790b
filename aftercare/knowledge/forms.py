"""Shapes of the knowledge pages' inputs; the rules live in the services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from aftercare.console.forms import ConsoleForm, active_checkbox, checkboxes, text_field
from aftercare.knowledge.models import Article, ArticleTranslation
from aftercare.knowledge.services import BODY_MAX, TITLE_MAX


class ArticleFilterForm(ConsoleForm):
    """The article list's filters, read from the query string."""

    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        choices=[("", gettext_lazy("Any")), *settings.LANGUAGES],
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("Any")), *ArticleTranslation.State.choices],
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Visibility"),
        required=False,
        choices=[("", gettext_lazy("Any")), *Article.Visibility.choices],
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("category", categories, empty=gettext_lazy("Any"))


class ArticleForm(ConsoleForm):
    """An article's category, who may read it and the product models it is about."""

    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may read it"),
        choices=Article.Visibility.choices,
        help_text=gettext_lazy(
            "Everyone: the public help centre. Signed-in customers: only customers signed in "
            "to the portal. Staff only: never shown in the portal."
        ),
    )
    product_models = checkboxes(
        gettext_lazy("Product models"),
        help_text=gettext_lazy(
            "Customers who own one of these see the article among their guides."
        ),
    )

    def __init__(self, *args, categories, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("category", categories)
        self.set_checks("product_models", products)


class TranslationForm(ConsoleForm):
    """An article's title and body in one language."""

    title = text_field(gettext_lazy("Title"), max_length=TITLE_MAX, required=True)
    body = forms.CharField(
        label=gettext_lazy("Body"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 18, "dir": "auto", "class": "font-monospace"}),
        help_text=gettext_lazy(
            "HTML: paragraphs, headings (h2 to h4), lists, bold, italic, links, code, quotes, "
            "tables and this article's uploaded images. Anything else is removed when saved."
        ),
    )


class ImageForm(ConsoleForm):
    """An image for an article."""

    image = forms.FileField(
        label=gettext_lazy("Image"),
        help_text=gettext_lazy("JPEG, PNG, GIF or WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.gif,.webp"}),
    )


class CategoryForm(ConsoleForm):
    """A category's name (in the organization's language), its names in the others, its
    order; on edit, whether it is still in use."""

    name = text_field(gettext_lazy("Name"), max_length=200, required=True)
    position = forms.IntegerField(
        label=gettext_lazy("Order"),
        required=False,
        min_value=0,
        max_value=10**6,
        help_text=gettext_lazy("Lower comes first; empty puts it last."),
    )
    is_active = active_checkbox(
        gettext_lazy("An archived category is hidden from the help centre; its articles stay.")
    )

    def __init__(self, *args, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"name_{code}"] = text_field(name, max_length=200)
        if not editing:
            del self.fields["is_active"]

    def names(self) -> dict[str, str]:
        """The names typed per language."""
        return {
            code: self.cleaned_data.get(f"name_{code}", "")
            for code, _name in settings.LANGUAGES
            if self.cleaned_data.get(f"name_{code}")
        }

    def language_fields(self) -> list:
        """The bound fields of the names per language, for the template."""
        return [self[f"name_{code}"] for code, _name in settings.LANGUAGES]


class CategoryFilterForm(ConsoleForm):
    """The category list's status filter."""

    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            ("active", gettext_lazy("Active")),
            ("archived", gettext_lazy("Archived")),
            ("all", gettext_lazy("All")),
        ],
    )

    def clean_status(self) -> str:
        """Active categories unless another status is chosen."""
        return self.cleaned_data.get("status") or "active"
