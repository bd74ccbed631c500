"""Widgets and styles shared by the kiosk, desk, board and supervisor apps."""
