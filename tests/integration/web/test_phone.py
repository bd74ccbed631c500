"""The ticket's page on the visitor's phone, over HTTP on each backend: it follows the
ticket from issue to call, lets the visitor leave, asks its one question when the visit
ends, speaks the kiosk's four languages and shows nothing personal."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text

from frontdesk.clock import VirtualClock
from frontdesk.services.results import Query
from frontdesk.services.wiring import Services

HTML = {"Accept": "text/html"}


def status(client: Any, token: str, **params: str) -> dict[str, Any]:
    r = client.get(f"/t/{token}/status", params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_the_page_follows_a_ticket_from_issue_to_the_call_and_the_end(
    client: Any, services: Services
) -> None:
    q = services.queue
    first, second, mine = (q.issue("CIVIC", "CTAX") for _ in range(3))
    assert len(mine.token) >= 22  # 16 random bytes: 128 bits

    page = client.get(f"/t/{mine.token}", headers=HTML)
    assert page.status_code == 200
    text = page.text
    assert mine.ticket in text and "Council Tax" in text and "Civic Centre" in text
    assert "People ahead of you: 2" in text
    assert 'data-phase="waiting"' in text and "/static/phone.js" in text
    assert "I have had to leave" in text

    now = status(client, mine.token)
    assert now["ticket"] == mine.ticket and now["phase"] == "waiting"
    assert now["ahead"] == 2 and isinstance(now["estimated_wait_seconds"], int)
    assert now["desk"] is None and now["survey"] == "not_yet"

    q.call_next("CIVIC", "1")
    q.call_next("CIVIC", "2")
    assert status(client, mine.token)["headline"] == "You are next"
    assert status(client, first.token)["headline"] == "Please go to desk 1 now"

    q.call_next("CIVIC", "3")
    called = status(client, mine.token)
    assert called["phase"] == "called" and called["desk"] == "3"
    assert called["headline"] == "Please go to desk 3 now"
    assert called["detail"] == f"Your number {mine.ticket} has been called."
    assert "Please go to desk 3 now" in client.get(f"/t/{mine.token}").text

    q.start("CIVIC", "3")
    assert status(client, mine.token)["headline"] == "You are being served at desk 3"
    q.complete("CIVIC", "3", [Query(resolved=True)])
    ended = status(client, mine.token)
    assert ended["status"] == "done" and ended["phase"] == "ended"
    assert ended["survey"] == "open"
    page = client.get(f"/t/{mine.token}").text
    # Inert: no more asking the server, no leaving; only the question, once.
    assert "phone.js" not in page and "data-status" not in page and "have had to leave" not in page
    assert "How was your visit?" in page and 'name="rating"' in page
    assert status(client, second.token)["phase"] == "called"


def test_nothing_personal_is_shown(client: Any, services: Services) -> None:
    t = services.queue.issue(
        "CIVIC", "HBEN", needs=["interpreter:polish"], note="Mrs Jones, flat 4, rent arrears"
    )
    services.notifications.subscribe(t.id, "07700900123")
    page = client.get(f"/t/{t.token}").text
    answer = client.get(f"/t/{t.token}/status").text
    for shown in (page, answer):
        assert "Jones" not in shown and "arrears" not in shown
        assert "interpreter" not in shown.lower() and "07700" not in shown


def test_leaving_asks_first_then_ends_the_ticket_as_left(client: Any, services: Services) -> None:
    t = services.queue.issue("CIVIC", "CTAX")
    ask = client.get(f"/t/{t.token}/leave")
    assert ask.status_code == 200
    assert "Leave the queue?" in ask.text and f'action="/t/{t.token}/leave?lang=en"' in ask.text
    assert services.queue.snapshot("CIVIC").waiting  # asking changed nothing

    done = client.post(f"/t/{t.token}/leave", follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/t/{t.token}?lang=en"
    assert services.queue.snapshot("CIVIC").waiting == ()
    after = status(client, t.token)
    assert after["status"] == "left" and after["headline"] == "You have left the queue."
    assert after["survey"] == "open"
    # Left is an event like any other, in the log the measures are computed from.
    with services.uow.read_core() as s:
        steps = [
            r[0]
            for r in s.execute(
                text("SELECT step FROM ticket_event WHERE ticket_id = :t ORDER BY id"), {"t": t.id}
            )
        ]
    assert steps == ["issued", "left"]
    again = client.post(f"/t/{t.token}/leave", follow_redirects=False)
    assert again.status_code == 303  # nothing more to leave: back to the page


def test_the_question_is_asked_once_when_the_visit_has_ended(
    client: Any, services: Services
) -> None:
    q = services.queue
    t = q.issue("CIVIC", "CTAX")
    early = client.post(f"/t/{t.token}/feedback", data={"rating": "5"}, follow_redirects=False)
    assert early.status_code == 303  # not yet: the visit has not ended
    q.call_next("CIVIC", "1")
    q.start("CIVIC", "1")
    q.complete("CIVIC", "1", [Query(resolved=True)])

    bad = client.post(f"/t/{t.token}/feedback", data={"rating": "9"}, headers=HTML)
    assert bad.status_code == 400 and "Please choose a number from 1 to 5." in bad.text
    bad = client.post(f"/t/{t.token}/feedback", data={"rating": "x"})
    assert bad.status_code == 400 and bad.json()["field"] == "rating"
    long = client.post(f"/t/{t.token}/feedback", data={"rating": "4", "comment": "a" * 501})
    assert long.status_code == 400 and long.json()["field"] == "comment"

    sent = client.post(
        f"/t/{t.token}/feedback",
        data={"rating": "4", "comment": "Quick <b>and</b> kind"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    page = client.get(f"/t/{t.token}").text
    assert "Thank you for your answer." in page and 'name="rating"' not in page
    twice = client.post(f"/t/{t.token}/feedback", data={"rating": "1"}, follow_redirects=False)
    assert twice.status_code == 303
    day = services.clock.now().date()
    figures = services.visitors.satisfaction("CIVIC", day, day)
    assert figures.responses == 1 and figures.ratings[4] == 1 and figures.ratings[1] == 0
    assert figures.comments == ("Quick <b>and</b> kind",)


def test_the_question_closes_a_day_after_the_ticket(
    client: Any, services: Services, clock: VirtualClock
) -> None:
    t = services.queue.issue("CIVIC", "CTAX")
    services.queue.left("CIVIC", t.ticket)
    clock.advance(25 * 3600)
    assert status(client, t.token)["survey"] == "closed"
    sent = client.post(f"/t/{t.token}/feedback", data={"rating": "3"}, follow_redirects=False)
    assert sent.status_code == 303
    day = t.issued_at.date()
    assert services.visitors.satisfaction("CIVIC", day, day).responses == 0


def test_in_the_kiosks_four_languages(client: Any, services: Services) -> None:
    t = services.queue.issue("CIVIC", "CTAX")
    services.queue.issue("CIVIC", "CTAX")
    services.queue.call_next("CIVIC", "4")
    pl = client.get(f"/t/{t.token}?lang=pl").text
    assert '<html lang="pl">' in pl and "Proszę teraz podejść do stanowiska 4" in pl
    ro = client.get(f"/t/{t.token}", headers={"Accept-Language": "ro-RO,ro;q=0.9,en;q=0.5"})
    assert '<html lang="ro">' in ro.text and "ghișeul 4" in ro.text
    cy = status(client, t.token, lang="cy")
    assert cy["language"] == "cy" and cy["headline"] == "Ewch i ddesg 4 nawr"
    fallback = client.get(f"/t/{t.token}", headers={"Accept-Language": "de-DE,fr;q=0.8"})
    assert '<html lang="en">' in fallback.text
    # Every page links the other languages.
    assert re.findall(r'lang="(\w\w)" href', pl) == ["en", "cy", "ro"]


def test_an_unknown_or_malformed_code_finds_nothing(client: Any) -> None:
    for token in ("AAAAAAAAAAAAAAAAAAAAAA", "not a token", "x" * 64, "<script>"):
        page = client.get(f"/t/{token}", headers=HTML)
        assert page.status_code == 404 and "We cannot find this ticket" in page.text
        assert "<script>" not in page.text.split("</head>")[1]
        answer = client.get(f"/t/{token}/status")
        assert answer.status_code == 404 and answer.json()["error"]
    assert client.post("/t/AAAAAAAAAAAAAAAAAAAAAA/leave").status_code == 404


def test_the_phone_page_keeps_to_itself(client: Any, services: Services, base_url: str) -> None:
    t = services.queue.issue("CIVIC", "CTAX")
    r = client.get(f"/t/{t.token}")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "http" not in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"  # the token is in the address
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "style=" not in r.text and "<script>" not in r.text  # no inline code: CSP holds
    for asset in ("/static/web.css", "/static/phone.js"):
        got = client.get(asset)
        assert got.status_code == 200 and "http://" not in got.text and "https://" not in got.text
    assert base_url not in r.text  # the page needs no absolute addresses
