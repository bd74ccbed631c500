"""Small HTML builders: every value is escaped here, pages carry no inline script or
style (the CSP forbids both) and load only this server's /static files."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from frontdesk.web.words import language_names


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def attrs(**values: object) -> str:
    """` name="value"` pairs, escaped; underscores become dashes (data_x → data-x)."""
    return "".join(
        f' {name.rstrip("_").replace("_", "-")}="{esc(v)}"'
        for name, v in values.items()
        if v is not None
    )


def page(
    *,
    title: str,
    body: str,
    language: str,
    scripts: tuple[str, ...] = (),
    refresh_without_script: int | None = None,
    refresh_seconds: int | None = None,
    body_class: str = "",
) -> str:
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex">',
        f"<title>{esc(title)}</title>",
        '<link rel="stylesheet" href="/static/web.css">',
    ]
    if refresh_seconds:
        head.append(f'<meta http-equiv="refresh" content="{int(refresh_seconds)}">')
    if refresh_without_script:
        # Phones without JavaScript still see news: the page reloads itself.
        head.append(
            f'<noscript><meta http-equiv="refresh" content="{int(refresh_without_script)}">'
            "</noscript>"
        )
    head += [f'<script src="/static/{esc(name)}" defer></script>' for name in scripts]
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(language)}">\n<head>\n'
        + "\n".join(head)
        + f"\n</head>\n<body{attrs(class_=body_class or None)}>\n{body}\n</body>\n</html>\n"
    )


def language_links(path: str, current: str) -> str:
    """Links to the same page in each language (the current one marked, not linked)."""
    items = []
    for code, name in language_names():
        if code == current:
            items.append(f'<li><strong lang="{esc(code)}">{esc(name)}</strong></li>')
        else:
            href = f"{quote(path)}?lang={quote(code)}"
            items.append(f'<li><a lang="{esc(code)}" href="{esc(href)}">{esc(name)}</a></li>')
    return f'<nav class="languages"><ul>{"".join(items)}</ul></nav>'
