import type { Worker } from 'node:worker_threads'
import {
  fromGeneratorSchema,
  type GeneratorSample,
  type GeneratorTask,
  type LoadProgress,
} from './contract/generator-messages.js'
import { parseMessage } from './contract/parse-message.js'
import { GeneratorError } from './generator-error.js'

/**
 * Runs one share on a generator thread: resolves with its reply (sample and usage); rejects with a
 * GeneratorError when the thread answers with an error, with a message the contract refuses, throws, or exits.
 * Every message from the thread is checked with its schema here (once per progress tick and per step).
 */
export function runShare(
  worker: Worker,
  task: GeneratorTask,
  name: string,
  onProgress: (progress: LoadProgress) => void,
): Promise<GeneratorSample> {
  return new Promise((resolve, reject) => {
    const settle = (error?: GeneratorError, reply?: GeneratorSample) => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
      if (error) reject(error)
      else resolve(reply as GeneratorSample)
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
      else settle(undefined, message)
    }
    const onError = (error: Error) => settle(new GeneratorError(`${name} failed: ${error.message}`))
    const onExit = (code: number) =>
      settle(new GeneratorError(`${name} exited (code ${code}) before it sent its sample`))
    worker.on('message', onMessage)
    worker.once('error', onError)
    worker.once('exit', onExit)
    worker.postMessage(task)
  })
}
