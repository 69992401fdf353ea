"""Coverage rules with hand-built data: campaign and period bounds, subtree and scope bounds,
public-service activities not counted as study, the orgs coverage hook."""

import datetime as dt

import pytest
from django.http import Http404

from minqing.activities import coverage_rules as rules
from minqing.activities.coverage_rules import Period
from minqing.activities.models import Visit
from minqing.activities.services.activities import attendance_check_in
from minqing.activities.services.research import report_submit, topic_create
from minqing.activities.tests import outreach_world
from minqing.activities.tests.outreach_world import OutreachWorld, at
from minqing.orgs import coverage
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import AssignmentKind
from minqing.orgs.tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db
ow = outreach_world.ow  # the fixtures
fast_hasher = outreach_world.fast_hasher
SEPT = Period(dt.date(2019, 9, 1), dt.date(2019, 9, 30))


def rows(result):
    count, page = result
    return count, set(page.object_list)


def names(result):
    count, page = result
    return count, {getattr(r, "name", None) or r.number for r in page.object_list}


def test_party_orgs_without_activity(ow: OutreachWorld):
    root, county = ow.users["root"], ow.u["county"]
    ow.activity("reading_class", "town_a")
    ow.activity("reading_class", "village_b", campaign=ow.other_campaign)  # another campaign
    ow.activity("branch_study", "grid_a")  # the grid has no party organisation: not listed anyway
    count, units = rows(rules.party_orgs_without_activity(root, county, campaign=ow.campaign))
    assert units == {ow.u["county"], ow.u["town_b"], ow.u["village_a"], ow.u["village_b"]} and count == 4
    # an activity of the county does not cover the townships under it (organiser = the unit)
    ow.activity("central_group", "county")
    assert rules.party_orgs_without_activity(root, county, campaign=ow.campaign)[0] == 3
    # the subtree: town A's view has A and its village
    count, units = rows(rules.party_orgs_without_activity(root, ow.u["town_a"], campaign=ow.campaign))
    assert units == {ow.u["village_a"]}
    # by period instead: Sept 30 23:59 in, Oct 1 00:00 out
    ow.activity("reading_class", "village_a", start=at(9, 30, 23), campaign=ow.other_campaign)
    ow.activity("reading_class", "town_b", start=at(10, 1, 0), campaign=ow.other_campaign)
    count, units = rows(rules.party_orgs_without_activity(root, county, period=SEPT))
    assert units == {ow.u["town_b"]}


def test_members_absent_from_study(ow: OutreachWorld):
    root, county = ow.users["root"], ow.u["county"]
    study = ow.activity("reading_class", "town_a")
    clinic = ow.activity("free_clinic", "town_a")  # public service: not study
    late = ow.activity("reading_class", "county", start=at(10, 1, 0), campaign=ow.other_campaign)
    attendance_check_in(actor=SYSTEM, activity=study, person=ow.people["a_member"])
    attendance_check_in(actor=SYSTEM, activity=clinic, person=ow.people["b_member"])
    attendance_check_in(actor=SYSTEM, activity=late, person=ow.people["b_secretary"])
    attendance_check_in(actor=SYSTEM, activity=study, person=ow.people["a_nonmember"])  # not a member
    members = {p for k, p in ow.people.items() if p.is_party_member}
    count, absent = rows(rules.members_absent_from_study(root, county, campaign=ow.campaign))
    assert absent == members - {ow.people["a_member"]} and count == len(members) - 1
    assert ow.people["b_member"] in absent  # the clinic does not count
    count, absent = rows(rules.members_absent_from_study(root, county, period=SEPT))
    assert ow.people["b_secretary"] in absent  # Oct 1 00:00 is outside September
    oct_ = Period(dt.date(2019, 10, 1), dt.date(2019, 10, 1))
    count, absent = rows(rules.members_absent_from_study(root, county, period=oct_))
    assert ow.people["b_secretary"] not in absent and ow.people["a_member"] in absent
    # attendance anywhere counts: the village's member attended the township's session
    count, absent = rows(rules.members_absent_from_study(root, ow.u["village_a"], campaign=ow.campaign))
    assert absent == {ow.people["grid_secretary"]} and count == 1  # the grid is in the subtree


def test_villages_without_cadre_reuses_the_orgs_check(ow: OutreachWorld):
    AssignmentFactory(person=ow.people["a_secretary"], unit=ow.u["village_a"])
    AssignmentFactory(  # ended: does not count
        person=ow.people["b_secretary"],
        unit=ow.u["village_b"],
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2019, 6, 30),
    )
    AssignmentFactory(
        person=ow.people["b_secretary"],
        household=ow.households["b"][0],
        kind=AssignmentKind.HOUSEHOLD_PAIRING,
    )
    root = ow.users["root"]
    count, units = rows(rules.villages_without_cadre(root, ow.u["county"]))
    assert units == {ow.u["village_b"]} and count == 1
    orgs_count, orgs_sample = coverage.villages_without_cadre(root, ow.u["county"])
    assert (count, units) == (orgs_count, set(orgs_sample))


def test_households_not_visited(ow: OutreachWorld):
    staff, cadre = ow.users["county_office"], ow.people["a_secretary"]
    a0, a1, a2 = ow.households["a"]
    b0, b1 = ow.households["b"]

    def visit(h, day):
        Visit.objects.create(cadre=cadre, household=h, path=h.path, date=day)

    visit(a0, dt.date(2019, 9, 1))  # first day: in
    visit(a1, dt.date(2019, 9, 30))  # last day: in
    visit(a2, dt.date(2019, 10, 1))  # the day after: out
    visit(b0, dt.date(2019, 8, 31))  # the day before: out
    Visit.objects.create(cadre=cadre, unit=ow.u["grid_b"], path=ow.u["grid_b"].path, date=dt.date(2019, 9, 5))
    count, hs = rows(rules.households_not_visited(staff, ow.u["county"], period=SEPT))
    assert hs == {a2, b0, b1} and count == 3  # a contact-point visit does not visit its households
    count, hs = rows(rules.households_not_visited(staff, ow.u["town_a"], period=SEPT))
    assert hs == {a2}
    count, hs = rows(rules.households_not_visited(staff, ow.u["county"]))  # never visited
    assert hs == {b1}


def test_secretaries_without_party_lecture(ow: OutreachWorld):
    root, county = ow.users["root"], ow.u["county"]
    a_sec, b_sec = ow.people["a_secretary"], ow.people["b_secretary"]
    ow.activity("party_lecture", "town_a", lecturers=[a_sec])
    ow.activity("tutorial_lecture", "town_b", lecturers=[b_sec])  # not a themed party lecture
    count, secs = rows(rules.secretaries_without_party_lecture(root, county, campaign=ow.campaign))
    # the grid's secretary is not of a party organisation; the county leader is no secretary
    assert secs == {b_sec} and count == 1
    ow.activity("party_lecture", "town_b", lecturers=[b_sec], campaign=ow.other_campaign, start=at(10, 2))
    assert rules.secretaries_without_party_lecture(root, county, campaign=ow.campaign)[0] == 1
    count, secs = rows(rules.secretaries_without_party_lecture(root, county, period=SEPT))
    assert secs == {b_sec}
    oct_ = Period(dt.date(2019, 10, 1), dt.date(2019, 10, 31))
    count, secs = rows(rules.secretaries_without_party_lecture(root, county, period=oct_))
    assert secs == {a_sec}


def test_division_leaders_without_report(ow: OutreachWorld):
    root, county = ow.users["root"], ow.u["county"]
    topic = topic_create(
        actor=SYSTEM, title="课题", leader=ow.people["a_leader"], unit=ow.u["town_a"], campaign=ow.campaign
    )
    other = topic_create(
        actor=SYSTEM,
        title="旧课题",
        leader=ow.people["county_leader"],
        unit=county,
        campaign=ow.other_campaign,
    )
    report_submit(actor=SYSTEM, topic=topic, title="报告", submitted_on=dt.date(2019, 9, 30))
    report_submit(actor=SYSTEM, topic=other, title="旧报告", submitted_on=dt.date(2019, 10, 1))
    count, people = rows(rules.division_leaders_without_report(root, county, campaign=ow.campaign))
    assert people == {ow.people["county_leader"]} and count == 1
    count, people = rows(rules.division_leaders_without_report(root, county, period=SEPT))
    assert people == {ow.people["county_leader"]}
    count, people = rows(rules.division_leaders_without_report(root, ow.u["town_a"], campaign=ow.campaign))
    assert count == 0


def test_rules_are_scoped_to_the_actor(ow: OutreachWorld):
    a_staff = ow.users["a_staff"]
    # a township user asking for the county: 404, as for a missing unit
    for rule in (
        rules.party_orgs_without_activity,
        rules.members_absent_from_study,
        rules.secretaries_without_party_lecture,
        rules.division_leaders_without_report,
    ):
        with pytest.raises(Http404):
            rule(a_staff, ow.u["county"], campaign=ow.campaign)
    with pytest.raises(Http404):
        rules.villages_without_cadre(a_staff, ow.u["town_b"])
    with pytest.raises(Http404):
        rules.households_not_visited(ow.users["nobody"], ow.u["town_a"], period=SEPT)
    count, hs = rows(rules.households_not_visited(a_staff, ow.u["town_a"], period=SEPT))
    assert hs == set(ow.households["a"]) and count == 3


def test_paging(ow: OutreachWorld):
    from minqing.orgs.tests.factories import HouseholdFactory

    for _ in range(rules.PAGE_SIZE + 5):
        HouseholdFactory(grid=ow.u["grid_b"])
    count, page = rules.households_not_visited(ow.users["root"], ow.u["town_b"], period=SEPT, page=2)
    assert count == rules.PAGE_SIZE + 7 and len(page.object_list) == 7


def test_households_never_visited_is_registered_in_orgs_coverage(ow: OutreachWorld):
    h = ow.households["a"][0]
    Visit.objects.create(cadre=ow.people["a_secretary"], household=h, path=h.path, date=dt.date(2018, 1, 1))
    results = {r.key: r for r in coverage.run_checks(ow.users["county_office"], ow.u["county"])}
    r = results[coverage.HOUSEHOLDS_NEVER_VISITED]
    assert r.available and r.count == 4 and h not in r.sample
