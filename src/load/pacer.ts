import { performance } from 'node:perf_hooks'

/**
 * Waits for the next scheduled send of a paced loop (the open loop, a WebSocket step at a message rate). With
 * nothing in flight (so nothing can arrive meanwhile) and the send due within `preciseMs`, it sleeps exactly
 * until then with Atomics.wait, not setTimeout's 1 ms ticks (which put ~0.5 ms of the schedule into every
 * corrected p50); otherwise it arms one timer, `preciseMs` early, that calls `wake` (answers arriving meanwhile
 * run the loop anyway). `sleptMs` adds up the sleeps as measured, not as asked: an oversleep is still time the
 * thread was blocked — busy for its event loop but idle for the generator — so the busy share subtracts it all.
 * (The WebSocket copy of this used to add the requested time, counting oversleeps as work.)
 */
export class Pacer {
  sleptMs = 0
  private timer: NodeJS.Timeout | undefined
  private readonly cell = new Int32Array(new SharedArrayBuffer(4))
  private readonly fire = () => {
    this.timer = undefined
    this.wake()
  }

  constructor(
    private readonly wake: () => void,
    private readonly preciseMs = 3,
  ) {}

  /** `waitMs` until the next send: true after a precise sleep (send now), false when a timer will call wake. */
  wait(waitMs: number, idle: boolean): boolean {
    if (idle && waitMs <= this.preciseMs) {
      const before = performance.now()
      Atomics.wait(this.cell, 0, 0, waitMs)
      this.sleptMs += performance.now() - before
      return true
    }
    if (this.timer === undefined) this.timer = setTimeout(this.fire, Math.max(0, waitMs - this.preciseMs))
    return false
  }

  /** Drops the pending timer (the loop is ending). */
  cancel(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}
