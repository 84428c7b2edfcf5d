"""The blueprint's return policy and governed exception paths, typed.

Kept apart from ``schema.py`` so that the sections' models, their checks
(``returns.py``) and their records read together; ``schema.py`` only names
them as fields of the Blueprint.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=32)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Quarantine(_Strict):
    warehouse: Code = Field(description="Code of the warehouse whose returns wait in this location")
    location: Annotated[str, StringConstraints(min_length=1, max_length=100)] = Field(
        description="Name of the quarantine location, created as an internal stock.location directly under the warehouse "
                    "(WH/<name>, beside WH/Stock: its goods are not available to sell) when it does not exist; "
                    "<module>.quarantine_location_<warehouse>")


class ReturnPolicy(_Strict):
    """Who may take customer returns back, until when, and where they wait for inspection."""

    window_days: Annotated[int, Field(ge=0)] = Field(description="Days after the delivery was done within which a customer return is accepted; a return of an older delivery is refused by an automation rule unless the user holds authorise_role")
    authorise_role: Code = Field(description="Role that authorises returns: its members may register any customer return, past the window too (<module>.group_return_authoriser)")
    return_roles: list[Code] = Field(default_factory=list, description="Further roles whose members may register a customer return within the window (<module>.group_return_user); anyone else's return is refused by an automation rule")
    quarantine: list[Quarantine] = Field(default_factory=list, description="Per warehouse, the location where returned goods wait for inspection; the returns SOP and UAT scenarios receive returns there")


class RushOrders(_Strict):
    approver_role: Code = Field(description="Role whose members may confirm a rush order: a sales order whose delivery date (commitment_date) is sooner than the lead time allows (its expected_date, from the products' customer lead times). Anyone else's confirmation is refused by an automation rule (<module>.group_rush_approver)")


class LateReceipts(_Strict):
    grace_days: Annotated[int, Field(ge=0)] = Field(0, description="Days after a purchase receipt's scheduled date before it counts as late")
    interval_hours: Annotated[int, Field(ge=1, le=168)] = Field(24, description="How often the scheduled action looks for late receipts (ir.cron <module>.cron_late_receipts)")


class ExceptionPaths(_Strict):
    """Exception paths the blueprint governs with automation rules."""

    rush_orders: RushOrders | None = Field(None, description="Rush orders need an approving role: a sales order promised sooner than its lead time is only confirmed by approver_role")
    late_receipts: LateReceipts | None = Field(None, description="A purchase receipt past its scheduled date and not done gets a 'Late receipt' activity (<module>.activity_type_late_receipt) for the purchase order's buyer, once, from a scheduled action")
