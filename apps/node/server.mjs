// Reference Node target app for bench: node:http only; pg or better-sqlite3 loaded only when DATABASE_URL is set,
// ws only on the first WebSocket upgrade (/ws echoes every message, after ?delay=MS if given).
// Usage: node apps/node/server.mjs --port 8080 [--workers N] [--host 127.0.0.1] [--sched rr|none] [--socket PATH]
// Env: DATABASE_URL=sqlite:///abs/file.db | postgresql://user@host:port/db, DATABASE_POOL=N (pg pool per process, default 16)
// (--socket: listen on that Unix socket instead of the port, the file made connectable by every user)
//          [--extra-delay-ms N] [--extra-cpu-ms F]   (inject a regression: a wait, or CPU spent, per request)
import cluster from 'node:cluster'
import { chmodSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import { dirname, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'static')
const TEXT = 'text/plain; charset=utf-8'
const MAX_MS = 10_000
const MAX_BYTES = 100 * 1024 * 1024
const CHUNK = Buffer.alloc(64 * 1024, 'x')
const STATIC_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.txt': TEXT,
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
}

function die(msg) {
  console.error(`node app: ${msg}`)
  process.exit(2)
}

function parseArgs(argv) {
  const opts = {
    port: process.env.PORT ?? '8080',
    workers: process.env.WORKERS,
    host: '127.0.0.1',
    sched: 'rr',
    'extra-delay-ms': '0',
    'extra-cpu-ms': '0',
    socket: '',
  }
  for (let i = 0; i < argv.length; i++) {
    let [key, value] = argv[i].split(/=(.*)/s, 2)
    if (
      ![
        '--port',
        '--workers',
        '--host',
        '--sched',
        '--extra-delay-ms',
        '--extra-cpu-ms',
        '--socket',
      ].includes(key)
    ) {
      die(`unknown argument ${argv[i]}`)
    }
    if (value === undefined) value = argv[++i]
    if (value === undefined) die(`${key} needs a value`)
    opts[key.slice(2)] = value
  }
  if (!/^\d+$/.test(opts.port) || Number(opts.port) > 65535) die(`bad port ${opts.port}`)
  if (opts.workers !== undefined && opts.workers !== '' && !/^\d+$/.test(opts.workers)) {
    die(`bad workers ${opts.workers}`)
  }
  if (opts.sched !== 'rr' && opts.sched !== 'none') die(`bad sched ${opts.sched} (rr|none)`)
  for (const key of ['extra-delay-ms', 'extra-cpu-ms']) {
    if (!/^\d+(\.\d+)?$/.test(opts[key])) die(`bad ${key} ${opts[key]}`)
  }
  return {
    ...opts,
    port: Number(opts.port),
    workers: Number(opts.workers || 0),
    extraDelayMs: Number(opts['extra-delay-ms']),
    extraCpuMs: Number(opts['extra-cpu-ms']),
  }
}

// Integer query parameter: missing -> fallback, non-digits -> null (400), above max -> max.
function intParam(query, name, fallback, max) {
  const raw = query.get(name)
  if (raw === null) return fallback
  if (!/^\d+$/.test(raw)) return null
  return raw.length > 12 ? max : Math.min(Number(raw), max)
}

function send(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'X-App': 'node' })
  res.end(body)
}

function sendBytes(res, n) {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': n, 'X-App': 'node' })
  if (n <= CHUNK.length) return res.end(CHUNK.subarray(0, n))
  let left = n
  const pump = () => {
    while (left > 0) {
      const len = Math.min(left, CHUNK.length)
      left -= len
      if (!res.write(CHUNK.subarray(0, len))) return res.once('drain', pump)
    }
    res.end()
  }
  pump()
}

async function sendStatic(res, rawName) {
  let name
  try {
    name = decodeURIComponent(rawName)
  } catch {
    return send(res, 404, TEXT, 'not found\n')
  }
  if (!STATIC_NAME.test(name)) return send(res, 404, TEXT, 'not found\n')
  let data
  try {
    data = await readFile(join(STATIC_DIR, name))
  } catch {
    return send(res, 404, TEXT, 'not found\n')
  }
  const type = MIME[extname(name)] ?? 'application/octet-stream'
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': data.length, 'X-App': 'node' })
  res.end(data)
}

// ---- TechEmpower's database test types: /db, /queries, /fortunes, /updates ----

const WORLD_ROWS = 10_000
const JSON_TYPE = 'application/json'
const HTML = 'text/html; charset=utf-8'
const ADDED_FORTUNE = { id: 0, message: 'Additional fortune added at request time.' }
const FORTUNES_HEAD =
  '<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>'
const FORTUNES_TAIL = '</table></body></html>'
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const DEFAULT_POOL = 16

/** TechEmpower's rule for `queries`: missing, not an integer or < 1 -> 1; > 500 -> 500. */
function queriesParam(query) {
  const raw = query.get('queries')
  if (raw === null || !/^[+-]?\d+$/.test(raw)) return 1
  return Math.min(500, Math.max(1, Number(raw)))
}

const randomId = () => 1 + Math.floor(Math.random() * WORLD_ROWS)
const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => ESCAPES[c])

function fortunesHtml(rows) {
  const all = [...rows, ADDED_FORTUNE]
  all.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0))
  let html = FORTUNES_HEAD
  for (const f of all) html += `<tr><td>${f.id}</td><td>${escapeHtml(f.message)}</td></tr>`
  return html + FORTUNES_TAIL
}

const worldRow = (row, id) => {
  if (!row) throw new Error(`world row ${id} not found`)
  return { id: row.id, randomNumber: row.randomnumber }
}

/** SQLite through better-sqlite3: one connection per process, synchronous; /updates writes in one transaction. */
async function openSqlite(file) {
  const { default: Database } = await import('better-sqlite3')
  let statements
  const open = () => {
    if (statements) return statements
    const db = new Database(file, { fileMustExist: true, timeout: 5000 })
    const update = db.prepare('UPDATE world SET randomnumber = ? WHERE id = ?')
    statements = {
      world: db.prepare('SELECT id, randomnumber FROM world WHERE id = ?'),
      fortunes: db.prepare('SELECT id, message FROM fortune'),
      updateAll: db.transaction((rows) => {
        for (const row of rows) update.run(row.randomNumber, row.id)
      }),
    }
    return statements
  }
  const world = (id) => worldRow(open().world.get(id), id)
  return {
    world: async (id) => world(id),
    worlds: async (ids) => ids.map(world),
    fortunes: async () => open().fortunes.all(),
    update: async (rows) => void open().updateAll(rows),
  }
}

/** PostgreSQL through pg: a Pool of DATABASE_POOL connections per process, named (prepared) statements. */
async function openPostgres(url, max) {
  const { default: pg } = await import('pg')
  const pool = new pg.Pool({ connectionString: url, max })
  pool.on('error', (err) => logDbError(err)) // an idle connection lost (postgres stopped): the next query reconnects
  const query = async (name, text, values) => (await pool.query({ name, text, values })).rows
  const world = async (id) =>
    worldRow((await query('world', 'SELECT id, randomnumber FROM world WHERE id = $1', [id]))[0], id)
  return {
    world,
    worlds: (ids) => Promise.all(ids.map(world)),
    fortunes: () => query('fortunes', 'SELECT id, message FROM fortune', []),
    // one autocommitted single-row UPDATE each: no transaction spans rows, so concurrent requests cannot deadlock
    update: async (rows) => {
      await Promise.all(
        rows.map((r) =>
          query('update', 'UPDATE world SET randomnumber = $1 WHERE id = $2', [r.randomNumber, r.id]),
        ),
      )
    },
  }
}

const loggedDbErrors = new Set()
/** Each distinct database error once on stderr (bench quotes the app's last lines), not once per request. */
function logDbError(err) {
  const text = String(err?.message ?? err).split('\n')[0]
  if (loggedDbErrors.has(text) || loggedDbErrors.size > 20) return
  loggedDbErrors.add(text)
  console.error(`node app: database error: ${text}`)
}

/** The database of DATABASE_URL, or null when it is unset. A URL of another scheme stops the app at start. */
async function openDatabase(url, poolText) {
  if (!url) return null
  if (poolText !== undefined && poolText !== '' && !/^[1-9]\d*$/.test(poolText)) {
    die(`bad DATABASE_POOL ${poolText} (a whole number >= 1)`)
  }
  const pool = poolText ? Number(poolText) : DEFAULT_POOL
  if (url.startsWith('sqlite://')) return openSqlite(decodeURIComponent(url.slice('sqlite://'.length)))
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, pool)
  die(
    `DATABASE_URL must be sqlite:///absolute/path or postgresql://user@host:port/db (got ${url.split(':')[0]}:...)`,
  )
}

let database = null

async function databaseEndpoint(res, path, query) {
  if (!database) {
    return send(
      res,
      503,
      TEXT,
      'no database: start the app with DATABASE_URL set (sqlite:///path or postgresql://...)\n',
    )
  }
  try {
    switch (path) {
      case '/db':
        return send(res, 200, JSON_TYPE, JSON.stringify(await database.world(randomId())))
      case '/queries': {
        const ids = Array.from({ length: queriesParam(query) }, randomId)
        return send(res, 200, JSON_TYPE, JSON.stringify(await database.worlds(ids)))
      }
      case '/fortunes':
        return send(res, 200, HTML, fortunesHtml(await database.fortunes()))
      case '/updates': {
        const ids = Array.from({ length: queriesParam(query) }, randomId)
        const rows = await database.worlds(ids)
        for (const row of rows) row.randomNumber = randomId()
        await database.update(rows)
        return send(res, 200, JSON_TYPE, JSON.stringify(rows))
      }
    }
  } catch (err) {
    logDbError(err)
    send(res, 500, TEXT, `database error: ${String(err?.message ?? err).split('\n')[0]}\n`)
  }
}

function handle(req, res) {
  const q = req.url.indexOf('?')
  const path = q === -1 ? req.url : req.url.slice(0, q)
  const query = new URLSearchParams(q === -1 ? '' : req.url.slice(q + 1))
  if (req.method === 'POST' && path === '/upload') {
    // reads the whole request body first (without blocking the event loop, unlike a sync worker)
    let size = 0
    req.on('data', (chunk) => {
      size += chunk.length
    })
    req.on('end', () => send(res, 200, TEXT, `received ${size} bytes\n`))
    return
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 404, TEXT, 'not found\n')

  switch (path) {
    case '/db':
    case '/queries':
    case '/fortunes':
    case '/updates':
      return databaseEndpoint(res, path, query)
    case '/':
      return send(res, 200, TEXT, 'hello world\n')
    case '/health':
      return send(res, 200, TEXT, 'ok\n')
    case '/json':
      return send(res, 200, 'application/json', JSON.stringify({ message: 'hello world', items: [1, 2, 3] }))
    case '/cpu': {
      const ms = intParam(query, 'ms', 1, MAX_MS)
      if (ms === null) return send(res, 400, TEXT, 'bad request\n')
      const end = performance.now() + ms
      while (performance.now() < end) {
        // busy-spin on purpose
      }
      return send(res, 200, TEXT, `cpu ${ms} ms\n`)
    }
    case '/sleep': {
      const ms = intParam(query, 'ms', 1, MAX_MS)
      if (ms === null) return send(res, 400, TEXT, 'bad request\n')
      setTimeout(() => send(res, 200, TEXT, `slept ${ms} ms\n`), ms)
      return
    }
    case '/bytes': {
      const n = intParam(query, 'n', 1024, MAX_BYTES)
      if (n === null) return send(res, 400, TEXT, 'bad request\n')
      return sendBytes(res, n)
    }
    case '/status': {
      // 1xx cannot be a final response (clients hang), so the range is 200-599.
      const code = intParam(query, 'code', 200, 1000)
      if (code === null || code < 200 || code >= 600) return send(res, 400, TEXT, 'bad request\n')
      // 204 and 304 are body-less by definition: no body, no Content-Length.
      if (code === 204 || code === 304) return res.writeHead(code, { 'X-App': 'node' }).end()
      return send(res, code, TEXT, `status ${code}\n`)
    }
  }
  if (path.startsWith('/static/')) return sendStatic(res, path.slice('/static/'.length))
  send(res, 404, TEXT, 'not found\n')
}

const WS_MAX_PAYLOAD = 16 * 1024 * 1024
let wss // the ws package's server, made on the first upgrade

/** /ws[?delay=MS]: a WebSocket that echoes every message (after MS if given); any other upgrade is refused. */
async function upgrade(req, socket, head) {
  socket.on('error', () => socket.destroy())
  const url = new URL(req.url ?? '/', 'http://app')
  const delay = intParam(url.searchParams, 'delay', 0, MAX_MS)
  const refuse = (status) =>
    socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)
  if (url.pathname !== '/ws') return refuse('404 Not Found')
  if (delay === null) return refuse('400 Bad Request')
  wss ??= new (await import('ws')).WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD })
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('error', () => ws.terminate())
    ws.on('message', (data, binary) => {
      if (delay === 0) ws.send(data, { binary })
      else setTimeout(() => ws.send(data, { binary }), delay)
    })
  })
}

/** Closes every WebSocket with 1001 (going away), then cuts those that do not finish the close. */
function closeWebSockets() {
  for (const ws of wss?.clients ?? []) ws.close(1001, 'server stopping')
  setTimeout(() => {
    for (const ws of wss?.clients ?? []) ws.terminate()
  }, 300).unref()
}

/** Wraps the handler with an injected regression: CPU spent and/or a wait before every request but /health. */
function withRegression(handler, { extraDelayMs, extraCpuMs }) {
  if (!extraDelayMs && !extraCpuMs) return handler
  return (req, res) => {
    if (req.url === '/health') return handler(req, res)
    const end = performance.now() + extraCpuMs
    while (performance.now() < end) {
      // busy-spin on purpose
    }
    if (extraDelayMs) setTimeout(() => handler(req, res), extraDelayMs)
    else handler(req, res)
  }
}

function serve({ port, host, workers, extraDelayMs, extraCpuMs, socket }) {
  const server = http.createServer(withRegression(handle, { extraDelayMs, extraCpuMs }))
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  server.on('upgrade', upgrade)
  server.on('error', (err) => {
    console.error(`node app: ${err.message}`)
    process.exit(1)
  })
  const listening = () => {
    if (socket) chmodSync(socket, 0o666) // a proxy's workers run as another user
    if (workers) return // in cluster mode the primary logs once all workers listen
    const where = socket || `${host}:${server.address().port}`
    console.error(`node app listening on ${where} (pid ${process.pid}, workers 0, sched n/a)`)
  }
  if (socket) server.listen(socket, listening)
  else server.listen(port, host, listening)
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    server.close(() => process.exit(0))
    server.closeIdleConnections()
    closeWebSockets()
    // Give in-flight responses a moment, then cut everything.
    setTimeout(() => server.closeAllConnections(), 500).unref()
    setTimeout(() => process.exit(0), 1000).unref()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

function primary({ host, workers, sched, socket }) {
  cluster.schedulingPolicy = sched === 'none' ? cluster.SCHED_NONE : cluster.SCHED_RR
  const procs = new Set()
  let listening = 0
  let stopping = false
  cluster.on('listening', (_worker, address) => {
    if (++listening === workers) {
      console.error(
        `node app listening on ${socket || `${host}:${address.port}`} (pid ${process.pid}, workers ${workers}, sched ${sched})`,
      )
    }
  })
  cluster.on('exit', (worker, code, signal) => {
    procs.delete(worker.process)
    if (!stopping) {
      console.error(`node app: worker ${worker.process.pid} died (${signal ?? code}), not restarting`)
    }
    if (procs.size === 0) process.exit(stopping ? 0 : 1)
  })
  const stop = (signal) => {
    if (stopping) return
    stopping = true
    for (const proc of procs) proc.kill(signal)
    setTimeout(() => {
      for (const proc of procs) proc.kill('SIGKILL')
      process.exit(1)
    }, 2000).unref()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  for (let i = 0; i < workers; i++) procs.add(cluster.fork().process)
}

const opts = parseArgs(process.argv.slice(2))
if (cluster.isPrimary && opts.workers >= 1) primary(opts)
else {
  // each process (each cluster worker) opens its own database connection(s): a pool is never shared across a fork
  database = await openDatabase(process.env.DATABASE_URL, process.env.DATABASE_POOL)
  serve(opts)
}
