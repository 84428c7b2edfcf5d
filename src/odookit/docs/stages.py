"""Docs' stage of ``odookit build``: the strict site build."""

from __future__ import annotations

from odookit.build import StageResult


def build_stage(ws) -> StageResult:
    from odookit.docs.site import build_site

    result = build_site(ws)
    return StageResult("docs build", "ok", result.summary(), outputs=[str(result.site / "index.html")])
