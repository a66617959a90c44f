"""Reference Flask target app for bench.

Run: gunicorn -w 4 -b 127.0.0.1:8080 --chdir apps/flask app:app
"""

import json
import os
import re
import time

from flask import Flask, Response, request
from werkzeug.routing import Map

STATIC_DIR = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), os.pardir, "static"
)
TEXT = "text/plain; charset=utf-8"
MAX_MS = 10_000
MAX_BYTES = 100 * 1024 * 1024
CHUNK = b"x" * (64 * 1024)
DIGITS = re.compile(r"[0-9]+")
STATIC_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
MIME = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": TEXT,
    ".json": "application/json",
    ".svg": "image/svg+xml",
}

app = Flask(__name__, static_folder=None)
# No slash merging: "/static//x" is a 404 (as in Node), not a 308 redirect.
app.url_map = Map(merge_slashes=False)


def text(body, status=200):
    return Response(body, status=status, content_type=TEXT)


def int_param(name, default, maximum):
    """Missing -> default, non-digits -> None (400), capped at maximum."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not DIGITS.fullmatch(raw):
        return None
    return maximum if len(raw) > 12 else min(int(raw), maximum)


def bad_request():
    return text("bad request\n", 400)


@app.before_request
def only_get():
    # Werkzeug ignores extra leading slashes; Node treats "//json" as a 404.
    path = request.environ.get("PATH_INFO", "")
    upload = request.method == "POST" and path == "/upload"
    if (request.method not in ("GET", "HEAD") and not upload) or path.startswith("//"):
        return text("not found\n", 404)


@app.after_request
def tag(response):
    response.headers["X-App"] = "flask"
    return response


@app.errorhandler(404)
def not_found(_error):
    return text("not found\n", 404)


@app.post("/upload")
def upload():
    # reads the whole request body first: a client that sends it slowly holds this worker meanwhile
    size = 0
    while True:
        chunk = request.stream.read(64 * 1024)
        if not chunk:
            break
        size += len(chunk)
    return text(f"received {size} bytes\n")


@app.get("/")
def index():
    return text("hello world\n")


@app.get("/health")
def health():
    return text("ok\n")


@app.get("/json")
def json_endpoint():
    body = json.dumps(
        {"message": "hello world", "items": [1, 2, 3]}, separators=(",", ":")
    )
    return Response(body, content_type="application/json")


@app.get("/cpu")
def cpu():
    ms = int_param("ms", 1, MAX_MS)
    if ms is None:
        return bad_request()
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass
    return text(f"cpu {ms} ms\n")


@app.get("/sleep")
def sleep():
    ms = int_param("ms", 1, MAX_MS)
    if ms is None:
        return bad_request()
    time.sleep(ms / 1000)
    return text(f"slept {ms} ms\n")


def repeat_x(n):
    full, rest = divmod(n, len(CHUNK))
    for _ in range(full):
        yield CHUNK
    if rest:
        yield CHUNK[:rest]


@app.get("/bytes")
def bytes_endpoint():
    n = int_param("n", 1024, MAX_BYTES)
    if n is None:
        return bad_request()
    body = CHUNK[:n] if n <= len(CHUNK) else repeat_x(n)
    return Response(
        body,
        content_type="application/octet-stream",
        headers={"Content-Length": str(n)},
    )


@app.get("/status")
def status():
    # 1xx cannot be a final response (clients hang), so the range is 200-599.
    code = int_param("code", 200, 1000)
    if code is None or not 200 <= code < 600:
        return bad_request()
    if code in (204, 304):
        # Body-less by definition: no body, no Content-Length.
        response = Response(status=code)
        del response.headers["Content-Type"]
        return response
    return text(f"status {code}\n", code)


@app.get("/static/<path:name>")
def static_file(name):
    if not STATIC_NAME.fullmatch(name):
        return not_found(None)
    try:
        with open(os.path.join(STATIC_DIR, name), "rb") as f:
            data = f.read()
    except OSError:
        return not_found(None)
    ext = os.path.splitext(name)[1]
    return Response(
        data, content_type=MIME.get(ext, "application/octet-stream")
    )
