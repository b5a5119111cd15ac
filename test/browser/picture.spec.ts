import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import { createTestServer, renderTimelineSvg } from '../../src/index.js'
import { requireTool, runCli } from '../cli/helpers.js'
import { request } from '../picture/records.js'
import { scenarios } from '../picture/scenarios.js'
import { type Box, boxes, browserPage, overlaps, screenshotFolder } from './browser.js'

const screenshots = screenshotFolder()
const browser = browserPage()

const show = (svg: string) =>
  browser.page.setContent(`<!doctype html><body style="margin:0;background:#fff">${svg}</body>`)

const inside = (box: Box, outer: Box): boolean =>
  box.x >= outer.x - 0.5 &&
  box.y >= outer.y - 0.5 &&
  box.x + box.width <= outer.x + outer.width + 0.5 &&
  box.y + box.height <= outer.y + outer.height + 0.5

const drawn = (list: readonly Box[]) => list.filter((box) => box.width > 0 && box.height > 0)

describe('the timeline picture in chromium', () => {
  test('the checks below see text that overflows or overlaps', async () => {
    await show(
      '<svg xmlns="http://www.w3.org/2000/svg" class="keepalive-timeline" width="200" height="40"><text x="10" y="20">overlapping</text><text x="30" y="22">text</text><text x="190" y="20">overflowing</text></svg>',
    )
    const [outer] = await boxes(browser.page, '')
    const texts = await boxes(browser.page, 'text')
    expect(overlaps(texts).map(([a, b]) => `${a.text} / ${b.text}`)).toEqual(['overlapping / text'])
    expect(texts.filter((text) => outer && !inside(text, outer)).map((t) => t.text)).toEqual([
      'overflowing',
    ])
  })

  test.each(scenarios)(
    '$name: lanes, marks, closes and legend are drawn, no text overflows or overlaps',
    async (scenario) => {
      const server = await createTestServer(scenario.options)
      let svg: string
      try {
        await scenario.run(server)
        svg = renderTimelineSvg(server)
      } finally {
        await server.close()
      }
      await show(svg)
      const [outer] = await boxes(browser.page, '')
      if (outer === undefined) throw new Error('no picture drawn')

      // At most 30 lanes: past that, runs of consecutive connections share one.
      const n = server.connections.length
      const laneCount = Math.ceil(n / Math.ceil(n / 30))
      const lines = await boxes(browser.page, '.lane-line')
      expect(lines).toHaveLength(laneCount)
      for (const line of lines) expect(line.width).toBeGreaterThan(0)

      const marks = await boxes(browser.page, '.mark, .bin')
      expect(drawn(marks)).toHaveLength(marks.length)
      if (server.connections.length <= 30 && server.requests.length <= 100)
        expect(marks).toHaveLength(server.requests.length)
      else expect(marks.length).toBeGreaterThan(0)

      const closes = await boxes(browser.page, '.close')
      expect(drawn(closes)).toHaveLength(closes.length)
      const closeLabels = await boxes(browser.page, '.close-label')
      expect(closeLabels).toHaveLength(laneCount)
      for (const label of closeLabels) expect(label.text).toMatch(/^(by (client|server) \(|open)/)

      expect(drawn(await boxes(browser.page, '.legend-item'))).toHaveLength(9)

      const texts = await boxes(browser.page, 'text')
      expect(texts.filter((text) => !inside(text, outer))).toEqual([])
      expect(overlaps(texts).map(([a, b]) => `${a.text} / ${b.text}`)).toEqual([])

      await browser.page.locator('svg.keepalive-timeline').screenshot({
        path: join(screenshots, `timeline-${scenario.name}.png`),
      })
    },
  )

  test('a path with markup in it stays text: the picture parses as XML and runs nothing', async () => {
    const url = `/<script>window.ran=1</script><img src=x onerror="window.ran=1">&amp;`
    const svg = renderTimelineSvg([request({ index: 0, connectionId: 1, receivedAt: 0, url })])
    await show(svg)
    // The browser's own XML parser, as a viewer opening the .svg file would use.
    const parsed = await browser.page.evaluate(
      `new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml').querySelector('parsererror') === null`,
    )
    expect(parsed).toBe(true)
    expect(await browser.page.evaluate('window.ran')).toBeUndefined()
    expect(
      await browser.page.$$eval(
        'svg.keepalive-timeline script, svg.keepalive-timeline img',
        (found) => found.length,
      ),
    ).toBe(0)
    const [label] = await boxes(browser.page, '.mark-label')
    expect(label?.text).toBe('GET /<script>window.ran=1</…')
  })
})

describe('check --html in chromium', () => {
  test('opens without a single request to the network and shows verdict, picture and table', async () => {
    requireTool('curl', 'curl')
    const file = join(mkdtempSync(join(tmpdir(), 'keepalive-kit-html-')), 'check.html')
    const result = await runCli([
      'check',
      '--html',
      file,
      '--',
      'curl',
      '-s',
      '{url}/users',
      '{url}/users/1',
      '{url}/health',
    ])
    expect(result.code, result.stderr).toBe(0)
    const loaded: string[] = []
    browser.page.on('request', (req) => loaded.push(req.url()))
    await browser.page.goto(pathToFileURL(file).href)
    expect(loaded).toEqual([pathToFileURL(file).href])
    expect(await browser.page.locator('.verdict.pass').isVisible()).toBe(true)
    expect(await browser.page.locator('.verdict.pass').textContent()).toMatch(
      /^PASS\s+expect reuse: 3 requests used 1 connection; 2 requests reused it$/,
    )
    expect(drawn(await boxes(browser.page, '.mark'))).toHaveLength(3)
    expect(await browser.page.locator('table.connections tbody tr').count()).toBe(1)
    expect(await browser.page.locator('table.requests tbody tr').count()).toBe(3)
    await browser.page.screenshot({ path: join(screenshots, 'check-html.png'), fullPage: true })
  })
})
