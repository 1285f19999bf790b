"""Console pages for service requests."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def queue_view(request) -> HttpResponse:
    """The agent's queue."""
    return HttpResponse("queue")


@login_required
def ticket_create_view(request) -> HttpResponse:
    """Create a request on a customer's behalf."""
    return HttpResponse("create")
