"""prod-check's HTTP client: a worker killed in the middle of its answer (the body cut short)
reaches the load as an ``OSError``, which every caller retries on, not as an exception that ends
the load's thread (the CI run that found it: ``http.client.IncompleteRead`` in a reads thread)."""

import socket
import threading

import pytest

from minqing.ops.prodcheck.http import Client


def _cut_short_server() -> tuple[socket.socket, int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def answer() -> None:
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nContent-Type: text/html\r\n\r\npartial")
        conn.close()  # as a worker killed with kill -9 mid-answer

    threading.Thread(target=answer, daemon=True).start()
    return listener, listener.getsockname()[1]


def test_an_answer_cut_short_is_an_oserror_and_the_connection_is_dropped() -> None:
    listener, port = _cut_short_server()
    client = Client(port)
    try:
        with pytest.raises(OSError):
            client.get("/")
        assert client._conn is None  # the next call opens a new connection
    finally:
        listener.close()
