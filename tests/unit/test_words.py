"""Staff see words, not the store's values, and counts through gettext's plurals."""

from __future__ import annotations

from frontdesk.ui.i18n import n_, set_language
from frontdesk.ui.words import appointment_status, ticket_status


def test_statuses_are_words() -> None:
    assert appointment_status("checked_in") == "checked in"
    assert ticket_status("no_show") == "did not come"
    assert ticket_status("serving") == "being served"
    assert "_" not in appointment_status("some_new_status")


def test_counts_use_the_catalogues_plural_forms() -> None:
    set_language("en")
    assert n_("{n} query", "{n} queries", 1).format(n=1) == "1 query"
    assert n_("{n} query", "{n} queries", 2).format(n=2) == "2 queries"
    assert n_("{n} query", "{n} queries", 0).format(n=0) == "0 queries"
