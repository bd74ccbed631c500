"""The kiosk's screens, one step of the visitor's way each."""
