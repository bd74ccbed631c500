"""The queue core: tickets, the state machine, fair calling, numbering, the waiting
standard's arithmetic and wait estimates. Plain Python over plain values and a clock —
no Textual, no SQL, no printers."""
