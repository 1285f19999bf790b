"""What the notifications API tests share: clients per role, a queued notice, PUT and DELETE."""

from aftercare.accounts.services import api_token_create
from aftercare.api.tests.client import ApiClient
from aftercare.notifications.models import Notice
from aftercare.notifications.services import notice_queue

REPLY_TOKEN = "reply+s3cret-reply-token@demo.example"


def api_for(org, user) -> ApiClient:
    _token, key = api_token_create(user=user, organization=org, name="test")
    return ApiClient(key)


def queue_notice(org, *, key, event=Notice.Event.REPLIED, customer=None, user=None, **fields):
    values = {
        "organization": org,
        "event": event,
        "recipient": "maryam@example.com",
        "language": "en",
        "key": key,
        "context": {
            "reference": "AS-000042",
            "subject": "Fridge is noisy",
            "name": "Maryam Ahmadi",
            "organization": "Demo Electronics",
        },
        "customer": customer,
        "user": user,
        "ticket_id": 42,
        "reply_to": REPLY_TOKEN,
    }
    values.update(fields)
    return notice_queue(**values)


def put(api, path, body):
    return api.send("PUT", path, body)


def delete(api, path):
    return api.send("DELETE", path)
