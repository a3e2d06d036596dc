import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {TestProject} from 'vitest/node'
import {freePort} from '../../src/core/rag/chroma-server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A real Chroma server (the chromadb package's own `chroma run`) shared by the RAG tests. */
    chromaUrl: string
    chromaError: string
  }
}

/**
 * Starts one Chroma server for the whole run, from the npm package (no download), on a free loopback
 * port with its data in a temp folder. Each test project gets its own collection (named from its
 * root), so tests share the server without seeing each other's vectors.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'faithh-chroma-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  let child: ChildProcess | undefined
  let log = ''
  try {
    child = spawn(process.execPath, [chromaCli(), 'run', '--path', dir, '--host', '127.0.0.1', '--port', String(port)], {stdio: ['ignore', 'pipe', 'pipe']})
    child.stdout?.on('data', (d) => (log += d))
    child.stderr?.on('data', (d) => (log += d))
    await waitForHeartbeat(url, child)
    project.provide('chromaUrl', url)
    project.provide('chromaError', '')
  } catch (error) {
    project.provide('chromaUrl', '')
    project.provide('chromaError', `could not start Chroma for the tests: ${(error as Error).message}\n${log.slice(-2000)}`)
  }

  return async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }

    await rm(dir, {recursive: true, force: true})
  }
}

/** The `chroma` bin of the installed chromadb package, from its package.json. */
function chromaCli(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve('chromadb'))
  for (;;) {
    const file = path.join(dir, 'package.json')
    const pkg = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as {name?: string; bin?: {chroma?: string}}) : {}
    if (pkg.name === 'chromadb' && pkg.bin?.chroma) return path.join(dir, pkg.bin.chroma)
    if (path.dirname(dir) === dir) throw new Error('chromadb package without a chroma bin')
    dir = path.dirname(dir)
  }
}

async function waitForHeartbeat(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`chroma exited with code ${child.exitCode}`)
    try {
      if ((await fetch(`${url}/api/v2/heartbeat`)).ok) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50))
  }

  throw new Error('no heartbeat within 30 s')
}
