"""API v1 of the catalog: product models, warranty policies, fault codes and spare parts, one
router each."""

from aftercare.catalog.api.faults import faults_router
from aftercare.catalog.api.parts import parts_router
from aftercare.catalog.api.policies import warranty_policies_router
from aftercare.catalog.api.products import router

__all__ = ["faults_router", "parts_router", "warranty_policies_router", "router"]
