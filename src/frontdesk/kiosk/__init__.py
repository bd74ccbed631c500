"""The kiosk room (see DESIGN.md §2)."""
