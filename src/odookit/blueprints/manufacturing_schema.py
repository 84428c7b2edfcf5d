"""The blueprint's ``manufacturing`` (kits and light assembly) and ``landed_costs`` sections, typed.

Kept apart from ``schema.py`` so that the sections' models, their checks and their
records (``manufacturing.py``, ``landed_costs.py``) read together; ``schema.py`` only
names them as fields of the Blueprint.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=32)]

# blueprint steps -> stock.warehouse.manufacture_steps (the same keys on Odoo 16 to 19)
MANUFACTURE_STEPS = {1: "mrp_one_step", 2: "pbm", 3: "pbm_sam"}
SPLIT_METHODS = ("equal", "by_quantity", "by_current_cost_price", "by_weight", "by_volume")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Assembly(_Strict):
    warehouse: Code = Field(description="Code of a warehouse that kits or assembles goods in manufacturing orders: its stock.warehouse."
                                        "manufacture_to_resupply is set, which keeps its Manufacturing operation type (manu_type_id, "
                                        "<module>.picking_type_<warehouse>_manufacture) active")
    steps: Literal[1, 2, 3] = Field(1, description="Becomes stock.warehouse.manufacture_steps: 1 mrp_one_step (components consumed from stock), "
                                                   "2 pbm (pick components, then assemble), 3 pbm_sam (pick components, assemble, then store the product)")


class Manufacturing(_Strict):
    """Kits sold and shipped as their components, and the warehouses that assemble goods (installs mrp)."""

    kits: bool = Field(True, description="Kit bills of materials (mrp.bom of type phantom, one per kit product): a kit ordered and shipped "
                                         "moves its components, not itself. The kits and their components come from the migration's "
                                         "kit components sheet (odookit migrate load --entity kit_components)")
    assembly: list[Assembly] = Field(default_factory=list, description="Warehouses with a kitting/assembly operation (manufacturing orders); "
                                                                       "the blueprint's other warehouses get none (manufacture_to_resupply false)")


class LandedCostProduct(_Strict):
    code: Code = Field(description="Short key of the landed cost; its product is <module>.landed_cost_<code>, a service product.template with "
                                   "landed_cost_ok that vendor bills and landed costs name")
    name: str = Field(description="Becomes product.template.name of the landed cost product, e.g. Freight, Customs duty, Insurance")
    split_method: Literal["equal", "by_quantity", "by_current_cost_price", "by_weight", "by_volume"] = Field(
        "equal", description="How the cost is spread over the received products; becomes product.template.split_method_landed_cost: "
                             "equal, by_quantity, by_current_cost_price, by_weight or by_volume")


class LandedCosts(_Strict):
    """Freight, duty and insurance added to the value of received goods (installs stock_landed_costs).

    Odoo adds a landed cost only to products whose category costs fifo or average; their unit
    cost rises by the cost's share once the landed cost is posted."""

    products: list[LandedCostProduct] = Field(min_length=1, description="The landed cost products (freight, duty, insurance...) and their split method")
    post_role: Code | None = Field(None, description="Role whose members post landed costs (the SOP, role matrix and UAT name it). Odoo lets only "
                                                     "Inventory administrators post them: the role must hold stock.group_stock_manager")
