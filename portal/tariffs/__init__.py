"""Ministerial labour-cost tables, the association's uplift, single and bulk rate checks."""

from portal.tariffs.blueprint import bp
from portal.tariffs import cli, demo, models  # noqa: F401  (commands, demo data, tables)

__all__ = ["bp"]
