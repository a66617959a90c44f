// The ssh launcher (src/agents/start-ssh-agents.ts) on its own, against Debian's sshd in the agents' namespaces:
// the token travels on stdin (never on a command line), each agent gets its index and name, closing the
// session ends the remote command, and an ssh that fails names the host with ssh's own words. The launcher runs
// in the coordinator's namespace (test/fixtures/ssh-launch.mjs); a stand-in agent records what it was given.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createTestNetwork, type NetnsProcess, type TestNetwork } from '../netns.js'
import { startTestSsh, type TestSsh } from '../sshd.js'
import { fixtures, tempDir, waitFor } from './harness.js'

const token = 'a-test-token-of-32-characters-xx'

describe('ssh launcher', () => {
  let network: TestNetwork
  let ssh: TestSsh
  let dir: string
  before(async () => {
    network = await createTestNetwork(['coordinator', 'agent1', 'agent2', 'bare'])
    ssh = await startTestSsh(network, ['agent1', 'agent2'])
    dir = tempDir()
    // A client key the servers do not know, for the refused login.
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'stranger_key')])
    const config = readFileSync(ssh.clientConfig, 'utf8')
    writeFileSync(
      ssh.clientConfig,
      `${config}\nHost bare\n  HostName ${network.address('bare')}\n  User root\n  ConnectTimeout 5\n  UserKnownHostsFile ${join(dir, 'known_hosts')}\n  StrictHostKeyChecking no\n` +
        `\nHost stranger\n  HostName ${network.address('agent1')}\n  User root\n  IdentityFile ${join(dir, 'stranger_key')}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${join(dir, 'known_hosts')}\n  StrictHostKeyChecking no\n`,
    )
  })
  after(async () => {
    try {
      await ssh?.remove()
    } finally {
      await network?.remove()
      if (dir) rmSync(dir, { recursive: true, force: true })
    }
  })

  /** Starts the launcher in the coordinator's namespace for `hosts`. */
  function launch(hosts: string[]): NetnsProcess {
    const options = {
      hosts,
      coordinator: `${network.address('coordinator')}:7070`,
      token,
      command: `${process.execPath} ${join(fixtures, 'fake-agent.mjs')} ${dir}`,
      config: ssh.clientConfig,
      allowRemote: false,
    }
    return network.spawn(
      'coordinator',
      process.execPath,
      [join(fixtures, 'ssh-launch.mjs'), JSON.stringify(options)],
      {
        stdin: true,
      },
    )
  }
  const said = (launcher: NetnsProcess, key: string) =>
    launcher
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((message) => key in message)

  it('starts an agent per host with the token on stdin, and closing the sessions ends them', async () => {
    const launcher = launch(['agent1', 'agent2'])
    const records = ['agent1', 'agent2'].map((host) => join(dir, `agent-${host}.json`))
    await waitFor('both agents to have read their token', () => records.every(existsSync), 15_000)
    const seen = records.map(
      (file) =>
        JSON.parse(readFileSync(file, 'utf8').split('\n')[0] as string) as {
          args: string[]
          token: string
          pid: number
        },
    )
    for (const [index, agent] of seen.entries()) {
      assert.equal(agent.token, token)
      assert.deepEqual(agent.args, [
        'agent',
        '--coordinator',
        `${network.address('coordinator')}:7070`,
        '--index',
        String(index),
        '--name',
        `agent${index + 1}`,
        '--token-file',
        '-',
        '--exit-on-stdin-close',
      ])
      // The token is on no command line: not the agent's, not ssh's.
      const cmdline = readFileSync(`/proc/${agent.pid}/cmdline`, 'utf8')
      assert.ok(!cmdline.includes(token))
    }
    const started = said(launcher, 'started') as { started: number[] }
    for (const pid of started.started)
      assert.ok(!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(token))
    assert.equal(said(launcher, 'failure'), undefined)

    launcher.child.stdin?.write('stop\n')
    assert.deepEqual(await launcher.exited, { code: 0, signal: null }, launcher.output())
    for (const file of records) assert.match(readFileSync(file, 'utf8'), /\nclosed\n$/)
    // Nothing of the sessions is left: only each sshd in the agents' namespaces, nothing in the coordinator's.
    for (const role of ['agent1', 'agent2']) {
      const sshd = ssh.servers.get(role)?.pid as number
      assert.deepEqual(await network.settledPids(role, [sshd]), [sshd], `processes left in ${role}`)
    }
    assert.deepEqual(await network.settledPids('coordinator'), [])
  })

  it('an unreachable host is a clear error naming it, with ssh’s last words', async () => {
    const launcher = launch(['bare'])
    await waitFor('the failure', () => said(launcher, 'failure'), 15_000)
    const failure = said(launcher, 'failure') as { failure: string; logTail: string[] }
    assert.match(failure.failure, /^the agent on bare over ssh exited 255: .*Connection refused/)
    launcher.child.stdin?.write('stop\n')
    assert.equal((await launcher.exited).code, 0)
  })

  it('a refused login is a clear error naming the host', async () => {
    const launcher = launch(['stranger'])
    await waitFor('the failure', () => said(launcher, 'failure'), 15_000)
    const failure = said(launcher, 'failure') as { failure: string; logTail: string[] }
    assert.match(failure.failure, /^the agent on stranger over ssh exited 255: .*Permission denied/)
    launcher.child.stdin?.write('stop\n')
    assert.equal((await launcher.exited).code, 0)
    assert.ok(!existsSync(join(dir, 'agent-stranger.json')), 'nothing ran on the far side')
  })
})
