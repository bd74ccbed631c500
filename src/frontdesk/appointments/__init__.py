"""The appointments room (see DESIGN.md §2)."""
