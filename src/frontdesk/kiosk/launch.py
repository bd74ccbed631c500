"""`frontdesk kiosk --centre C [--kiosk NAME] [--greeter] [--language xx] [--db URL]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any

from frontdesk.config import CentresFile, load_centres
from frontdesk.devices.slip import SlipLabels
from frontdesk.errors import FrontdeskError, StoreUnavailable
from frontdesk.kiosk.state import KioskSettings, PrinterFactory, no_printer
from frontdesk.settings import load_settings
from frontdesk.ui.i18n import LANGUAGE_CODES


def kiosk_table(config: CentresFile | None, centre: str, kiosk: str) -> Mapping[str, Any] | None:
    """This kiosk's `[[centre.kiosk]]` table from the centres file, if it has one."""
    if config is None:
        return None
    for c in config.centre:
        if c.code == centre:
            for k in c.kiosk:
                if k.name == kiosk:
                    return k.model_dump()
    return None


def printer_factory(table: Mapping[str, Any] | None) -> PrinterFactory:
    """Build the kiosk's printer per slip, so each slip carries the visitor's language."""
    if table is None:
        return no_printer
    from frontdesk.devices.printers import make_printer
    from frontdesk.printer_config import PrinterConfig

    config = PrinterConfig.from_dict(table["printer"], where=f"kiosk {table['name']}.printer")

    def make(labels: SlipLabels) -> Any:
        return make_printer(config, labels)

    return make


def build_settings(args: argparse.Namespace, table: Mapping[str, Any] | None) -> KioskSettings:
    environment = load_settings()
    language = (args.language or environment.language or "en").lower()
    if language not in LANGUAGE_CODES:
        raise FrontdeskError(
            f"--language '{language}' is not offered (accepted: {', '.join(LANGUAGE_CODES)})"
        )
    extra: dict[str, Any] = {}
    if table is not None:
        extra["idle_seconds"] = float(table["idle_seconds"])
        extra["exit_keys"] = tuple(table["exit_keys"])
        timeout = float(table["printer"].get("timeout_seconds", 2.5))
        # A status query, the slip, and a reconnect: the visitor never waits longer.
        extra["printer_timeout"] = min(15.0, timeout * 3 + 1)
    return KioskSettings(
        centre=args.centre.strip().upper(),
        name=args.kiosk,
        language=language,
        greeter=bool(args.greeter),
        public_base_url=environment.public_base_url,
        **extra,
    )


def centre_known(services: Any, centre: str) -> bool:
    """Check the centre now (a clear error rather than a blank kiosk); an unreachable
    store is not an error here: the kiosk starts on its calm "trying again" screen and
    retries until the store answers, as it does when the store goes away later."""
    try:
        services.queue.centre(centre)
    except StoreUnavailable:
        return False
    return True


def run(args: argparse.Namespace) -> int:
    from frontdesk.kiosk.app import KioskApp
    from frontdesk.services.wiring import open_services
    from frontdesk.ui.served import watch_parent_when_served

    settings_env = load_settings()
    config = load_centres(settings_env.config) if settings_env.config else None
    table = kiosk_table(config, args.centre.strip().upper(), args.kiosk)
    settings = build_settings(args, table)
    services = open_services(getattr(args, "db", None), via=f"kiosk:{str(args.centre).upper()}")
    try:
        centre_known(services, settings.centre)
        app = KioskApp(services, settings, printer_factory(table))
        watch_parent_when_served()
        app.run()
    finally:
        services.close()
    if app.return_code:
        print(f"frontdesk: kiosk stopped with code {app.return_code}", file=sys.stderr)
    return int(app.return_code or 0)
