import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { fitUsl, uslThroughput } from '../../src/capacity/fit-usl.js'

/**
 * The data set of Baron Schwartz's "Practical Scalability Analysis with the Universal Scalability Law" and of the
 * usl4j test suite (a copy of shared/data/usl-cisco.csv), with its published fit.
 */
const cisco = readFileSync(new URL('../../../test/fixtures/usl-cisco.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',').map(Number))
  .map(([n, x]) => ({ n: n as number, x: x as number }))
const published = { sigma: 0.02671591, kappa: 7.690945e-4, lambda: 995.6486 }
const within = (actual: number, expected: number, tolerance: number) =>
  Math.abs(actual / expected - 1) <= tolerance

describe('fitUsl', () => {
  it('reproduces the published fit of the Cisco data set within 0.1 %', (t) => {
    const fit = fitUsl(cisco)
    t.diagnostic(
      `σ ${fit.sigma}, κ ${fit.kappa}, λ ${fit.lambda}, N* ${fit.peakN}, X(35) ${uslThroughput(fit, 35)}, R² ${fit.rSquared}`,
    )
    assert.ok(within(fit.sigma, published.sigma, 0.001), `σ ${fit.sigma}`)
    assert.ok(within(fit.kappa, published.kappa, 0.001), `κ ${fit.kappa}`)
    assert.ok(within(fit.lambda, published.lambda, 0.001), `λ ${fit.lambda}`)
    assert.equal(Math.round(fit.peakN), 36) // √((1 − σ)/κ) = 35.57: the published "N* ≈ 35" rounds down
    assert.ok(within(uslThroughput(fit, 35), 12_341, 0.001), `X(35) ${uslThroughput(fit, 35)}`)
    assert.ok(fit.rSquared > 0.99)
    assert.ok(
      fit.standardErrors.kappa > 0 && fit.standardErrors.kappa < fit.kappa,
      'κ is known to better than ±100 %',
    )
  })

  it('recovers known parameters from noiseless points, and linear scaling as σ = κ = 0', () => {
    const truth = { lambda: 1000, sigma: 0.05, kappa: 0.002 }
    const fit = fitUsl([1, 2, 3, 4, 6, 8, 12, 16].map((n) => ({ n, x: uslThroughput(truth, n) })))
    assert.ok(
      within(fit.lambda, truth.lambda, 1e-4) &&
        within(fit.sigma, truth.sigma, 1e-3) &&
        within(fit.kappa, truth.kappa, 1e-3),
      JSON.stringify(fit),
    )
    const linear = fitUsl([1, 2, 4, 8].map((n) => ({ n, x: 500 * n })))
    assert.ok(
      linear.sigma < 1e-6 && linear.kappa < 1e-8 && within(linear.lambda, 500, 1e-6),
      JSON.stringify(linear),
    )
    assert.equal(linear.peakN, Number.POSITIVE_INFINITY)
  })
})
