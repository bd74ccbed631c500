"""`frontdesk demo`: the sample council alive in one terminal (or a browser)."""
