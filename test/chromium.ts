import { type Browser, chromium } from 'playwright-core'

/** Debian's chromium (scripts/setup.sh installs it); Playwright's own browser download is not used. */
export const chromiumPath = '/usr/bin/chromium'

/**
 * Headless Chromium for tests that look at a rendered page: the one place that knows playwright-core. The caller
 * closes it (browser.close()) in a finally or after hook.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    timeout: 30_000,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--no-first-run',
      '--no-default-browser-check',
    ],
  })
}
