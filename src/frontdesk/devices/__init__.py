"""Devices at the counter: ticket printers, QR codes, chime and speech, notifications, health.

Each device sits behind a small protocol with a fake, so apps and tests never need hardware.
"""
