"""The desk console's widgets: the customer card, the outcome form and its query forms,
the live queue panel and the footer of keys."""

from frontdesk.desk.widgets.customer_card import CustomerCard
from frontdesk.desk.widgets.footer import DeskFooter
from frontdesk.desk.widgets.outcome_form import OutcomeForm
from frontdesk.desk.widgets.query_form import QueryForm
from frontdesk.desk.widgets.queue_panel import QueuePanel

__all__ = ["CustomerCard", "DeskFooter", "OutcomeForm", "QueryForm", "QueuePanel"]
