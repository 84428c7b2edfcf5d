"""Governed exception paths: the server-action code of the return policy, rush orders and late receipts.

Like ``automation.py``, each refusal is a UserError naming what happened and
whom to ask, by the blueprint role's own name. The code runs in Odoo's sandbox
(safe_eval): no imports, no dunder access; ``datetime`` is the sandbox's.
"""

from __future__ import annotations

from odookit.blueprints.automation import HEADER, ask


def return_policy_code(module: str, window_days: int, authoriser: str | None) -> str:
    """Refuses a customer return (a return of an outgoing transfer) when it is created:
    past the window unless the user authorises returns, and by a user who may not take returns."""
    return HEADER + f"""\
if not env.user.has_group({module + '.group_return_authoriser'!r}):
    for picking in records:
        delivery = picking.return_id
        if not delivery or delivery.picking_type_code != 'outgoing':
            continue
        if delivery.date_done:
            age = (datetime.datetime.now() - delivery.date_done).days
            if age > {int(window_days)!r}:
                raise UserError(
                    "Return window passed: %s was delivered %d days ago, over the {int(window_days)}-day return window. "
                    % (delivery.name, age) + {ask(authoriser, "authorise the return")!r})
        if not env.user.has_group({module + '.group_return_user'!r}):
            raise UserError(
                "Return not authorised: %s may not take back customer returns. " % env.user.name
                + {ask(authoriser, "authorise the return")!r})
"""


def rush_order_code(module: str, approver: str | None) -> str:
    """Refuses to confirm a sales order promised (commitment_date) before the date its lead
    times allow (Odoo's own expected_date), unless the user approves rush orders."""
    return HEADER + f"""\
if not env.user.has_group({module + '.group_rush_approver'!r}):
    for order in records:
        if order.commitment_date and order.expected_date and order.commitment_date < order.expected_date:
            raise UserError(
                "Rush order: %s is promised for %s, sooner than its lead time allows (%s). "
                % (order.name, order.commitment_date.date(), order.expected_date.date()) + {ask(approver, "confirm the order")!r})
"""


def late_receipt_code(module: str, grace_days: int) -> str:
    """Gives each purchase receipt past its scheduled date (plus the grace days) and not done one
    'Late receipt' activity for the purchase order's buyer; a receipt that has one gets no second."""
    activity = f"{module}.activity_type_late_receipt"
    return HEADER + f"""\
kind = env.ref({activity!r})
cutoff = datetime.datetime.now() - datetime.timedelta(days={int(grace_days)!r})
late = env['stock.picking'].sudo().search([
    ('picking_type_code', '=', 'incoming'), ('state', 'in', ['confirmed', 'waiting', 'assigned']),
    ('scheduled_date', '<', cutoff), ('return_id', '=', False), ('move_ids.purchase_line_id', '!=', False)])
for picking in late:
    if picking.activity_ids.filtered(lambda a: a.activity_type_id == kind):
        continue
    order = picking.move_ids.purchase_line_id.order_id[:1]
    buyer = order.user_id or order.create_uid
    picking.activity_schedule(
        activity_type_id=kind.id, user_id=buyer.id, date_deadline=datetime.date.today(),
        summary="Late receipt: %s from %s" % (picking.name, picking.partner_id.name or order.partner_id.name),
        note="%s was expected on %s for %s and has not been received. Chase the vendor and update the scheduled date."
        % (picking.name, picking.scheduled_date.date(), order.name))
"""
