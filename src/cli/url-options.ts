import type { Argv } from 'yargs'

/** The flags of a one-line run (`bench <url>`, `bench run --url <url>`), as wrk, oha and autocannon have them. */
export function urlOptions<T>(y: Argv<T>) {
  return y
    .option('connections', {
      alias: 'c',
      type: 'number',
      describe: 'closed loop: connections, each sending its next request on an answer (default 50)',
    })
    .option('rate', { alias: 'r', type: 'number', describe: 'open loop instead: req/s, sent on schedule' })
    .option('duration', { alias: 'd', type: 'string', describe: 'how long: 10s (the default), 500ms, 2m' })
    .option('warmup', { type: 'string', describe: 'load this long first, not measured' })
    .option('method', { type: 'string', describe: 'GET (the default), POST, PUT, …' })
    .option('header', {
      alias: 'H',
      type: 'string',
      array: true,
      describe: 'a request header: -H "Name: value"',
    })
    .option('body', { type: 'string', describe: 'the request body' })
}
