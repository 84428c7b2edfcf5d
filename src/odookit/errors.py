"""One error hierarchy for odookit.

Library code raises these; only ``odookit.cli`` decides exit codes. A
``UserError`` is something the person at the keyboard can fix: it prints as
one line that says where the problem is and what to do, never a traceback.
Anything else escaping the library is a bug in odookit and is shown as such.
"""

from __future__ import annotations


class OdookitError(Exception):
    """Base of every error odookit raises on purpose."""

    exit_code = 1


class UserError(OdookitError):
    """A problem in the user's input, workspace or environment.

    ``where`` names the place (``file:line:col``, ``sheet!B12``, a target
    name...), ``fix`` says how to fix it. Both end up on the one line shown.
    """

    exit_code = 2

    def __init__(self, message: str, *, where: str | None = None, fix: str | None = None):
        self.message = message
        self.where = where
        self.fix = fix
        super().__init__(self.line())

    def line(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.fix:
            text = f"{text.rstrip('.')}. {self.fix}"
        return text


class Problems(UserError):
    """Several user errors found in one pass (validation reports them all at once)."""

    def __init__(self, problems: list[UserError], summary: str):
        self.problems = problems
        super().__init__(summary)

    def lines(self) -> list[str]:
        return [p.line() for p in self.problems]


class WorkspaceError(UserError):
    """No workspace, a broken odookit.toml, or a folder that would be overwritten."""


class BlueprintError(UserError):
    """The blueprint cannot be read or is not valid."""


class TargetError(UserError):
    """A target is unknown, misconfigured, or has no credentials."""


class OdooError(UserError):
    """Talking to Odoo failed in a way the user can act on."""


class OdooUnreachable(OdooError):
    """The server did not answer (down, wrong URL, network)."""


class OdooBusy(OdooError):
    """Odoo answered "try again later": a scheduled action or another transaction held what was needed."""


class OdooAuthError(OdooError):
    """Wrong login or password / API key."""


class OdooDatabaseMissing(OdooError):
    """The database named by the target does not exist on the server."""


class OdooAppMissing(OdooError):
    """A module that the operation needs is not installed on the target."""


class OdooAccessDenied(OdooError):
    """The user lacks the access right for a model and operation."""


class OdooRejected(OdooError):
    """Odoo refused a write (validation error, constraint, UserError raised server-side)."""


class PlanError(UserError):
    """A saved plan cannot be applied (stale, drifted, wrong target)."""


class ProductionGuard(UserError):
    """An operation was refused because the target is marked production."""


class MigrationError(UserError):
    """A workbook cannot be read or loaded."""


class TemplateError(UserError):
    """An SOP or docs template failed to render."""


class GovernanceError(UserError):
    """A governance rule file or role definition is invalid."""


class UatError(UserError):
    """A UAT feature or run cannot be carried out."""


class RunStopped(UserError):
    """``odookit run`` stopped at a stage that failed; the report says what was done before it."""

    exit_code = 1
