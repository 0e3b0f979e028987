"""What of the members' own data may leave staff and the company: named supports, safe aggregates.

A support's company-level data (name, FTE, countries, regions, conditions) appear outside staff
and that company only if the company consented to be named on that support (`Support.named`).
Otherwise only aggregates appear, and no aggregate stands for fewer than three companies that
did not consent: a total over two unnamed companies, or a total from which the named ones can be
subtracted to leave one or two unnamed companies, would give their figures away. Groups too
small to show (a region, a country) are merged into one "other" group, itself merged with the
smallest groups shown until it is large enough, so that no hidden figure can be worked out by
subtracting the shown ones from the total.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

MIN_COMPANIES = 3


@dataclass
class Group:
    """An aggregate: the companies behind it, those not consenting to be named, and the summed values."""

    label: str
    members: list[str] = field(default_factory=list)  # the groups merged into this one ("other": Tunisia, Moldova)
    companies: set[int] = field(default_factory=set)
    unnamed: set[int] = field(default_factory=set)
    values: dict = field(default_factory=dict)

    def add(self, company_id: int, named: bool, **values) -> None:
        self.companies.add(company_id)
        if not named:
            self.unnamed.add(company_id)
        for key, value in values.items():
            if value is not None:
                self.values[key] = self.values.get(key, 0) + value

    @property
    def size(self) -> int:
        return len(self.companies)


def is_safe(group: Group) -> bool:
    """May the group's totals be shown: every company consented, or at least three did not."""
    return not group.unnamed or len(group.unnamed) >= MIN_COMPANIES


def merged(groups: Iterable[Group], label: str) -> Group:
    total = Group(label)
    for group in groups:
        total.members += group.members or [group.label]
        total.companies |= group.companies
        total.unnamed |= group.unnamed
        for key, value in group.values.items():
            total.values[key] = total.values.get(key, 0) + value
    return total


@dataclass(frozen=True)
class Disclosed:
    """The groups that may be shown, largest first, and the "other" group (None when not needed)."""

    groups: list[Group]
    other: Group | None
    withheld: bool  # nothing at all could be shown

    @property
    def rows(self) -> list[Group]:
        return self.groups + ([self.other] if self.other is not None else [])


def disclose(groups: Iterable[Group], other_label: str, sort_key: Callable[[Group], object] | None = None) -> Disclosed:
    """Groups safe to show; the others merged into `other_label` until that is safe too."""
    order = sort_key or (lambda g: (-g.size, g.label))
    groups = sorted(groups, key=order)
    shown = [g for g in groups if is_safe(g)]
    small = [g for g in groups if not is_safe(g)]
    if not small:
        return Disclosed(shown, None, withheld=False)
    other = merged(small, other_label)
    while not is_safe(other) and shown:
        smallest = min(shown, key=lambda g: (g.size, g.label))
        shown.remove(smallest)
        other = merged([other, smallest], other_label)
    if not is_safe(other):
        return Disclosed([], None, withheld=True)
    return Disclosed(shown, other, withheld=False)


@dataclass(frozen=True)
class Totals:
    companies: int
    fte: int | None  # None: none of the supports declared FTE
    countries: list[str]
    regions: list[str]


def totals(supports: list) -> Totals:
    declared = [s.fte for s in supports if s.fte is not None]
    return Totals(
        companies=len({s.company_id for s in supports}),
        fte=sum(declared) if declared else None,
        countries=sorted({c for s in supports for c in s.from_countries}),
        regions=sorted({r for s in supports for r in s.region_fte}),
    )


def may_total(supports: list) -> bool:
    """Whether a total over these supports gives no unnamed company's figures away."""
    group = Group("")
    for support in supports:
        group.add(support.company_id, support.named)
    return is_safe(group)


@dataclass(frozen=True)
class SupportPicture:
    """A proposal's supports as they may be shown outside staff and each company."""

    companies: int  # how many companies support it (a count gives no company's data away)
    named: list  # the supports whose company consented to be named, with their data
    unnamed_count: int  # companies that did not consent
    others: Totals | None  # the unnamed supports' totals, when at least three companies stand behind them
    total: Totals | None  # all supports' totals, when no unnamed company can be worked out from them


def support_picture(supports: list) -> SupportPicture:
    named = [s for s in supports if s.named]
    unnamed = [s for s in supports if not s.named]
    return SupportPicture(
        companies=len({s.company_id for s in supports}),
        named=named,
        unnamed_count=len({s.company_id for s in unnamed}),
        others=totals(unnamed) if unnamed and may_total(unnamed) else None,
        total=totals(supports) if supports and may_total(supports) else None,
    )


def fte_by_region(supports: Iterable, other_label: str) -> Disclosed:
    """The FTE the supports would bring to each Italian region, as far as they may be shown."""
    groups: dict[str, Group] = {}
    for support in supports:
        for region, fte in support.region_fte.items():
            groups.setdefault(region, Group(region)).add(support.company_id, support.named, fte=fte)
    return disclose(groups.values(), other_label)
