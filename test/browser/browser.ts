import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'

/** Debian's chromium (`apt-get install -y chromium`). */
const executablePath = '/usr/bin/chromium'

/** Starts headless chromium with a fresh profile, talking to nothing but what a test loads. */
async function launch(): Promise<BrowserContext> {
  if (!existsSync(executablePath))
    throw new Error(
      `these tests drive Debian's chromium at ${executablePath}; install it: apt-get install -y chromium`,
    )
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'keepalive-kit-chromium-')), {
    executablePath,
    headless: true,
    viewport: { width: 1000, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A box on the page, in CSS px. */
export interface Box {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly text: string
  readonly className: string
}

/** The boxes of the elements that match `selector` inside the first timeline picture. */
export function boxes(page: Page, selector: string): Promise<Box[]> {
  return page.$$eval(`svg.keepalive-timeline ${selector}`, (elements) =>
    elements.map((element) => {
      const { x, y, width, height } = element.getBoundingClientRect()
      return {
        x,
        y,
        width,
        height,
        text: element.textContent ?? '',
        className: element.getAttribute('class') ?? '',
      }
    }),
  )
}

/** Pairs of boxes that overlap by more than `tolerance` px each way. */
export function overlaps(list: readonly Box[], tolerance = 1): [Box, Box][] {
  const found: [Box, Box][] = []
  list.forEach((a, i) => {
    for (const b of list.slice(i + 1)) {
      const wide = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
      const high = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
      if (wide > tolerance && high > tolerance) found.push([a, b])
    }
  })
  return found
}

/** Where screenshots go: docs/images under `npm run screenshots`, else a temporary folder. */
export function screenshotFolder(): string {
  const folder = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), 'keepalive-kit-shots-'))
  mkdirSync(folder, { recursive: true })
  return folder
}

/** One chromium page for the file's tests, opened before them and closed after. */
export function browserPage(): { readonly page: Page } {
  let browser: BrowserContext | undefined
  const state = {} as { page: Page }
  beforeAll(async () => {
    browser = await launch()
    state.page = await browser.newPage()
  })
  afterAll(() => browser?.close())
  return state
}
