"""A small SMTP server that accepts every message and keeps none: the benchmark's mail server,
run as its own process (`python -m bench.smtp_sink PORT`). It speaks what a sending client
needs (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and costs a fraction of a general one, so
that the machine's cores go to the server being measured (aiosmtpd's sink took 0.86 ms of CPU
per message, this one about a tenth of that)."""

import asyncio
import sys


class _Session(asyncio.Protocol):
    def connection_made(self, transport) -> None:
        self.transport = transport
        self.buffer = b""
        self.in_data = False
        self.accepted = 0
        transport.write(b"220 bench-sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    # Keep only what may hold the start of the end marker.
                    self.buffer = self.buffer[-4:]
                    return
                self.buffer = self.buffer[end + 5 :]
                self.in_data = False
                self.accepted += 1
                self.transport.write(b"250 2.0.0 Accepted\r\n")
                continue
            line_end = self.buffer.find(b"\r\n")
            if line_end < 0:
                return
            line, self.buffer = self.buffer[:line_end], self.buffer[line_end + 2 :]
            self._command(line[:4].upper())

    def _command(self, verb: bytes) -> None:
        if verb == b"EHLO":
            self.transport.write(b"250-bench-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
        elif verb == b"DATA":
            self.in_data = True
            self.transport.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        elif verb == b"QUIT":
            self.transport.write(b"221 2.0.0 Bye\r\n")
            self.transport.close()
        elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
            self.transport.write(b"250 2.0.0 OK\r\n")
        else:
            self.transport.write(b"502 5.5.2 Command not implemented\r\n")


async def _serve(port: int) -> None:
    server = await asyncio.get_running_loop().create_server(_Session, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(_serve(int(sys.argv[1])))
