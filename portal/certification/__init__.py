"""Bollino Blu: versioned scheme, applications, audit, decision, certificates, public register."""

from portal.certification import (  # noqa: F401  (models, routes, labels for templates, CLI, demo data)
    cli,
    demo,
    models,
    template_helpers,
    views_application,
    views_audit,
    views_certificates,
    views_register,
    views_scheme,
)
from portal.certification.blueprint import bp

__all__ = ["bp"]
