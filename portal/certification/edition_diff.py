"""What changed between two versions of the scheme: two published editions, or a draft as the
consulted parties read it and as it stood when the consultation's report came out.

Both sides are plain snapshots (`snapshot(edition)`), so a draft's state can be kept in the
database and compared later. Parameters are matched by identity first (the same row, or a row
one was copied from when an edition was drafted, in either direction), then by code; areas by code.
"""

import difflib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.certification.models import Edition, Parameter
from portal.extensions import db

RULE_LABELS = {
    "scale_max": _l("Punteggio massimo della scala"),
    "grant_threshold": _l("Soglia di concessione"),
    "distinction_threshold": _l("Soglia per la distinzione"),
    "mandatory_min_score": _l("Punteggio minimo dei parametri obbligatori"),
}
AREA_LABELS = {"title": _l("Titolo"), "weight": _l("Peso dell'area")}
PARAMETER_LABELS = {
    "code": _l("Codice"), "area": _l("Area"), "question": _l("Testo della domanda"), "help": _l("Spiegazione e prove richieste"),
    "kind": _l("Tipo di risposta"), "unit": _l("Unità di misura"), "target": _l("Obiettivo"), "direction": _l("Direzione"),
    "choices": _l("Opzioni"), "evidence_required": _l("Prova documentale obbligatoria"), "weight": _l("Peso nell'area"),
    "mandatory": _l("Obbligatorio"), "key_figure": _l("Indicatore della sorveglianza annuale"), "channel": _l("Canale"),
    "linked_check": _l("Verifica collegata"),
}
# What kind of change each field makes, as the public change page groups them.
CATEGORY = {
    "code": "renamed", "area": "moved", "question": "reworded", "help": "reworded", "weight": "reweighted",
    "target": "target", "direction": "target", "unit": "target", "kind": "answer", "choices": "answer",
    "evidence_required": "evidence", "mandatory": "mandatory", "key_figure": "other", "channel": "channel",
    "linked_check": "other",
}
CATEGORY_LABELS = {
    "added": _l("aggiunto"), "removed": _l("eliminato"), "renamed": _l("codice cambiato"), "moved": _l("spostato di area"),
    "reworded": _l("riformulato"), "reweighted": _l("peso cambiato"), "target": _l("obiettivo cambiato"),
    "answer": _l("risposta cambiata"), "evidence": _l("prove cambiate"), "mandatory": _l("obbligatorietà cambiata"),
    "channel": _l("canale cambiato"), "other": _l("altro"),
}
TEXT_FIELDS = ("question", "help")
PARAMETER_FIELDS = ("code", "area", "question", "help", "kind", "unit", "target", "direction", "choices",
                    "evidence_required", "weight", "mandatory", "key_figure", "channel", "linked_check")


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def snapshot(edition: Edition) -> dict:
    """The edition's rules, areas and parameters as plain JSON-ready data."""
    return {
        "code": edition.code, "title": edition.title,
        **{f: getattr(edition, f) for f in RULE_LABELS},
        "areas": [{
            "code": area.code, "title": area.title, "weight": area.weight,
            "parameters": [{
                "id": p.id, "copied_from_id": p.copied_from_id, "code": p.code, "question": p.question, "help": p.help,
                "kind": str(p.kind), "unit": p.unit, "target": _number(p.target),
                "direction": str(p.direction) if p.direction else None, "choices": list(p.choices),
                "evidence_required": p.evidence_required, "weight": p.weight, "mandatory": p.mandatory,
                "key_figure": p.key_figure, "channel": str(p.channel) if p.channel else None, "linked_check": p.linked_check,
            } for p in area.parameters],
        } for area in edition.areas],
    }


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any

    @property
    def label(self) -> str:
        return str(PARAMETER_LABELS.get(self.field) or RULE_LABELS.get(self.field) or AREA_LABELS.get(self.field, self.field))

    @property
    def is_text(self) -> bool:
        return self.field in TEXT_FIELDS

    def words(self) -> list[tuple[str, str]]:
        """The wording change word by word: ("equal" | "delete" | "insert", text)."""
        return word_diff(self.before or "", self.after or "")


@dataclass
class _Change:
    code: str  # the newer code, or the removed one's
    before: dict | None
    after: dict | None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"


@dataclass
class ParameterChange(_Change):
    area: str = ""

    @property
    def categories(self) -> list[str]:
        if self.status != "changed":
            return [self.status]
        return sorted({CATEGORY[c.field] for c in self.changes}, key=list(CATEGORY_LABELS).index)

    @property
    def question(self) -> str:
        return (self.after or self.before)["question"]


@dataclass
class AreaChange(_Change):
    @property
    def title(self) -> str:
        return (self.after or self.before)["title"]


@dataclass
class EditionDiff:
    rules: list[FieldChange]
    areas: list[AreaChange]
    parameters: list[ParameterChange]

    @property
    def is_empty(self) -> bool:
        return not (self.rules or self.areas or self.parameters)

    def count(self, category: str) -> int:
        return sum(1 for p in self.parameters if category in p.categories)

    def for_clause(self, code: str) -> ParameterChange | AreaChange | None:
        return next((c for c in [*self.parameters, *self.areas] if c.code == code), None)


def _values(parameter: dict, area_code: str) -> dict:
    values = {f: parameter.get(f) for f in PARAMETER_FIELDS if f != "area"} | {"area": area_code}
    values["target"] = Decimal(values["target"]) if values["target"] is not None else None
    return values


def _field_changes(before: dict, after: dict, fields) -> list[FieldChange]:
    return [FieldChange(f, before.get(f), after.get(f)) for f in fields if before.get(f) != after.get(f)]


def _ancestors(parameter: dict, lineage: dict[int, int | None]) -> list[int]:
    """The parameter's own id and those it was copied from, newest first."""
    found, current = [parameter["id"]], parameter.get("copied_from_id")
    while current is not None and current not in found:
        found.append(current)
        current = lineage.get(current)
    return found


def compare(old: dict, new: dict, lineage: dict[int, int | None] | None = None) -> EditionDiff:
    """What changed from `old` to `new` (snapshots). `lineage` maps a parameter id to the id it
    was copied from, for editions more than one copy apart (`parameter_lineage()`)."""
    lineage = lineage or {}
    old_params = {p["id"]: (p, a["code"]) for a in old["areas"] for p in a["parameters"]}
    descends = {old_id: set(_ancestors(p, lineage)) for old_id, (p, _code) in old_params.items()}  # for a newer `old`
    matched: dict[int, int] = {}  # new id -> old id
    for area in new["areas"]:
        for p in area["parameters"]:
            free = [i for i in old_params if i not in matched.values()]
            found = next((i for i in _ancestors(p, lineage) if i in free), None)
            if found is None:
                found = next((i for i in free if p["id"] in descends[i]), None)
            if found is not None:
                matched[p["id"]] = found
    free_old = {old_params[i][0]["code"]: i for i in old_params if i not in matched.values()}
    for area in new["areas"]:
        for p in area["parameters"]:
            if p["id"] not in matched and p["code"] in free_old:
                matched[p["id"]] = free_old.pop(p["code"])

    parameters = []
    for area in new["areas"]:
        for p in area["parameters"]:
            after = _values(p, area["code"])
            if p["id"] not in matched:
                parameters.append(ParameterChange(p["code"], None, after, area=area["code"]))
                continue
            before_raw, before_area = old_params[matched[p["id"]]]
            before = _values(before_raw, before_area)
            changes = _field_changes(before, after, PARAMETER_FIELDS)
            if changes:
                parameters.append(ParameterChange(p["code"], before, after, changes, area=area["code"]))
    for old_id, (p, area_code) in old_params.items():
        if old_id not in matched.values():
            parameters.append(ParameterChange(p["code"], _values(p, area_code), None, area=area_code))

    old_areas = {a["code"]: a for a in old["areas"]}
    new_areas = {a["code"]: a for a in new["areas"]}
    areas = []
    for code, after in new_areas.items():
        before = old_areas.get(code)
        if before is None:
            areas.append(AreaChange(code, None, after))
        elif changes := _field_changes(before, after, AREA_LABELS):
            areas.append(AreaChange(code, before, after, changes))
    areas += [AreaChange(code, before, None) for code, before in old_areas.items() if code not in new_areas]
    return EditionDiff(rules=_field_changes(old, new, RULE_LABELS), areas=areas, parameters=parameters)


def parameter_lineage() -> dict[int, int | None]:
    """Every parameter's id -> the id it was copied from (a few hundred rows at most)."""
    return dict(db.session.execute(select(Parameter.id, Parameter.copied_from_id)).all())


def compare_editions(old: Edition, new: Edition) -> EditionDiff:
    return compare(snapshot(old), snapshot(new), parameter_lineage())


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.split(), after.split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("equal", "delete"):
            parts.append((op, " ".join(a[i1:i2])))
        elif op == "insert":
            parts.append((op, " ".join(b[j1:j2])))
        else:
            parts += [("delete", " ".join(a[i1:i2])), ("insert", " ".join(b[j1:j2]))]
    return parts
