"""A real OpenAI-compatible HTTP server on loopback that answers with whatever the test queues:
fluent letters with planted defects, a long silence, or an error."""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HostileServer:
    def __init__(self):
        self.replies: list[str] = []
        self.delay = 0.0
        self.status = 200
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                server.requests.append(body)
                if server.delay:
                    time.sleep(server.delay)
                if server.status != 200:
                    self._send(server.status, {"error": {"message": "upstream exploded", "type": "server_error"}})
                    return
                content = server.replies.pop(0) if server.replies else "I cannot help with that."
                self._send(
                    200,
                    {
                        "id": "chatcmpl-hostile",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": body.get("model", "hostile"),
                        "choices": [
                            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
                        ],
                        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                    },
                )

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError):
                    self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
