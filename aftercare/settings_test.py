"""Test settings: the real settings with fast hashing, in-memory mail and a throwaway var/."""

import os
import tempfile

os.environ.setdefault("AFTERCARE_VAR_DIR", tempfile.mkdtemp(prefix="aftercare-test-"))
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from aftercare.settings import *  # noqa: E402,F403
from aftercare.settings import INSTALLED_APPS, STORAGES  # noqa: E402

# The end-to-end tests are an app of the test settings only.
INSTALLED_APPS = [*INSTALLED_APPS, "aftercare.e2e"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# ServeStatic warns on every request when the collected-static directory is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# Tasks run as soon as they are enqueued (on commit), in the test's own thread; the real worker
# and scheduler are exercised by the end-to-end tests against `manage.py serve`.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Every commit that queues a notice asks for a send at once (no per-process pause between asks).
NOTICE_SEND_DEBOUNCE_SECONDS = 0

# The suite's workers share one var/ directory: each keeps its cache and rate-limit counters in
# memory, as each test clears them. (The file counters of the real settings, which `serve`'s
# processes share, are tested in aftercare/lib/tests/test_ratelimit.py.)
RATE_LIMIT_DIRECTORY = None
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tests run on an in-memory SQLite database, one per worker process, as Django's own backend
# name would have given (pytest-django only recognizes that name).
if DATABASES["default"]["ENGINE"] == "aftercare.lib.sqlite":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
