import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {CLI_BIN, requireBuild, runCli} from '../support/cli.js'
import {makeProject, type Fixture} from '../support/fixture.js'
import {processesWith} from '../support/hostile-project.js'
import {needsSandbox} from '../support/requirements.js'

/**
 * `faithh run` and the sandbox from the outside: what a Makefile sees. The fallback is forced with
 * FAITHH_BWRAP (empty, or a path that is no bwrap), as a user on a machine without bubblewrap has it.
 */

let project: Fixture
// `npm test` runs the project's code: here it leaves a file behind to show it ran.
const PACKAGE = JSON.stringify({name: 'demo', private: true, scripts: {test: "node -e \"require('fs').writeFileSync('ran.txt', 'ran')\""}})

beforeAll(() => requireBuild())
beforeEach(async () => {
  project = await makeProject({'package.json': PACKAGE})
})
afterEach(() => project.cleanup())

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, {cwd: project.root, env, timeoutMs: 60_000})
const ran = () => existsSync(path.join(project.root, 'ran.txt'))
const NO_SANDBOX = {FAITHH_BWRAP: ''}

describe('faithh run where no sandbox works', () => {
  it('refuses `npm test` even with --yes (exit 6), says why once, and runs nothing', async () => {
    const result = await cli(['run', 'npm test', '--yes'], NO_SANDBOX)
    expect(result.exitCode).toBe(6)
    expect(result.stderr.match(/no sandbox: FAITHH_BWRAP is set and empty/g)).toHaveLength(1)
    expect(result.stderr).toContain('"sandbox": "off"')
    expect(ran()).toBe(false)
  })

  it('refuses it without --yes too', async () => {
    const result = await cli(['run', 'npm test'], {FAITHH_BWRAP: '/nonexistent/bwrap'})
    expect(result.exitCode).toBe(6)
    expect(result.stderr).toContain('FAITHH_BWRAP names /nonexistent/bwrap, which is not an executable')
    expect(ran()).toBe(false)
  })

  it('still runs a read-only command', async () => {
    const result = await cli(['run', 'cat package.json'], NO_SANDBOX)
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toBe(PACKAGE)
  })

  it.each([
    ['FAITHH_SANDBOX=off', {FAITHH_SANDBOX: 'off'}, undefined],
    ['"sandbox": "off" in the config', {}, '{"sandbox": "off"}'],
  ])('runs it unsandboxed with --yes and %s', async (_, env, config) => {
    if (config) {
      await mkdir(path.join(project.root, '.faithh'), {recursive: true})
      await writeFile(path.join(project.root, '.faithh/config.json'), config)
    }

    const result = await cli(['run', 'npm test', '--yes', '--json'], {...NO_SANDBOX, ...env})
    expect(result.exitCode, result.stderr).toBe(0)
    expect(ran()).toBe(true)
    expect(JSON.parse(result.stdout).sandbox).toMatchObject({enabled: false, mode: 'off'})
    expect(result.stderr).toMatch(/sandbox off/)
  })
})

describe.skipIf(!needsSandbox('faithh run in the sandbox'))('faithh run in the sandbox', () => {
  it('reports the sandbox in --json, with the network --network granted', async () => {
    const result = await cli(['run', 'npm test', '--json', '--network', 'loopback'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(ran()).toBe(true)
    expect(JSON.parse(result.stdout)).toMatchObject({passed: true, sandbox: {enabled: true, backend: 'bwrap', network: 'loopback'}})
  })

  it('stops the command at --timeout with exit 124, and nothing of it survives', async () => {
    const marker = `faithh-timeout-${Date.now()}`
    const started = Date.now()
    const result = await cli(['run', `node -e "setInterval(() => {}, 1000)" ${marker}`, '--timeout', '1', '--yes'])
    expect(result.exitCode).toBe(124)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(await processesWith(marker)).toEqual([])
  })

  it('stops the whole sandbox on Ctrl-C: exit 130, nothing of it survives', async () => {
    const marker = `faithh-interrupt-${Date.now()}`
    const child = execa('node', [CLI_BIN, 'run', `node -e "process.on('SIGINT', () => {}); setInterval(() => {}, 1000)" ${marker}`, '--yes'], {
      cwd: project.root,
      reject: false,
      stdin: 'ignore',
    })
    // The command is running once the sandboxed node shows up (faithh's own command line names the marker too).
    await expect.poll(async () => (await processesWith(marker, [child.pid])).length, {timeout: 15_000}).toBeGreaterThan(1)
    child.kill('SIGINT')
    const result = await child
    expect(result.exitCode).toBe(130)
    await expect.poll(() => processesWith(marker), {timeout: 5000}).toEqual([])
  })
})
