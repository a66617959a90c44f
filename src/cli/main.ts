#!/usr/bin/env node
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { BenchError, type ErrorKind } from '../bench-error.js'
import { proxyKinds } from '../profile/schema.js'
import { type AgentOutcome, agentCommand } from './agent-command.js'
import { agentOptions, coordinatorSettings } from './agent-options.js'
import { calibrateCommand } from './calibrate-command.js'
import { type CapacityOutcome, capacityCommand } from './capacity-command.js'
import { cleanCommand } from './clean-command.js'
import { commandExamples } from './command-examples.js'
import { gateCommand } from './gate-command.js'
import { historyAddCommand } from './history-add-command.js'
import { type HistoryOutcome, historyCheckCommand } from './history-check-command.js'
import { historyShowCommand } from './history-show-command.js'
import { initCommand } from './init-command.js'
import { joinStdinValues } from './join-stdin-values.js'
import { k8sCommand } from './k8s-command.js'
import { planCommand } from './plan-command.js'
import type { GateOutcome } from './publish-gate.js'
import { reportCommand, reportFormats } from './report-command.js'
import { type RunOutcome, runCommand } from './run-command.js'
import { schemaCommand } from './schema-command.js'
import { checkNotACommand, loadFlags } from './url-args.js'
import { urlOptions } from './url-options.js'
import { validateCommand } from './validate-command.js'
import { versionCommand } from './version-command.js'

/** Exit codes, documented in the README (its table "Exit codes"). The only place that decides them. */
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

const byOutcome: Record<RunOutcome | GateOutcome | CapacityOutcome | HistoryOutcome | AgentOutcome, number> =
  {
    complete: exitCodes.ok,
    pass: exitCodes.ok,
    'cells-failed': exitCodes.cellsFailed,
    suspect: exitCodes.suspect,
    regression: exitCodes.regression,
    inconclusive: exitCodes.inconclusive,
    interrupted: exitCodes.interrupted,
  }

const commands = 'run, capacity, agent, report, gate, validate, plan, history, init, k8s, clean or schema'
/** Where bench history keeps its runs unless --db says otherwise. */
const historyDb = 'results/history.sqlite'

async function main(argv: string[]): Promise<number> {
  let exitCode: number = exitCodes.ok
  await yargs(argv)
    .scriptName('bench')
    .usage(
      '$0 <command> [options]\n$0 <url> [-c N | -r RATE] [-d 10s] [--method M] [-H "Name: value"] [--body B]',
    )
    .example(commandExamples.bench)
    .command(
      '$0 [url]',
      false,
      (y) =>
        agentOptions(urlOptions(y))
          .positional('url', {
            type: 'string',
            describe: 'load this running server: bench http://127.0.0.1:8080/',
          })
          .option('out', { type: 'string', describe: 'results file (default: results/url-<time>.json)' })
          .option('allow-remote', {
            type: 'boolean',
            default: false,
            describe: 'allow a url off this machine',
          })
          .option('strict', { type: 'boolean', default: false, describe: 'exit 5 when any cell is suspect' })
          .option('quiet', {
            type: 'boolean',
            default: false,
            describe: 'plain progress lines on a terminal too: no live line, no colours (as under CI=true)',
          })
          .option('wide', {
            type: 'boolean',
            default: false,
            describe: 'every column of the tables on one row (on a terminal they are fitted to its width)',
          })
          .option('version', {
            type: 'boolean',
            describe: "print bench's version, its load engine and the servers found on PATH",
          }),
      async ({ version, url, out, allowRemote, strict, quiet, wide, ...flags }) => {
        if (version) return versionCommand()
        if (url === undefined)
          throw new BenchError('input', `name a command: ${commands}`, 'see bench --help')
        checkNotACommand(url)
        const coordinator = coordinatorSettings({ ...flags, allowRemote })
        exitCode =
          byOutcome[
            await runCommand({
              url,
              load: loadFlags(flags),
              out,
              allowRemote,
              strict,
              quiet,
              wide,
              gate: false,
              agents: coordinator,
            })
          ]
      },
    )
    .command(
      'run [profile]',
      'launch the stacks of a profile (or load a running server: --url), print the tables, write results',
      (y) =>
        agentOptions(urlOptions(y))
          .example(commandExamples.run)
          .positional('profile', { type: 'string', describe: 'profile YAML file' })
          .option('url', { type: 'string', describe: 'instead of a profile: load this running server' })
          .option('stacks', { type: 'string', describe: 'only these stacks of the profile: --stacks a,b' })
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
          .option('junit', { type: 'string', describe: 'with --gate: write the verdict as JUnit XML here' })
          .option('quiet', {
            type: 'boolean',
            default: false,
            describe: 'plain progress lines on a terminal too: no live line, no colours (as under CI=true)',
          })
          .option('wide', {
            type: 'boolean',
            default: false,
            describe: 'every column of the tables on one row (on a terminal they are fitted to its width)',
          }),
      async ({ profile, url, stacks, out, allowRemote, strict, gate, junit, quiet, wide, ...flags }) => {
        const coordinator = coordinatorSettings({ ...flags, allowRemote })
        const only = stacks
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
        exitCode =
          byOutcome[
            await runCommand({
              profile,
              url,
              load: loadFlags(flags),
              stacks: only,
              out,
              allowRemote,
              strict,
              gate,
              junit,
              quiet,
              agents: coordinator,
              wide,
            })
          ]
      },
    )
    .command(
      'capacity <profile>',
      'find the highest rate each stack sustains within the SLO, fit worker scaling, size for a target',
      (y) =>
        agentOptions(y)
          .example(commandExamples.capacity)
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
          })
          .option('quiet', {
            type: 'boolean',
            default: false,
            describe: 'plain progress lines on a terminal too: no live line, no colours (as under CI=true)',
          }),
      async ({ profile, out, target, headroom, allowRemote, quiet, ...flags }) => {
        const coordinator = coordinatorSettings({ ...flags, allowRemote })
        exitCode =
          byOutcome[
            await capacityCommand({ profile, out, target, headroom, allowRemote, quiet, agents: coordinator })
          ]
      },
    )
    .command(
      'agent',
      "generate a run's load from this machine: dial the coordinator (bench run … --agents N) and run its steps",
      (y) =>
        y
          .example(commandExamples.agent)
          .option('coordinator', {
            type: 'string',
            demandOption: true,
            describe: 'where the coordinator listens, HOST:PORT (its --listen)',
          })
          .option('token-file', {
            type: 'string',
            describe: 'the shared token, from this file (- for stdin; else BENCH_AGENT_TOKEN)',
          })
          .option('index', {
            type: 'number',
            describe:
              'its place among the agents, 0…N−1 (default: the lowest free; Kubernetes: JOB_COMPLETION_INDEX)',
          })
          .option('name', { type: 'string', describe: 'its name in the results (default: the host name)' })
          .option('allow-remote', {
            type: 'boolean',
            default: false,
            describe: 'load targets off loopback and 198.18.0.0/15 too (refused otherwise, whoever asks)',
          })
          .option('connect-timeout', {
            type: 'string',
            describe: 'how long to keep dialing a coordinator not up yet (default 2m)',
          })
          .option('exit-on-stdin-close', {
            type: 'boolean',
            default: false,
            describe:
              'stop when stdin closes: how ssh, pdsh or srun end an agent they started (--agents-ssh passes it)',
          }),
      async (args) => {
        exitCode = byOutcome[await agentCommand(args)]
      },
    )
    .command(
      'gate [current]',
      'compare a results file against a stored baseline (pass, regression or inconclusive), or --calibrate a runner',
      (y) =>
        y
          .example(commandExamples.gate)
          .positional('current', { type: 'string', describe: 'results JSON of this change' })
          .option('baseline', { type: 'string', describe: 'results JSON to compare against' })
          .option('junit', { type: 'string', describe: 'write the verdict as JUnit XML here' })
          .option('calibrate', {
            type: 'string',
            describe:
              "run this profile's gate baseline against itself: its noise and the thresholds it suggests",
          })
          .option('pairs', { type: 'number', describe: 'with --calibrate: pairs of A/A trials (default 20)' })
          .option('out', { type: 'string', describe: 'with --calibrate: keep the A/A results here' })
          .option('allow-remote', {
            type: 'boolean',
            default: false,
            describe: 'with --calibrate: allow url stacks off this machine',
          }),
      async ({ current, baseline, junit, calibrate, pairs, out, allowRemote }) => {
        if (calibrate !== undefined) {
          exitCode = byOutcome[await calibrateCommand({ profile: calibrate, pairs, out, allowRemote })]
          return
        }
        if (current === undefined || baseline === undefined)
          throw new BenchError(
            'input',
            'bench gate needs a results file and --baseline, or --calibrate <profile>',
            'e.g. bench gate results/now.json --baseline results/main.json',
          )
        exitCode = byOutcome[gateCommand({ current, baseline, junit })]
      },
    )
    .command('history', 'keep runs in a history database and find the change points in their series', (y) =>
      y
        .example(commandExamples.history)
        .option('db', {
          type: 'string',
          default: historyDb,
          describe: 'the history: a SQLite file, or a PostgreSQL connection string (postgresql://…)',
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
          async ({ db, window, pValue, recent }) => {
            exitCode = byOutcome[await historyCheckCommand({ db, window, pValue, recent })]
          },
        )
        .demandCommand(1, 'name what to do with the history: add, show or check'),
    )
    .command(
      'validate <profile>',
      'check a profile and the binaries it needs; starts nothing',
      (y) =>
        y
          .example(commandExamples.validate)
          .positional('profile', { type: 'string', demandOption: true, describe: 'profile YAML file' })
          .option('allow-remote', {
            type: 'boolean',
            default: false,
            describe: 'allow url stacks off this machine',
          }),
      (args) => validateCommand(args),
    )
    .command(
      'plan <profile>',
      'print what would run, in order, with the estimated duration; starts nothing',
      (y) =>
        y
          .example(commandExamples.plan)
          .positional('profile', { type: 'string', demandOption: true, describe: 'profile YAML file' })
          .option('allow-remote', {
            type: 'boolean',
            default: false,
            describe: 'allow url stacks off this machine',
          }),
      (args) => planCommand(args),
    )
    .command(
      'report [results]',
      'write the report of a results file (bench run or capacity) or of a history: HTML with charts, or Markdown',
      (y) =>
        y
          .example(commandExamples.report)
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
    .command(
      'init',
      "print a commented profile for your own app, to save and edit: bench init --app '…' > my.yml",
      (y) =>
        y
          .example(commandExamples.init)
          .option('app', {
            type: 'string',
            demandOption: true,
            describe: 'the command that starts your server, as one quoted line',
          })
          .option('proxy', { choices: proxyKinds, describe: 'also a stack with this proxy in front' })
          .option('workers', {
            type: 'number',
            describe: "the app's worker count (gunicorn -w, uvicorn --workers)",
          })
          .option('name', { type: 'string', describe: 'the app and stack name (default: from the command)' })
          .check(({ workers }) => {
            if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 256))
              throw new BenchError(
                'input',
                `--workers must be a whole number from 1 to 256 (got ${workers})`,
                'e.g. --workers 4',
              )
            return true
          }),
      (args) => initCommand(args),
    )
    .command(
      'k8s <profile>',
      'print the Kubernetes manifests of a run from N agents, for kubectl apply -f -',
      (y) =>
        y
          .example(commandExamples.k8s)
          .positional('profile', { type: 'string', demandOption: true, describe: 'profile YAML file' })
          .option('agents', {
            type: 'number',
            demandOption: true,
            describe: 'agents: pods of the Indexed Job',
          })
          .option('image', {
            type: 'string',
            demandOption: true,
            describe: 'the image built from the Containerfile, as the cluster pulls it',
          })
          .option('namespace', {
            alias: 'n',
            type: 'string',
            default: 'default',
            describe: 'namespace of every object',
          })
          .option('name', {
            type: 'string',
            default: 'bench',
            describe: 'prefix of the names, and the instance label',
          })
          .option('listen-port', { type: 'number', default: 7070, describe: "the coordinator's port" })
          .option('agents-timeout', {
            type: 'string',
            default: '5m',
            describe: 'how long the coordinator waits for every agent (image pulls and scheduling included)',
          })
          .option('agent-cpu', {
            type: 'string',
            default: '2',
            describe: "each agent's CPU, requested = limit",
          })
          .option('agent-memory', {
            type: 'string',
            default: '1Gi',
            describe: "each agent's memory, requested = limit",
          }),
      (args) => k8sCommand({ ...args, configErrorExitCode: exitCodes.input }),
    )
    .command(
      'clean [results]',
      'stop what a run killed with SIGKILL left running, by the pids its results file recorded',
      (y) =>
        y.example(commandExamples.clean).positional('results', {
          type: 'string',
          describe: 'results JSON of the run (default: the newest unfinished one in results/)',
        }),
      (args) => cleanCommand(args),
    )
    .command(
      'schema',
      'print the JSON Schema of a profile (for editors and YAML language servers), or of a results file',
      (y) =>
        y
          .example(commandExamples.schema)
          .option('results', {
            type: 'boolean',
            describe: 'the JSON Schema of a results file (what bench run and bench capacity write) instead',
          })
          .option('markdown', {
            type: 'boolean',
            describe: 'the profile reference as Markdown (docs/profile-reference.md) instead',
            conflicts: 'results',
          }),
      (args) => schemaCommand(args),
    )
    .strict()
    .version(false)
    .fail((message, error) => {
      if (error) throw error
      throw new BenchError('input', message, 'see bench --help')
    })
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stdout.columns ?? 110))
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

process.exitCode = await main(joinStdinValues(hideBin(process.argv))).catch(report)
