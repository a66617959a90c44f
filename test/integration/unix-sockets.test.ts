import assert from 'node:assert/strict'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { parseProfile } from '../../src/profile/parse-profile.js'
import type { Profile } from '../../src/profile/schema.js'
import { groupMembers } from '../../src/stacks/process-group.js'
import { startStack } from '../../src/stacks/start-stack.js'
import { httpGet } from '../../src/stacks/wait-ready.js'
import { repoRoot, tempDir } from './harness.js'

const parsed = parseProfile(`name: unix
apps:
  node:
    command: node
    args: [${join(repoRoot, 'apps/node/server.mjs')}, --port, "{port}"]
    workerArgs: [--workers, "{workers}"]
    socketArgs: [--socket, "{socket}"]
    ready: { path: /health }
  flask:
    command: gunicorn
    args: [--chdir, ${join(repoRoot, 'apps/flask')}, -b, "{host}:{port}", app:app]
    workerArgs: [-w, "{workers}"]
    socketArgs: [-b, "unix:{socket}"]
    ready: { path: /health }
  php: { kind: php-fpm, cwd: ${join(repoRoot, 'apps/php')}, script: index.php, ready: { path: /health } }
  flask-uwsgi: { kind: uwsgi, cwd: ${join(repoRoot, 'apps/flask')}, module: "app:app", ready: { path: /health } }
stacks:
  - { name: nginx-node-x2, app: node, proxy: nginx, instances: 2, upstream: unix }
  - { name: haproxy-node-cluster-2, app: node, proxy: haproxy, workers: 2, upstream: unix }
  - { name: apache-node-x2, app: node, proxy: apache, instances: 2, upstream: unix }
  - { name: nginx-gunicorn-2, app: flask, proxy: nginx, workers: 2, upstream: unix }
  - { name: nginx-php-fpm-2, app: php, proxy: nginx, workers: 2, upstream: unix }
  - { name: nginx-uwsgi-2, app: flask-uwsgi, proxy: nginx, workers: 2, upstream: unix }
phases: [{ name: p, connections: 1, duration: 1s }]
`)
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
const profile: Profile = parsed.profile
const socketDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith('bench-sockets-'))
const expectedApp: Record<string, string> = {
  node: 'node',
  flask: 'flask',
  php: 'php',
  'flask-uwsgi': 'flask',
}

describe('upstream: unix — the proxy reaches the app over Unix sockets', () => {
  for (const spec of profile.stacks) {
    it(`${spec.name}: serves through the proxy, over one socket per instance, removed at stop`, async () => {
      const before = new Set(socketDirs())
      const stack = await startStack(spec, profile, tempDir())
      const pids = stack.processes.map((p) => p.pid)
      let folder = ''
      try {
        const mine = socketDirs().filter((d) => !before.has(d))
        assert.equal(mine.length, 1, 'one socket folder for the stack')
        folder = join(tmpdir(), mine[0] as string)
        const sockets = readdirSync(folder)
        assert.equal(sockets.length, spec.instances, sockets.join(', '))
        for (const s of sockets) assert.ok(statSync(join(folder, s)).isSocket(), `${s} is a socket`)
        for (let i = 0; i < 2 * spec.instances; i++) {
          const answer = await httpGet(`${stack.baseUrl}/json`, 2000)
          assert.equal(answer.status, 200)
          assert.equal(answer.headers['x-app'], expectedApp[spec.app as string])
          assert.match(String(answer.headers['x-bench-stack']), /^[0-9a-f]{16}$/, 'through our proxy')
        }
        if (spec.workers !== undefined) assert.equal(groupMembers(pids[0] as number).length, spec.workers + 1)
      } finally {
        await stack.stop()
      }
      for (const pid of pids)
        assert.deepEqual(groupMembers(pid), [], `process group ${pid} still has members`)
      assert.ok(folder !== '' && !existsSync(folder), 'the socket folder is removed')
    })
  }
})
