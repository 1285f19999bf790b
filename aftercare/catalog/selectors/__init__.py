"""Reads about the catalog, scoped to one organization."""

from aftercare.catalog.selectors.faults import (
    fault_code_choices,
    fault_code_for_input,
    fault_code_get,
    fault_code_page,
    fault_codes_for_input,
)
from aftercare.catalog.selectors.parts import (
    part_name_languages,
    spare_part_for_input,
    spare_part_get,
    spare_part_page,
)
from aftercare.catalog.selectors.policies import (
    warranty_policy_choices,
    warranty_policy_for_input,
    warranty_policy_get,
    warranty_policy_page,
)
from aftercare.catalog.selectors.products import (
    PRODUCT_MODEL_STATUSES,
    STATUSES,
    product_model_choices,
    product_model_for_input,
    product_model_get,
    product_model_list,
    product_model_page,
    product_model_settings_page,
    product_models_for_input,
)

__all__ = [
    "PRODUCT_MODEL_STATUSES",
    "STATUSES",
    "fault_code_choices",
    "fault_code_for_input",
    "fault_code_get",
    "fault_code_page",
    "fault_codes_for_input",
    "part_name_languages",
    "product_model_choices",
    "product_model_for_input",
    "product_model_get",
    "product_model_list",
    "product_model_page",
    "product_model_settings_page",
    "product_models_for_input",
    "spare_part_for_input",
    "spare_part_get",
    "spare_part_page",
    "warranty_policy_choices",
    "warranty_policy_for_input",
    "warranty_policy_get",
    "warranty_policy_page",
]
