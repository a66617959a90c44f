"""Reference Flask target app for bench.

Run: gunicorn -w 4 -b 127.0.0.1:8080 --chdir apps/flask app:app
Env: DATABASE_URL=sqlite:///abs/file.db | postgresql://user@host:port/db (psycopg2 imported only then),
     DATABASE_POOL=N (PostgreSQL connections per process, default 1: a sync worker serves one request at a time)
"""

import html
import json
import os
import random
import re
import sqlite3
import sys
import threading
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


# ---- TechEmpower's database test types: /db, /queries, /fortunes, /updates ----

WORLD_ROWS = 10_000
JSON_TYPE = "application/json"
HTML = "text/html; charset=utf-8"
ADDED_FORTUNE = (0, "Additional fortune added at request time.")
FORTUNES_HEAD = (
    "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
    "<tr><th>id</th><th>message</th></tr>"
)
FORTUNES_TAIL = "</table></body></html>"
QUERIES = re.compile(r"[+-]?[0-9]+")


def queries_param():
    """TechEmpower's rule: missing, not an integer or < 1 -> 1; > 500 -> 500."""
    raw = request.args.get("queries")
    if raw is None or not QUERIES.fullmatch(raw):
        return 1
    return min(500, max(1, int(raw)))


def random_id():
    return random.randint(1, WORLD_ROWS)


class Sqlite:
    """One sqlite3 connection per thread, opened on first use (after gunicorn forked)."""

    placeholder = "?"

    def __init__(self, path):
        self.path = path
        self.local = threading.local()

    def run(self, work):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            # mode=rw: a missing file is an error, not a new empty database
            conn = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, timeout=5)
            self.local.conn = conn
        try:
            with conn:  # one transaction per request: commits /updates' writes at once
                return work(conn.cursor())
        except sqlite3.Error:
            self.local.conn = None
            conn.close()
            raise


class Postgres:
    """Up to DATABASE_POOL psycopg2 connections per process, autocommit, each opened when first needed and kept.

    Not psycopg2.pool: its pools close every connection given back beyond minconn, and a minconn of
    DATABASE_POOL would open them all at start, in every worker.
    """

    placeholder = "%s"

    def __init__(self, url, size):
        self.url = url
        self.size = size
        self.lock = threading.Lock()
        self.pid = None

    def _slots(self):
        with self.lock:
            if self.pid != os.getpid():  # never use connections inherited across a fork
                self.idle = []
                self.slots = threading.BoundedSemaphore(self.size)
                self.pid = os.getpid()
            return self.slots

    def run(self, work):
        import psycopg2

        with self._slots():  # more threads than DATABASE_POOL wait for a connection
            with self.lock:
                conn = self.idle.pop() if self.idle else None
            if conn is None:
                conn = psycopg2.connect(self.url)
                conn.autocommit = True
            broken = False
            try:
                with conn.cursor() as cur:
                    return work(cur)
            except (psycopg2.OperationalError, psycopg2.InterfaceError):
                broken = True  # postgres restarted or the connection dropped: do not reuse it
                raise
            finally:
                if broken or conn.closed:
                    conn.close()
                else:
                    with self.lock:
                        self.idle.append(conn)


def refuse(message):
    """A setting the app cannot run with: one line, then exit 3, which gunicorn takes as "worker failed to
    boot" and stops (any other code, and it would boot the worker again and again)."""
    print(f"flask app: {message}", file=sys.stderr, flush=True)
    sys.exit(3)


def open_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return None
    pool_text = os.environ.get("DATABASE_POOL", "") or "1"
    if not re.fullmatch(r"[1-9][0-9]*", pool_text):
        refuse(f"bad DATABASE_POOL {pool_text} (a whole number >= 1)")
    if url.startswith("sqlite://"):
        from urllib.parse import unquote

        return Sqlite(unquote(url[len("sqlite://"):]))
    if url.startswith(("postgresql://", "postgres://")):
        return Postgres(url, int(pool_text))
    refuse(
        "DATABASE_URL must be sqlite:///absolute/path or "
        f"postgresql://user@host:port/db (got {url.split(':')[0]}:...)"
    )


DATABASE = open_database()
logged_db_errors = set()


def world_reader(cur, placeholder):
    sql = f"SELECT id, randomnumber FROM world WHERE id = {placeholder}"

    def read(world_id):
        cur.execute(sql, (world_id,))
        row = cur.fetchone()
        if row is None:
            raise LookupError(f"world row {world_id} not found")
        return {"id": row[0], "randomNumber": row[1]}

    return read


def database_response(work, content_type=JSON_TYPE):
    if DATABASE is None:
        return text(
            "no database: start the app with DATABASE_URL set "
            "(sqlite:///path or postgresql://...)\n",
            503,
        )
    try:
        body = DATABASE.run(lambda cur: work(cur, DATABASE.placeholder))
    except Exception as error:  # any database failure is one 500 line, and logged once
        line = str(error).strip().split("\n")[0]
        if line not in logged_db_errors and len(logged_db_errors) < 20:
            logged_db_errors.add(line)
            print(f"flask app: database error: {line}", file=sys.stderr, flush=True)
        return text(f"database error: {line}\n", 500)
    if content_type == JSON_TYPE:
        body = json.dumps(body, separators=(",", ":"))
    return Response(body, content_type=content_type)


@app.get("/db")
def db():
    return database_response(lambda cur, ph: world_reader(cur, ph)(random_id()))


@app.get("/queries")
def queries():
    n = queries_param()
    return database_response(
        lambda cur, ph: [world_reader(cur, ph)(random_id()) for _ in range(n)]
    )


@app.get("/fortunes")
def fortunes():
    def work(cur, _ph):
        cur.execute("SELECT id, message FROM fortune")
        rows = [*cur.fetchall(), ADDED_FORTUNE]
        rows.sort(key=lambda row: row[1])
        cells = "".join(
            f"<tr><td>{row[0]}</td><td>{html.escape(row[1])}</td></tr>" for row in rows
        )
        return FORTUNES_HEAD + cells + FORTUNES_TAIL

    return database_response(work, HTML)


@app.get("/updates")
def updates():
    n = queries_param()

    def work(cur, ph):
        read = world_reader(cur, ph)
        rows = [read(random_id()) for _ in range(n)]
        for row in rows:
            row["randomNumber"] = random_id()
        sql = f"UPDATE world SET randomnumber = {ph} WHERE id = {ph}"
        for row in rows:  # PostgreSQL: each autocommitted; SQLite: one transaction
            cur.execute(sql, (row["randomNumber"], row["id"]))
        return rows

    return database_response(work)


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
