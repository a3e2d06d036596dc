import {existsSync} from 'node:fs'
import {mkdtemp, realpath, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {approveAll, refuseAll, type ConfirmAnswer, type Confirmer, type ConfirmRequest} from '../../../src/core/access/confirm.js'
import {ProjectAccess} from '../../../src/core/access/project-access.js'
import {ChangeJournal} from '../../../src/core/changes/journal.js'
import {createPermissionPolicy, permissionsConfigSchema} from '../../../src/core/permissions/index.js'
import {sandboxConfigSchema, type SandboxConfig} from '../../../src/core/sandbox/config.js'
import {Sandbox} from '../../../src/core/sandbox/sandbox.js'
import {needsSandbox} from '../../support/requirements.js'

const roots: string[] = []
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, {recursive: true, force: true})))
})

/** A person at a terminal, answering every question the same way, who keeps the questions. */
function person(answer: ConfirmAnswer): Confirmer & {asked: ConfirmRequest[]} {
  const asked: ConfirmRequest[] = []
  return {interactive: true, asked, confirm: async (request) => (asked.push(request), answer)}
}

/** FAITHH_BWRAP empty: how a test (or a user) makes the sandbox unavailable. */
async function gate(confirmer: Confirmer, {available, config = {}}: {available: boolean; config?: Partial<SandboxConfig>}) {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'faithh-access-')))
  roots.push(root)
  const env = available ? process.env : {...process.env, FAITHH_BWRAP: ''}
  const sandbox = new Sandbox({root, env, config: sandboxConfigSchema.parse(config)})
  const notices: string[] = []
  const policy = createPermissionPolicy(root, permissionsConfigSchema.parse({}))
  const access = new ProjectAccess(root, {policy, confirmer, journal: new ChangeJournal(root, 'test'), sandbox, notify: (message) => notices.push(message)})
  return {root, access, notices}
}

const run = {signal: new AbortController().signal, timeoutMs: 10_000, maxOutputBytes: 1024 * 1024}

describe('ProjectAccess without a sandbox', () => {
  it.each([
    ['--yes', approveAll],
    ['no terminal', refuseAll],
  ])('refuses a command that is not read-only (%s), and says how to proceed', async (_, confirmer) => {
    const {root, access} = await gate(confirmer, {available: false})
    const result = await access.runCommand('touch made.txt', {tool: 'run_command', ...run})
    expect(result.ok).toBe(false)
    expect(!result.ok && result.reason).toMatch(/without a sandbox \(FAITHH_BWRAP is set and empty\).*"sandbox": "off".*--yes/)
    expect(access.refusals.map((refusal) => refusal.kind)).toEqual(['needs_approval'])
    expect(existsSync(path.join(root, 'made.txt'))).toBe(false)
  })

  it("refuses an allowed command too: `npm test` runs the project's code", async () => {
    const {access} = await gate(approveAll, {available: false})
    expect((await access.approveCommand('npm test', 'run')).ok).toBe(false)
  })

  it('runs a read-only command without asking, unsandboxed', async () => {
    const {access} = await gate(refuseAll, {available: false})
    const result = await access.runCommand('echo hello', {tool: 'run_command', ...run})
    expect(result.ok && result.run).toMatchObject({output: 'hello\n', sandboxed: false})
  })

  it('asks a person at a terminal, saying the command would run unsandboxed; the notice is given once', async () => {
    const you = person({approved: true, remember: false})
    const {root, access, notices} = await gate(you, {available: false})
    const first = await access.runCommand('touch made.txt', {tool: 'run_command', ...run})
    await access.runCommand('touch other.txt', {tool: 'run_command', ...run})
    expect(first.ok && first.run.sandboxed).toBe(false)
    expect(existsSync(path.join(root, 'made.txt'))).toBe(true)
    expect(you.asked).toHaveLength(2)
    expect(you.asked[0]).toMatchObject({kind: 'command', reason: expect.stringContaining('unsandboxed, with all your rights'), sandbox: {sandboxed: false}})
    expect(notices).toEqual([expect.stringMatching(/^no sandbox: FAITHH_BWRAP is set and empty/)])
  })

  it('still denies what the policy denies', async () => {
    const you = person({approved: true, remember: false})
    const {access} = await gate(you, {available: false})
    expect((await access.approveCommand('sudo ls', 'run')).ok).toBe(false)
    expect(you.asked).toHaveLength(0)
  })
})

describe('ProjectAccess with "sandbox": "off"', () => {
  it('runs what --yes approves, unsandboxed', async () => {
    const {root, access, notices} = await gate(approveAll, {available: true, config: {mode: 'off'}})
    const result = await access.runCommand('touch made.txt', {tool: 'run_command', ...run})
    expect(result.ok && result.run.sandboxed).toBe(false)
    expect(existsSync(path.join(root, 'made.txt'))).toBe(true)
    expect(notices).toEqual([expect.stringContaining('sandbox off')])
  })

  it('still refuses without a terminal and without --yes', async () => {
    const {access} = await gate(refuseAll, {available: true, config: {mode: 'off'}})
    const approval = await access.approveCommand('npm test', 'run')
    expect(!approval.ok && approval.reason).toMatch(/unsandboxed.*rerun with --yes to run it anyway/)
  })
})

describe.skipIf(!needsSandbox('ProjectAccess with a sandbox'))('ProjectAccess with a sandbox', () => {
  it('runs an allowed command sandboxed, without asking or a notice', async () => {
    const you = person({approved: false})
    const {access, notices} = await gate(you, {available: true, config: {}})
    const result = await access.runCommand('echo hello', {tool: 'run_command', ...run})
    expect(result.ok && result.run).toMatchObject({sandboxed: true, network: 'none', output: 'hello\n'})
    expect(you.asked).toHaveLength(0)
    expect(notices).toEqual([])
  })

  it('shows what the sandbox allows when it asks, and grants the network the person chose', async () => {
    const you = person({approved: true, remember: false, network: 'full'})
    const {access} = await gate(you, {available: true})
    const approval = await access.approveCommand('npm install left-pad', 'run_command')
    expect(you.asked[0]).toMatchObject({sandbox: {sandboxed: true, network: 'none', summary: expect.stringContaining('no network')}})
    expect(approval.ok && approval.command.grant).toMatchObject({network: 'full', sources: ['confirmed at the prompt']})
  })

  it('does not let --yes widen the network: only a grant in the config or a flag does', async () => {
    const {access} = await gate(approveAll, {available: true, config: {grants: [{commands: ['npm install'], network: 'full'}]}})
    const install = await access.approveCommand('npm install left-pad', 'run_command')
    const build = await access.approveCommand('npm run build', 'run_command')
    const flagged = await access.approveCommand('npm run build', 'run', {network: 'loopback', source: '--network'})
    expect(install.ok && install.command.grant.network).toBe('full')
    expect(build.ok && build.command.grant.network).toBe('none')
    expect(flagged.ok && flagged.command.grant).toMatchObject({network: 'loopback', sources: ['--network']})
  })
})
