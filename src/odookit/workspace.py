"""The engagement workspace: one folder per client, found the way git finds a repo.

Every command acts on the workspace named by ``-w`` or the nearest folder at
or above the current directory that holds an ``odookit.toml``.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from odookit.errors import TargetError, WorkspaceError

CONFIG_NAME = "odookit.toml"
# target keys that look like a credential someone meant to store in the file
SECRET_KEY = re.compile(r"pass|secret|token|api_?key", re.I)
SUBFOLDERS = (
    "blueprints",
    "migration",
    "uat_scenarios",
    "sop_templates",
    "governance",
    "docs",
    ".odookit",
)


def env_name(prefix: str, target: str) -> str:
    return prefix + re.sub(r"[^A-Z0-9]", "_", target.upper())


class Target(BaseModel):
    """An Odoo database odookit may talk to. Never holds a secret."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    url: str
    database: str
    login: str = "admin"
    version: str | None = Field(default=None, description="Expected major version, e.g. '18.0'; detected when empty")
    production: bool = False
    edition: Literal["community", "enterprise"] | None = Field(default=None, description="The server's edition when known in advance: `blueprint validate` then refuses Enterprise-only sections for a community target (plan always reads it from the server)")

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not re.match(r"^https?://", v):
            raise ValueError("url must start with http:// or https://")
        return v.rstrip("/")

    @property
    def secret_env(self) -> str:
        return env_name("ODOOKIT_PASSWORD_", self.name)

    @property
    def api_key_env(self) -> str:
        return env_name("ODOOKIT_API_KEY_", self.name)

    def secret(self, major: int | None = None) -> str:
        """Password (Odoo up to 18) or API key (19+: JSON-2), from the environment first, then the OS keyring.

        With ``major`` unknown, either will do (the API key first). Odoo 19's JSON-2 takes no password. An API key is never sent to a 16-18 server as a password:
        its web-session login refuses them, and the error would only say "wrong password".
        """
        if major is None:
            names = (self.api_key_env, self.secret_env)
        else:
            names = (self.secret_env,) if major < 19 else (self.api_key_env,)
        for var in names:
            if os.environ.get(var):
                return os.environ[var]
        try:
            import keyring

            value = keyring.get_password("odookit", f"{self.name}:{self.login}")
        except Exception:  # no keyring backend on a headless box is normal
            value = None
        if value:
            return value
        if major is not None and major >= 19:
            only_password = os.environ.get(self.secret_env)
            raise TargetError(
                f"no API key for target '{self.name}' (login {self.login}): Odoo {major} signs in with one"
                + (f", not with the password in {self.secret_env}" if only_password else ""),
                fix=f"Create it in Odoo (Preferences > Account Security > New API Key) and set {self.api_key_env} "
                f"in the environment, or run `keyring set odookit {self.name}:{self.login}`.",
            )
        only_key = self.api_key_env not in names and os.environ.get(self.api_key_env)
        raise TargetError(
            f"no password for target '{self.name}' (login {self.login})"
            + (f"; {self.api_key_env} is set, but API keys are for Odoo 19 and later" if only_key else ""),
            fix=f"Set {self.secret_env} in the environment, or run "
            f"`keyring set odookit {self.name}:{self.login}`.",
        )


class Engagement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    module: str = Field(description="Odoo module name that owns every external ID odookit writes")
    client: str | None = None

    @field_validator("module")
    @classmethod
    def _module(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", v):
            raise ValueError("module must be lower-case letters, digits and underscores, e.g. 'acme_config'")
        return v


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    engagement: Engagement
    targets: dict[str, Target] = Field(default_factory=dict)


@dataclass(frozen=True)
class Workspace:
    root: Path
    config: Config

    # -- folders -------------------------------------------------------
    @property
    def blueprints(self) -> Path:
        return self.root / "blueprints"

    @property
    def migration(self) -> Path:
        return self.root / "migration"

    @property
    def uat_scenarios(self) -> Path:
        return self.root / "uat_scenarios"

    @property
    def sop_templates(self) -> Path:
        return self.root / "sop_templates"

    @property
    def governance(self) -> Path:
        return self.root / "governance"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def state(self) -> Path:
        """Run state: plans, change log, checkpoints. Created on demand."""
        path = self.root / ".odookit"
        path.mkdir(exist_ok=True)
        return path

    @property
    def module(self) -> str:
        return self.config.engagement.module

    @property
    def name(self) -> str:
        return self.config.engagement.name

    def target(self, name: str) -> Target:
        if name not in self.config.targets:
            known = ", ".join(sorted(self.config.targets)) or "none"
            raise TargetError(
                f"unknown target '{name}' (known: {known})",
                where=str(self.root / CONFIG_NAME),
                fix=f"Add a [targets.{name}] table with url, database and login.",
            )
        return self.config.targets[name]

    # -- loading -------------------------------------------------------
    @classmethod
    def load(cls, root: Path) -> Workspace:
        path = root / CONFIG_NAME
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise WorkspaceError(
                f"no {CONFIG_NAME} in {root}", fix="Run `odookit init PATH` to create a workspace."
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise WorkspaceError(f"invalid TOML: {exc}", where=str(path), fix="Fix the syntax of odookit.toml.") from None
        if not data:
            raise WorkspaceError(
                f"{CONFIG_NAME} is empty", where=str(path), fix="Add an [engagement] table (name, module) and [targets.NAME] tables, as `odookit init` writes them."
            )
        for name, target in (data.get("targets") or {}).items():
            if isinstance(target, dict):
                target.setdefault("name", name)
                for key in target:
                    if SECRET_KEY.search(key):
                        raise WorkspaceError(
                            f"targets.{name}.{key}: secrets never go in {CONFIG_NAME}",
                            where=str(path),
                            fix=f"Delete that line; set {env_name('ODOOKIT_PASSWORD_', name)} in the environment, or use the OS keyring.",
                        )
        try:
            config = Config.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"])
            raise WorkspaceError(
                f"{loc}: {err['msg']}", where=str(path), fix="See the odookit.toml written by `odookit init`."
            ) from None
        return cls(root=root.resolve(), config=config)

    @classmethod
    def find(cls, start: Path | None = None) -> Workspace:
        """The workspace at ``start`` (a ``-w`` path) or the nearest one above the cwd."""
        if start is not None:
            start = Path(start)
            if not start.is_dir():
                raise WorkspaceError(f"workspace folder {start} does not exist", fix="Check the -w/--workspace path.")
            return cls.load(start)
        here = Path.cwd().resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_NAME).is_file():
                return cls.load(folder)
        raise WorkspaceError(
            f"no odookit workspace at or above {here}",
            fix="Run `odookit init PATH`, cd into it, or pass -w PATH.",
        )
