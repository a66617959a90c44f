import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isLoadableHost } from '../../src/profile/loadable-host.js'

test('loopback and the benchmarking range 198.18.0.0/15 are loadable; anything else is not', () => {
  for (const host of ['127.0.0.1', '127.9.8.7', 'localhost', '::1', '[::1]', '198.18.0.1', '198.19.255.254'])
    assert.equal(isLoadableHost(host), true, host)
  for (const host of [
    '198.17.255.255',
    '198.20.0.1',
    '10.0.0.1',
    '192.168.1.1',
    'example.com',
    '::2',
    '127.0.0.256',
    '1.127.0.0',
  ])
    assert.equal(isLoadableHost(host), false, host)
})
