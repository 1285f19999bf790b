"""Issue 11, done-when 4: a 2 GB upload to the portal is refused with 413 while less than 20 MB
reaches the disk, through the real server (finding 3 of the outside review: the size was checked
after the whole body had been written to the temporary directory)."""

import contextlib
import select
import socket
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

MB = 1024 * 1024
BOUNDARY = "aftercare-limit-test"


def _stored_bytes(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def test_a_2_gb_upload_is_refused_before_it_reaches_the_disk(e2e_server):
    uploads = Path(e2e_server.env["FILE_UPLOAD_TEMP_DIR"])
    address = urlsplit(e2e_server.base_url)
    declared = 2 * 1024 * MB
    head = (
        "POST /portal/demo/requests/new/ HTTP/1.1\r\n"
        f"Host: {address.netloc}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {declared}\r\n\r\n"
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="attachments"; filename="video.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode() + b"\x89PNG\r\n\x1a\n"
    answer = b""
    started = time.monotonic()
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(head)
        # At most 1 MB of the 2 GB, then the answer: it comes from the headers alone, often
        # before this megabyte is through (the server then closes the connection).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(b"\0" * MB)
        readable, _, _ = select.select([connection], [], [], 20)
        assert readable, "no answer within 20 s"
        most_stored = _stored_bytes(uploads)
        try:
            while b"\r\n\r\n" not in answer:
                data = connection.recv(65536)
                if not data:
                    break
                answer += data
        except ConnectionResetError:
            # The server closed a connection whose body it will never read.
            pass
    status, _, rest = answer.partition(b"\r\n")
    assert status.startswith(b"HTTP/1.1 413 "), answer[:300]
    assert b"connection: close" in rest.lower()
    assert time.monotonic() - started < 20
    # Nothing of it was written where uploads wait (the done-when allows under 20 MB).
    assert most_stored == 0
    # The server goes on serving.
    with urllib.request.urlopen(e2e_server.url("/portal/demo/login/"), timeout=10) as page:  # noqa: S310
        assert page.status == 200
