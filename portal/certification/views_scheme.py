"""Staff edit the scheme: editions, their areas and parameters; publish freezes an edition."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal.access import staff_only
from portal.certification import scheme
from portal.certification.blueprint import bp
from portal.certification.consultation.tracing import comment_choices
from portal.certification.forms import AreaForm, EditionRulesForm, ParameterForm, PublishForm
from portal.certification.models import Area, Edition, Parameter
from portal.extensions import db
from portal.forms import CsrfForm, options
from portal.navigation import add_nav
from portal.views import form_status, rule_errors

add_nav(_l("Schema Bollino Blu"), "certification.editions", order=23)


@bp.get("/schema")
@staff_only
def editions():
    page = db.paginate(select(Edition).order_by(Edition.id.desc()), per_page=20)
    return render_template("certification/editions.html", page=page, current=scheme.current_edition(), draft=scheme.open_draft(),
                           csrf_form=CsrfForm())


@bp.route("/schema/<int:edition_id>", methods=["GET", "POST"])
@staff_only
def edition(edition_id: int):
    edition = db.get_or_404(Edition, edition_id)
    form = _rules_form(edition)
    if form.validate_on_submit():
        with rule_errors(form.code):
            scheme.update_rules(edition, form.data, current_user)
            flash(_("Regole dell'edizione salvate."), "success")
            return redirect(url_for("certification.edition", edition_id=edition.id))
    return _edition_page(edition, form, PublishForm())


def _rules_form(edition: Edition, **kwargs) -> EditionRulesForm:
    form = EditionRulesForm(obj=edition, **kwargs)
    form.comments.choices = options(comment_choices(edition, []))
    return form


def _edition_page(edition: Edition, form: EditionRulesForm, publish_form: PublishForm):
    return render_template("certification/edition.html", edition=edition, form=form, csrf_form=CsrfForm(), publish_form=publish_form,
                           locked=scheme.lock_reason(edition),
                           problems=scheme.publication_problems(edition) if not edition.is_frozen else []), form_status(form, publish_form)


@bp.post("/schema/<int:edition_id>/copia")
@staff_only
def copy_edition(edition_id: int):
    source = db.get_or_404(Edition, edition_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            draft = scheme.copy_edition(source, current_user)
            flash(_("Bozza creata: modificala e pubblicala quando è pronta."), "success")
            return redirect(url_for("certification.edition", edition_id=draft.id))
    return redirect(url_for("certification.editions"))


@bp.post("/schema/<int:edition_id>/pubblica")
@staff_only
def publish_edition(edition_id: int):
    edition = db.get_or_404(Edition, edition_id)
    form = PublishForm()
    if form.validate_on_submit():
        with rule_errors(form.waiver):
            scheme.publish(edition, current_user, form.waiver.data or "")
            flash(_("Edizione pubblicata: le nuove domande la useranno; quelle aperte restano sulla loro edizione."), "success")
            return redirect(url_for("certification.edition", edition_id=edition.id))
    return _edition_page(edition, _rules_form(edition, formdata=None), form)  # the missing reason beside its field


def _locked_redirect(edition: Edition):
    flash(scheme.lock_reason(edition), "danger")
    return redirect(url_for("certification.edition", edition_id=edition.id))


@bp.route("/schema/<int:edition_id>/aree/nuova", methods=["GET", "POST"])
@bp.route("/schema/aree/<int:area_id>", methods=["GET", "POST"], endpoint="edit_area_scheme")
@staff_only
def area_form(edition_id: int | None = None, area_id: int | None = None):
    area = db.get_or_404(Area, area_id) if area_id else None
    edition = area.edition if area else db.get_or_404(Edition, edition_id)
    if scheme.lock_reason(edition):
        return _locked_redirect(edition)
    form = AreaForm(obj=area)
    form.comments.choices = options(comment_choices(edition, [area.code] if area else []))
    if form.validate_on_submit():
        with rule_errors(form.code):
            scheme.save_area(edition, area, form.data, current_user)
            flash(_("Area salvata."), "success")
            return redirect(url_for("certification.edition", edition_id=edition.id))
    return render_template("certification/area_edit.html", form=form, edition=edition, area=area), form_status(form)


@bp.post("/schema/aree/<int:area_id>/elimina")
@staff_only
def delete_area(area_id: int):
    area = db.get_or_404(Area, area_id)
    edition = area.edition
    if CsrfForm().validate_on_submit():
        with rule_errors():
            scheme.delete_area(area, current_user)
            flash(_("Area eliminata."), "success")
    return redirect(url_for("certification.edition", edition_id=edition.id))


@bp.route("/schema/aree/<int:area_id>/parametri/nuovo", methods=["GET", "POST"])
@bp.route("/schema/parametri/<int:parameter_id>", methods=["GET", "POST"], endpoint="edit_parameter")
@staff_only
def parameter_form(area_id: int | None = None, parameter_id: int | None = None):
    parameter = db.get_or_404(Parameter, parameter_id) if parameter_id else None
    area = parameter.area if parameter else db.get_or_404(Area, area_id)
    if scheme.lock_reason(area.edition):
        return _locked_redirect(area.edition)
    form = ParameterForm(obj=parameter)
    form.comments.choices = options(comment_choices(area.edition, [area.code, parameter.code] if parameter else [area.code]))
    if request.method == "GET" and parameter is not None:
        form.choices.data = "\n".join(parameter.choices)
    if form.validate_on_submit():
        with rule_errors(form.kind):
            scheme.save_parameter(area, parameter, form.data, current_user)
            flash(_("Parametro salvato."), "success")
            return redirect(url_for("certification.edition", edition_id=area.edition_id))
    return render_template("certification/parameter_edit.html", form=form, area=area, parameter=parameter), form_status(form)


@bp.post("/schema/parametri/<int:parameter_id>/elimina")
@staff_only
def delete_parameter(parameter_id: int):
    parameter = db.get_or_404(Parameter, parameter_id)
    edition_id = parameter.area.edition_id
    if CsrfForm().validate_on_submit():
        with rule_errors():
            scheme.delete_parameter(parameter, current_user)
            flash(_("Parametro eliminato."), "success")
    return redirect(url_for("certification.edition", edition_id=edition_id))
