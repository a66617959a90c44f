import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fitTextTable } from '../../src/report/fit-text-table.js'
import { textTable } from '../../src/report/text-table.js'
import { wrapText } from '../../src/report/wrap-text.js'

const widest = (text: string) => Math.max(...text.split('\n').map((l) => l.length))

describe('wrapText', () => {
  it('breaks at spaces, keeps the first line its own indent, indents the rest, cuts a word longer than a line', () => {
    assert.deepEqual(wrapText('short', 20), ['short'])
    assert.deepEqual(wrapText('    paced: 100 req/s  suspect: the generator sent late', 24, '      '), [
      '    paced: 100 req/s',
      '      suspect: the',
      '      generator sent',
      '      late',
    ])
    const cut = wrapText('x'.repeat(50), 20)
    assert.deepEqual(
      cut.map((l) => l.length),
      [20, 20, 10],
    )
    for (const width of [12, 20, 33]) {
      const text = 'the generator sent late: send lag p99 53.1 ms; achieved 410 of 500 req/s offered (82 %)'
      const lines = wrapText(text, width, '  ')
      assert.ok(
        lines.every((l) => l.length <= width),
        JSON.stringify(lines),
      )
      assert.equal(lines.map((l) => l.trim()).join(' '), text)
    }
  })
})

describe('fitTextTable', () => {
  const head = [
    'stack',
    'conns',
    'req/s',
    'MB/s',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'CPU, RSS by tier',
    'errors %',
    'verdict',
  ]
  const rows = [
    [
      'nginx-node',
      '50',
      '12,345',
      '2.50',
      '1.23',
      '4.57',
      '12.3',
      'app 99% 45MB / proxy 30% 12MB / gen 40%',
      '0',
      'ok',
    ],
    ['node', '50', '23,456', '4.10', '0.987', '2.34', '5.67', 'app 100% 50MB / gen 45%', '0.012', 'suspect'],
  ]
  const options = { keys: 2, first: ['req/s', 'p50 ms', 'p99 ms', 'errors %', 'verdict'] }

  it('leaves a table that fits as it is', () => {
    assert.equal(fitTextTable(head, rows, 200, options), textTable(head, rows))
  })

  it('fits 80 and 120 columns: the figures read first in the first table, every other column below, each row named', () => {
    for (const width of [80, 120]) {
      const text = fitTextTable(head, rows, width, options)
      assert.ok(widest(text) <= width, `${width}:\n${text}`)
      const first = text.split('\n')[1] ?? ''
      for (const h of ['stack', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'errors %', 'verdict'])
        assert.ok(first.includes(h), first)
      for (const h of head) assert.ok(text.includes(h), `${h} missing at ${width}`)
      for (const cell of rows.flat()) assert.ok(text.includes(cell), `${cell} missing at ${width}`)
    }
  })

  it('writes a column too wide even beside the stack below, one wrapped line per row', () => {
    const text = fitTextTable(head, rows, 40, options)
    assert.ok(widest(text) <= 40, text)
    assert.match(text, /^CPU, RSS by tier:$/m)
    assert.match(text, /^ {2}nginx-node 50: app 99% 45MB \/ proxy/m)
  })
})
