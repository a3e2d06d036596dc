import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {requireBuild, runCli} from '../support/cli.js'
import {startFakeOllama, type FakeOllama} from '../support/fake-ollama.js'
import {makeProject, type Fixture} from '../support/fixture.js'
import {needsSandbox} from '../support/requirements.js'

let ollama: FakeOllama
let project: Fixture

beforeAll(async () => {
  requireBuild()
  ollama = await startFakeOllama()
})
afterAll(() => ollama.close())
beforeEach(async () => {
  project = await makeProject({})
})
afterEach(() => project.cleanup())

const doctor = (args: string[] = [], env: Record<string, string> = {}) => runCli(['doctor', ...args], {cwd: project.root, host: ollama.url, env})

describe.skipIf(!needsSandbox('faithh doctor where a sandbox works'))('faithh doctor where a sandbox works', () => {
  it('starts a sandbox, tries to escape it, and says what it isolates', async () => {
    const result = await doctor()
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/✓ sandbox: bubblewrap [\d.]+ \(\/\S*bwrap\) runs every command/)
    expect(result.stdout).toContain('no network (a loopback of its own)')
    expect(result.stdout).toContain('checked just now, all refused: read outside the project, write outside the project, connect to this machine')
  })

  it('reports it in --json', async () => {
    const report = JSON.parse((await doctor(['--json'])).stdout)
    expect(report.sandbox).toMatchObject({
      enabled: true,
      backend: 'bwrap',
      mode: 'auto',
      network: 'none',
      processLimit: {method: expect.stringMatching(/^(cgroup|rlimit|none)$/)},
      isolates: expect.arrayContaining([expect.stringMatching(/^files: /), expect.stringMatching(/^home folder: /)]),
      checks: [
        {name: 'read outside the project', contained: true},
        {name: 'write outside the project', contained: true},
        {name: 'connect to this machine', contained: true},
      ],
    })
  })

  it('says when a configured grant lets commands reach this machine', async () => {
    await mkdir(path.join(project.root, '.faithh'), {recursive: true})
    await writeFile(path.join(project.root, '.faithh/config.json'), JSON.stringify({sandbox: {network: 'full'}}))
    const result = await doctor()
    expect(result.stdout).toContain('network: full (configured)')
    expect(result.stdout).toContain('NOT contained just now: connect to this machine')
  })
})

describe('faithh doctor where no sandbox works', () => {
  it('says why there is no sandbox, without failing', async () => {
    const result = await doctor([], {FAITHH_BWRAP: ''})
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toContain('! no sandbox: FAITHH_BWRAP is set and empty — commands that are not read-only ask first')
    expect(JSON.parse((await doctor(['--json'], {FAITHH_BWRAP: ''})).stdout).sandbox).toMatchObject({enabled: false, reason: 'FAITHH_BWRAP is set and empty'})
  })
})
