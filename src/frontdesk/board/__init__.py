"""The board room (see DESIGN.md §2)."""
