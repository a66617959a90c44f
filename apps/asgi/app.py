"""Reference ASGI target app for bench: the Python side of the WebSocket stacks.

Run: uvicorn --app-dir apps/asgi --host 127.0.0.1 --port 8080 app:app
A bare ASGI callable on the standard library alone, served by Debian's uvicorn (package uvicorn, with
python3-websockets for the protocol). Why uvicorn: Flask under gunicorn's sync workers is WSGI, which has no
WebSocket (a held socket would pin a worker each); Debian ships no WSGI WebSocket server worth measuring, while
uvicorn is the ASGI server Python web stacks deploy (FastAPI, Starlette, Django Channels) and is packaged.

Routes: /health, /json, /plaintext, /sleep?ms=N; WebSocket /ws[?delay=MS] echoes every message (after MS if
given); any other WebSocket path is refused (uvicorn answers 403), any other HTTP path 404.
"""

import asyncio
import json
from urllib.parse import parse_qs

MAX_MS = 10_000
TEXT = b"text/plain; charset=utf-8"


def int_param(scope, name, fallback):
    """The query parameter as an int in 0..MAX_MS, the fallback when absent, None when not digits."""
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    if not values:
        return fallback
    raw = values[0]
    return min(int(raw), MAX_MS) if raw.isdigit() and len(raw) <= 12 else None


async def send_body(send, status, content_type, body):
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), (b"x-app", b"asgi")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def http(scope, send):
    path = scope["path"]
    if path in ("/", "/plaintext"):
        return await send_body(send, 200, TEXT, b"Hello, World!")
    if path == "/health":
        return await send_body(send, 200, TEXT, b"ok\n")
    if path == "/json":
        return await send_body(send, 200, b"application/json", json.dumps({"message": "Hello, World!"}).encode())
    if path == "/sleep":
        ms = int_param(scope, "ms", 1)
        if ms is None:
            return await send_body(send, 400, TEXT, b"bad request\n")
        await asyncio.sleep(ms / 1000)
        return await send_body(send, 200, TEXT, f"slept {ms} ms\n".encode())
    await send_body(send, 404, TEXT, b"not found\n")


async def websocket(scope, receive, send):
    delay = int_param(scope, "delay", 0)
    if (await receive())["type"] != "websocket.connect":
        return
    if scope["path"] != "/ws" or delay is None:
        return await send({"type": "websocket.close", "code": 1008})  # before accept: uvicorn answers 403
    await send({"type": "websocket.accept"})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if delay:
            await asyncio.sleep(delay / 1000)
        if message.get("bytes") is not None:
            await send({"type": "websocket.send", "bytes": message["bytes"]})
        else:
            await send({"type": "websocket.send", "text": message.get("text", "")})


async def app(scope, receive, send):
    if scope["type"] == "http":
        await http(scope, send)
    elif scope["type"] == "websocket":
        await websocket(scope, receive, send)
    elif scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
