"""Helpers the tests share, kept out of the wheel: Pilot walks through the desk console
(`tests.support.desk`) and the kiosk (`tests.support.kiosk`), and the end-to-end
tests' tool checks and ports (`tests.support.e2e`). Device fakes are not here:
they ship in `frontdesk.devices.fakes` (the benchmarks use them too)."""
