"""The public calculator (anyone, nothing stored) and saving a check to the company's history."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.access import company_only, public
from portal.navigation import add_nav
from portal.tariffs import services
from portal.tariffs.blueprint import bp
from portal.tariffs.forms import UNIT_LABELS, CalculatorForm
from portal.tariffs.models import UPLIFT_LABELS
from portal.tariffs.rates import Unit
from portal.views import form_status, rule_errors

add_nav(_l("Verifica una tariffa"), "tariffs.calculator", order=40)


def rate_input(form: CalculatorForm) -> services.RateInput:
    return services.RateInput(
        level=form.livello.data, rate=form.tariffa.data, unit=Unit(form.unita.data), on=form.data.data,
        aht_seconds=form.aht.data if form.unita.data == Unit.CONTATTO.value else None,
        productive_hours=form.productive_hours,
    )


def _render(form: CalculatorForm, result: services.SingleCheck | None = None):
    return render_template(
        "tariffs/calculator.html", form=form, result=result, unit_labels=UNIT_LABELS,
        uplift_labels=UPLIFT_LABELS, can_save=current_user.is_authenticated and current_user.is_company_user,
    ), form_status(form)


@bp.get("/verifica")
@public
def calculator():
    form = CalculatorForm(request.args)
    if "tariffa" not in request.args:
        return _render(CalculatorForm())
    if form.validate():
        with rule_errors(form.tariffa):  # a rate that cannot be checked: the reason beside the rate
            return _render(form, services.check_single(rate_input(form)))
    return _render(form)


@bp.post("/verifica/salva")
@company_only
def save_check():
    form = CalculatorForm(request.form)
    if form.validate():
        with rule_errors(form.tariffa):
            check = services.save_check(rate_input(form), form.cliente.data or "", form.settore.data or None, current_user)
            flash(_("Verifica salvata nello storico dell'azienda."), "success")
            return redirect(url_for("tariffs.check_detail", check_id=check.id))
    return _render(form)
