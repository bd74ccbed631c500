"""Appointment services on both backends: slots, booking, check-in, the specialist's day,
absences and out-of-office, purging contacts, and the appointments report.

The clock starts on Monday 2 March 2026 at 09:00 (GMT, so local time is UTC). In the
sample council, Priya Shah (SP-SHAH) alone does Housing Benefit interviews at the Civic
Centre, at desk "Interview 1", 09:00-12:30 and 13:30-16:30 Monday to Thursday; the type
is 30 minutes plus a 10-minute buffer, in a private room, with two hours' notice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from frontdesk.appointments.rules import REFERENCE_ALPHABET, normalise_reference
from frontdesk.clock import VirtualClock
from frontdesk.errors import InvalidInput, NotFound
from frontdesk.services.appointments import LateForAppointment, SlotTaken
from frontdesk.services.appointments.reports import appointments_report
from frontdesk.services.results import Query
from frontdesk.services.wiring import Services

MONDAY = date(2026, 3, 2)
HB = "HB-INTERVIEW"


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def book(services: Services, when: datetime, kind: str = HB, centre: str = "CIVIC", **kw):
    return services.appointments.book(kind, centre, when, **kw)


# -- slots ----------------------------------------------------------------------------


def test_types_by_centre(services: Services) -> None:
    ap = services.appointments
    everywhere = {t.code for t in ap.types()}
    assert {HB, "PLAN-ADVICE", "POLICE", "CALLBACK"} <= everywhere
    gatefield = {t.code for t in ap.types("GATEFIELD")}
    assert HB in gatefield and "PLAN-ADVICE" not in gatefield
    with pytest.raises(NotFound):
        ap.types("NOWHERE")


def test_slots_across_centres_and_at_one(services: Services) -> None:
    ap = services.appointments
    across = ap.slots(HB, limit=8)
    assert len(across) == 8
    assert {o.centre for o in across} == {"CIVIC", "GATEFIELD"}
    assert [o.starts_at for o in across] == sorted(o.starts_at for o in across)
    # Two hours' notice from 09:00.
    assert across[0].starts_at == at(11)
    civic = ap.slots(HB, centre="civic", limit=5)
    assert {o.centre for o in civic} == {"CIVIC"}
    assert all(o.specialist == "SP-SHAH" and o.desk == "Interview 1" for o in civic)
    assert all(o.room is not None for o in civic)
    evans = ap.slots(HB, specialist="sp-evans", limit=3)
    assert {o.specialist for o in evans} == {"SP-EVANS"}
    later = ap.slots(HB, centre="CIVIC", limit=2, not_before=at(14))
    assert later[0].starts_at >= at(14)


def test_slots_honour_hours_horizon_and_closures(services: Services, clock: VirtualClock) -> None:
    ap = services.appointments
    offers = ap.slots("HOMELESS-ASSESS", centre="CIVIC", limit=100)
    horizon = clock.now() + timedelta(days=7)
    assert offers and all(clock.now() <= o.starts_at <= horizon for o in offers)
    for o in offers:
        assert o.ends_at - o.starts_at == timedelta(minutes=60)
        # Okafor works 09:00-16:00 (15:30 on Fridays), Kowalski 09:00-12:00 on Saturdays.
        assert o.starts_at.hour >= 9 and o.ends_at <= o.starts_at.replace(hour=16, minute=0)
    # Christmas Day 2026 is a closure: no slots on it.
    clock.set(datetime(2026, 12, 21, 9, tzinfo=UTC))
    christmas = [o for o in ap.slots(HB, limit=100) if o.starts_at.date() == date(2026, 12, 25)]
    assert christmas == []


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"type_code": "NOPE"}, NotFound, "unknown appointment type 'NOPE' (known:"),
        ({"type_code": HB, "centre": "NOWHERE"}, NotFound, "NOWHERE"),
        ({"type_code": "PLAN-ADVICE", "centre": "GATEFIELD"}, InvalidInput, "offered at: CIVIC"),
        ({"type_code": HB, "specialist": "SP-NOBODY"}, NotFound, "unknown specialist"),
        ({"type_code": HB, "limit": 0}, InvalidInput, "--limit"),
    ],
)
def test_slots_bad_input(services: Services, kwargs: dict, error: type, words: str) -> None:
    with pytest.raises(error) as exc:
        services.appointments.slots(**kwargs)
    assert words in str(exc.value)


# -- booking --------------------------------------------------------------------------


def test_book_gives_a_reference_and_a_token_and_takes_the_slot(services: Services) -> None:
    ap = services.appointments
    first = ap.slots(HB, centre="CIVIC", limit=1)[0]
    b = book(services, first.starts_at, name="Ann Example", phone="07700 900123")
    assert b.status == "booked"
    assert (b.centre, b.specialist, b.desk, b.starts_at) == (
        "CIVIC",
        "SP-SHAH",
        "Interview 1",
        first.starts_at,
    )
    assert b.room == first.room and b.has_contact
    assert len(b.reference) == 7 and b.reference[3] == "-"
    assert set(b.reference.replace("-", "")) <= set(REFERENCE_ALPHABET)
    assert len(b.token) >= 16 and normalise_reference(b.token) is None
    assert first.starts_at not in [o.starts_at for o in ap.slots(HB, centre="CIVIC", limit=5)]
    # Contact details are optional.
    second = book(services, at(11, 45))
    assert not second.has_contact


def test_two_types_share_the_rooms(services: Services) -> None:
    a = book(services, at(11))
    b = book(services, at(11), kind="HOMELESS-ASSESS")
    assert a.specialist != b.specialist
    assert a.room and b.room and a.room != b.room


def test_booking_a_taken_slot_offers_the_next_ones(services: Services) -> None:
    book(services, at(11))
    with pytest.raises(SlotTaken) as exc:
        book(services, at(11))
    assert "has just been taken" in str(exc.value)
    alternatives = exc.value.alternatives
    assert alternatives and all(o.starts_at > at(11) for o in alternatives)
    assert all(o.centre == "CIVIC" and o.type == HB for o in alternatives)
    # The buffer keeps 11:30 free for writing up; 11:45 is the next one.
    assert alternatives[0].starts_at == at(11, 45)
    assert book(services, alternatives[0].starts_at).starts_at == at(11, 45)


@pytest.mark.parametrize(
    "when",
    [at(20), at(7), at(12, 40), at(11, 5), at(9, 30), datetime(2026, 3, 7, 10, tzinfo=UTC)],
    ids=["evening", "before-opening", "lunch", "off-grid", "short-notice", "saturday"],
)
def test_booking_outside_hours_is_refused_with_alternatives(
    services: Services, when: datetime
) -> None:
    with pytest.raises(SlotTaken) as exc:
        book(services, when)
    assert "is not a bookable time" in str(exc.value)
    assert exc.value.alternatives


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        (("NOPE", "CIVIC", at(11)), {}, NotFound, "unknown appointment type"),
        ((HB, "NOWHERE", at(11)), {}, NotFound, "NOWHERE"),
        (("PLAN-ADVICE", "GATEFIELD", at(11)), {}, InvalidInput, "not offered at GATEFIELD"),
        ((HB, "CIVIC", datetime(2026, 3, 2, 11)), {}, InvalidInput, "UTC offset"),
        ((HB, "CIVIC", at(11)), {"specialist": "SP-NOBODY"}, NotFound, "unknown specialist"),
        ((HB, "CIVIC", at(11)), {"specialist": "SP-EVANS"}, InvalidInput, "does not take"),
        ((HB, "CIVIC", at(11)), {"phone": "call me"}, InvalidInput, "phone"),
        ((HB, "CIVIC", at(11)), {"email": "not-an-address"}, InvalidInput, "e-mail"),
    ],
)
def test_booking_bad_input(
    services: Services, args: tuple, kwargs: dict, error: type, words: str
) -> None:
    with pytest.raises(error) as exc:
        services.appointments.book(*args, **kwargs)
    assert words in str(exc.value)
    assert services.appointments.day("CIVIC", MONDAY) == [], "nothing half-written"


# -- finding a booking ----------------------------------------------------------------


def test_find_by_reference_in_any_form_or_by_token(services: Services) -> None:
    b = book(services, at(11))
    ap = services.appointments
    plain = b.reference.replace("-", "")
    for typed in (b.reference, plain, plain.lower(), f" {b.reference.lower()} ", b.token):
        assert ap.find(typed).reference == b.reference


@pytest.mark.parametrize("typo", ["zero", "oh", "missing", "unknown"])
def test_find_mistyped_or_unknown_says_how_to_get_help(services: Services, typo: str) -> None:
    b = book(services, at(11))
    plain = b.reference.replace("-", "")
    typed = {
        "zero": plain[:5] + "0",
        "oh": plain[:5] + "O",
        "missing": plain[:5],
        "unknown": next(plain[:5] + ch for ch in REFERENCE_ALPHABET if plain[:5] + ch != plain),
    }[typo]
    with pytest.raises(NotFound) as exc:
        services.appointments.find(typed)
    message = str(exc.value)
    assert "no booking found" in message and "ask at reception" in message


# -- reschedule and cancel ------------------------------------------------------------


def test_reschedule_moves_the_booking_and_frees_the_old_slot(services: Services) -> None:
    ap = services.appointments
    old = book(services, at(11), email="ann@example.org")
    moved = ap.reschedule(old.reference.lower(), at(14))
    assert moved.starts_at == at(14) and moved.status == "booked"
    assert moved.reference != old.reference and moved.has_contact
    gone = ap.find(old.reference)
    assert gone.status == "rescheduled" and not gone.has_contact
    assert ap.slots(HB, centre="CIVIC", limit=1)[0].starts_at == at(11)
    # By QR token too, and into an overlapping time (its own old slot is released).
    again = ap.reschedule(moved.token, at(14, 15))
    assert again.starts_at == at(14, 15)


def test_reschedule_to_a_taken_slot_keeps_the_booking(services: Services) -> None:
    ap = services.appointments
    mine = book(services, at(11))
    book(services, at(14))
    with pytest.raises(SlotTaken) as exc:
        ap.reschedule(mine.reference, at(14))
    assert exc.value.alternatives
    assert ap.find(mine.reference).status == "booked", "never silently dropped"
    assert [b.starts_at for b in ap.day("CIVIC", MONDAY)] == [at(11), at(14)]


def test_cancel(services: Services) -> None:
    ap = services.appointments
    b = book(services, at(11))
    assert ap.cancel(b.token).status == "cancelled"
    assert ap.slots(HB, centre="CIVIC", limit=1)[0].starts_at == at(11)
    with pytest.raises(InvalidInput, match="cancelled"):
        ap.cancel(b.reference)
    with pytest.raises(InvalidInput, match="cannot be moved"):
        ap.reschedule(b.reference, at(14))
    with pytest.raises(NotFound):
        ap.cancel("ABCDEF" if b.reference != "ABC-DEF" else "ABCDEG")


# -- check-in -------------------------------------------------------------------------


def test_checkin_by_reference_creates_a_ticket_for_the_specialists_desk(
    services: Services, clock: VirtualClock
) -> None:
    b = book(services, at(11))
    clock.set(at(10, 50))
    done = services.appointments.checkin("civic", b.reference.lower())
    assert done.arrival == "on_time"
    assert done.booking.status == "checked_in" and done.booking.ticket == done.ticket
    assert done.booking.checked_in_at == at(10, 50)
    assert done.ticket.startswith("B")  # Housing Benefit's prefix
    waiting = services.queue.snapshot("CIVIC").waiting
    assert [w.ticket for w in waiting] == [done.ticket]
    with pytest.raises(InvalidInput, match="already checked in"):
        services.appointments.checkin("CIVIC", b.reference)


def test_checkin_by_scanned_qr_token(services: Services, clock: VirtualClock) -> None:
    b = book(services, at(11))
    clock.set(at(11, 5))
    done = services.appointments.checkin("CIVIC", b.token)
    assert done.booking.reference == b.reference


def test_checkin_at_the_wrong_centre_says_where_the_booking_is(
    services: Services, clock: VirtualClock
) -> None:
    b = book(services, at(11))
    clock.set(at(10, 55))
    with pytest.raises(InvalidInput) as exc:
        services.appointments.checkin("GATEFIELD", b.reference)
    message = str(exc.value)
    assert "Civic Centre" in message and "Market Square" in message
    assert services.appointments.find(b.reference).status == "booked"


def test_checkin_too_early_says_when_it_opens(services: Services, clock: VirtualClock) -> None:
    b = book(services, at(11))
    clock.set(at(10, 15))
    with pytest.raises(InvalidInput) as exc:
        services.appointments.checkin("CIVIC", b.reference)
    assert "check-in opens at 10:30" in str(exc.value)


def test_checkin_late_is_offered_the_next_slot_or_the_queue(
    services: Services, clock: VirtualClock
) -> None:
    b = book(services, at(11))
    clock.set(at(11, 11))
    with pytest.raises(LateForAppointment) as exc:
        services.appointments.checkin("CIVIC", b.reference)
    late = exc.value
    assert "too late" in str(late) and "queue" in str(late)
    assert late.walk_in_service == "HBEN"
    assert late.alternatives and all(o.starts_at > clock.now() for o in late.alternatives)
    # Either offer works: book the next slot, or join the walk-in queue.
    assert book(services, late.alternatives[0].starts_at).status == "booked"
    assert services.queue.issue("CIVIC", late.walk_in_service).service == "HBEN"


def test_checkin_bad_input(services: Services, clock: VirtualClock) -> None:
    ap = services.appointments
    with pytest.raises(NotFound, match="ask at reception"):
        ap.checkin("CIVIC", "ZZZ-ZZZ")
    with pytest.raises(NotFound):
        ap.checkin("NOWHERE", "ZZZ-ZZZ")
    call = ap.slots("CALLBACK", centre="CIVIC", limit=1)[0]
    phone = book(services, call.starts_at, kind="CALLBACK")
    clock.set(phone.starts_at)
    with pytest.raises(InvalidInput, match="by phone"):
        ap.checkin("CIVIC", phone.reference)
    cancelled = ap.cancel(book(services, at(14)).reference)
    clock.set(at(14))
    with pytest.raises(InvalidInput, match="cancelled"):
        ap.checkin("CIVIC", cancelled.reference)


def test_checked_in_customer_is_called_at_their_time_ahead_of_walk_ins(
    services: Services, clock: VirtualClock
) -> None:
    q = services.queue
    b = book(services, at(11))
    clock.set(at(10, 40))
    ticket = services.appointments.checkin("CIVIC", b.reference).ticket
    clock.set(at(10, 45))
    first = q.issue("CIVIC", "HBEN")
    second = q.issue("CIVIC", "HBEN")
    # Not yet due: the interview desk serves a walk-in meanwhile.
    clock.set(at(10, 50))
    assert q.call_next("CIVIC", "Interview 1").ticket == first.ticket
    q.start("CIVIC", "Interview 1")
    q.complete("CIVIC", "Interview 1", [Query(resolved=True)])
    # Its time has come: ahead of the walk-in who has waited longer.
    clock.set(at(11, 1))
    called = q.call_next("CIVIC", "Interview 1")
    assert called.ticket == ticket
    # Another desk serving Housing Benefit never takes the specialist's customer.
    assert q.call_next("CIVIC", "3").ticket == second.ticket


# -- no-shows, the day, absences, out of office ---------------------------------------


def test_no_show_is_marked_after_the_grace_period(services: Services, clock: VirtualClock) -> None:
    ap = services.appointments
    b = book(services, at(11))
    clock.set(at(11, 14))
    assert ap.sweep() == 0
    clock.set(at(11, 16))
    assert ap.sweep() == 1
    assert ap.find(b.reference).status == "no_show"
    with pytest.raises(InvalidInput, match="no show"):
        ap.checkin("CIVIC", b.reference)


def test_the_day_marks_no_shows_by_itself(services: Services, clock: VirtualClock) -> None:
    ap = services.appointments
    missed = book(services, at(11))
    kept = book(services, at(14))
    cancelled = ap.cancel(book(services, at(15)).reference)
    other = book(services, at(11), kind="HOMELESS-ASSESS")
    clock.set(at(13))
    day = ap.day("CIVIC", MONDAY)
    assert [(b.reference, b.status) for b in day] == [
        (missed.reference, "no_show"),  # same time: in booking order
        (other.reference, "no_show"),
        (kept.reference, "booked"),
    ]
    assert cancelled.reference not in {b.reference for b in day}
    shah = ap.day("CIVIC", MONDAY, "sp-shah")
    assert {b.reference for b in shah} == {missed.reference, kept.reference}
    assert ap.day("CIVIC", MONDAY + timedelta(days=1)) == []
    with pytest.raises(NotFound):
        ap.day("CIVIC", MONDAY, "SP-NOBODY")
    with pytest.raises(NotFound):
        ap.day("NOWHERE", MONDAY)


def test_the_status_follows_the_ticket_attended_no_show_or_left(
    services: Services, clock: VirtualClock
) -> None:
    ap, q = services.appointments, services.queue
    seen, missed, gone, waiting = (book(services, at(h)) for h in (11, 12, 14, 15))
    clock.set(at(10, 55))
    ap.checkin("CIVIC", seen.reference)
    clock.set(at(11, 1))
    assert q.call_next("CIVIC", "Interview 1") is not None
    q.start("CIVIC", "Interview 1")
    q.complete("CIVIC", "Interview 1", [Query(resolved=True)])
    clock.set(at(11, 55))
    ap.checkin("CIVIC", missed.reference)
    clock.set(at(12, 1))
    assert q.call_next("CIVIC", "Interview 1") is not None
    clock.set(at(12, 10))
    q.no_show("CIVIC", "Interview 1")
    clock.set(at(13, 55))
    gone_ticket = ap.checkin("CIVIC", gone.reference).ticket
    q.left("CIVIC", gone_ticket)
    clock.set(at(14, 55))
    ap.checkin("CIVIC", waiting.reference)
    expected = {
        seen.reference: "attended",
        missed.reference: "no_show",
        gone.reference: "left",
        waiting.reference: "checked_in",  # its ticket waits: not yet seen
    }
    # The centre's list, the specialist's list, and each booking looked up.
    assert {b.reference: b.status for b in ap.day("CIVIC", MONDAY)} == expected
    assert {b.reference: b.status for b in ap.day("CIVIC", MONDAY, "SP-SHAH")} == expected
    assert {r: ap.find(r).status for r in expected} == expected
    # An attended appointment is not checked in again.
    with pytest.raises(InvalidInput, match="attended"):
        ap.checkin("CIVIC", seen.reference)


def test_absence_over_bookings_lists_them_for_rebooking(services: Services) -> None:
    ap = services.appointments
    inside = book(services, at(11))
    overlapping = book(services, at(13, 30))
    outside = book(services, at(15))
    affected = ap.add_absence("sp-shah", at(11, 15), at(13, 45), "training")
    assert {b.reference for b in affected} == {inside.reference, overlapping.reference}
    assert all(b.flagged and "rebook" in b.flagged for b in affected)
    assert all(b.status == "booked" for b in affected), "never silently dropped"
    day = {b.reference: b for b in ap.day("CIVIC", MONDAY)}
    assert set(day) == {inside.reference, overlapping.reference, outside.reference}
    assert day[outside.reference].flagged is None
    # No new slots are offered during the absence.
    for o in ap.slots(HB, centre="CIVIC", limit=20):
        assert not (o.starts_at < at(13, 45) and o.ends_at > at(11, 15))


@pytest.mark.parametrize(
    ("who", "start", "end", "error"),
    [
        ("SP-NOBODY", at(11), at(12), NotFound),
        ("SP-SHAH", at(12), at(11), InvalidInput),
        ("SP-SHAH", at(12), at(12), InvalidInput),
        ("SP-SHAH", datetime(2026, 3, 2, 11), at(12), InvalidInput),
    ],
)
def test_absence_bad_input(
    services: Services, who: str, start: datetime, end: datetime, error: type
) -> None:
    with pytest.raises(error):
        services.appointments.add_absence(who, start, end)


def test_out_of_office_flags_checked_in_customers_and_offers_alternatives(
    services: Services, clock: VirtualClock
) -> None:
    ap = services.appointments
    b = book(services, at(11), kind="HOMELESS-ASSESS")
    not_yet = book(services, at(14), kind="HOMELESS-ASSESS")
    clock.set(at(10, 45))
    ap.checkin("CIVIC", b.reference)
    change = ap.set_status("sp-okafor", False, "unwell")
    assert change.specialist == "SP-OKAFOR" and not change.in_office
    assert [x.reference for x in change.affected] == [b.reference]
    assert "out of office" in (change.affected[0].flagged or "")
    offers = change.alternatives[b.reference]
    assert offers, "offered another specialist or a new time"
    assert all(o.type == "HOMELESS-ASSESS" and o.centre == "CIVIC" for o in offers)
    assert all(o.specialist != "SP-OKAFOR" or o.starts_at.date() > MONDAY for o in offers)
    assert ap.find(not_yet.reference).flagged is None
    back = ap.set_status("SP-OKAFOR", True)
    assert back.in_office and back.affected == ()
    with pytest.raises(NotFound):
        ap.set_status("SP-NOBODY", False)


# -- contact details ------------------------------------------------------------------


def test_contact_details_are_purged_after_retention(
    services: Services, clock: VirtualClock
) -> None:
    ap = services.appointments
    b = book(services, at(11), name="Ann", phone="+44 7700 900123", email="ann@example.org")
    plain = book(services, at(14))
    assert ap.purge_contacts() == 0
    clock.set(at(11, 31) + timedelta(days=30))
    assert ap.purge_contacts() == 1
    assert not ap.find(b.reference).has_contact
    assert ap.find(plain.reference).status in ("booked", "no_show")
    assert ap.purge_contacts() == 0


# -- done when: booked, found, checked in, called at its time, reported ----------------


def test_booked_found_checked_in_called_ahead_and_reported(
    services: Services, clock: VirtualClock
) -> None:
    ap, q = services.appointments, services.queue
    offer = ap.slots(HB, centre="CIVIC", limit=1)[0]
    b = ap.book(HB, "CIVIC", offer.starts_at, name="Ann", phone="07700 900123")
    assert ap.find(b.reference.replace("-", "").lower()).token == b.token
    clock.set(offer.starts_at - timedelta(minutes=10))
    walk_in = q.issue("CIVIC", "HBEN")
    done = ap.checkin("CIVIC", b.token)
    clock.set(offer.starts_at + timedelta(minutes=2))
    called = q.call_next("CIVIC", "Interview 1")
    assert called.ticket == done.ticket != walk_in.ticket
    q.start("CIVIC", "Interview 1")
    q.complete("CIVIC", "Interview 1", [Query(resolved=True)])
    report = appointments_report(ap, MONDAY, MONDAY, "CIVIC")
    assert report["bookings"] == 1 and report["attended"] == 1
    assert report["punctuality"]["called"] == 1
    assert report["punctuality"]["average_wait_seconds"] == 120
    assert report["punctuality"]["share_within_threshold"] == 1.0


def test_report_figures(services: Services, clock: VirtualClock) -> None:
    ap, q = services.appointments, services.queue
    attended = book(services, at(11))
    missed = book(services, at(11, 45))
    cancelled = book(services, at(13, 30))
    ap.cancel(cancelled.reference)
    # Attended: checked in at 11:05 (late but within the window), called at 11:08.
    clock.set(at(11, 5))
    ap.checkin("CIVIC", attended.reference)
    clock.set(at(11, 8))
    assert q.call_next("CIVIC", "Interview 1") is not None
    clock.set(at(12, 5))
    assert ap.sweep() == 1
    assert ap.find(missed.reference).status == "no_show"

    report = appointments_report(ap, MONDAY, MONDAY, "CIVIC")
    assert report["centre"] == "CIVIC"
    assert (report["from"], report["to"]) == ("2026-03-02", "2026-03-02")
    assert report["bookings"] == 3
    assert report["by_status"] == {"checked_in": 1, "no_show": 1, "cancelled": 1}
    assert report["attended"] == 1
    assert report["no_show_rate"] == 0.5
    p = report["punctuality"]
    # From the later of check-in (11:05) and booked time (11:00) to the call (11:08).
    assert p["called"] == 1 and p["average_wait_seconds"] == 180
    assert p["threshold_minutes"] == 10 and p["share_within_threshold"] == 1.0
    t = report["by_type"][HB]
    assert (t["booked"], t["attended"], t["no_show"], t["cancelled"]) == (2, 1, 1, 1)
    assert t["no_show_rate"] == 0.5 and t["booked_minutes"] == 60
    # Shah works 09:00-12:30 and 13:30-16:30 on Mondays: 390 minutes available.
    shah = report["utilisation"]["SP-SHAH"]
    assert shah["booked_minutes"] == 60 and shah["available_minutes"] == 390
    assert shah["utilisation"] == pytest.approx(60 / 390)
    assert report["utilisation"]["SP-OKAFOR"]["utilisation"] == 0
    assert report["lead_time_hours"][HB]["CIVIC"] is not None


def test_report_with_nothing_booked_has_null_shares(services: Services) -> None:
    report = appointments_report(services.appointments, MONDAY, MONDAY + timedelta(days=6))
    assert report["bookings"] == 0 and report["centre"] is None
    assert report["no_show_rate"] is None
    assert report["punctuality"]["share_within_threshold"] is None
    with pytest.raises(InvalidInput):
        appointments_report(services.appointments, MONDAY, MONDAY - timedelta(days=1))


def test_the_report_counts_a_check_in_by_how_its_ticket_ended(
    services: Services, clock: VirtualClock
) -> None:
    # Checked in, then: seen; called and never came to the desk; walked out.
    ap, q = services.appointments, services.queue
    seen, missed = book(services, at(11)), book(services, at(11, 45))
    gone = book(services, at(13, 30))
    clock.set(at(10, 55))
    ap.checkin("CIVIC", seen.reference)
    clock.set(at(11, 2))
    assert q.call_next("CIVIC", "Interview 1") is not None
    q.start("CIVIC", "Interview 1")
    q.complete("CIVIC", "Interview 1", [Query(resolved=True)])
    clock.set(at(11, 40))
    ap.checkin("CIVIC", missed.reference)
    clock.set(at(11, 46))
    assert q.call_next("CIVIC", "Interview 1") is not None
    clock.set(at(11, 48))
    q.no_show("CIVIC", "Interview 1")
    clock.set(at(13, 20))
    ap.checkin("CIVIC", gone.reference)
    gone_ticket = ap.find(gone.reference).ticket
    assert gone_ticket is not None
    q.left("CIVIC", gone_ticket)
    report = appointments_report(ap, MONDAY, MONDAY, "CIVIC")
    assert report["by_status"] == {"attended": 1, "no_show": 1, "left": 1}
    assert (report["attended"], report["left"]) == (1, 1)
    assert report["no_show_rate"] == pytest.approx(1 / 3)
    t = report["by_type"][HB]
    assert (t["booked"], t["attended"], t["no_show"], t["left"]) == (3, 1, 1, 1)
