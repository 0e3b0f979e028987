"""Pages that belong to no module: public home, personal home, health,
and the staff's audit log and outbox."""

from portal import uploads  # noqa: F401  (StoredFile is part of the schema)
from portal.core import views_accessibility, views_staff  # noqa: F401  (routes)
from portal.core.views import bp

__all__ = ["bp"]
