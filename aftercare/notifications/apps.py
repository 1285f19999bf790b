from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """What people are told: notices per event, language and channel, and the outbound log."""

    name = "aftercare.notifications"

    def ready(self) -> None:
        from aftercare.customers import hooks as customers_hooks
        from aftercare.notifications import navigation
        from aftercare.notifications.views import customer_notices_panel

        navigation.register()
        customers_hooks.customer_page_panels.connect(customer_notices_panel)
