<?php
// bench's PHP reference app, run by php-fpm behind nginx (FastCGI): the endpoints of the Node and Flask apps.
// Every request comes to this one script (nginx sets SCRIPT_FILENAME to it); the path is read from REQUEST_URI.

const TEXT = 'text/plain; charset=utf-8';
const MAX_MS = 10000;
const MAX_BYTES = 104857600;

function send(int $status, string $type, string $body): void {
    http_response_code($status);
    header("Content-Type: $type");
    header('Content-Length: ' . strlen($body));
    header('X-App: php');
    echo $body;
}

/** A plain non-negative integer parameter, its default when absent, clamped to $max; null when malformed. */
function intParam(string $name, int $default, int $max): ?int {
    if (!array_key_exists($name, $_GET)) return $default;
    $value = $_GET[$name];
    if (!is_string($value) || !preg_match('/^\d+$/', $value)) return null;
    return min((int) $value, $max);
}

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH) ?: '/';
$method = $_SERVER['REQUEST_METHOD'] ?? 'GET';

if ($method === 'POST' && $path === '/upload') {
    $size = 0;
    $in = fopen('php://input', 'rb');
    while (!feof($in)) $size += strlen(fread($in, 65536));
    send(200, TEXT, "received $size bytes\n");
    return;
}
if ($method !== 'GET' && $method !== 'HEAD') {
    send(404, TEXT, "not found\n");
    return;
}

switch ($path) {
    case '/':
        send(200, TEXT, "hello world\n");
        break;
    case '/health':
        send(200, TEXT, "ok\n");
        break;
    case '/json':
        send(200, 'application/json', json_encode(['message' => 'hello world', 'items' => [1, 2, 3]]));
        break;
    case '/cpu':
        $ms = intParam('ms', 1, MAX_MS);
        if ($ms === null) { send(400, TEXT, "bad request\n"); break; }
        $end = hrtime(true) + $ms * 1000000;
        while (hrtime(true) < $end) {
            // busy-spin on purpose
        }
        send(200, TEXT, "cpu $ms ms\n");
        break;
    case '/sleep':
        $ms = intParam('ms', 1, MAX_MS);
        if ($ms === null) { send(400, TEXT, "bad request\n"); break; }
        usleep($ms * 1000);
        send(200, TEXT, "slept $ms ms\n");
        break;
    case '/bytes':
        $n = intParam('n', 1024, MAX_BYTES);
        if ($n === null) { send(400, TEXT, "bad request\n"); break; }
        http_response_code(200);
        header('Content-Type: application/octet-stream');
        header("Content-Length: $n");
        header('X-App: php');
        $chunk = str_repeat('x', 65536);
        for ($left = $n; $left > 0; $left -= 65536) echo $left >= 65536 ? $chunk : substr($chunk, 0, $left);
        break;
    case '/status':
        $code = intParam('code', 200, 1000);
        if ($code === null || $code < 200 || $code >= 600) { send(400, TEXT, "bad request\n"); break; }
        if ($code === 204 || $code === 304) { http_response_code($code); header('X-App: php'); break; }
        send($code, TEXT, "status $code\n");
        break;
    default:
        send(404, TEXT, "not found\n");
}
