"""The blueprint's ``crm`` and ``maintenance`` sections, typed.

Kept apart from ``schema.py`` so that these sections' models, their checks and
their records (``crm.py``, ``maintenance.py``) read together; ``schema.py`` only
names them as fields of the Blueprint. Every field says which Odoo field it becomes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=32)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- crm ------------------------------------------------------------------------------

class SalesTeam(_Strict):
    code: Code = Field(description="Short key of the team; its external ID is <module>.sales_team_<code> and pipeline stages refer to it")
    name: str = Field(description="Becomes crm.team.name (a team Odoo already has with this name in this company is taken over)")
    company: Code = Field(description="Code of the company the team sells for; becomes crm.team.company_id")
    roles: list[Code] = Field(default_factory=list, description="Roles whose members join the team (crm.team.member_ids): an automation rule adds every internal user who holds one of them when the user is created or their groups change; a role in several teams turns on Odoo's multiple team memberships (sales_team.membership_multi)")
    use_leads: bool = Field(True, description="Becomes crm.team.use_leads: the team qualifies incoming requests as leads before they become opportunities")


class PipelineStage(_Strict):
    code: Code = Field(description="Short key of the stage; its external ID is <module>.crm_stage_<code>")
    name: str = Field(description="Becomes crm.stage.name (a stage Odoo already has with this name, such as its own New or Won, is taken over); the stages' order in the blueprint becomes crm.stage.sequence")
    won: bool = Field(False, description="Becomes crm.stage.is_won: an opportunity in this stage is won")
    folded: bool = Field(False, description="Becomes crm.stage.fold: the stage is folded in the pipeline")
    team: Code | None = Field(None, description="Code of the sales team whose pipeline alone shows the stage; every team's when empty. Odoo 18: crm.stage.team_id; Odoo 19: crm.stage.team_ids")
    requirements: str | None = Field(None, description="Becomes crm.stage.requirements: what an opportunity needs before it moves here (the pipeline's tooltip)")


class CrmPolicy(_Strict):
    """Sales teams, the pipeline, and who turns leads into customers."""

    teams: list[SalesTeam] = Field(default_factory=list, description="Sales teams per company; each becomes a crm.team (<module>.sales_team_<code>)")
    stages: list[PipelineStage] = Field(default_factory=list, description="Pipeline stages in order; each becomes a crm.stage (<module>.crm_stage_<code>). Odoo's own stages the blueprint does not name stay as they are")
    leads: bool = Field(True, description="Gives every internal user Leads (crm.group_use_lead): requests arrive as leads and are converted into opportunities; false does not switch it off")
    duplicate_check: Literal["merge", "warn"] = Field("merge", description="merge: an automation rule refuses to convert a lead while an open opportunity has its email or customer, until they are merged (Convert to opportunity > Merge with existing opportunities); warn: Odoo only proposes the merge")
    customer_creation_role: Code | None = Field(None, description="Role whose members may create customers, by lead conversion or by hand: given <module>.group_customer_creator; an automation rule refuses anyone else a new contact without a parent company that is not a vendor (administrators excepted). Everyone with Odoo's contact rights may when empty")


# -- maintenance ----------------------------------------------------------------------

class Preventive(_Strict):
    """A recurring preventive maintenance request (maintenance.request, type preventive)."""

    every: Annotated[int, Field(ge=1)] = Field(description="Interval between two preventive maintenances, in unit; becomes maintenance.request.repeat_interval")
    unit: Literal["day", "week", "month", "year"] = Field("month", description="Unit of every; becomes maintenance.request.repeat_unit")
    duration_hours: Annotated[float, Field(gt=0, le=1000)] = Field(1, description="Planned duration of one maintenance in hours. Odoo 18: maintenance.request.duration; Odoo 19: the request's schedule_end (schedule date + duration), from which Odoo computes duration")
    start: dt.date | None = Field(None, description="Date of the first preventive maintenance (maintenance.request.schedule_date, 08:00); when empty the first request is unscheduled and Odoo schedules the next one from the day it is done")


class EquipmentCategory(_Strict):
    code: Code = Field(description="Short key of the category; its external ID is <module>.equipment_category_<code> and equipment refers to it")
    name: str = Field(description="Becomes maintenance.equipment.category.name (a category Odoo already has with this name is taken over)")
    company: Code | None = Field(None, description="Code of the company owning the category; becomes maintenance.equipment.category.company_id, shared by all companies when empty")
    preventive: Preventive | None = Field(None, description="Preventive maintenance of every equipment of the category that has none of its own: one recurring preventive request per equipment")


class Equipment(_Strict):
    code: Code = Field(description="Short key of the equipment; its external ID is <module>.equipment_<code>, its preventive request's <module>.preventive_request_<code>")
    name: str = Field(description="Becomes maintenance.equipment.name (e.g. Forklift 1)")
    category: Code = Field(description="Code of its equipment category; becomes maintenance.equipment.category_id")
    warehouse: Code | None = Field(None, description="Code of the warehouse where it works; its company becomes maintenance.equipment.company_id. Odoo 18: maintenance.equipment.location is the warehouse's stock location name (WH/Stock); Odoo 19: maintenance.equipment.location_id is that location (stock_maintenance)")
    serial_no: str | None = Field(None, description="Becomes maintenance.equipment.serial_no (unique in Odoo)")
    model: str | None = Field(None, description="Becomes maintenance.equipment.model")
    preventive: Preventive | None = Field(None, description="Its own preventive maintenance, instead of its category's")


class MaintenancePolicy(_Strict):
    """Warehouse equipment and its preventive maintenance (the Maintenance app)."""

    categories: list[EquipmentCategory] = Field(default_factory=list, description="Equipment categories; each becomes a maintenance.equipment.category (<module>.equipment_category_<code>)")
    equipment: list[Equipment] = Field(default_factory=list, description="Equipment; each becomes a maintenance.equipment (<module>.equipment_<code>), with a recurring preventive maintenance.request when it or its category has preventive")
