"""Demo data: the official table values known, the illustrative table, the illustrative uplift
5 + 4 + 6 %, the CCNL TLC renewal of 11/11/2025, and a few hundred saved checks of the demo
companies over several quarters (with their statistics)."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from portal.database import utcnow
from portal.demo import seeder
from portal.extensions import db
from portal.formatting import rounded
from portal.members.models import Company, MembershipState, User
from portal.tariffs.demo_tables import DEMO_DECREES, DEMO_RENEWALS, DEMO_UPLIFT
from portal.tariffs.models import SECTORS, CcnlRenewal, Decree, DecreeRow, RateCheck, UpliftComponent
from portal.tariffs.rates import Unit
from portal.tariffs.services import RateInput, evaluate, new_check, renewal_index, table_index, uplift_index
from portal.tariffs.stats import keep_check_stats

CLIENTS = {
    "pa": ["INPS", "Comune di Roma", "Regione Campania"],
    "telecom": ["TeleItalia", "Rete Mobile"],
    "energia": ["Energia Nazionale", "Gas e Luce Sud"],
    "finanza": ["Banca del Centro", "Assicurazioni Unite"],
    "altro": ["Trasporti Veloci", "Moda Online"],
}
LEVEL_WEIGHTS = {"2": 3, "3": 6, "4": 3, "5": 1, "5S": 1, "1": 1}
CHECKS = 360


def seed_decrees() -> int:
    created = 0
    for spec in DEMO_DECREES:
        if db.session.scalar(select(Decree.id).where(Decree.number == spec.number)):
            continue
        decree = Decree(number=spec.number, issued_on=spec.issued_on, title=spec.title, source=spec.source,
                        source_url=spec.source_url, official=spec.official)
        decree.rows = [DecreeRow(level=level, effective_from=day, euro_minute=value) for level, day, value in spec.rows]
        db.session.add(decree)
        created += 1
    return created


def seed_uplift() -> None:
    if db.session.scalar(select(func.count()).select_from(UpliftComponent)):
        return
    for component, day, percent in DEMO_UPLIFT:
        db.session.add(UpliftComponent(component=component, effective_from=day, percent=percent, illustrative=True,
                                       note="Proposta dell'associazione (valore dimostrativo)"))


def seed_renewals() -> None:
    for spec in DEMO_RENEWALS:
        if not db.session.scalar(select(CcnlRenewal.id).where(CcnlRenewal.signed_on == spec["signed_on"])):
            db.session.add(CcnlRenewal(**spec))


def _random_input(rnd: random.Random, on: date) -> RateInput:
    level = rnd.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
    per_minute = Decimal(str(round(rnd.uniform(0.33, 0.62), 4)))
    unit = rnd.choice(list(Unit))
    if unit is Unit.ORA:
        return RateInput(level, rounded(per_minute * 60, 4), unit, on)
    if unit is Unit.CONTATTO:
        aht = Decimal(rnd.randrange(120, 360, 10))
        return RateInput(level, rounded(per_minute * aht / 60, 4), unit, on, aht_seconds=aht)
    if unit is Unit.FTE_MESE:
        return RateInput(level, (per_minute * 6980).quantize(Decimal("1")), unit, on)
    return RateInput(level, per_minute, unit, on)


def _seed_checks() -> int:
    if db.session.scalar(select(func.count()).select_from(RateCheck)):
        return 0
    companies = db.session.scalars(
        select(Company).where(Company.membership_state.in_([MembershipState.ACTIVE, MembershipState.SUSPENDED]))
    ).all()
    tables, uplift, renewals = table_index(), uplift_index(), renewal_index()
    rnd = random.Random(53)
    today = utcnow().date()
    for n in range(CHECKS):
        company = rnd.choice(companies)
        user = db.session.scalar(select(User).where(User.company_id == company.id).order_by(User.id))
        sector = rnd.choice(list(SECTORS))
        on = date(2024, 1, 1) + timedelta(days=rnd.randrange(0, (today - date(2024, 1, 1)).days))
        rate_input = _random_input(rnd, on)
        check = new_check(rate_input, evaluate(rate_input, tables, uplift, renewals), company.id, user.id if user else None,
                          rnd.choice(CLIENTS[sector]), sector)
        check.created_at = datetime.combine(min(on + timedelta(days=rnd.randrange(0, 20)), today), time(10, n % 60))
        db.session.add(check)
        keep_check_stats(check)
    return CHECKS


@seeder(30)
def seed_tariffs() -> list[str]:
    decrees = seed_decrees()
    seed_uplift()
    seed_renewals()
    db.session.flush()
    checks = _seed_checks()
    return [f"Tariffe: {decrees} tabelle ministeriali create, {checks} verifiche dimostrative salvate"]
