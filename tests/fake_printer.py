"""A fake network receipt printer: a TCP server on 127.0.0.1 that records every job's bytes."""

from __future__ import annotations

import socket
import threading


class FakeNetworkPrinter:
    """A TCP server on 127.0.0.1 that accepts print jobs and records every byte of each one."""

    def __init__(self, port: int = 0) -> None:
        self._server = socket.create_server(("127.0.0.1", port))
        self._server.settimeout(0.05)
        self.port: int = self._server.getsockname()[1]
        self.url = f"tcp://127.0.0.1:{self.port}"
        self.jobs: list[bytes] = []
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fake-printer", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(5)
                chunks = []
                while chunk := connection.recv(65536):
                    chunks.append(chunk)
            with self._changed:
                self.jobs.append(b"".join(chunks))
                self._changed.notify_all()

    def wait_for_jobs(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """Wait until count connections have been received completely; return their bytes."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.jobs) >= count, timeout):
                raise AssertionError(f"fake printer got {len(self.jobs)} jobs, wanted {count}")
            return list(self.jobs)

    def close(self) -> None:
        """Stop serving and close the listening socket."""
        self._stopping.set()
        self._thread.join(timeout=5)
        self._server.close()


def free_port() -> int:
    """Return a loopback TCP port nothing listens on now (a printer that is off)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
