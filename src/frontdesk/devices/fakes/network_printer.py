"""A pretend network receipt printer on 127.0.0.1 for tests and demos.

It records every byte, answers the ESC/POS real-time status requests (DLE EOT n and GS r n) as
a real printer would, and can be switched at runtime into the faults a kiosk meets: offline,
paper out, cover open, paper low, or "silent" (accepts connections but never answers).
"""

from __future__ import annotations

import socket
import socketserver
import threading
from types import TracebackType
from typing import Literal, get_args

from frontdesk.devices.escpos_stream import EscposCommand, EscposStreamParser

FakeMode = Literal["ok", "offline", "paper_out", "paper_low", "cover_open", "silent"]
FAKE_MODES: tuple[str, ...] = get_args(FakeMode)

# Replies to DLE EOT n. Bits 1 and 4 are always set; see the ESC/POS reference.
_FIXED = 0x12
_OFFLINE = 0x08
_DLE_EOT_REPLIES: dict[str, dict[int, int]] = {
    "ok": {1: _FIXED, 2: _FIXED, 3: _FIXED, 4: _FIXED},
    "paper_low": {1: _FIXED, 2: _FIXED, 3: _FIXED, 4: _FIXED | 0x0C},
    "offline": {1: _FIXED | _OFFLINE, 2: _FIXED | 0x40, 3: _FIXED, 4: _FIXED},
    "paper_out": {1: _FIXED | _OFFLINE, 2: _FIXED | 0x20, 3: _FIXED, 4: _FIXED | 0x6C},
    "cover_open": {1: _FIXED | _OFFLINE, 2: _FIXED | 0x04, 3: _FIXED, 4: _FIXED},
}
# Replies to GS r 1 (paper sensor: bits 0-1 near end, bits 2-3 paper end).
_GS_R_PAPER = {
    "ok": 0x00,
    "paper_low": 0x03,
    "paper_out": 0x0F,
    "offline": 0x00,
    "cover_open": 0x00,
}


class FakeNetworkPrinter:
    """A threaded TCP server that behaves like an ESC/POS printer on port 9100.

    Use as a context manager; `port=0` picks a free port, read it from `.port`.
    """

    def __init__(self, port: int = 0, mode: FakeMode = "ok") -> None:
        self._lock = threading.Lock()
        self._finished = threading.Condition(self._lock)
        self._mode: FakeMode = mode
        self._received = bytearray()
        self._jobs: list[bytes] = []
        self._status_requests: list[bytes] = []
        self._stopping = threading.Event()
        self._server = _Server(("127.0.0.1", port), _Connection)
        self._server.fake = self
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def mode(self) -> FakeMode:
        with self._lock:
            return self._mode

    @mode.setter
    def mode(self, mode: FakeMode) -> None:
        if mode not in FAKE_MODES:
            raise ValueError(f"mode {mode!r} is not accepted; use one of {', '.join(FAKE_MODES)}")
        with self._lock:
            self._mode = mode

    def start(self) -> FakeNetworkPrinter:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-printer-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeNetworkPrinter:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def received(self) -> bytes:
        """Every byte received on every connection so far."""
        with self._lock:
            return bytes(self._received)

    @property
    def jobs(self) -> list[bytes]:
        """The bytes of each finished connection, oldest first."""
        with self._lock:
            return list(self._jobs)

    @property
    def status_requests(self) -> list[bytes]:
        """Each status request seen, such as b"\\x10\\x04\\x01"."""
        with self._lock:
            return list(self._status_requests)

    def wait_for_jobs(self, count: int = 1, timeout: float = 5.0) -> list[bytes]:
        """Wait until `count` connections have closed, then return their bytes."""
        with self._finished:
            self._finished.wait_for(lambda: len(self._jobs) >= count, timeout=timeout)
            if len(self._jobs) < count:
                raise TimeoutError(f"only {len(self._jobs)} of {count} print jobs arrived")
            return list(self._jobs)

    def clear(self) -> None:
        with self._lock:
            self._received.clear()
            self._jobs.clear()
            self._status_requests.clear()

    def _record(self, chunk: bytes) -> None:
        with self._lock:
            self._received += chunk

    def _finish_job(self, job: bytes) -> None:
        with self._finished:
            self._jobs.append(job)
            self._finished.notify_all()

    def _reply_to(self, command: EscposCommand) -> bytes | None:
        """The reply a printer in the current mode gives, or None for a non-status command."""
        request = command.code + command.params
        if command.code == b"\x10\x04":
            with self._lock:
                self._status_requests.append(request)
                mode = self._mode
            if mode == "silent":
                return b""
            table = _DLE_EOT_REPLIES[mode]
            return bytes([table.get(command.params[0], _FIXED)])
        if command.code == b"\x1dr":
            with self._lock:
                self._status_requests.append(request)
                mode = self._mode
            if mode == "silent":
                return b""
            # GS r 1 is paper; GS r 2 (drawer) and others answer "nothing to report".
            return bytes([_GS_R_PAPER[mode] if command.params[:1] == b"\x01" else 0x00])
        return None


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeNetworkPrinter


class _Connection(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        fake = self.server.fake
        connection: socket.socket = self.request
        # A short poll so the handler notices the fake being stopped.
        connection.settimeout(0.1)
        parser = EscposStreamParser()
        job = bytearray()
        try:
            while not fake._stopping.is_set():
                try:
                    chunk = connection.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not chunk:
                    break
                job += chunk
                fake._record(chunk)
                for command in parser.feed(chunk):
                    reply = fake._reply_to(command)
                    if reply:
                        connection.sendall(reply)
        finally:
            fake._finish_job(bytes(job))
