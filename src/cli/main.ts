#!/usr/bin/env node
import { cpus } from 'node:os'
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { BenchError, type ErrorKind } from '../bench-error.js'
import { buildPlan } from '../plan/build-plan.js'
import { renderPlan } from '../report/render-plan.js'
import { preflight } from '../stacks/preflight.js'
import { loadProfile } from './load-profile.js'
import { type RunOutcome, runCommand } from './run-command.js'

/** Exit codes, documented in the README. */
export const exitCodes = {
  ok: 0,
  internal: 1,
  input: 2,
  environment: 3,
  cellsFailed: 4,
  suspect: 5,
  interrupted: 130,
} as const

const byErrorKind: Record<ErrorKind, number> = {
  input: exitCodes.input,
  environment: exitCodes.environment,
  stack: exitCodes.cellsFailed,
}

const byOutcome: Record<RunOutcome, number> = {
  complete: exitCodes.ok,
  'cells-failed': exitCodes.cellsFailed,
  suspect: exitCodes.suspect,
  interrupted: exitCodes.interrupted,
}

async function main(argv: string[]): Promise<number> {
  let exitCode: number = exitCodes.ok
  await yargs(argv)
    .scriptName('bench')
    .usage('$0 <command> <profile.yml> [options]')
    .command(
      'run <profile>',
      'launch every stack of the profile, load it, print the table and write results/*.json',
      (y) =>
        y
          .positional('profile', { type: 'string', demandOption: true, describe: 'profile YAML file' })
          .option('out', {
            type: 'string',
            describe: 'results file (default: results/<profile>-<time>.json)',
          })
          .option('allow-remote', {
            type: 'boolean',
            default: false,
            describe: 'allow url stacks off this machine',
          })
          .option('strict', { type: 'boolean', default: false, describe: 'exit 5 when any cell is suspect' }),
      async (args) => {
        const { profile, out, allowRemote, strict } = args
        exitCode = byOutcome[await runCommand({ profile, out, allowRemote, strict })]
      },
    )
    .command(
      'validate <profile>',
      'check a profile and the binaries it needs; starts nothing',
      (y) =>
        y
          .positional('profile', { type: 'string', demandOption: true })
          .option('allow-remote', { type: 'boolean', default: false }),
      async (args) => {
        const loaded = loadProfile(args.profile, args.allowRemote)
        await preflight(loaded.profile, loaded.dir)
        process.stdout.write(`${args.profile}: valid\n`)
      },
    )
    .command(
      'plan <profile>',
      'print what would run, in order, with the estimated duration; starts nothing',
      (y) =>
        y
          .positional('profile', { type: 'string', demandOption: true })
          .option('allow-remote', { type: 'boolean', default: false }),
      (args) => {
        process.stdout.write(
          `${renderPlan(buildPlan(loadProfile(args.profile, args.allowRemote).profile, { cpuCount: cpus().length }))}\n`,
        )
      },
    )
    .demandCommand(1, 'name a command: run, validate or plan')
    .strict()
    .fail((message, error) => {
      if (error) throw error
      throw new BenchError('input', message, 'see bench --help')
    })
    .help()
    .parseAsync()
  return exitCode
}

function report(error: unknown): number {
  if (error instanceof BenchError) {
    process.stderr.write(`bench: ${error.message}\n  fix: ${error.fix}\n`)
    for (const line of error.logTail.slice(-10)) process.stderr.write(`  | ${line}\n`)
    return byErrorKind[error.kind]
  }
  process.stderr.write(
    `bench: internal error: ${(error as Error).message}\n  fix: this is a bug in bench; please report it`,
  )
  process.stderr.write(
    process.env.BENCH_DEBUG ? `\n${(error as Error).stack}\n` : ' (BENCH_DEBUG=1 shows the stack trace)\n',
  )
  return exitCodes.internal
}

process.exitCode = await main(hideBin(process.argv)).catch(report)
