import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {acquireEmbeddedChroma, heartbeat} from '../../../src/core/rag/chroma-server.js'

let dir: string
let dataDir: string
const stateFile = () => path.join(dir, 'chroma.server.json')

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faithh-embedded-'))
  dataDir = path.join(dir, 'chroma')
})

afterEach(async () => {
  await rm(dir, {recursive: true, force: true})
})

/** A pid that certainly belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = execa('node', ['-e', '0'])
  await child
  return child.pid!
}

describe('the embedded Chroma server', () => {
  it('is shared by handles that overlap and stopped when the last one is released', async () => {
    const first = await acquireEmbeddedChroma(dataDir)
    const second = await acquireEmbeddedChroma(dataDir)
    expect(second.url).toBe(first.url)
    expect(JSON.parse(await readFile(stateFile(), 'utf8')).users).toHaveLength(2)

    await first.release()
    expect(await heartbeat(first.url)).toBe(true)
    await second.release()
    await second.release() // twice is harmless
    expect(await heartbeat(first.url)).toBe(false)
    expect(existsSync(stateFile())).toBe(false)
    expect(existsSync(path.join(dir, 'chroma.lock'))).toBe(false)
  })

  it('reuses a server whose faithh was killed, and stops it afterwards', async () => {
    const orphaned = await acquireEmbeddedChroma(dataDir)
    // As if its process had been SIGKILLed: the state lists only a dead user, the server still runs.
    const state = JSON.parse(await readFile(stateFile(), 'utf8'))
    await writeFile(stateFile(), JSON.stringify({...state, users: [`${await deadPid()}.dead`]}))

    const next = await acquireEmbeddedChroma(dataDir)
    expect(next.url).toBe(orphaned.url)
    await next.release()
    expect(await heartbeat(orphaned.url)).toBe(false)
  })

  it('starts a new server when the recorded one is gone, and takes over a lock left by a dead process', async () => {
    await writeFile(stateFile(), JSON.stringify({pid: await deadPid(), port: 9, users: []}))
    await execa('mkdir', ['-p', path.join(dir, 'chroma.lock')])
    await writeFile(path.join(dir, 'chroma.lock', 'pid'), String(await deadPid()))

    const server = await acquireEmbeddedChroma(dataDir)
    try {
      expect(server.url).not.toBe('http://127.0.0.1:9')
      expect(await heartbeat(server.url)).toBe(true)
      expect(existsSync(path.join(dataDir, 'chroma.sqlite3'))).toBe(true)
    } finally {
      await server.release()
    }
  })
})
