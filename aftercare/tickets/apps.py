from django.apps import AppConfig


class TicketsConfig(AppConfig):
    """The service request: the standard after-sales form, its timeline and its routing data."""

    name = "aftercare.tickets"

    def ready(self) -> None:
        from aftercare.accounts import hooks as accounts_hooks
        from aftercare.catalog import hooks as catalog_hooks
        from aftercare.customers import hooks as customers_hooks
        from aftercare.notifications import hooks as notifications_hooks
        from aftercare.search.kinds import kind_register
        from aftercare.tickets import navigation
        from aftercare.tickets.indexing import SEARCH_KIND, customer_requests_index
        from aftercare.tickets.notices import preview_context, reply_files
        from aftercare.tickets.routing.services import team_dispatch
        from aftercare.tickets.tasks import model_requests_index_soon
        from aftercare.tickets.views import customer_requests_panel

        navigation.register()
        accounts_hooks.team_assigns_automatically.connect(team_dispatch)
        customers_hooks.customer_page_panels.connect(customer_requests_panel)
        customers_hooks.customer_renamed.connect(customer_requests_index)
        catalog_hooks.product_model_renamed.connect(model_requests_index_soon)
        kind_register(SEARCH_KIND)
        notifications_hooks.notice_files.connect(reply_files)
        notifications_hooks.notice_preview_context.connect(preview_context)
