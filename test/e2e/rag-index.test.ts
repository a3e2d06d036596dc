import {execa} from 'execa'
import {existsSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {CLI_BIN} from '../support/cli.js'
import {cliFixture} from '../support/cli-fixture.js'
import {chromaIds, embedInputs, FILES, filler, fn, manifestChunkIds, readManifestFile, requireChroma, startEmbedGate, tempProject} from '../support/rag.js'

// What only a process shows: kill -9 and Ctrl-C in the middle of a run, two runs at once, and the
// embedded Chroma a run starts and must stop. The rest of indexing and searching (exit codes 7 and
// 8 included) is tested in process, in test/commands/index.test.ts.
const chromaUrl = requireChroma()
const {ollama, cli: runCli, run} = await cliFixture()
const project = (files: Record<string, string> = FILES) => tempProject(files)

/** The CLI against the shared test Chroma (CHROMA_URL, as a user would set it) unless env says otherwise. */
const cli = (root: string, args: string[], env: Record<string, string | undefined> = {}, host = ollama.url) =>
  runCli(args, {cwd: root, host, env: {CHROMA_URL: chromaUrl, ...env}})
/** What follows a kill, or runs beside a process, needs no process of its own: in process. */
const inProcess = (root: string, args: string[], host = ollama.url) => run(args, {cwd: root, host, env: {CHROMA_URL: chromaUrl}})

const json = <T = any>(stdout: string): T => JSON.parse(stdout) as T
/** Error lines are read as one line, however they were wrapped. */
const flat = (stderr: string) => stderr.replace(/\s*\n\s*(›\s*)?/g, ' ')

describe('faithh index as a process', () => {
  it('killed mid-run (SIGKILL) never leaves results that point at wrong code; a rerun completes the index', async () => {
    const files = Object.fromEntries(Array.from({length: 40}, (_, i) => [`src/part${i}.ts`, fn(`partHandler${i}`, filler(`p${i}_`))]))
    const {root} = await project({...files, '.faithh/config.json': JSON.stringify({rag: {batchSize: 2}})})
    const gate = await startEmbedGate(ollama.url, {delayMs: 150})
    try {
      const child = execa('node', [CLI_BIN, 'index'], {
        cwd: root,
        env: {OLLAMA_HOST: gate.url, CHROMA_URL: chromaUrl, NO_COLOR: '1'},
        reject: false,
        stdin: 'ignore',
      })
      // Past the 2-second commit interval (17 x 150 ms), and before the end (20 batches).
      for (let i = 0; i < 400 && gate.embedRequests < 17; i++) await new Promise((r) => setTimeout(r, 25))
      child.kill('SIGKILL')
      await child
    } finally {
      await gate.close()
    }

    const partial = await readManifestFile(root)
    const committed = Object.keys(partial?.files ?? {})
    expect(committed.length).toBeGreaterThan(0)
    expect(committed.length).toBeLessThan(40)
    // Every committed vector exists (vectors written after the last commit may too: they are not served).
    const stored = new Set(await chromaIds(chromaUrl, root))
    expect(manifestChunkIds(partial, {embeddedOnly: true}).every((id) => stored.has(id))).toBe(true)
    const search = await inProcess(root, ['search', 'partHandler39 handler', '--json', '-n', '40'])
    expect(search.exitCode, search.stderr).toBe(0)
    for (const hit of json(search.stdout).hits) expect(committed).toContain(hit.path)

    ollama.requests.length = 0
    const rerun = await inProcess(root, ['index', '--json'])
    expect(rerun.exitCode, rerun.stderr).toBe(0)
    expect(embedInputs(ollama).length).toBe(40 - committed.length)
    const manifest = await readManifestFile(root)
    expect(Object.keys(manifest!.files)).toHaveLength(40)
    expect(await chromaIds(chromaUrl, root)).toEqual(manifestChunkIds(manifest))
  })
})

describe('Chroma, from a process', () => {
  it('runs its own Chroma under .faithh/chroma when no URL is set, and leaves nothing running', async () => {
    const {root} = await project()
    const result = await cli(root, ['index', '--json'], {CHROMA_URL: undefined})
    expect(result.exitCode, result.stderr).toBe(0)
    expect(json(result.stdout).vectors).toMatchObject({enabled: true, store: 'embedded'})
    expect(existsSync(path.join(root, '.faithh/chroma/chroma.sqlite3'))).toBe(true)
    expect(existsSync(path.join(root, '.faithh/chroma.server.json'))).toBe(false)

    const search = await cli(root, ['search', 'invoice total', '--json'], {CHROMA_URL: undefined})
    expect(search.exitCode, search.stderr).toBe(0)
    expect(json(search.stdout)).toMatchObject({mode: 'hybrid', notes: []})
    expect(json(search.stdout).hits[0].path).toBe('src/billing.ts')
    expect(existsSync(path.join(root, '.faithh/chroma.server.json'))).toBe(false)
    const {stdout} = await execa('ps', ['-eo', 'args'])
    expect(stdout).not.toContain(path.join(root, '.faithh/chroma'))
  })
})

describe('cancelling and concurrency', () => {
  it('refuses a second faithh index on the same project while one runs, naming the first one', async () => {
    const files = Object.fromEntries(Array.from({length: 10}, (_, i) => [`src/b${i}.ts`, fn(`busy${i}`, filler(`b${i}_`))]))
    const {root} = await project({...files, '.faithh/config.json': JSON.stringify({rag: {batchSize: 2}})})
    // The first run is held at its first embed request until the second has been refused.
    const gate = await startEmbedGate(ollama.url, {hold: true})
    try {
      const first = execa('node', [CLI_BIN, 'index'], {
        cwd: root,
        env: {OLLAMA_HOST: gate.url, CHROMA_URL: chromaUrl, NO_COLOR: '1'},
        reject: false,
        stdin: 'ignore',
      })
      for (let i = 0; i < 400 && gate.embedRequests < 1; i++) await new Promise((r) => setTimeout(r, 25))
      const second = await inProcess(root, ['index'], gate.url)
      gate.release()
      expect(second.exitCode).toBe(1)
      expect(flat(second.stderr)).toContain(`another \`faithh index\` (pid ${first.pid}) is updating this project's index`)
      expect((await first).exitCode).toBe(0)
    } finally {
      await gate.close()
    }

    expect(Object.keys((await readManifestFile(root))!.files)).toHaveLength(10)
  })

  it('Ctrl-C stops after the current batch, commits what is done, exit code 130', async () => {
    const files = Object.fromEntries(Array.from({length: 30}, (_, i) => [`src/c${i}.ts`, fn(`cancelMe${i}`, filler(`c${i}_`))]))
    const {root} = await project({...files, '.faithh/config.json': JSON.stringify({rag: {batchSize: 2}})})
    const gate = await startEmbedGate(ollama.url, {delayMs: 100})
    try {
      const child = execa('node', [CLI_BIN, 'index'], {
        cwd: root,
        env: {OLLAMA_HOST: gate.url, CHROMA_URL: chromaUrl, NO_COLOR: '1'},
        reject: false,
        stdin: 'ignore',
      })
      for (let i = 0; i < 200 && gate.embedRequests < 4; i++) await new Promise((r) => setTimeout(r, 25))
      child.kill('SIGINT')
      const result = await child
      expect(result.exitCode).toBe(130)
      expect(flat(result.stderr)).toContain('cancelled; the work done so far is saved')
    } finally {
      await gate.close()
    }

    const manifest = await readManifestFile(root)
    expect(Object.keys(manifest!.files).length).toBeGreaterThanOrEqual(3)
    expect(Object.keys(manifest!.files).length).toBeLessThan(30)
  })
})
