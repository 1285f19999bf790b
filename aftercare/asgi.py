"""ASGI entry point: what `manage.py serve` (uvicorn) runs in each web process.

HTTP: static files on the event loop, everything else through Django's WSGI handler on a bounded
pool of long-lived threads (aftercare/lib/serving.py says why). Websockets: the console channel.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftercare.settings")
# Django first: the consumers import models.
django_application = get_wsgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import path  # noqa: E402

from aftercare.lib.env import env_int  # noqa: E402
from aftercare.lib.serving import freeze_startup_objects, http_application  # noqa: E402
from aftercare.tickets.consumers import ConsoleConsumer  # noqa: E402

application = ProtocolTypeRouter(
    {
        # `manage.py serve --threads` sets WEB_THREADS for its web processes.
        "http": http_application(
            django_application, threads=env_int("WEB_THREADS", settings.WEB_THREADS)
        ),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([path("ws/console/", ConsoleConsumer.as_asgi())]))
        ),
    }
)

freeze_startup_objects()
