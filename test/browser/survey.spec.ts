import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test } from 'vitest'
import { runCli } from '../cli/helpers.js'
import { browserPage, screenshotFolder } from './browser.js'

const screenshots = screenshotFolder()
const browser = browserPage()

test('survey --html: every cell that ran holds its pictures, drawn inside the cell, and the page loads nothing', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'keepalive-kit-survey-')), 'survey.html')
  const result = await runCli(['survey', '--only', 'node:http', '--html', file])
  expect(result.code, result.stderr).toBe(0)
  const loaded: string[] = []
  browser.page.on('request', (req) => loaded.push(req.url()))
  await browser.page.setViewportSize({ width: 1400, height: 900 })
  await browser.page.goto(pathToFileURL(file).href)
  expect(loaded).toEqual([pathToFileURL(file).href])
  // The three node:http rows and node:https (https), whose name contains node:http too.
  expect(await browser.page.locator('tbody tr').count()).toBe(4)
  const cells = await browser.page.$$eval('tbody td', (tds) =>
    tds.map((td) => {
      const box = td.getBoundingClientRect()
      return {
        status: td.className,
        pictures: [...td.querySelectorAll('svg.keepalive-timeline')].map((svg) => {
          const picture = svg.getBoundingClientRect()
          return {
            inside:
              picture.left >= box.left &&
              picture.right <= box.right + 0.5 &&
              picture.top >= box.top &&
              picture.bottom <= box.bottom + 0.5,
            width: picture.width,
            marks: [...svg.querySelectorAll('.mark')].filter(
              (mark) => mark.getBoundingClientRect().width > 0,
            ).length,
          }
        }),
      }
    }),
  )
  const ran = cells.filter((cell) => cell.status !== 'skip')
  expect(ran.length).toBeGreaterThan(10)
  for (const cell of ran) {
    expect(cell.pictures.length).toBeGreaterThan(0)
    for (const picture of cell.pictures) {
      expect(picture).toMatchObject({ inside: true })
      // Small: scaled to the 240 px column, not the 640 px it is drawn at.
      expect(picture.width).toBeGreaterThan(150)
      expect(picture.width).toBeLessThanOrEqual(240)
      expect(picture.marks).toBeGreaterThan(0)
    }
  }
  // A scenario skipped after it started (the client never reused, so a race could not be staged)
  // shows what it recorded too.
  for (const picture of cells.flatMap((cell) => cell.pictures))
    expect(picture).toMatchObject({ inside: true })
  await browser.page.screenshot({ path: join(screenshots, 'survey-html.png') })
})
