"""Bollino Blu: versioned scheme, applications, audit, decision, certificates, public register."""

from portal.certification import (  # noqa: F401  (models, routes, labels for templates, CLI, demo data)
    cli,
    consultation_demo,  # noqa: F401  (demo data)
    demo,
    models,
    signing,
    template_helpers,
    views_application,
    views_audit,
    views_certificates,
    views_identity,
    views_public_scheme,
    views_register,
    views_scheme,
)
from portal.certification.blueprint import bp
from portal.certification.consultation import views_participant, views_report, views_staff  # noqa: F401  (routes)

# Production refuses to start without the association's signing key (see signing.py).
bp.record_once(lambda state: signing.init_app(state.app))

__all__ = ["bp"]
