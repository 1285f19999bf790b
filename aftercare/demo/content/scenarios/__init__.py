"""Real after-sales requests, written in every demo language, by product.

The order is the seeder's: changing it changes which requests the demo gets.
"""

from aftercare.demo.content.scenarios.air_conditioners import AIR_CONDITIONERS
from aftercare.demo.content.scenarios.base import Scenario
from aftercare.demo.content.scenarios.fridges import FRIDGES
from aftercare.demo.content.scenarios.general import GENERAL
from aftercare.demo.content.scenarios.televisions import TELEVISIONS
from aftercare.demo.content.scenarios.washers import WASHERS

SCENARIOS: tuple[Scenario, ...] = WASHERS + FRIDGES + AIR_CONDITIONERS + TELEVISIONS + GENERAL

__all__ = ["SCENARIOS", "Scenario"]
