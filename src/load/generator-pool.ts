import { Worker } from 'node:worker_threads'

const generatorWorker = new URL('./generator-worker.js', import.meta.url)

/**
 * The generator threads of a run, owned by its engine (a run could own several pools): started on first use
 * and kept (unref'd) for later steps, so their JIT stays warm. A thread that exits — or that the engine
 * retires after it failed — leaves the pool, and the next take starts a fresh one in its place.
 */
export class GeneratorPool {
  private readonly workers: Worker[] = []

  constructor(private readonly file: URL = generatorWorker) {}

  /** `n` live threads, started (and ready: their engine loaded) if there are fewer. */
  async take(n: number): Promise<Worker[]> {
    const started: Promise<unknown>[] = []
    while (this.workers.length < n) {
      const worker = new Worker(this.file)
      worker.unref()
      worker.once('exit', () => this.drop(worker))
      this.workers.push(worker)
      started.push(ready(worker))
    }
    await Promise.all(started)
    return this.workers.slice(0, n)
  }

  /** Takes a thread out of the pool and ends it: its state is not to be trusted after it failed. */
  retire(worker: Worker): void {
    this.drop(worker)
    void worker.terminate()
  }

  /** Ends every thread (the run is over). */
  async close(): Promise<void> {
    const all = this.workers.splice(0)
    await Promise.all(all.map((w) => w.terminate()))
  }

  private drop(worker: Worker): void {
    const at = this.workers.indexOf(worker)
    if (at >= 0) this.workers.splice(at, 1)
  }
}

/**
 * Resolves once a new thread says it is ready: its default engine's modules are loaded. A step's common start is
 * set a fixed margin (100 ms) ahead, and a thread still loading modules then starts behind it: measured here with
 * the tests running beside it, a new thread is online after 24–29 ms but has its engine loaded only after
 * 166–226 ms, and a fresh-clone run's open-loop ground-truth test read send lag p99 20 ms from it.
 */
function ready(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      worker.off('error', onError)
      if ((message as { type?: unknown } | null)?.type === 'ready') resolve()
      else reject(new Error(`a new generator thread said ${JSON.stringify(message)} before it was ready`))
    }
    const onError = (error: Error) => {
      worker.off('message', onMessage)
      reject(error)
    }
    worker.once('message', onMessage)
    worker.once('error', onError)
  })
}
