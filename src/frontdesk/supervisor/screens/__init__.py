"""Screens of the supervisor's dashboard."""
