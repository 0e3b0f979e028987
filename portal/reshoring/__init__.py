"""Reshoring: work abroad under art. 24-bis, proposals, roundtables and the ministry brief."""

from portal.reshoring import demo, models, views_brief, views_proposals, views_public, views_roundtables, views_work  # noqa: F401
from portal.reshoring.blueprint import bp

__all__ = ["bp"]
