#!/usr/bin/env node
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { BenchError, type ErrorKind } from '../bench-error.js'
import { type CapacityOutcome, capacityCommand } from './capacity-command.js'
import { gateCommand } from './gate-command.js'
import { historyAddCommand } from './history-add-command.js'
import { type HistoryOutcome, historyCheckCommand } from './history-check-command.js'
import { historyShowCommand } from './history-show-command.js'
import { planCommand } from './plan-command.js'
import type { GateOutcome } from './publish-gate.js'
import { reportCommand, reportFormats } from './report-command.js'
import { type RunOutcome, runCommand } from './run-command.js'
import { validateCommand } from './validate-command.js'

/** Exit codes, documented in the README. The only place that decides them. */
export const exitCodes = {
  ok: 0,
  internal: 1,
  input: 2,
  environment: 3,
  cellsFailed: 4,
  suspect: 5,
  regression: 6,
  inconclusive: 7,
  interrupted: 130,
} as const

const byErrorKind: Record<ErrorKind, number> = {
  input: exitCodes.input,
  environment: exitCodes.environment,
  stack: exitCodes.cellsFailed,
}

const byOutcome: Record<RunOutcome | GateOutcome | CapacityOutcome | HistoryOutcome, number> = {
  complete: exitCodes.ok,
  pass: exitCodes.ok,
  'cells-failed': exitCodes.cellsFailed,
  suspect: exitCodes.suspect,
  regression: exitCodes.regression,
  inconclusive: exitCodes.inconclusive,
  interrupted: exitCodes.interrupted,
}

/** Where bench history keeps its runs unless --db says otherwise. */
const historyDb = 'results/history.sqlite'

async function main(argv: string[]): Promise<number> {
  let exitCode: number = exitCodes.ok
  await yargs(argv)
    .scriptName('bench')
    .usage('$0 <command> [options]')
    .command(
      'run <profile>',
      'launch every stack of the profile, load it, print the tables and write results/*.json',
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
          .option('strict', { type: 'boolean', default: false, describe: 'exit 5 when any cell is suspect' })
          .option('gate', {
            type: 'boolean',
            default: false,
            describe: "compare the profile's gate.candidate with gate.baseline",
          })
          .option('junit', { type: 'string', describe: 'with --gate: write the verdict as JUnit XML here' }),
      async ({ profile, out, allowRemote, strict, gate, junit }) => {
        exitCode = byOutcome[await runCommand({ profile, out, allowRemote, strict, gate, junit })]
      },
    )
    .command(
      'capacity <profile>',
      'find the highest rate each stack sustains within the SLO, fit worker scaling, size for a target',
      (y) =>
        y
          .positional('profile', { type: 'string', demandOption: true, describe: 'profile YAML file' })
          .option('out', {
            type: 'string',
            describe: 'results file (default: results/<profile>-<time>.json)',
          })
          .option('target', {
            type: 'number',
            describe: "req/s to size for (overrides the profile's capacity.target)",
          })
          .option('headroom', {
            type: 'number',
            describe: 'share of one machine to plan on using, 0–1 (default: capacity.headroom, 0.75)',
          })
          .option('allow-remote', {
            type: 'boolean',
            default: false,
            describe: 'allow url stacks off this machine',
          }),
      async ({ profile, out, target, headroom, allowRemote }) => {
        exitCode = byOutcome[await capacityCommand({ profile, out, target, headroom, allowRemote })]
      },
    )
    .command(
      'gate <current>',
      'compare a results file against a stored baseline: pass, regression or inconclusive',
      (y) =>
        y
          .positional('current', {
            type: 'string',
            demandOption: true,
            describe: 'results JSON of this change',
          })
          .option('baseline', {
            type: 'string',
            demandOption: true,
            describe: 'results JSON to compare against',
          })
          .option('junit', { type: 'string', describe: 'write the verdict as JUnit XML here' }),
      ({ current, baseline, junit }) => {
        exitCode = byOutcome[gateCommand({ current, baseline, junit })]
      },
    )
    .command('history', 'keep runs in a history database and find the change points in their series', (y) =>
      y
        .option('db', {
          type: 'string',
          default: historyDb,
          describe: 'the history: one SQLite file',
        })
        .command(
          'add <results>',
          "store a run: commit, branch, time, machine and every cell's trial values",
          (a) =>
            a
              .positional('results', {
                type: 'string',
                demandOption: true,
                describe: 'results JSON of bench run',
              })
              .option('commit', {
                type: 'string',
                describe: 'commit of the run (default: the one it recorded)',
              })
              .option('branch', { type: 'string', describe: 'branch of the run' }),
          ({ results, db, commit, branch }) => historyAddCommand({ results, db, commit, branch }),
        )
        .command(
          'show',
          'print the series of every cell and metric, a row per run',
          (s) => s,
          ({ db }) => historyShowCommand({ db }),
        )
        .command(
          'check',
          'find change points (E-divisive means, t-test); exit 6 when a regression starts in the newest run',
          (c) =>
            c
              .option('window', { type: 'number', default: 30, describe: 'runs in each window searched' })
              .option('p-value', {
                type: 'number',
                default: 0.001,
                describe: "a change point's t-test p must be below it",
              })
              .option('recent', {
                type: 'number',
                default: 1,
                describe: 'newest runs in which a regression fails the check',
              }),
          ({ db, window, pValue, recent }) => {
            exitCode = byOutcome[historyCheckCommand({ db, window, pValue, recent })]
          },
        )
        .demandCommand(1, 'name what to do with the history: add, show or check'),
    )
    .command(
      'validate <profile>',
      'check a profile and the binaries it needs; starts nothing',
      (y) =>
        y
          .positional('profile', { type: 'string', demandOption: true })
          .option('allow-remote', { type: 'boolean', default: false }),
      (args) => validateCommand(args),
    )
    .command(
      'plan <profile>',
      'print what would run, in order, with the estimated duration; starts nothing',
      (y) =>
        y
          .positional('profile', { type: 'string', demandOption: true })
          .option('allow-remote', { type: 'boolean', default: false }),
      (args) => planCommand(args),
    )
    .command(
      'report [results]',
      'write the report of a results file (bench run or capacity) or of a history: HTML with charts, or Markdown',
      (y) =>
        y
          .positional('results', { type: 'string', describe: 'results JSON of bench run or bench capacity' })
          .option('history', {
            type: 'string',
            describe: 'report on a history database instead: the trend per metric, change points marked',
          })
          .option('format', { choices: reportFormats, default: 'html' as const, describe: 'html or md' })
          .option('out', {
            type: 'string',
            describe: 'report file (default: the results path as .html or .md)',
          }),
      (args) => reportCommand(args),
    )
    .demandCommand(1, 'name a command: run, capacity, report, gate, history, validate or plan')
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
