/**
 * The rows of TechEmpower's benchmark database, as every framework in their suite is seeded: `World` holds
 * 10,000 rows (id 1…10000, randomNumber 1…10000), `Fortune` the 12 fortunes below. bench seeds SQLite and
 * PostgreSQL from here, and verifies `/fortunes` against the same list — one copy, pure data.
 */
import { seededRandom } from '../seeded-random.js'

export const WORLD_ROWS = 10_000

/** The World table's rows, replayable: the same seed gives the same randomNumbers. */
export function worldRows(seed = 1): { id: number; randomNumber: number }[] {
  const random = seededRandom(seed)
  return Array.from({ length: WORLD_ROWS }, (_, i) => ({
    id: i + 1,
    randomNumber: 1 + Math.floor(random() * WORLD_ROWS),
  }))
}

export const FORTUNES: readonly { id: number; message: string }[] = [
  { id: 1, message: 'fortune: No such file or directory' },
  { id: 2, message: "A computer scientist is someone who fixes things that aren't broken." },
  { id: 3, message: 'After enough decimal places, nobody gives a damn.' },
  { id: 4, message: 'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1' },
  { id: 5, message: 'A computer program does what you tell it to do, not what you want it to do.' },
  { id: 6, message: 'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen' },
  { id: 7, message: 'Any program that runs right is obsolete.' },
  { id: 8, message: 'A list is only as strong as its weakest link. — Donald Knuth' },
  { id: 9, message: 'Feature: A bug with seniority.' },
  { id: 10, message: 'Computers make very fast, very accurate mistakes.' },
  { id: 11, message: '<script>alert("This should not be displayed in a browser alert box.");</script>' },
  { id: 12, message: 'フレームワークのベンチマーク' },
]

/** The fortune every `/fortunes` request adds (id 0) before sorting by message. */
export const ADDED_FORTUNE = { id: 0, message: 'Additional fortune added at request time.' } as const

/** The tables, in SQL both SQLite and PostgreSQL accept (lower-case names, as TechEmpower's PostgreSQL has). */
export const CREATE_TABLES = [
  'CREATE TABLE world (id integer NOT NULL PRIMARY KEY, randomnumber integer NOT NULL)',
  'CREATE TABLE fortune (id integer NOT NULL PRIMARY KEY, message varchar(2048) NOT NULL)',
] as const
