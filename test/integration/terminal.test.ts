import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  appsYaml,
  leftoverProcesses,
  mainJs,
  readResults,
  repoRoot,
  waitFor,
  writeProfile,
} from './harness.js'

/**
 * What a person sees: `bench run` on a short profile in a real pseudo-terminal (tmux, on a server of this
 * test's own socket), its screen captured mid-run and at the end; and under `script` with CI=true, the raw bytes
 * it wrote to the terminal.
 */

const { file: profile, dir } = writeProfile(`name: terminal
${appsYaml}
stacks:
  - { name: node, app: node }
phases:
  - { name: busy, connections: 2, duration: 3s, requests: [{ path: "/sleep?ms=2" }] }
  - { name: paced, rate: 100, duration: 2s }
`)
const socket = join(dir, 'tmux.sock')
const tmuxConf = join(dir, 'tmux.conf')
// the pane stays after bench exits, so its last screen and exit status can be read
writeFileSync(tmuxConf, 'set -g remain-on-exit on\nset -g history-limit 5000\n')
const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' })
// ESC, built at run time: the lint keeps control characters out of regular expressions
const esc = String.fromCharCode(27)
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`

/**
 * The foreground colour (SGR 30–37, or '39' for the default) in effect at `index` of a capture-pane -e text: tmux
 * writes a colour once and leaves it in effect across lines that share it.
 */
function foregroundAt(painted: string, index: number): string {
  let colour = '39'
  for (const match of painted.slice(0, index).matchAll(new RegExp(`${esc}\\[([\\d;]*)m`, 'g'))) {
    for (const param of (match[1] ?? '').split(';')) {
      if (param === '' || param === '0' || param === '39') colour = '39'
      else if (/^3[0-7]$/.test(param)) colour = param
    }
  }
  return colour
}

let tmuxStarted = false
after(() => {
  // the tmux server of this test's socket, and only it
  if (tmuxStarted) tmux('kill-server')
})

// a progress line: "    node · busy c=2 [####....]  48 % 1.4s/3.0s  1,234 req/s  p99 2.61 ms  0 errors  run: 6s left";
// on a narrow terminal the bar is dropped first, then the line is cut to the width
const progressLine =
  /^ {4}node · (busy c=2|paced 100 req\/s)( \[[#.]+\])? +\d+ % [\d.]+s\/[\d.]+s {2}[\d,]+ req\/s/
const wholeProgressLine =
  /^ {4}node · (busy c=2|paced 100 req\/s) \[[#.]+\] +\d+ % [\d.]+s\/[\d.]+s {2}[\d,]+ req\/s {2}p99 [\d.,—]+ ms {2}\d+ errors? {2}run: \d+s left$/

describe('bench run on a terminal', () => {
  for (const columns of [80, 120])
    it(`${columns} columns: one live line per step, redrawn in place, then the plain step lines, coloured, nothing left over, no line wider than the terminal`, async () => {
      const session = `bench${columns}`
      const out = join(dir, `tty-${columns}.json`)
      const command = [
        'env',
        '-u',
        'CI',
        '-u',
        'NO_COLOR',
        process.execPath,
        mainJs,
        'run',
        profile,
        '--out',
        out,
      ]
      // a shell runs bench and prints its exit status: tmux 3.3 here sometimes leaves a dead pane's process
      // unreaped (a zombie, #{pane_dead_status} empty), so the status is read from the screen instead
      const shell = `${command.map(quote).join(' ')}; echo "bench exited with $?"`
      tmux(
        '-f',
        tmuxConf,
        'new-session',
        '-d',
        '-s',
        session,
        '-x',
        String(columns),
        '-y',
        '40',
        '-c',
        repoRoot,
        shell,
      )
      tmuxStarted = true
      const capture = (...flags: string[]) => tmux('capture-pane', '-t', session, '-p', '-J', ...flags)
      const screen = () => capture().split('\n')

      // mid-run: the screen as it is while a step runs, polled until a progress line with a rate shows
      const midRun = await waitFor('a live progress line', () => {
        const lines = screen()
        return lines.some((l) => progressLine.test(l) && !/ 0 req\/s/.test(l)) ? lines : undefined
      })
      console.log(`mid-run screen:\n${midRun.filter((l) => l.trim()).join('\n')}`)
      assert.equal(midRun.filter((l) => progressLine.test(l)).length, 1, 'one live line, redrawn in place')
      if (columns >= 120)
        assert.ok(
          midRun.some((l) => wholeProgressLine.test(l)),
          'the whole line, with its bar',
        )
      assert.ok(midRun.some((l) => /^\[1\/1\] node \(trial 1\) ready in \d+ ms$/.test(l)))

      // the end: bench has exited, its pane remains
      const status = await waitFor('bench to exit', () => {
        const exit = /^bench exited with (\d+)$/m.exec(capture('-S', '-'))
        return exit ? Number(exit[1]) : undefined
      })
      const end = capture('-S', '-').split('\n')
      const text = end.join('\n')
      assert.equal(status, 0, text)
      console.log(`final screen:\n${end.filter((l) => l.trim()).join('\n')}`)
      assert.equal(end.filter((l) => progressLine.test(l) || / · /.test(l)).length, 0, 'no live line left')
      assert.ok(
        end.some((l) => /^ {4}busy c=2: [\d,]+ req\/s$/.test(l)),
        text,
      )
      // a suspect step says why (the generator sending late is common on this VM)
      assert.ok(
        end.some((l) => /^ {4}paced c=256: [\d,]+ req\/s( {2}suspect: .+)?$/.test(l)),
        text,
      )
      assert.match(text, /phase "busy" — closed loop/)
      // the tables fit the terminal: -J joins a wrapped line back, so a line wider than the terminal is one that wrapped
      const wider = end.filter((line) => line.trimEnd().length > columns)
      assert.deepEqual(wider, [], `lines wider than ${columns} columns`)
      // the figures read first are in the first table of each phase, the rest below it (at 80 columns)
      const header = end.find((l) => /│ stack +│ conns +│/.test(l))
      assert.ok(header && /req\/s/.test(header) && /p99 ms/.test(header) && /verdict/.test(header), text)
      assert.match(text, /results \(complete\): /)
      // the plain text holds no control sequence tmux could not interpret
      assert.ok(!text.includes(esc), 'no escape character')
      assert.doesNotMatch(text, /\[\d*(;\d+)*[mKJH]/, 'no remains of an escape sequence')
      // on a terminal the step lines are painted by verdict: ok green, suspect yellow
      const results = readResults(out)
      const painted = capture('-e', '-S', '-')
      for (const phase of ['busy', 'paced']) {
        const cell = results.cells.find((c) => c.phase === phase)
        const expected = cell?.verdict?.status === 'ok' ? '32' : '33'
        const at = painted.indexOf(`${phase} c=`)
        assert.ok(at > 0, painted)
        assert.equal(foregroundAt(painted, at), expected, `${phase} ${cell?.verdict?.status}`)
      }

      assert.equal(results.status, 'complete')
      assert.deepEqual(await leftoverProcesses(results), [])
    })

  it('under CI=true on a terminal: exactly the plain lines, no control sequence at all', () => {
    const out = join(dir, 'ci.json')
    const raw = join(dir, 'typescript')
    const command = [
      'env',
      '-u',
      'NO_COLOR',
      'CI=true',
      process.execPath,
      mainJs,
      'run',
      profile,
      '--out',
      out,
    ]
    // script gives bench a pseudo-terminal and records every byte written to it
    execFileSync('script', ['-qfec', command.map(quote).join(' '), raw], { cwd: repoRoot, stdio: 'ignore' })
    const bytes = readFileSync(raw, 'utf8')
    assert.ok(!bytes.includes(esc), 'no colour, no redraw')
    const lines = bytes.split(/\r?\n/)
    const stepLines = lines.filter((l) => l.startsWith('    ') && / c=\d+: /.test(l))
    assert.equal(stepLines.length, 2, bytes)
    assert.match(stepLines[0] ?? '', /^ {4}busy c=2: [\d,]+ req\/s$/)
    assert.match(stepLines[1] ?? '', /^ {4}paced c=256: [\d,]+ req\/s$/)
    assert.equal(readResults(out).status, 'complete')
  })
})
