// Debian's OpenSSH server for the tests, started inside a test network's namespaces (test/netns.ts): host keys,
// a client key, an authorized_keys file, one sshd_config per server and the client's ssh config, all made in a
// temp dir of the test's own with ssh-keygen and removed with it.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { NetnsProcess, TestNetwork } from './netns.js'

export const sshdPath = '/usr/sbin/sshd'

export interface TestSsh {
  /** The client's ssh config (`ssh -F`): each role's name is a Host with its address, the key, no known-hosts. */
  clientConfig: string
  /** The temp dir of keys and configs. */
  dir: string
  /** The sshd of each role it was started for. */
  servers: Map<string, NetnsProcess>
  /** Stops the servers (by process group) and deletes the keys and configs. */
  remove(): Promise<void>
}

/** Starts an sshd in each role's namespace on its address, port 22, for root with a key made here. */
export async function startTestSsh(network: TestNetwork, roles: readonly string[]): Promise<TestSsh> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ssh-'))
  const servers = new Map<string, NetnsProcess>()
  const remove = async () => {
    try {
      for (const server of servers.values()) await server.stop(1000)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  try {
    // sshd's privilege-separation directory is compiled in (/run/sshd); the package's service makes it at boot.
    if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 })
    const keygen = (file: string) =>
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench-test', '-f', join(dir, file)])
    keygen('host_key')
    keygen('client_key')
    execFileSync('cp', [join(dir, 'client_key.pub'), join(dir, 'authorized_keys')])
    const hosts: string[] = []
    for (const role of roles) {
      const config = join(dir, `sshd_config.${role}`)
      writeFileSync(
        config,
        [
          `ListenAddress ${network.address(role)}`,
          'Port 22',
          `HostKey ${join(dir, 'host_key')}`,
          `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
          'PermitRootLogin prohibit-password',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'UsePAM no',
          'StrictModes no',
          `PidFile ${join(dir, `sshd.${role}.pid`)}`,
          'LogLevel ERROR',
          '',
        ].join('\n'),
      )
      servers.set(role, network.spawn(role, sshdPath, ['-D', '-e', '-f', config]))
      hosts.push(
        [
          `Host ${role}`,
          `  HostName ${network.address(role)}`,
          '  User root',
          `  IdentityFile ${join(dir, 'client_key')}`,
          '  IdentitiesOnly yes',
          `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
          '  StrictHostKeyChecking no',
          '  LogLevel ERROR',
          '  ConnectTimeout 5',
          '',
        ].join('\n'),
      )
    }
    const clientConfig = join(dir, 'ssh_config')
    writeFileSync(clientConfig, hosts.join('\n'))
    for (const role of roles) await network.waitForPort(role, 22)
    return { clientConfig, dir, servers, remove }
  } catch (error) {
    await remove()
    throw error
  }
}
