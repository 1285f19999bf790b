"""Every write to the catalog: product models, warranty policies, fault codes, spare parts."""

from aftercare.catalog.services.faults import fault_code_create, fault_code_update
from aftercare.catalog.services.parts import (
    clean_price,
    spare_part_create,
    spare_part_update,
)
from aftercare.catalog.services.policies import warranty_policy_create, warranty_policy_update
from aftercare.catalog.services.products import product_model_create, product_model_update

__all__ = [
    "clean_price",
    "fault_code_create",
    "fault_code_update",
    "product_model_create",
    "product_model_update",
    "spare_part_create",
    "spare_part_update",
    "warranty_policy_create",
    "warranty_policy_update",
]
