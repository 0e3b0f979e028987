"""What of the members' supports may leave staff and the company: hand-made cases of the rule."""

from types import SimpleNamespace

from portal.reshoring.disclosure import Group, disclose, fte_by_region, is_safe, support_picture


def support(company_id: int, fte: int | None = 10, named: bool = False, regions: dict | None = None, countries=("AL",)):
    return SimpleNamespace(company_id=company_id, fte=fte, named=named, region_fte=regions or {}, from_countries=list(countries))


def group(label: str, companies: list[int], named: tuple[int, ...] = (), fte: int = 10) -> Group:
    g = Group(label)
    for company in companies:
        g.add(company, company in named, fte=fte)
    return g


def test_a_group_is_shown_when_everyone_consented_or_three_did_not():
    assert is_safe(group("a", [1, 2, 3]))
    assert not is_safe(group("b", [1, 2]))
    assert is_safe(group("c", [1], named=(1,)))
    assert not is_safe(group("d", [1, 2, 3], named=(1, 2)))  # total minus the named two gives the third away
    assert is_safe(group("e", [1, 2, 3, 4, 5], named=(1, 2)))


def test_one_supporter_who_did_not_consent_is_never_shown():
    picture = support_picture([support(1, 120)])
    assert picture.companies == 1 and picture.named == [] and picture.unnamed_count == 1
    assert picture.others is None and picture.total is None


def test_named_supporters_are_listed_and_two_unnamed_stay_hidden_even_by_subtraction():
    named = support(1, 100, named=True)
    picture = support_picture([named, support(2, 40), support(3, 60)])
    assert picture.named == [named] and picture.unnamed_count == 2
    assert picture.others is None
    assert picture.total is None  # 200 - 100 would reveal the two others' 100


def test_three_unnamed_supporters_show_as_a_total():
    picture = support_picture([support(1, 100, named=True), support(2, 40), support(3, 60), support(4, None)])
    assert picture.others.fte == 100 and picture.others.companies == 3
    assert picture.total.fte == 200


def test_small_groups_merge_into_other_and_the_other_is_never_smaller_than_three():
    shown = disclose([group("Albania", [1, 2, 3, 4]), group("Romania", [5, 6, 7]), group("Tunisia", [8]), group("Moldova", [9])],
                     "Altri Paesi")
    assert [g.label for g in shown.groups] == ["Albania"]
    assert shown.other.label == "Altri Paesi" and shown.other.size == 5
    assert set(shown.other.members) == {"Romania", "Tunisia", "Moldova"}  # Tunisia + Moldova were two: Romania joins them


def test_when_nothing_reaches_three_nothing_is_shown():
    shown = disclose([group("Albania", [1]), group("Romania", [2])], "Altri Paesi")
    assert shown.withheld and shown.rows == []


def test_fte_by_region_hides_a_lone_company_even_behind_a_named_one():
    supports = [support(1, regions={"Calabria": 50, "Lazio": 10}), support(2, regions={"Calabria": 20}),
                support(3, regions={"Calabria": 5}), support(4, regions={"Puglia": 10}), support(5, regions={"Puglia": 10}),
                support(6, regions={"Puglia": 10}), support(7, regions={"Sicilia": 7}, named=True)]
    shown = fte_by_region(supports, "Altre regioni")
    assert all(is_safe(g) for g in shown.rows)
    assert "Lazio" not in [g.label for g in shown.groups]
    assert "Sicilia" in shown.other.members  # merging the named Sicilia alone would still give Lazio's 10 away
    assert len(shown.other.members) == 3
    assert sum(g.values["fte"] for g in shown.rows) == 50 + 10 + 20 + 5 + 30 + 7
