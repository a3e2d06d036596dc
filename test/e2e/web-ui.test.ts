import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {chromium, type BrowserContext} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {findChromium} from '../support/chromium.js'
import {cliFixture} from '../support/cli-fixture.js'
import {startServe, type ServeProcess} from '../support/serve.js'

/** The web UI in a real browser, driven by playwright-core: the system's Chromium, or the one an npm package ships (test/support/chromium.ts). */
const REPO = fileURLToPath(new URL('../..', import.meta.url))
/**
 * The screenshot goes to a temp file, so that `npm test` leaves the work tree as it was;
 * FAITHH_SCREENSHOT=docs/screenshot.png (relative to the repository) renews the one README shows.
 */
const SCREENSHOT = process.env.FAITHH_SCREENSHOT ? path.resolve(REPO, process.env.FAITHH_SCREENSHOT) : path.join(tmpdir(), `faithh-web-ui-${process.pid}.png`)

const {ollama, project} = await cliFixture({
  ollama: {
    models: [
      {name: 'qwen2.5-coder:7b', contextLength: 32_768},
      {name: 'qwen2.5-coder:14b', contextLength: 32_768},
    ],
    chat: [
      {content: 'Let me look at math.js first.', tool_calls: [{name: 'read_file', arguments: {path: 'math.js'}}]},
      {tool_calls: [{name: 'edit_file', arguments: {path: 'math.js', old_text: 'return a - b', new_text: 'return a + b'}}]},
      {content: '`add` subtracted its arguments; it now returns `a + b`.'},
    ],
  },
  files: {'math.js': 'export function add(a, b) {\n  return a - b\n}\n'},
})
let server: ServeProcess
let browser: BrowserContext
let profile: string

beforeAll(async () => {
  const chromiumBinary = await findChromium()
  server = await startServe([], {cwd: project.root, host: ollama.url})
  profile = await mkdtemp(path.join(tmpdir(), 'faithh-chromium-'))
  browser = await chromium
    .launchPersistentContext(profile, {
      executablePath: chromiumBinary.executablePath,
      env: chromiumBinary.env,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: {width: 1180, height: 760},
    })
    .catch((error: Error) => {
      throw new Error(`could not start the Chromium from ${chromiumBinary.source} (${chromiumBinary.executablePath}): ${error.message}`)
    })
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (profile) await rm(profile, {recursive: true, force: true})
  if (!process.env.FAITHH_SCREENSHOT) await rm(SCREENSHOT, {force: true})
})

describe('the web UI', () => {
  it('sends a message, shows tool cards, approves a write, and the file changes on disk', async () => {
    const page = browser.pages()[0] ?? (await browser.newPage())
    await page.goto(server.pageUrl)
    expect(new URL(page.url()).search).toBe('') // the token leaves the address bar
    await expect.poll(() => page.locator('#model option').allTextContents()).toEqual(['qwen2.5-coder:7b', 'qwen2.5-coder:14b'])
    expect(await page.locator('#agent-mode').isChecked()).toBe(true)

    await page.locator('#message').fill('add() is broken, please fix it')
    await page.locator('#send').click()

    const read = page.locator('.tool-card[data-tool="read_file"]')
    await read.locator('.tool-state', {hasText: '✓'}).waitFor()
    const edit = page.locator('.tool-card[data-tool="edit_file"]')
    await edit.locator('.confirm button[data-answer="approve"]').waitFor()
    await expect.poll(() => edit.locator('.diff .line.del').allTextContents()).toEqual(['-  return a - b\n'])
    expect(await edit.locator('.diff .line.add').allTextContents()).toEqual(['+  return a + b\n'])
    expect(await readFile(path.join(project.root, 'math.js'), 'utf8')).toContain('a - b') // nothing before the approval
    // The session id is the only thing that differs between runs: fixed, so the committed screenshot changes only when the UI does.
    await page.locator('#session-id').evaluate((node) => (node.textContent = 'session 20261125-093012-7f3a'))
    await page.screenshot({path: SCREENSHOT})
    expect((await readFile(SCREENSHOT)).subarray(1, 4).toString()).toBe('PNG')

    await edit.locator('.confirm button[data-answer="approve"]').click()
    await edit.locator('.tool-state', {hasText: '✓'}).waitFor()
    await page.locator('.message.assistant', {hasText: 'it now returns'}).waitFor()
    expect(await readFile(path.join(project.root, 'math.js'), 'utf8')).toBe('export function add(a, b) {\n  return a + b\n}\n')
    await expect.poll(() => page.locator('#sessions li').count()).toBe(1)
  })
})
