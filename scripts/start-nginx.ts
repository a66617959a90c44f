import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { findExecutable } from '../src/stacks/find-executable.js'
import { freePort } from '../src/stacks/free-port.js'
import { type ManagedProcess, spawnProcess } from '../src/stacks/spawn-process.js'
import { waitReady } from '../src/stacks/wait-ready.js'

/** nginx `return 200` on loopback (HTTP/1.1 at url, h2c at h2cUrl), in `dir`, ready: what the benchmarks load. */
export async function startNginx(
  dir: string,
): Promise<{ url: string; h2cUrl: string; process: ManagedProcess }> {
  const port = await freePort('127.0.0.1')
  const h2cPort = await freePort('127.0.0.1')
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;\nworker_processes auto;\npid ${dir}/nginx.pid;\nerror_log stderr warn;\nevents { worker_connections 4096; }\n` +
      `http { access_log off; keepalive_requests 1000000;\n  server { listen 127.0.0.1:${port}; listen 127.0.0.1:${h2cPort} http2; location / { return 200 "ok\\n"; } } }\n`,
  )
  const nginx = await spawnProcess({
    name: 'nginx',
    command: findExecutable('nginx', dir) ?? 'nginx',
    args: ['-e', 'stderr', '-p', dir, '-c', join(dir, 'nginx.conf')],
    cwd: dir,
    env: {},
  })
  const url = `http://127.0.0.1:${port}`
  await waitReady(`${url}/`, { name: 'nginx', status: 200, timeoutMs: 5000, watch: [nginx] })
  return { url, h2cUrl: `http://127.0.0.1:${h2cPort}`, process: nginx }
}
