"""The template helpers and form macros that make accessible markup the default (portal/markup.py,
templates/macros/forms.html): what a screen reader and the Nu HTML Checker get from them."""

import re

from flask import render_template_string, session
from flask_babel import refresh
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import options
from portal.markup import form_error_count, id_prefix, italian, select_field

MACROS = '{% from "macros/forms.html" import field, form_errors, fieldset, post_button %}'


class TitleForm(FlaskForm):
    title = StringField("Titolo", validators=[InputRequired(message="Campo obbligatorio.")])
    kind = SelectField("Tipo", choices=options([("a", "Azienda"), ("s", "Sindacato")]), validators=[InputRequired()])
    note = SelectField("Nota", choices=options([("", "—"), ("x", "X")]), validators=[Optional()])


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SitesForm(FlaskForm):
    sites = Checkboxes("Sedi da certificare", choices=options([(1, "Roma"), (2, "Bari")]), coerce=int, validators=[InputRequired()])


def ids(html: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', html)


def test_two_forms_on_one_page_get_different_ids_and_keep_their_field_names(app):
    with app.test_request_context():
        html = render_template_string(MACROS + "{{ field(a.title) }}{{ field(b.title) }}",
                                      a=id_prefix(TitleForm(meta={"csrf": False}), "party"),
                                      b=id_prefix(TitleForm(meta={"csrf": False}), "document"))
    assert len(ids(html)) == len(set(ids(html))) and {"party-title", "document-title"} <= set(ids(html))
    assert 'for="party-title"' in html and 'for="document-title"' in html
    assert html.count('name="title"') == 2


def test_prefixing_twice_with_the_same_prefix_changes_nothing(app):
    with app.test_request_context():
        form = id_prefix(id_prefix(TitleForm(meta={"csrf": False}), "doc"), "doc")
    assert form.title.id == "doc-title" and form.title.label.field_id == "doc-title"


def test_a_required_select_starts_with_an_empty_choice_selected_until_one_is_made(app):
    with app.test_request_context():
        form = TitleForm(meta={"csrf": False})
        empty = str(select_field(form.kind))
        form.kind.data = "s"
        chosen = str(select_field(form.kind))
    assert re.search(r'<select[^>]*required[^>]*><option value="" selected>Scegli…</option><option value="a">', empty)
    assert re.search(r'<select[^>]*><option value="">Scegli…</option>', chosen) and '<option selected value="s">' in chosen


def test_optional_selects_and_selects_that_already_start_empty_are_left_alone(app):
    with app.test_request_context():
        form = TitleForm(meta={"csrf": False})
        assert "Scegli…" not in str(select_field(form.note))
        form.note.flags.required = True
        assert str(select_field(form.note)).count('value=""') == 1


def test_a_group_of_check_boxes_is_a_fieldset_named_by_its_legend(app):
    with app.test_request_context():
        html = render_template_string(MACROS + "{{ field(form.sites) }}", form=SitesForm(meta={"csrf": False}))
    assert re.search(r'<fieldset[^>]*id="sites"[^>]*>\s*<legend[^>]*>Sedi da certificare', html)
    assert 'for="sites-0">Roma</label>' in html and 'for="sites-1">Bari</label>' in html


def test_the_fieldset_macro_puts_the_legend_first(app):
    with app.test_request_context():
        html = render_template_string(MACROS + '{% call fieldset("Area A") %}<p>domande</p>{% endcall %}')
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>Area A</legend>\s*<p>domande</p>", html)


def test_error_summary_links_each_error_to_its_field_and_counts_for_the_title(app):
    with app.test_request_context(method="POST", data={"title": "", "kind": ""}):
        form = id_prefix(TitleForm(meta={"csrf": False}), "doc")
        assert not form.validate()
        form.form_errors.append("La seduta è già chiusa.")
        html = render_template_string(MACROS + "{{ form_errors(form) }}", form=form)
        count = render_template_string("{{ form_error_count() }}", form=form)
    assert "data-error-summary" in html and 'tabindex="-1"' in html
    assert '<a href="#doc-title">Titolo: Campo obbligatorio.</a>' in html
    assert '<a href="#doc-kind">Tipo:' in html
    assert "<li>La seduta è già chiusa.</li>" in html
    assert count == "3"


def test_a_form_without_errors_has_no_summary(app):
    with app.test_request_context():
        form = TitleForm(meta={"csrf": False})
        assert render_template_string(MACROS + "{{ form_errors(form) }}", form=form).strip() == ""
        assert form_error_count({"form": form}) == 0


def test_one_button_posts_belong_to_the_page_action_form_and_never_nest(app):
    with app.test_request_context():
        html = render_template_string(MACROS + '<form id="outer">{{ post_button("/togli/3", "Togli") }}</form>')
    assert "<form" not in html.replace('<form id="outer">', "")
    assert 'form="post-actions" formaction="/togli/3"' in html


def test_database_text_is_marked_italian_only_when_the_page_is_in_english(app):
    with app.test_request_context():
        assert str(italian("Credito d'imposta <b>")) == "Credito d&#39;imposta &lt;b&gt;"
    with app.test_request_context():
        session["lang"] = "en"
        refresh()  # the locale of the first context is cached in the app context the fixture keeps open
        assert str(italian("Credito d'imposta")) == '<span lang="it">Credito d&#39;imposta</span>'
        assert str(render_template_string("<p {{ lang_it() }}>x</p>")) == '<p lang="it">x</p>'
        assert str(italian(None)) == ""


def test_a_failed_submit_names_the_errors_in_the_page_title(client):
    response = client.post("/aderisci", data={})
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    assert re.search(r"<title>Errore: [^<]+</title>", page)
    summary = re.search(r"<div[^>]*data-error-summary.*?</div>", page, re.S).group(0)
    for target in re.findall(r'<a href="#([^"]+)"', summary):
        assert f'id="{target}"' in page, target
