"""Ministerial labour-cost tables, the association's uplift, single and bulk rate checks."""

from portal.tariffs import cli, demo, models, views_checks, views_public, views_stats, views_tables  # noqa: F401
from portal.tariffs.blueprint import bp

__all__ = ["bp"]
