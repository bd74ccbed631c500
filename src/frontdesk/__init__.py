"""frontdesk: a front-desk queue and appointment system for public customer-service centres."""

__version__ = "0.1.0"
