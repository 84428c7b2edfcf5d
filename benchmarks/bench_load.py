"""Load throughput into a real Odoo: odookit's batched load vs a raw load() and a per-record create loop,
and the second (delta) load of the same unchanged customers vs the first.

    ODOOKIT_PASSWORD_DEV=admin python3 benchmarks/bench_load.py WORKSPACE [N] [CREATE_N] [BATCH]

WORKSPACE must have had `odookit blueprint apply -t dev` (segments, payment
terms, pricelists). Each method creates its own new customers (distinct
codes), so all three measure record creation on the same server in the same run.
The delta load sends the same N rows again: it reads the live records batch by
batch and sends none (goal: at least 5x faster than the first load, 0 writes).
"""

import sys
import time
from pathlib import Path

from odookit.blueprints.loader import load_workspace_blueprint
from odookit.migration.entities import BY_NAME
from odookit.migration.load import LOAD_CONTEXT, load_validation
from odookit.migration.rules import validate_files
from synthetic import generate, write_workbook
from odookit.odoo.connect import connect
from odookit.workspace import Workspace


def main(root: str, n: int = 2000, create_n: int = 300, batch: int = 500) -> None:
    ws = Workspace.find(Path(root))
    gw = connect(ws.target("dev"))
    stamp = int(time.time()) % 1_000_000
    data = generate(customers=n + create_n, products=1, defects=False)
    for row in data.sheets["customers"]:
        row["code"] = f"{stamp:06d}"[:1] + row["code"][1:]  # fresh keys on every run
    path = write_workbook(data, ws.state / "bench" / "customers.xlsx", entities=["customers"])
    validation = validate_files([path], blueprint=load_workspace_blueprint(ws), module=ws.module)
    rows = validation.rows("customers")
    spec = BY_NAME["customers"]
    ctx = validation.ctx

    # 1. odookit: validated rows through load_validation (mapping, checkpoints, reject isolation)
    first = validation.rows("customers")[:n]
    validation.frames[0] = validation.frames[0].iloc[:n]
    validation.sheets[0].rows = validation.sheets[0].rows[:n]
    t = time.perf_counter()
    load_validation(validation, gw, state_dir=ws.state / "bench" / str(stamp), reports_dir=ws.state / "bench", target_name="bench", batch_size=batch)
    ours = time.perf_counter() - t

    # 1b. the same rows again: a delta load reads the live records and sends only what differs (nothing here)
    writes = []
    execute = gw.execute

    def counting(model, method, ids=None, **kwargs):
        if method in ("load", "create", "write", "unlink"):
            writes.append((model, method))
        return execute(model, method, ids, **kwargs)

    gw.execute = counting
    t = time.perf_counter()
    second = load_validation(validation, gw, state_dir=ws.state / "bench" / str(stamp), reports_dir=ws.state / "bench",
                             target_name="bench", batch_size=batch)
    delta = time.perf_counter() - t
    gw.execute = execute
    figures = second.entities[0]

    # 2. raw load() with the same batches and fields, new external IDs
    mapped = [dict(spec.to_load(r, ctx), id=spec.to_load(r, ctx)["id"] + "_raw") for r in first]
    fields = list(mapped[0])
    t = time.perf_counter()
    for i in range(0, n, batch):
        result = gw.load("res.partner", fields, [[m[f] for f in fields] for m in mapped[i:i + batch]], context=LOAD_CONTEXT)
        assert result["ids"], result["messages"][:3]
    raw = time.perf_counter() - t

    # 3. the usual script: one create() per record, references resolved once beforehand
    rest = rows[n:n + create_n]
    refs = {v for r in rest for k, v in spec.to_load(r, ctx).items() if k.endswith("/id") and v}
    ids = {x: v[1] for x, v in gw.resolve_xmlids(refs).items()}
    t = time.perf_counter()
    for r in rest:
        vals = {}
        for k, v in spec.to_load(r, ctx).items():
            if k == "id":
                continue
            if k.endswith("/id"):
                vals[k[:-3]] = ([(6, 0, [ids[v]])] if k == "category_id/id" else ids[v]) if v else False
            elif k in ("is_company",):
                vals[k] = v == "1"
            elif k in ("customer_rank", "credit_limit"):
                vals[k] = float(v)
            else:
                vals[k] = v
        gw.create("res.partner", [vals])
    loop = time.perf_counter() - t

    print(f"Odoo {gw.info.version} ({gw.info.edition}) at {gw.url}, database {gw.db}; batch size {batch}")
    print(f"odookit migrate load : {n} customers in {ours:.1f}s = {n / ours:,.0f} rec/s")
    print(f"second (delta) load  : {n} unchanged customers in {delta:.1f}s = {ours / delta:.1f}x faster than the first (goal >= 5x); "
          f"{figures.created} created, {figures.updated} updated, {figures.unchanged} unchanged; {len(writes)} write calls (goal 0)")
    print(f"raw load(), same batches: {n} customers in {raw:.1f}s = {n / raw:,.0f} rec/s (odookit at {raw / ours:.0%} of raw)")
    print(f"per-record create loop : {create_n} customers in {loop:.1f}s = {create_n / loop:,.0f} rec/s "
          f"(odookit {(n / ours) / (create_n / loop):.1f}x faster)")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], *[int(a) for a in args[1:4]])
