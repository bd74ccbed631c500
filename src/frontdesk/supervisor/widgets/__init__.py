"""Widgets of the supervisor's dashboard."""
