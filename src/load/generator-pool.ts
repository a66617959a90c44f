import { once } from 'node:events'
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

  /** `n` live threads, started (and online) if there are fewer. */
  async take(n: number): Promise<Worker[]> {
    const started: Promise<unknown>[] = []
    while (this.workers.length < n) {
      const worker = new Worker(this.file)
      worker.unref()
      worker.once('exit', () => this.drop(worker))
      this.workers.push(worker)
      started.push(once(worker, 'online'))
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
