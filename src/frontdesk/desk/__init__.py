"""The desk room (see DESIGN.md §2)."""
