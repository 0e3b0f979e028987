"""Ministerial labour-cost tables, the association's uplift, single and bulk rate checks."""

from portal.tariffs import (  # noqa: F401  (CLI, demo data, models, the linked check, routes)
    cli,
    demo,
    models,
    stats,
    views_checks,
    views_public,
    views_stats,
    views_tables,
)
from portal.tariffs.blueprint import bp

__all__ = ["bp"]
