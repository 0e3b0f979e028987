"""Every Flask extension is created here once and bound to the app in `create_app`."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from portal.database import Base
from portal.inputs import MAX_PAGE, arg_int, arg_page


class PortalSQLAlchemy(SQLAlchemy):
    def paginate(self, select, *, page=None, per_page=None, max_per_page=None, error_out=True, count=True):
        """Flask-SQLAlchemy's, but the page number is read by `portal.inputs` (a huge or malformed one
        is a 404, not a database overflow) and the page size is the view's, never the URL's."""
        if page is None:
            page = arg_page() if error_out else arg_int("page", 1, minimum=1, maximum=MAX_PAGE)
        per_page = per_page or 20
        return super().paginate(select, page=page, per_page=per_page, max_per_page=per_page, error_out=error_out,
                                count=count)


db = PortalSQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
