from django.apps import AppConfig


class RepairsConfig(AppConfig):
    """Work orders: diagnosis, labour, parts, quotes, on-site visits and their documents."""

    name = "aftercare.repairs"

    def ready(self) -> None:
        from aftercare.inventory import hooks as inventory_hooks
        from aftercare.repairs import navigation
        from aftercare.repairs.describe import work_event_describe
        from aftercare.repairs.notices import stock_low_notify
        from aftercare.repairs.services.work_orders import work_order_claim_decided
        from aftercare.repairs.views import ticket_work_orders_panel
        from aftercare.tickets import hooks as tickets_hooks
        from aftercare.warranty import hooks as warranty_hooks

        navigation.register()
        tickets_hooks.work_event_describers.connect(work_event_describe)
        tickets_hooks.ticket_page_panels.connect(ticket_work_orders_panel)
        inventory_hooks.stock_low.connect(stock_low_notify)
        warranty_hooks.claim_decided.connect(work_order_claim_decided)
