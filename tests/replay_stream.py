"""A local EventStreams server for the tests: it replays ``mediawiki.recentchange`` events as
Server-Sent Events the way stream.wikimedia.org sends them (``id:`` a JSON list of Kafka positions,
``event: message``, ``data:`` the event as JSON), closes the connection after a number of events to
make the client reconnect, and records the ``Last-Event-ID`` each connection came with.

No recording of the real stream can be made offline here: the events are written after the
``mediawiki/recentchange/1.0.0`` schema (fields the bot reads: ``meta.domain``, ``server_name``,
``title``, ``type``, ``log_type``, ``log_params.target``), see :func:`recentchange`.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def recentchange(number: int, title: str, server_name: str, kind: str = "edit", namespace: int = 0, **extra) -> dict:
    """One recentchange event as EventStreams sends it (a subset of the schema's fields)."""
    event = {
        "$schema": "/mediawiki/recentchange/1.0.0",
        "meta": {"uri": f"https://{server_name}/wiki/{title.replace(' ', '_')}", "id": f"event-{number}",
                 "dt": "2026-12-05T12:00:00Z", "domain": server_name, "stream": "mediawiki.recentchange",
                 "topic": "eqiad.mediawiki.recentchange", "partition": 0, "offset": 1000 + number},
        "id": 5000 + number, "type": kind, "namespace": namespace, "title": title, "comment": "a change",
        "timestamp": 1764936000 + number, "user": "Alice", "bot": False, "server_url": f"https://{server_name}",
        "server_name": server_name, "server_script_path": "/w", "wiki": "metawiki",
    }
    event.update(extra)
    return event


class ReplayServer:
    """Serves ``events`` on ``http://127.0.0.1:PORT/v2/stream/recentchange``; each connection gets the
    events after the one its Last-Event-ID names, at most ``per_connection`` of them, then the
    connection is closed (the client must reconnect). ``more()`` adds events while it runs."""

    def __init__(self, events: list[dict], per_connection: int = 2):
        self.events = list(events)
        self.per_connection = per_connection
        self.last_event_ids: list[str | None] = []  # one per connection, in order
        self.changed = threading.Condition()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # chunked, as the real server sends: each event arrives at once

            def log_message(self, *args):  # quiet
                pass

            def chunk(self, data: bytes) -> None:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def do_GET(self):
                last = self.headers.get("Last-Event-ID")
                server.last_event_ids.append(last)
                start = 0 if not last else json.loads(last)[0]["offset"] - 1000 + 1
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream; charset=utf-8")
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    self.replay(start)
                    self.chunk(b"")  # the end of the body: the client reconnects
                except OSError:
                    pass

            def replay(self, start: int) -> None:
                sent = 0
                number = start
                while sent < server.per_connection:
                    with server.changed:
                        while number >= len(server.events) and not server.closing:
                            server.changed.wait(0.5)
                            if number >= len(server.events):
                                self.chunk(b":\n\n")  # a comment keeps the connection open, as the real server does
                        if server.closing:
                            return
                        event = server.events[number]
                    position = json.dumps([{"topic": event["meta"]["topic"], "partition": 0,
                                            "offset": event["meta"]["offset"]}])
                    self.chunk(f"event: message\nid: {position}\ndata: {json.dumps(event)}\n\n".encode())
                    sent += 1
                    number += 1

        self.closing = False
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v2/stream/recentchange"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def more(self, *events: dict) -> None:
        with self.changed:
            self.events.extend(events)
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()
