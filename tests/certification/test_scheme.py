"""Editions: copy, edit, publish; a published edition is frozen on the server."""

import pytest

from portal.certification import scheme
from portal.certification.models import EditionStatus, ParameterKind
from portal.rules import RuleError

PARAM = {"code": "G1", "question": "Domanda nuova?", "help": "", "kind": "number", "unit": "%", "target": 50,
         "direction": "higher", "choices": "", "evidence_required": False, "weight": 1, "mandatory": False,
         "key_figure": False, "linked_check": ""}


def test_starting_edition_has_six_areas_and_illustrative_label(world):
    edition = world.edition
    assert [a.code for a in edition.areas] == ["A", "B", "C", "D", "E", "F"]
    assert sum(a.weight for a in edition.areas) == 100
    assert edition.illustrative and edition.is_frozen
    mandatory = {p.code for p in edition.parameters if p.mandatory}
    assert mandatory == {"A1", "A2", "A3", "A4"}


def test_published_edition_refuses_every_edit(world):
    edition = world.edition
    area = edition.areas[0]
    with pytest.raises(RuleError, match="pubblicata"):
        scheme.save_parameter(area, None, PARAM, world.staff)
    with pytest.raises(RuleError, match="pubblicata"):
        scheme.delete_parameter(area.parameters[0], world.staff)
    with pytest.raises(RuleError, match="pubblicata"):
        scheme.save_area(edition, area, {"code": "A", "title": "x", "weight": 1}, world.staff)
    with pytest.raises(RuleError, match="pubblicata"):
        scheme.publish(edition, world.staff)


def test_copy_edit_publish_and_open_applications_stay_on_their_edition(world):
    application = world.open()
    draft = scheme.copy_edition(world.edition, world.staff)
    assert draft.status == EditionStatus.DRAFT and len(draft.parameters) == len(world.edition.parameters)
    with pytest.raises(RuleError, match="già una bozza"):
        scheme.copy_edition(world.edition, world.staff)
    scheme.save_parameter(draft.areas[5], None, PARAM, world.staff)
    with pytest.raises(RuleError, match="almeno due opzioni"):
        scheme.save_parameter(draft.areas[5], None, {**PARAM, "code": "G2", "kind": "choice", "choices": "Solo una"}, world.staff)
    with pytest.raises(RuleError, match="codice definitivo"):
        scheme.publish(draft, world.staff)
    rules = {"code": "2027", "title": "Bollino Blu 2027", "notes": "", "illustrative": True, "scale_max": 4,
             "grant_threshold": 72, "distinction_threshold": 88, "mandatory_min_score": 3}
    scheme.update_rules(draft, rules, world.staff)
    with pytest.raises(RuleError, match="non è stata sottoposta a consultazione"):
        scheme.publish(draft, world.staff)
    scheme.publish(draft, world.staff, waiver="Correzione urgente di un refuso.")
    assert scheme.current_edition().code == "2027" and draft.consultation_waiver == "Correzione urgente di un refuso."
    assert application.edition.code == "2026"
    assert world.edition.parameters[-1].code == "F2"  # the source edition is untouched
    new_param = draft.parameters[-1]
    assert new_param.code == "G1" and new_param.kind == ParameterKind.NUMBER


def test_rules_must_be_consistent(world):
    draft = scheme.copy_edition(world.edition, world.staff)
    bad = {"code": "2027", "title": "t", "notes": "", "illustrative": True, "scale_max": 4, "grant_threshold": 80,
           "distinction_threshold": 70, "mandatory_min_score": 3}
    with pytest.raises(RuleError, match="distinzione"):
        scheme.update_rules(draft, bad, world.staff)
