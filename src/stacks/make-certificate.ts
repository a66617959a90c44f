import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { BenchError } from '../bench-error.js'

const run = promisify(execFile)

/** A throwaway self-signed certificate for localhost / 127.0.0.1 / ::1 and `host`, made with openssl in `dir`. */
export async function makeCertificate(dir: string, host: string): Promise<{ cert: string; key: string }> {
  const names = ['DNS:localhost', ...[...new Set(['127.0.0.1', '::1', host])].map((ip) => `IP:${ip}`)]
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'cert.pem.key') // beside the certificate, where haproxy's crt looks for it
  try {
    await run(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-keyout',
        key,
        '-out',
        cert,
        '-addext',
        `subjectAltName=${names.join(',')}`,
      ],
      { timeout: 30_000 },
    )
  } catch (error) {
    throw new BenchError(
      'environment',
      `openssl could not make a certificate: ${(error as Error).message.split('\n')[0]}`,
      'install it: apt-get install -y openssl',
    )
  }
  return { cert, key }
}
