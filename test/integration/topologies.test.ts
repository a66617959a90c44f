import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { groupMembers } from '../../src/stacks/process-group.js'
import { startStack } from '../../src/stacks/start-stack.js'
import { httpGet } from '../../src/stacks/wait-ready.js'
import { appsYaml, tempDir } from './harness.js'

const stacks = `
  - { name: node, app: node }
  - { name: node-cluster-2, app: node, workers: 2 }
  - { name: nginx-node, app: node, proxy: nginx }
  - { name: nginx-node-x2, app: node, proxy: nginx, instances: 2 }
  - { name: haproxy-node, app: node, proxy: haproxy }
  - { name: haproxy-node-x2, app: node, proxy: haproxy, instances: 2 }
  - { name: apache-node-x2, app: node, proxy: apache, instances: 2 }
  - { name: gunicorn-4, app: flask, workers: 4 }
  - { name: nginx-gunicorn-4, app: flask, workers: 4, proxy: nginx }
`
const parsed = parseProfile(
  `name: topologies\n${appsYaml}\nstacks:${stacks}\nphases: [{ name: p, connections: 1, duration: 1s }]\n`,
)
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
const profile = parsed.profile

/** Workers a stack should run: the group leader plus its forked workers. */
const expectedGroupSize: Record<string, number> = {
  'node-cluster-2': 3,
  'gunicorn-4': 5,
  'nginx-gunicorn-4': 5,
}

describe('every topology starts, serves through its entry point and stops with no process left', () => {
  for (const spec of profile.stacks) {
    it(spec.name, async () => {
      const stack = await startStack(spec, profile, tempDir())
      const pids = stack.processes.map((p) => p.pid)
      try {
        assert.equal(stack.processes.length, spec.instances + (spec.proxy ? 1 : 0))
        const response = await httpGet(`${stack.baseUrl}/json`, 2000)
        assert.equal(response.status, 200)
        assert.equal(response.headers['x-app'], spec.app, 'the app answered through the entry point')
        if (spec.proxy)
          assert.match(String(response.headers['x-bench-stack']), /^[0-9a-f]{16}$/, 'our proxy answered')
        else assert.equal(response.headers['x-bench-stack'], undefined)
        const appGroup = groupMembers(pids[0] as number)
        assert.equal(
          appGroup.length,
          expectedGroupSize[spec.name] ?? 1,
          `processes in the app's group: ${appGroup}`,
        )
        assert.ok(stack.startupMs > 0 && stack.startupMs < 10_000, `startup ${stack.startupMs} ms`)
      } finally {
        await stack.stop()
      }
      for (const pid of pids)
        assert.deepEqual(groupMembers(pid), [], `process group ${pid} still has members`)
    })
  }
})
