"""Fixtures of the warranty tests."""

import pytest

from aftercare.catalog.models import WarrantyPolicy
from aftercare.catalog.services import fault_code_create, warranty_policy_create


@pytest.fixture
def world(org):
    """The policies of the worked examples' table (test_coverage_examples.py) and the two
    fault codes, in an organization in Tehran's time zone."""
    org.time_zone = "Asia/Tehran"
    org.save(update_fields=["time_zone"])
    physical = fault_code_create(organization=org, code="PHY", name="Physical damage")
    drain = fault_code_create(organization=org, code="E21", name="Drain pump")
    policies = {
        "standard": warranty_policy_create(
            organization=org, name="Standard", months=12, excluded_faults=[physical]
        ),
        "one-month": warranty_policy_create(organization=org, name="One month", months=1),
        "installed": warranty_policy_create(
            organization=org,
            name="Installed",
            months=24,
            starts_from=WarrantyPolicy.Start.INSTALLATION,
            covers_travel=True,
        ),
        "delivered": warranty_policy_create(
            organization=org,
            name="Delivered",
            months=6,
            starts_from=WarrantyPolicy.Start.DELIVERY,
            covers_labour=False,
        ),
        "registered": warranty_policy_create(
            organization=org, name="Registered", months=12, registration_days=30
        ),
        "personal": warranty_policy_create(
            organization=org, name="Personal", months=12, is_transferable=False
        ),
    }
    return {"org": org, "policies": policies, "faults": {"PHY": physical, "E21": drain}}
