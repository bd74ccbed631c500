"""The supervisor room (see DESIGN.md §2)."""
