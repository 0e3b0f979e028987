"""Reshoring: work abroad under art. 24-bis, proposals, roundtables and the ministry brief."""

from portal.reshoring import (  # noqa: F401  (models, routes, commands, demo data, the linked check)
    cli,
    demo,
    models,
    stats,
    views_brief,
    views_invitations,
    views_parties,
    views_proposals,
    views_public,
    views_roundtables,
    views_work,
)
from portal.reshoring.blueprint import bp

__all__ = ["bp"]
