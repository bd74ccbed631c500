"""The supervisor's dashboard (Textual): every centre live against its standard,
breaches foreseen with ranked actions, reports."""
