"""Service figures per contact channel: a channel's figures apply to an application only if one of
its sites serves that channel; the channels in scope are those of the sites when it was submitted."""

from portal.certification import edition_2027, evaluation, scheme, services
from portal.certification.answers import progress
from portal.extensions import db
from portal.rules import RuleError


def edition_2027_in_force(world):
    draft = edition_2027.build_draft(world.staff)
    scheme.publish(draft, world.staff, waiver="Prova")
    return draft


def codes(parameters) -> set[str]:
    return {p.code for p in parameters}


def test_the_draft_2027_measures_service_per_channel(world):
    edition = edition_2027.build_draft(world.staff)
    by_channel = {}
    for p in edition.parameters:
        by_channel.setdefault(p.channel, set()).add(p.code)
    assert by_channel["phone"] == {"C1", "C2", "C3", "C4"}
    assert by_channel["email"] == {"C7", "C8", "C9"} and by_channel["chat"] == {"C10", "C11", "C12", "C13"}
    assert by_channel["social"] == {"C14", "C15"} and by_channel["web"] == {"C16", "C17"}
    c2 = next(p for p in edition.parameters if p.code == "C2")
    assert c2.copied_from_id == next(p.id for p in world.edition.parameters if p.code == "C2")  # its lineage


def test_a_channel_the_sites_do_not_serve_is_neither_asked_nor_scored(world):
    edition_2027_in_force(world)
    application = world.open()  # both sites serve the phone only
    assert codes(application.parameters) >= {"C1", "C2", "C3", "C4"} and not codes(application.parameters) & {"C7", "C10", "C14", "C16"}
    asked = {m.split(":")[0] for area in progress(application) for m in area.missing}
    assert "C1" in asked and "C10" not in asked

    world.fill(application)  # answers the applicable parameters only (and every other is not needed)
    services.submit(application, world.applicant)
    assignment = services.assign_auditor(application, world.auditor1, world.staff)
    services.declare_no_conflict(assignment, world.auditor1, "nessun conflitto")
    scored = {s.parameter.code for s in assignment.scores}
    assert "C1" in scored and "C11" not in scored
    world.score_all(assignment, 4)
    result = evaluation.combined_result(application)
    assert result.unscored == [] and result.total == 100 and result.band == "distinction"


def test_the_channels_are_those_of_the_sites_when_submitted(world):
    edition_2027_in_force(world)
    site = world.company.sites[0]
    site.channels = ["phone", "chat"]
    db.session.commit()
    application = world.open()
    assert codes(application.parameters) >= {"C10", "C11", "C12", "C13"}
    world.fill(application)
    services.submit(application, world.applicant)
    assert application.scope_channels == ["chat", "phone"]

    site.channels = ["phone"]  # edited after the submission: the evaluation under way keeps its scope
    db.session.commit()
    assert codes(application.parameters) >= {"C10", "C11"}


def test_sites_without_channels_cannot_submit_an_edition_measured_per_channel(world):
    edition_2027_in_force(world)
    for site in world.company.sites:
        site.channels = []
    db.session.commit()
    application = world.open()
    world.fill(application)
    assert not codes(application.parameters) & {"C1", "C10"}
    try:
        services.submit(application, world.applicant)
    except RuleError as refusal:
        assert "canali di contatto serviti" in str(refusal)
    else:
        raise AssertionError("submitted without any channel in scope")


def test_an_area_whose_every_figure_is_of_another_channel_does_not_count(world):
    edition = edition_2027_in_force(world)
    quality = next(a for a in edition.areas if a.code == "C")
    elsewhere = [p for p in edition.parameters if p.area_id != quality.id]
    assert "C" not in evaluation.area_weights(edition, elsewhere)  # left out of the total, not counted as 0
    assert evaluation.area_weights(edition, edition.parameters)["C"] == quality.weight
