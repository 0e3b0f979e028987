"""The consultation report: who took part by kind of party, every comment with its answer, and
what changed in the draft as a result (traced to the comments that caused it). One `Report`
feeds the page, the PDF and the disposition table (spreadsheet and CSV)."""

from collections import Counter
from dataclasses import dataclass, field

from flask import render_template
from flask_babel import gettext as _

from portal import exports
from portal.certification import edition_diff
from portal.certification.consultation.labels import COMMENT_TYPES_SHORT, DISPOSITIONS, PARTY_KINDS, STANCES
from portal.certification.consultation.models import Comment, Consultation, ConsultationState, PartyKind
from portal.pdf import render_pdf
from portal.urls import absolute_url


@dataclass(frozen=True)
class PartyRow:
    kind: PartyKind
    invited: int
    took_part: int  # sent at least one comment
    comments: int


@dataclass
class Report:
    consultation: Consultation
    parties: list[PartyRow]
    comments: list[Comment]
    changes: edition_diff.EditionDiff
    traced: dict[str, list[int]] = field(default_factory=dict)  # clause -> numbers of the comments it answers
    is_final: bool = True  # False: staff's preview before the report is published

    @property
    def by_disposition(self) -> Counter:
        return Counter(c.disposition for c in self.comments)

    @property
    def by_type(self) -> Counter:
        return Counter(c.comment_type for c in self.comments)

    def changed_clauses(self, comment: Comment) -> list[str]:
        """The clauses changed in answer to this comment."""
        return sorted({change.clause or _("regole") for change in comment.changes})


def build(consultation: Consultation) -> Report:
    """The report as published, or (before that) as it would read with the draft as it stands."""
    comments = sorted(consultation.sent_comments, key=lambda c: c.number)
    parties = []
    for kind in PartyKind:
        invited = [p for p in consultation.participants if p.kind == kind]
        if not invited:
            continue
        theirs = [c for c in comments if c.participant.kind == kind]
        parties.append(PartyRow(kind, len(invited), len({c.participant_id for c in theirs}), len(theirs)))
    final = consultation.state == ConsultationState.REPORTED
    after = consultation.final_snapshot if final else edition_diff.snapshot(consultation.edition)
    traced: dict[str, set[int]] = {}
    for change in consultation.changes:
        traced.setdefault(change.clause, set()).update(c.number for c in change.comments)
    return Report(consultation=consultation, parties=parties, comments=comments,
                  changes=edition_diff.compare(consultation.consulted_snapshot, after),
                  traced={clause: sorted(numbers) for clause, numbers in traced.items()}, is_final=final)


def report_pdf(report: Report) -> bytes:
    url = absolute_url("certification.consultation_report", consultation_id=report.consultation.id)
    return render_pdf(render_template("certification/consultation/report_pdf.html", report=report, url=url))


# --- the disposition table ------------------------------------------------------------------

def table(report: Report) -> tuple[list[str], list[list]]:
    """One row per comment, as CEN's commenting form: party, clause, type, comment, proposed
    change, and the association's answer with what it changed."""
    header = [_("N."), _("Tipo di parte"), _("Riferimento"), _("Tipo di commento"), _("Posizione"), _("Commento"),
              _("Modifica proposta"), _("Peso proposto"), _("Obiettivo proposto"), _("Esito"), _("Motivazione"),
              _("Modifiche alla bozza")]
    rows = []
    for c in report.comments:
        rows.append([
            c.number, str(PARTY_KINDS[c.participant.kind]), c.clause or _("intera edizione"), str(COMMENT_TYPES_SHORT[c.comment_type]),
            str(STANCES[c.stance]), c.text, c.proposal, c.proposed_weight, c.proposed_target,
            str(DISPOSITIONS[c.disposition]) if c.disposition else "", c.answer, ", ".join(report.changed_clauses(c)),
        ])
    return header, rows


def table_csv(report: Report) -> bytes:
    return exports.csv_bytes(*table(report))


def table_xlsx(report: Report) -> bytes:
    header, rows = table(report)
    return exports.xlsx_bytes([exports.Sheet(_("Commenti e risposte"), header, rows,
                                             widths=(5, 18, 12, 14, 18, 50, 40, 10, 10, 18, 50, 16))])


# --- while it runs: comments per clause, for staff ------------------------------------------

@dataclass(frozen=True)
class TallyRow:
    clause: str  # "" for the edition as a whole
    label: str
    is_area: bool
    counts: Counter  # by comment type and by stance, and "total"


def tally(consultation: Consultation) -> list[TallyRow]:
    """Sent comments counted per clause, in the order of the consulted draft."""
    counts: dict[str, Counter] = {}
    for c in consultation.sent_comments:
        bucket = counts.setdefault(c.clause, Counter())
        bucket.update([c.comment_type, c.stance, "total"])
    draft = consultation.consulted_snapshot or edition_diff.snapshot(consultation.edition)
    rows = [TallyRow("", _("L'edizione nel suo insieme"), False, counts.get("", Counter()))]
    for area in draft["areas"]:
        rows.append(TallyRow(area["code"], area["title"], True, counts.get(area["code"], Counter())))
        rows += [TallyRow(p["code"], p["question"], False, counts.get(p["code"], Counter())) for p in area["parameters"]]
    return rows
