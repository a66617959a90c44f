import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { describe, it } from 'node:test'
import { onStdinClose } from '../../src/agents/on-stdin-close.js'
import { readStdinToken } from '../../src/agents/read-stdin-token.js'
import { sshArgs } from '../../src/agents/start-ssh-agents.js'
import { sshAgentSettings } from '../../src/cli/agents-ssh-options.js'
import { joinStdinValues } from '../../src/cli/join-stdin-values.js'

describe('sshArgs', () => {
  const options = {
    hosts: ['load-1', 'user@load-2'],
    coordinator: '198.18.0.10:7070',
    token: 'secret-token',
    command: 'bench',
    allowRemote: false,
  }

  it('runs bench agent with its index and name, BatchMode, the token from stdin — never on the command line', () => {
    assert.deepEqual(sshArgs(options, 1), [
      '-o',
      'BatchMode=yes',
      'user@load-2',
      '--',
      'bench',
      'agent',
      '--coordinator',
      '198.18.0.10:7070',
      '--index',
      '1',
      '--name',
      'user@load-2',
      '--token-file',
      '-',
      '--exit-on-stdin-close',
    ])
    assert.ok(!sshArgs(options, 0).join(' ').includes('secret-token'))
  })

  it('passes -F, --allow-remote, and quotes the command for the remote shell', () => {
    const args = sshArgs(
      { ...options, config: '/tmp/ssh config', command: "/opt/my bench's/bench", allowRemote: true },
      0,
    )
    assert.deepEqual(args.slice(0, 5), ['-F', '/tmp/ssh config', '-o', 'BatchMode=yes', 'load-1'])
    assert.equal(args.at(-1), '--allow-remote')
    // The command is split on spaces (it may carry arguments: "node /opt/bench/main.js"), each word quoted.
    assert.deepEqual(args.slice(6, 8), ['/opt/my', `'bench'\\''s/bench'`])
  })
})

describe('readStdinToken', () => {
  it('takes the first line and leaves the rest of stdin to the agent', async () => {
    const input = new PassThrough()
    const token = readStdinToken(input)
    input.write('abc')
    input.write('def\nmore')
    assert.equal(await token, 'abcdef')
    let closed = false
    onStdinClose(() => {
      closed = true
    }, input)
    assert.equal(closed, false)
    input.end()
    await new Promise((resolve) => input.once('end', resolve))
    assert.equal(closed, true)
  })

  it('takes a token without a newline when stdin ends', async () => {
    const input = new PassThrough()
    const token = readStdinToken(input)
    input.end('tok')
    assert.equal(await token, 'tok')
  })

  it('refuses an empty token', async () => {
    const input = new PassThrough()
    const token = readStdinToken(input)
    input.end('\n')
    await assert.rejects(token, /no token on stdin/)
  })
})

describe('sshAgentSettings', () => {
  it('is undefined without --agents-ssh, and its settings alone are refused', () => {
    assert.equal(sshAgentSettings({}), undefined)
    assert.throws(
      () => sshAgentSettings({ agentsSshCommand: 'x' }),
      /--agents-ssh-command is a setting of --agents-ssh/,
    )
  })

  it('takes the hosts in order, the default command, and needs a --listen the hosts can dial', () => {
    assert.deepEqual(sshAgentSettings({ agentsSsh: 'a, user@b', listen: '10.0.0.5:7070' }), {
      hosts: ['a', 'user@b'],
      command: 'bench',
      config: undefined,
    })
    assert.throws(() => sshAgentSettings({ agentsSsh: 'a' }), /--agents-ssh needs --listen/)
    assert.throws(
      () => sshAgentSettings({ agentsSsh: 'a', listen: '0.0.0.0:7070' }),
      /not an address the agents can dial/,
    )
  })

  it('refuses a host twice, an option for a host, and a count that disagrees with --agents', () => {
    const listen = '10.0.0.5:7070'
    assert.throws(() => sshAgentSettings({ agentsSsh: 'a,a', listen }), /names a host twice/)
    assert.throws(() => sshAgentSettings({ agentsSsh: '-oProxyCommand=x', listen }), /is not a host/)
    assert.throws(
      () => sshAgentSettings({ agentsSsh: 'a,b', agents: 3, listen }),
      /--agents 3 but --agents-ssh names 2 hosts/,
    )
    assert.throws(
      () => sshAgentSettings({ agentsSsh: 'a', agentsSshConfig: '/nonexistent', listen }),
      /no such file/,
    )
  })
})

describe('joinStdinValues', () => {
  it('joins a "-" value to --token-file, and touches nothing else', () => {
    assert.deepEqual(joinStdinValues(['agent', '--token-file', '-', '--index', '1']), [
      'agent',
      '--token-file=-',
      '--index',
      '1',
    ])
    assert.deepEqual(joinStdinValues(['run', '--token-file', 'f', '-']), ['run', '--token-file', 'f', '-'])
    assert.deepEqual(joinStdinValues(['x', '--', '--token-file', '-']), ['x', '--', '--token-file', '-'])
  })
})
