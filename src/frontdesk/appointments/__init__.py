"""Appointments: types, specialists' availability, slot finding, booking references and
check-in rules. The modules here are pure; the booking services live in
`frontdesk.services.appointments`."""
