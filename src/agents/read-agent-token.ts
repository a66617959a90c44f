import { readFileSync } from 'node:fs'
import { BenchError } from '../bench-error.js'

/**
 * The shared token of a run's coordinator and agents: the file --token-file names ("-": standard input), else
 * the environment's BENCH_AGENT_TOKEN. Its surrounding white space (a file's last newline) is not part of it.
 */
export function readAgentToken(tokenFile: string | undefined, env = process.env): string {
  let token: string | undefined
  if (tokenFile !== undefined) {
    try {
      token = readFileSync(tokenFile === '-' ? 0 : tokenFile, 'utf8')
    } catch (error) {
      throw new BenchError(
        'input',
        `--token-file ${tokenFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        'name a readable file holding the token (e.g. made with: openssl rand -hex 32 > token), or - for stdin',
      )
    }
  } else token = env.BENCH_AGENT_TOKEN
  token = token?.trim()
  if (!token) {
    throw new BenchError(
      'input',
      tokenFile !== undefined ? `--token-file ${tokenFile} is empty` : 'no agent token given',
      'give the same token to the coordinator and every agent: --token-file FILE (- for stdin) or BENCH_AGENT_TOKEN (e.g. openssl rand -hex 32)',
    )
  }
  if (token.length < 16) {
    throw new BenchError(
      'input',
      `the agent token is ${token.length} characters long`,
      'use a token of 16 characters or more, e.g. openssl rand -hex 32',
    )
  }
  return token
}
