import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {sweepLeftovers} from '../../../src/core/sandbox/leftovers.js'

const made: string[] = []
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, {recursive: true, force: true})))
})

describe('sweepLeftovers', () => {
  it('removes the temp folders of faithh processes that are gone (killed mid-run), and keeps those of live ones', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    const gone = path.join(os.tmpdir(), `faithh-sandbox-${dead}-abc123`)
    const running = path.join(os.tmpdir(), `faithh-sandbox-${process.pid}-def456`)
    const unrelated = path.join(os.tmpdir(), `faithh-sandbox-notapid`)
    for (const dir of [gone, running, unrelated]) {
      await mkdir(path.join(dir, 'tmp'), {recursive: true})
      await writeFile(path.join(dir, 'tmp', 'left.txt'), 'x')
      made.push(dir)
    }

    sweepLeftovers()
    expect(existsSync(gone)).toBe(false)
    expect(existsSync(running)).toBe(true)
    expect(existsSync(unrelated)).toBe(true)
  })
})
