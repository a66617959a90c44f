import type { Worker } from 'node:worker_threads'
import {
  type FromGenerator,
  fromGeneratorSchema,
  type LoadProgress,
  type ToGenerator,
} from './contract/generator-messages.js'
import { parseMessage } from './contract/parse-message.js'
import { GeneratorError } from './generator-error.js'

type Reply = Exclude<FromGenerator, { type: 'progress' | 'error' }>

/**
 * Sends a generator thread one message (a task, a side task, a stop) and resolves with its reply of the type
 * expected (a sample, ready, a side outcome), passing progress on meanwhile; rejects with a GeneratorError when
 * the thread answers with an error, with a message the contract refuses or another reply, throws, or exits.
 * Every message from the thread is checked with its schema here (once per progress tick and per step).
 */
export function runShare<T extends Reply['type']>(
  worker: Worker,
  message: ToGenerator,
  expected: T,
  name: string,
  onProgress: (progress: LoadProgress) => void = () => {},
): Promise<Extract<Reply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const settle = (error?: GeneratorError, reply?: Reply) => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
      if (error) reject(error)
      else resolve(reply as Extract<Reply, { type: T }>)
    }
    const onMessage = (data: unknown) => {
      let message: ReturnType<typeof fromGeneratorSchema.parse>
      try {
        message = parseMessage(fromGeneratorSchema, data, name)
      } catch (error) {
        return settle(new GeneratorError(`${name} failed: ${(error as Error).message}`))
      }
      if (message.type === 'progress') onProgress(message.progress)
      else if (message.type === 'error') settle(new GeneratorError(`${name} failed: ${message.message}`))
      else if (message.type !== expected)
        settle(new GeneratorError(`${name} failed: it answered ${message.type} where ${expected} was due`))
      else settle(undefined, message)
    }
    const onError = (error: Error) => settle(new GeneratorError(`${name} failed: ${error.message}`))
    const onExit = (code: number) =>
      settle(new GeneratorError(`${name} exited (code ${code}) before it sent its ${expected}`))
    worker.on('message', onMessage)
    worker.once('error', onError)
    worker.once('exit', onExit)
    worker.postMessage(message)
  })
}
