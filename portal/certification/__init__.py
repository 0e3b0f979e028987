"""Bollino Blu: versioned scheme, applications, audit, decision, certificates, public register."""

from portal.certification.blueprint import bp
from portal.certification import models  # noqa: F401

__all__ = ["bp"]
