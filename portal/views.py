"""What every view does the same way: load the object the user may see, run a service, answer.

    application = load_or_404(Application, application_id, right="view_answers")
    form = SiteForm()
    if form.validate_on_submit():
        with rule_errors(form.name):          # a refused rule: rollback, message beside the field
            services.save_site(company, None, form.data)
            flash(_("Sede aggiunta."), "success")
            return redirect(url_for("members.company", company_id=company.id))
    return render_template("members/site_form.html", form=form), form_status(form)   # 422 when invalid
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import flash
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Field

from portal.access import ensure
from portal.extensions import db
from portal.rules import RuleError

T = TypeVar("T")


def load_or_404(model: type[T], object_id: int, right: str | None = None, options=()) -> T:
    """The row if the current user may see it, else 404 (who may not see it does not learn it
    exists); with `right` ("edit", "view_answers", ...), also 403 unless `obj.can_<right>(user)`."""
    obj = db.get_or_404(model, object_id, options=options)
    ensure(obj.can_view(current_user), status=404)
    if right is not None:
        ensure(getattr(obj, f"can_{right}")(current_user))
    return obj


@contextmanager
def rule_errors(target: Field | FlaskForm | None = None) -> Iterator[None]:
    """Run a service inside the block. A `RuleError` rolls the session back, leaves the block, and
    its message goes beside `target` (a field, or the whole form), or is flashed when there is no
    form to show it on (a one-button action that redirects)."""
    try:
        yield
    except RuleError as exc:
        db.session.rollback()
        message = str(exc)
        if target is None:
            flash(message, "danger")
        elif isinstance(target, FlaskForm):
            target.form_errors.append(message)
        else:
            target.errors = [*target.errors, message]


def form_status(*forms: FlaskForm) -> int:
    """The status of a page that shows forms: 422 when one came back with errors, else 200."""
    return 422 if any(form.errors for form in forms) else 200
