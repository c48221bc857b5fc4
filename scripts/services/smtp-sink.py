#!/usr/bin/python3
"""A throw-away SMTP server for the connector tests: accepts mail only after AUTH (LOGIN or PLAIN) and
writes each message, as received, into a drop folder as one .eml file.

Written atomically (temp file, then rename), so a reader never sees half a message. Two test hooks:
a recipient at reject.invalid is refused with 550 (permanent), one at tempfail.invalid with 451 (transient).

Env: SINK_HOST, SINK_PORT, SINK_DROP (folder), SINK_USER, SINK_PASSWORD. Run with Debian's /usr/bin/python3,
which has python3-aiosmtpd. Stops on SIGTERM/SIGINT.
"""
import os
import signal
import threading
import time
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == self.user and auth_data.password == self.password)
        # handled=False makes aiosmtpd answer 535 itself; with the default handled=True it sends nothing
        # and the client hangs until its timeout.
        return AuthResult(success=ok, handled=False)


class DropFolder:
    def __init__(self, drop):
        self.drop = drop

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        domain = address.rsplit("@", 1)[-1].lower()
        if domain == "reject.invalid":
            return "550 5.1.1 Mailbox unavailable"
        if domain == "tempfail.invalid":
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = "%d-%s.eml" % (time.time_ns(), uuid.uuid4().hex)
        tmp = os.path.join(self.drop, "." + name + ".tmp")
        header = "X-Sink-Envelope-From: %s\r\nX-Sink-Envelope-To: %s\r\n" % (
            envelope.mail_from, ", ".join(envelope.rcpt_tos))
        with open(tmp, "wb") as f:
            f.write(header.encode())
            f.write(envelope.original_content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, os.path.join(self.drop, name))
        return "250 Message accepted for delivery"


def main():
    drop = os.environ["SINK_DROP"]
    os.makedirs(drop, exist_ok=True)
    controller = Controller(
        DropFolder(drop),
        hostname=os.environ.get("SINK_HOST", "127.0.0.1"),
        port=int(os.environ.get("SINK_PORT", "2525")),
        authenticator=Authenticator(os.environ["SINK_USER"], os.environ["SINK_PASSWORD"]),
        auth_required=True,
        auth_require_tls=False,
        # Attachments of real invoices exceed the 32 MiB default only rarely; allow 64 MiB.
        data_size_limit=64 * 1024 * 1024,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()
    print("smtp sink listening on %s:%s, dropping into %s" % (controller.hostname, controller.port, drop), flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
