"""The desk console's footer: Textual's `Footer`, its keys kept and shown or hidden in
place instead of rebuilt whenever the keys that apply change.

Textual's footer removes and mounts every key widget on each change of the active
bindings, and the console changes them on every call, arrival, completion and focus move:
that rebuild (styles worked out again for each new key) was a large share of a console's
CPU, paid by every other console on the same machine. This one looks the same (the same
`FooterKey` widgets, in the order Textual would show them) and only rebuilds when a key
it has never shown appears. Binding groups are not used by the console and not drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

Ident = tuple[str, str]  # (key, action)


@dataclass(frozen=True, slots=True)
class _Shown:
    ident: Ident
    binding: Binding
    enabled: bool
    tooltip: str


def merge_order(order: list[Ident], wanted: list[Ident]) -> list[Ident]:
    """`order` with the new idents of `wanted` placed after their predecessor in it, so
    that `wanted` keeps its order within the result (or `wanted` first if it cannot)."""
    out = list(order)
    for i, ident in enumerate(wanted):
        if ident in out:
            continue
        out.insert(out.index(wanted[i - 1]) + 1 if i else 0, ident)
    if not is_subsequence(wanted, out):
        out = wanted + [ident for ident in out if ident not in wanted]
    return out


def is_subsequence(items: list[Ident], of: list[Ident]) -> bool:
    rest = iter(of)
    return all(item in rest for item in items)


class DeskFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._order: list[Ident] = []
        self._known: dict[Ident, Binding] = {}
        self._keys: dict[Ident, FooterKey] = {}

    def _wanted(self) -> list[_Shown]:
        """The keys to show now, as Textual's footer chooses them (one per action)."""
        shown: dict[str, _Shown] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in shown:
                ident = (binding.key, binding.action)
                shown[binding.action] = _Shown(ident, binding, enabled, tooltip)
        return list(shown.values())

    def _possible(self) -> list[tuple[Ident, Binding]]:
        """Every key the screen could show, whether it applies now or not, in the order
        Textual's footer would show them."""
        seen: dict[str, tuple[Ident, Binding]] = {}
        for _namespace, bindings in self.screen._modal_binding_chain:
            for _key, binding in bindings:
                if binding.show:
                    seen.setdefault(binding.action, ((binding.key, binding.action), binding))
        return list(seen.values())

    def compose(self) -> ComposeResult:
        self._keys = {}
        if not self._bindings_ready:
            return
        # The keys that do not apply yet are built too (hidden): the first call, the
        # first arrival… would otherwise rebuild the footer, the slowest key press of
        # each console.
        possible = self._possible()
        for ident, binding in possible:
            self._known.setdefault(ident, binding)
        self._order = merge_order(self._order, [ident for ident, _ in possible])
        wanted = {s.ident: s for s in self._wanted()}
        for s in wanted.values():
            self._known[s.ident] = s.binding
        self._order = merge_order(self._order, list(wanted))
        for ident in self._order:
            binding = self._known[ident]
            now = wanted.get(ident)
            enabled = now.enabled if now else True
            key = FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=now.tooltip if now else "",
            ).data_bind(compact=Footer.compact)
            key.display = now is not None
            self._keys[ident] = key
            yield key

    def on_mount(self) -> None:
        # After Footer's own on_mount (it runs after this one), which subscribes too.
        self.call_later(self._listen_at_once)

    def _listen_at_once(self) -> None:
        # Immediate: the keys are shown or hidden while the action that changed them runs,
        # so they are laid out in the same frame as its answer. Textual's footer hears of
        # the change later, and the keys cost a second layout and frame of their own.
        signal = self.screen.bindings_updated_signal
        signal.unsubscribe(self)
        signal.subscribe(self, self.bindings_changed, immediate=True)

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if not (self.is_attached and screen is self.screen):
            return
        wanted = self._wanted()
        idents = [s.ident for s in wanted]
        # A rebuild runs on the footer's own queue (the keys' data binding needs the
        # footer as the active node, not the screen this callback may be running for).
        if not self._keys or not all(i in self._keys for i in idents):
            self.call_later(self.recompose)
            return
        if not is_subsequence(idents, self._order):
            self.call_later(self.recompose)
            return
        by_ident = {s.ident: s for s in wanted}
        for ident, key in self._keys.items():
            now = by_ident.get(ident)
            if key.display != (now is not None):
                key.display = now is not None
            if now is None:
                continue
            disabled = not now.enabled
            if key._disabled != disabled:
                key._disabled = disabled
                key.set_class(disabled, "-disabled")
            if (key.tooltip or "") != (now.tooltip or ""):
                key.tooltip = now.tooltip or None
