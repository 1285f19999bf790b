"""The production settings with the end-to-end tests' app installed, for `manage.py e2e_setup`.

The server under test runs with the plain production settings; only the command that writes the
tests' data set needs this app, so it alone runs with these.
"""

from aftercare.settings import *  # noqa: F403
from aftercare.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "aftercare.e2e"]
