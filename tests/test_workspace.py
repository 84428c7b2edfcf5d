"""The engagement workspace: finding it, reading odookit.toml, targets and their secrets, init."""

from __future__ import annotations

import pytest

from odookit.errors import TargetError, WorkspaceError
from odookit.init import init_workspace
from odookit.workspace import SUBFOLDERS, Workspace

CONFIG = """\
[engagement]
name = "Acme"
module = "acme_config"

[targets.dev]
url = "http://127.0.0.1:8069/"
database = "acme_dev"

[targets.prod-eu]
url = "https://erp.acme.example"
database = "acme"
login = "odookit"
production = true
"""


@pytest.fixture
def ws_root(tmp_path):
    root = tmp_path / "acme"
    root.mkdir()
    (root / "odookit.toml").write_text(CONFIG, encoding="utf-8")
    return root


@pytest.fixture
def no_keyring(monkeypatch):
    import keyring

    monkeypatch.setattr(keyring, "get_password", lambda service, user: None)


# -- finding -------------------------------------------------------------------------------


def test_found_from_a_subfolder_like_git(ws_root, monkeypatch):
    deep = ws_root / "migration" / "reports"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    ws = Workspace.find()
    assert ws.root == ws_root.resolve()
    assert ws.module == "acme_config" and ws.name == "Acme"
    assert ws.blueprints == ws.root / "blueprints"


def test_explicit_path_wins_over_the_current_folder(ws_root, tmp_path, monkeypatch):
    other = tmp_path / "other"
    init_workspace(other)
    monkeypatch.chdir(other)
    assert Workspace.find(ws_root).root == ws_root.resolve()


def test_explicit_path_must_exist(tmp_path):
    with pytest.raises(WorkspaceError) as info:
        Workspace.find(tmp_path / "nope")
    assert info.value.line() == f"workspace folder {tmp_path / 'nope'} does not exist. Check the -w/--workspace path."


def test_explicit_path_without_config(tmp_path):
    with pytest.raises(WorkspaceError) as info:
        Workspace.find(tmp_path)
    assert info.value.line() == f"no odookit.toml in {tmp_path}. Run `odookit init PATH` to create a workspace."


def test_no_workspace_above(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(WorkspaceError) as info:
        Workspace.find()
    assert info.value.line() == (
        f"no odookit workspace at or above {tmp_path.resolve()}. Run `odookit init PATH`, cd into it, or pass -w PATH."
    )


def test_state_folder_is_created_on_demand(ws_root):
    ws = Workspace.load(ws_root)
    assert not (ws_root / ".odookit").exists()
    assert ws.state.is_dir()


# -- odookit.toml -----------------------------------------------------------------------------


def test_broken_toml_names_file_and_position(ws_root):
    (ws_root / "odookit.toml").write_text('[engagement]\nname = "Acme\n', encoding="utf-8")
    with pytest.raises(WorkspaceError) as info:
        Workspace.load(ws_root)
    line = info.value.line()
    assert line.startswith(f"{ws_root / 'odookit.toml'}: invalid TOML: ")
    assert "(at line 2, column 13)" in line and line.endswith("Fix the syntax of odookit.toml.")
    assert "\n" not in line


def test_unknown_key_in_toml(ws_root):
    (ws_root / "odookit.toml").write_text(CONFIG.replace('database = "acme_dev"', 'database = "acme_dev"\nport = 8069'))
    with pytest.raises(WorkspaceError) as info:
        Workspace.load(ws_root)
    assert info.value.line() == (
        f"{ws_root / 'odookit.toml'}: targets.dev.port: Extra inputs are not permitted. "
        "See the odookit.toml written by `odookit init`."
    )


@pytest.mark.parametrize("key", ["password", "api_key", "apikey", "secret", "Token"])
def test_a_secret_in_toml_is_refused_with_where_it_belongs(ws_root, key):
    (ws_root / "odookit.toml").write_text(CONFIG.replace('database = "acme_dev"', f'database = "acme_dev"\n{key} = "x"'))
    with pytest.raises(WorkspaceError) as info:
        Workspace.load(ws_root)
    assert info.value.line() == (
        f"{ws_root / 'odookit.toml'}: targets.dev.{key}: secrets never go in odookit.toml. "
        "Delete that line; set ODOOKIT_PASSWORD_DEV in the environment, or use the OS keyring."
    )


def test_empty_toml_says_so(ws_root):
    (ws_root / "odookit.toml").write_text("# nothing yet\n")
    with pytest.raises(WorkspaceError) as info:
        Workspace.load(ws_root)
    assert info.value.line().startswith(f"{ws_root / 'odookit.toml'}: odookit.toml is empty. Add an [engagement] table")


def test_bad_module_name(ws_root):
    (ws_root / "odookit.toml").write_text(CONFIG.replace("acme_config", "Acme-Config"))
    with pytest.raises(WorkspaceError) as info:
        Workspace.load(ws_root)
    assert "engagement.module: Value error, module must be lower-case letters" in info.value.line()


def test_bad_target_url(ws_root):
    (ws_root / "odookit.toml").write_text(CONFIG.replace("http://127.0.0.1:8069/", "127.0.0.1:8069"))
    with pytest.raises(WorkspaceError) as info:
        Workspace.load(ws_root)
    assert "targets.dev.url: Value error, url must start with http:// or https://" in info.value.line()


# -- targets and secrets ---------------------------------------------------------------------------


def test_targets_are_read_with_defaults(ws_root):
    ws = Workspace.load(ws_root)
    dev = ws.target("dev")
    assert (dev.name, dev.url, dev.database, dev.login, dev.production) == (
        "dev",
        "http://127.0.0.1:8069",
        "acme_dev",
        "admin",
        False,
    )
    assert ws.target("prod-eu").production is True


def test_unknown_target_lists_the_known_ones(ws_root):
    with pytest.raises(TargetError) as info:
        Workspace.load(ws_root).target("staging")
    assert info.value.line() == (
        f"{ws_root.resolve() / 'odookit.toml'}: unknown target 'staging' (known: dev, prod-eu). "
        "Add a [targets.staging] table with url, database and login."
    )


def test_secret_from_environment(ws_root, monkeypatch, no_keyring):
    monkeypatch.setenv("ODOOKIT_PASSWORD_PROD_EU", "s3cret")
    assert Workspace.load(ws_root).target("prod-eu").secret() == "s3cret"
    monkeypatch.setenv("ODOOKIT_API_KEY_PROD_EU", "api-key")
    target = Workspace.load(ws_root).target("prod-eu")
    assert (target.secret(19), target.secret(20), target.secret()) == ("api-key", "api-key", "api-key")
    assert target.secret(18) == "s3cret", "an API key is never sent to Odoo 18 as a password"


def test_an_api_key_alone_is_refused_for_odoo_18_with_the_reason(ws_root, monkeypatch, no_keyring):
    monkeypatch.delenv("ODOOKIT_PASSWORD_PROD_EU", raising=False)
    monkeypatch.setenv("ODOOKIT_API_KEY_PROD_EU", "api-key")
    with pytest.raises(TargetError) as info:
        Workspace.load(ws_root).target("prod-eu").secret(18)
    assert info.value.line() == (
        "no password for target 'prod-eu' (login odookit); ODOOKIT_API_KEY_PROD_EU is set, but API keys are for "
        "Odoo 19 and later. Set ODOOKIT_PASSWORD_PROD_EU in the environment, or run `keyring set odookit prod-eu:odookit`."
    )


def test_secret_from_keyring(ws_root, monkeypatch):
    import keyring

    asked = []
    monkeypatch.delenv("ODOOKIT_PASSWORD_DEV", raising=False)
    monkeypatch.delenv("ODOOKIT_API_KEY_DEV", raising=False)
    monkeypatch.setattr(keyring, "get_password", lambda service, user: asked.append((service, user)) or "from-keyring")
    assert Workspace.load(ws_root).target("dev").secret() == "from-keyring"
    assert asked == [("odookit", "dev:admin")]


def test_no_secret_names_the_variable(ws_root, monkeypatch, no_keyring):
    monkeypatch.delenv("ODOOKIT_PASSWORD_PROD_EU", raising=False)
    monkeypatch.delenv("ODOOKIT_API_KEY_PROD_EU", raising=False)
    with pytest.raises(TargetError) as info:
        Workspace.load(ws_root).target("prod-eu").secret()
    assert info.value.line() == (
        "no password for target 'prod-eu' (login odookit). Set ODOOKIT_PASSWORD_PROD_EU in the environment, "
        "or run `keyring set odookit prod-eu:odookit`."
    )


def test_broken_keyring_backend_is_not_fatal(ws_root, monkeypatch):
    import keyring

    def broken(service, user):
        raise RuntimeError("no backend")

    monkeypatch.delenv("ODOOKIT_PASSWORD_DEV", raising=False)
    monkeypatch.delenv("ODOOKIT_API_KEY_DEV", raising=False)
    monkeypatch.setattr(keyring, "get_password", broken)
    with pytest.raises(TargetError, match="Set ODOOKIT_PASSWORD_DEV"):
        Workspace.load(ws_root).target("dev").secret()


def test_the_config_never_holds_a_secret():
    from odookit.workspace import Target

    assert not {"password", "api_key", "secret"} & set(Target.model_fields)


# -- init ---------------------------------------------------------------------------------


def test_init_skeleton_is_a_valid_workspace(tmp_path):
    from odookit.blueprints.loader import load_workspace_blueprint

    root = init_workspace(tmp_path / "acme-distribution")
    assert sorted(p.name for p in root.iterdir()) == sorted([*SUBFOLDERS, "odookit.toml", ".gitignore"])
    ws = Workspace.load(root)
    assert ws.module == "acme_distribution_config"
    assert ws.name == "Acme Distribution"
    assert [c.code for c in load_workspace_blueprint(ws).companies] == ["MAIN"]
    assert ".odookit/" in (root / ".gitignore").read_text()


def test_init_example_content(tmp_path):
    from odookit.blueprints.loader import load_workspace_blueprint

    root = init_workspace(tmp_path / "ws", example="regional-distributor")
    ws = Workspace.load(root)
    assert ws.module == "nis_config"
    assert set(ws.config.targets) >= {"dev", "prod"} and ws.target("prod").production
    assert sorted(p.name for p in ws.blueprints.glob("*.yaml"))[:2] == ["01-companies.yaml", "02-warehouses.yaml"]
    bp = load_workspace_blueprint(ws)
    assert [c.code for c in bp.companies] == ["NIS", "CFL"]
    assert [w.code for w in bp.warehouses] == ["CHI", "MKE", "VAN"]
    assert {c.code for c in bp.product_categories} >= {"FAST", "BRG", "HYD", "SAFE", "TOOL"}


def test_init_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("client notes")
    with pytest.raises(WorkspaceError) as info:
        init_workspace(tmp_path)
    assert info.value.line() == f"{tmp_path} is not empty. Choose an empty folder, or add --force to write into it."
    assert not (tmp_path / "odookit.toml").exists()


def test_init_force_writes_into_a_non_empty_folder_and_keeps_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("client notes")
    init_workspace(tmp_path, example="regional-distributor", force=True)
    assert (tmp_path / "notes.txt").read_text() == "client notes"
    assert Workspace.load(tmp_path).module == "nis_config"


def test_init_unknown_example(tmp_path):
    with pytest.raises(WorkspaceError) as info:
        init_workspace(tmp_path / "ws", example="retail-chain")
    assert info.value.line() == "unknown example 'retail-chain'. Choose one of: regional-distributor, building-supplies-wholesaler."
    assert not (tmp_path / "ws").exists()


def test_init_on_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(WorkspaceError, match="is a file"):
        init_workspace(tmp_path / "f")
