"""The public page: the proposals staff made public, with their state and history (no login)."""

from datetime import date

from flask import render_template
from sqlalchemy import select

from portal.access import ensure, public
from portal.extensions import db
from portal.reshoring.blueprint import bp
from portal.reshoring.brief_figures import proposal_page_figures
from portal.reshoring.models import Proposal
from portal.reshoring.timeline import progress, proposal_timeline


@bp.get("/proposte-pubbliche")
@public
def public_proposals():
    page = db.paginate(select(Proposal).where(Proposal.public).order_by(Proposal.updated_at.desc()), per_page=10)
    return render_template("reshoring/public_proposals.html", page=page)


@bp.get("/proposte-pubbliche/<int:proposal_id>")
@public
def public_proposal(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    ensure(proposal.public, status=404)
    events = proposal_timeline(proposal, staff=False)
    return render_template("reshoring/public_proposal.html", proposal=proposal, **proposal_page_figures(proposal, date.today()),
                           events=events, progress=progress(events), today=date.today())
