"""Services: one unit of work per user action. The apps and the CLI talk to these, never
to the store."""
