import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {closeSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {createServer} from 'node:net'
import path from 'node:path'

import {isAlive, withDirLock} from './dir-lock.js'
import {RagError} from './rag-error.js'

/**
 * The Chroma server faithh runs itself when no URL is configured: the `chroma` CLI that the chromadb
 * npm package ships, on a free loopback port, with its data in the project's .faithh/chroma.
 *
 * Lifecycle: started by the first faithh process that needs vectors and stopped when the last one
 * using it exits. It starts in ~150 ms (measured; see README), so keeping a server running between
 * commands would save little and leave a process behind. Concurrent faithh processes on one project
 * share the server instead of opening the same files twice: a small state file lists the server's
 * pid and port and the pids using it, changed only under a lock directory.
 */
export interface EmbeddedChroma {
  url: string
  /** Stops the server unless another faithh process still uses it. Safe to call twice. */
  release(): Promise<void>
}

const START_TIMEOUT_MS = 20_000
const LOCK_TIMEOUT_MS = 30_000

interface ServerState {
  pid: number
  port: number
  /** One entry per open handle, "<pid>.<nonce>": a process may hold several (a retriever and an indexer). */
  users: string[]
}

const userAlive = (user: string) => isAlive(Number(user.split('.')[0]))

export async function acquireEmbeddedChroma(dataDir: string, signal?: AbortSignal): Promise<EmbeddedChroma> {
  await mkdir(dataDir, {recursive: true})
  const files = stateFiles(dataDir)
  const me = `${process.pid}.${randomBytes(4).toString('hex')}`
  const state = await withLock(files.lock, async () => {
    const current = await readState(files.state)
    if (current && isAlive(current.pid) && (await heartbeat(urlFor(current.port)))) {
      const next = {...current, users: [...current.users.filter(userAlive), me]}
      await writeFile(files.state, JSON.stringify(next))
      return next
    }

    if (current && isAlive(current.pid) && isChromaProcess(current.pid)) process.kill(current.pid, 'SIGKILL')
    const started = {...(await startServer(dataDir, files.log, signal)), users: [me]}
    await writeFile(files.state, JSON.stringify(started))
    return started
  })

  let released = false
  const onExit = () => {
    // Last resort when the process exits without release() (process.exit, an uncaught error).
    if (!released) releaseSync(files, state.pid, me)
  }

  process.once('exit', onExit)
  return {
    url: urlFor(state.port),
    async release() {
      if (released) return
      released = true
      process.off('exit', onExit)
      await withLock(files.lock, async () => {
        const current = await readState(files.state)
        if (!current || current.pid !== state.pid) return
        const users = current.users.filter((user) => user !== me && userAlive(user))
        if (users.length > 0) return writeFile(files.state, JSON.stringify({...current, users}))
        await stopServer(current.pid)
        await rm(files.state, {force: true})
      })
    },
  }
}

function stateFiles(dataDir: string) {
  const parent = path.dirname(dataDir)
  const base = path.basename(dataDir)
  return {
    state: path.join(parent, `${base}.server.json`),
    lock: path.join(parent, `${base}.lock`),
    log: path.join(parent, `${base}.log`),
  }
}

/** The `chroma` bin of the installed chromadb package (from its package.json), run with this same node. */
function chromaCli(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve('chromadb'))
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {name?: string; bin?: Record<string, string>}
      if (pkg.name === 'chromadb' && pkg.bin?.chroma) return path.join(dir, pkg.bin.chroma)
    } catch {}
    const parent = path.dirname(dir)
    if (parent === dir) throw new RagError('chroma_failed', "the chromadb package has no `chroma` CLI; reinstall faithh's dependencies (`npm ci`)")
    dir = parent
  }
}

async function startServer(dataDir: string, logFile: string, signal?: AbortSignal): Promise<Omit<ServerState, 'users'>> {
  const port = await freePort()
  const log = openSync(logFile, 'w')
  // Detached: its own process group, so a Ctrl-C meant for faithh does not kill the server while
  // faithh is still committing; faithh stops it itself.
  const child = spawn(process.execPath, [chromaCli(), 'run', '--path', dataDir, '--host', '127.0.0.1', '--port', String(port)], {
    detached: true,
    stdio: ['ignore', log, log],
    env: offlineEnvironment(process.env),
  })
  closeSync(log)
  child.unref()
  let exited: number | null | undefined
  child.once('exit', (code) => (exited = code))
  child.once('error', () => (exited = -1))

  const url = urlFor(port)
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (signal?.aborted) break
    if (exited !== undefined) break
    if (await heartbeat(url)) return {pid: child.pid!, port}
    await sleep(25)
  }

  if (child.pid && exited === undefined) await stopServer(child.pid)
  const tail = await readFile(logFile, 'utf8').then(
    (text) => text.trim().split('\n').slice(-5).join('\n'),
    () => '',
  )
  throw new RagError(
    'chroma_unreachable',
    `could not start the embedded Chroma server (${chromaCli()} run --path ${dataDir})` +
      (exited !== undefined ? `: it exited with code ${exited}` : signal?.aborted ? ': cancelled' : `: no heartbeat within ${START_TIMEOUT_MS / 1000} s`) +
      (tail ? `\n${tail}` : '') +
      `\nSee ${logFile}, or run a Chroma server yourself and set CHROMA_URL (or rag.chromaUrl).`,
  )
}

async function stopServer(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    return
  }

  for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(20)
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
}

function releaseSync(files: ReturnType<typeof stateFiles>, pid: number, me: string): void {
  try {
    const current = JSON.parse(readFileSync(files.state, 'utf8')) as ServerState
    if (current.pid !== pid) return
    const users = current.users.filter((user) => user !== me && userAlive(user))
    if (users.length > 0) {
      writeFileSync(files.state, JSON.stringify({...current, users}))
      return
    }

    process.kill(pid, 'SIGTERM')
    rmSync(files.state, {force: true})
  } catch {}
}

export async function heartbeat(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/v2/heartbeat`, {signal: AbortSignal.timeout(timeoutMs)})
    return response.ok
  } catch {
    return false
  }
}

async function withLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  return withDirLock(lockDir, work, {
    waitMs: LOCK_TIMEOUT_MS,
    busy: (owner) => new RagError('chroma_failed', `timed out waiting for ${lockDir} (held by pid ${owner}); if no faithh is running, delete it`),
  })
}

async function readState(file: string): Promise<ServerState | undefined> {
  try {
    const state = JSON.parse(await readFile(file, 'utf8')) as ServerState
    return Number.isInteger(state.pid) && Number.isInteger(state.port) && Array.isArray(state.users) ? state : undefined
  } catch {
    return undefined
  }
}

/** Guards against pid reuse before killing a server that stopped answering (Linux only; elsewhere: leave it). */
function isChromaProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chromadb')
  } catch {
    return false
  }
}

/** A free TCP port on loopback, for a server we start ourselves. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number}
      server.close(() => resolve(port))
    })
  })
}

/**
 * Nothing leaves the machine: Chroma's anonymized telemetry off, and no OpenTelemetry exporter a
 * user's environment might point elsewhere (the server reads OTEL_* for its traces).
 */
function offlineEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('OTEL_')))
  return {...kept, ANONYMIZED_TELEMETRY: 'False', CHROMA_ANONYMIZED_TELEMETRY: 'False'}
}

const urlFor = (port: number) => `http://127.0.0.1:${port}`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
