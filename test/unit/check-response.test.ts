import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ADDED_FORTUNE, FORTUNES } from '../../src/database/techempower-data.js'
import { checkResponse, type VerifiedResponse } from '../../src/verify/check-response.js'
import { expectedFortunesHtml } from '../../src/verify/expected-fortunes-html.js'
import { queriesCount } from '../../src/verify/queries-count.js'

const json = (body: unknown, status = 200): VerifiedResponse => ({
  status,
  contentType: 'application/json',
  body: typeof body === 'string' ? body : JSON.stringify(body),
})
const html = (body: string, contentType = 'text/html; charset=utf-8'): VerifiedResponse => ({
  status: 200,
  contentType,
  body,
})
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, randomNumber: 10_000 - i }))

describe('queriesCount: TechEmpower clamping of queries=N', () => {
  const cases: [string, number][] = [
    ['/queries?queries=2', 2],
    ['/queries?queries=0', 1],
    ['/queries?queries=foo', 1],
    ['/queries?queries=', 1],
    ['/queries', 1],
    ['/queries?queries=501', 500],
    ['/queries?queries=500', 500],
    ['/queries?queries=-3', 1],
    ['/queries?queries=2.5', 1],
    ['/updates?x=1&queries=20', 20],
    ['/queries?queries=99999999999999999999', 500],
  ]
  for (const [path, n] of cases) it(`${path} → ${n}`, () => assert.equal(queriesCount(path), n))
})

describe('checkResponse: good answers pass', () => {
  it('db, with keys in any case (as TechEmpower reads them)', () => {
    assert.equal(checkResponse('db', '/db', json({ id: 1, randomNumber: 10_000 })), undefined)
    assert.equal(checkResponse('db', '/db', json({ ID: 5, randomnumber: 7 })), undefined)
    assert.equal(
      checkResponse('db', '/db', {
        ...json({ id: 1, randomNumber: 2 }),
        contentType: 'application/json; charset=utf-8',
      }),
      undefined,
    )
  })
  it('queries and updates of the clamped count', () => {
    assert.equal(checkResponse('queries', '/queries?queries=20', json(rows(20))), undefined)
    assert.equal(checkResponse('queries', '/queries?queries=foo', json(rows(1))), undefined)
    assert.equal(checkResponse('updates', '/updates?queries=501', json(rows(500))), undefined)
  })
  it('json: any JSON body', () => {
    assert.equal(checkResponse('json', '/json', json({ message: 'hello world' })), undefined)
  })
  it('fortunes: the expected page, and the renderings TechEmpower accepts as equal', () => {
    const page = expectedFortunesHtml()
    assert.equal(checkResponse('fortunes', '/fortunes', html(page)), undefined)
    const variant = page
      .replace('<!DOCTYPE html>', '<!doctype html>\n')
      .replace("aren't", 'aren&#x27;t')
      .replaceAll('&quot;', '&#34;')
      .replace('<table>', '<table>\n<tbody>')
      .replaceAll('</tr>', '</tr>\n')
      .replace('</table>', '</tbody></table>')
      .replace('<head>', '<head><meta charset="utf-8">')
      .replace('—', '&mdash;')
    assert.equal(checkResponse('fortunes', '/fortunes', html(variant, 'text/html;charset=UTF-8')), undefined)
    // quotes need no escaping between tags; &apos; is an apostrophe
    const bare = page.replaceAll('&quot;', '"').replace("aren't", 'aren&apos;t')
    assert.equal(checkResponse('fortunes', '/fortunes', html(bare)), undefined)
  })
  it('the expected page holds every fortune, the added one, sorted by message, escaped', () => {
    const page = expectedFortunesHtml()
    assert.equal(page.split('<tr>').length - 1, FORTUNES.length + 2)
    assert.ok(page.includes(`<tr><td>0</td><td>${ADDED_FORTUNE.message}</td></tr>`))
    assert.ok(page.includes('&lt;script&gt;alert(&quot;This should not'))
    assert.ok(page.indexOf('<td>11</td>') < page.indexOf('<td>4</td>'), '"<" sorts before "A"')
    assert.ok(
      page.endsWith('<tr><td>12</td><td>フレームワークのベンチマーク</td></tr></table></body></html>'),
    )
  })
})

describe('checkResponse: each kind of wrong answer is named', () => {
  const cases: [string, string | undefined, string][] = [
    [
      'status',
      checkResponse('db', '/db', {
        status: 500,
        contentType: 'text/plain',
        body: 'database error: ECONNREFUSED\n',
      }),
      'answered 500 (database error: ECONNREFUSED), expected 200',
    ],
    [
      'content type',
      checkResponse('db', '/db', { ...json({ id: 1, randomNumber: 1 }), contentType: 'text/plain' }),
      'answered Content-Type "text/plain", expected "application/json"',
    ],
    [
      'missing content type',
      checkResponse('json', '/json', { ...json({}), contentType: undefined }),
      'answered Content-Type "", expected "application/json"',
    ],
    [
      'not JSON',
      checkResponse('db', '/db', json('hello world')),
      'answered a body that is not JSON: hello world',
    ],
    ['empty body', checkResponse('json', '/json', json('')), 'answered a body that is not JSON: (empty)'],
    [
      'db as an array',
      checkResponse('db', '/db', json(rows(1))),
      'answered a JSON array, expected one object {"id":…,"randomNumber":…}',
    ],
    [
      'db missing a field',
      checkResponse('db', '/db', json({ id: 3 })),
      'answered an object without "randomNumber"',
    ],
    [
      'id not an integer',
      checkResponse('db', '/db', json({ id: '3', randomNumber: 4 })),
      'answered "id": "3", expected an integer in 1…10000',
    ],
    [
      'id out of range',
      checkResponse('db', '/db', json({ id: 0, randomNumber: 4 })),
      'answered "id": 0, expected an integer in 1…10000',
    ],
    [
      'randomNumber a float',
      checkResponse('db', '/db', json({ id: 1, randomNumber: 4.5 })),
      'answered "randomNumber": 4.5, expected an integer in 1…10000',
    ],
    [
      'randomNumber too large',
      checkResponse('db', '/db', json({ id: 1, randomNumber: 10_001 })),
      'answered "randomNumber": 10001, expected an integer in 1…10000',
    ],
    [
      'queries: too few rows',
      checkResponse('queries', '/queries?queries=20', json(rows(1))),
      'answered 1 row, expected 20',
    ],
    [
      'queries: not clamped above',
      checkResponse('queries', '/queries?queries=501', json(rows(501))),
      'answered 501 rows, expected 500',
    ],
    [
      'queries: 0 answered empty',
      checkResponse('queries', '/queries?queries=0', json([])),
      'answered 0 rows, expected 1',
    ],
    [
      'queries: an object',
      checkResponse('updates', '/updates?queries=2', json({ id: 1, randomNumber: 1 })),
      'answered {"id":1,"randomNumber":1}, expected an array of 2',
    ],
    [
      'queries: a bad row',
      checkResponse('queries', '/queries?queries=3', json([...rows(2), { id: 9 }])),
      'answered an object without "randomNumber" in row 3',
    ],
    [
      'queries: a row not an object',
      checkResponse('queries', '/queries?queries=2', json([rows(1)[0], 7])),
      'answered 7, expected an object {"id":…,"randomNumber":…} in row 2',
    ],
    [
      'fortunes: content type',
      checkResponse('fortunes', '/fortunes', html(expectedFortunesHtml(), 'text/html')),
      'answered Content-Type "text/html", expected "text/html; charset=utf-8"',
    ],
  ]
  for (const [what, got, expected] of cases) it(what, () => assert.equal(got, expected))

  it('fortunes without the one added at request time', () => {
    const page = expectedFortunesHtml().replace(`<tr><td>0</td><td>${ADDED_FORTUNE.message}</td></tr>`, '')
    assert.equal(
      checkResponse('fortunes', '/fortunes', html(page)),
      'answered a fortunes table of 13 rows, expected 14 (the header, 12 fortunes and the one added at request time)',
    )
  })
  it('fortunes not escaped: the script reads as a tag', () => {
    const page = expectedFortunesHtml().replace(
      '&lt;script&gt;alert(&quot;This should not be displayed in a browser alert box.&quot;);&lt;/script&gt;',
      '<script>alert("This should not be displayed in a browser alert box.");</script>',
    )
    assert.match(
      checkResponse('fortunes', '/fortunes', html(page)) ?? '',
      /^answered fortunes that differ from TechEmpower's: got <tr><td>11<\/td><td><\/td><\/tr>.* where <tr><td>11<\/td><td>&lt;script&gt;alert/,
    )
  })
  it('fortunes in the wrong order', () => {
    const page = expectedFortunesHtml()
    const first = '<tr><td>11</td>'
    const row11 = page.slice(page.indexOf(first), page.indexOf('<tr><td>4</td>'))
    const swapped = page.replace(row11, '').replace('</table>', `${row11}</table>`)
    assert.match(
      checkResponse('fortunes', '/fortunes', html(swapped)) ?? '',
      /got <tr><td>4<\/td>.* where <tr><td>11<\/td>/,
    )
  })
  it('fortunes double-escaped', () => {
    const page = expectedFortunesHtml().replaceAll('&lt;', '&amp;lt;')
    assert.match(
      checkResponse('fortunes', '/fortunes', html(page)) ?? '',
      /got <tr><td>11<\/td><td>&amp;lt;script/,
    )
  })
  it('fortunes with a changed message', () => {
    const page = expectedFortunesHtml().replace(
      'Feature: A bug with seniority.',
      'Feature: a bug with seniority.',
    )
    assert.match(
      checkResponse('fortunes', '/fortunes', html(page)) ?? '',
      /got <tr><td>9<\/td><td>Feature: a bug/,
    )
  })
})
