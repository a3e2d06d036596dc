import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import type {ServerApprover, ServerStartAnswer, ServerStartRequest} from '../../../src/core/mcp/admission.js'
import {configuredServers} from '../../../src/core/mcp/configured.js'
import {McpServers} from '../../../src/core/mcp/servers.js'
import {trustStore, type TrustStore} from '../../../src/core/mcp/trust.js'
import type {SandboxConfig} from '../../../src/core/sandbox/config.js'
import {makeProject, type Fixture} from '../../support/fixture.js'
import {configureProjectServers, leftoverProcesses, processesMarked, sandboxFor, stdioEntry, UNRULY_SERVER, userServers} from '../../support/mcp.js'

/**
 * Which servers may start: a project's only once the user trusts that very entry, and one that would
 * run unsandboxed against its entry only with a person's consent (or --yes where the user turned the
 * sandbox off). The servers here are unsandboxed on purpose ("sandbox": false) unless a test is about
 * the sandbox's absence, which FAITHH_BWRAP= brings about on any machine.
 */

let project: Fixture | undefined
let configHome: string | undefined
const started: McpServers[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((servers) => servers.close()))
  await project?.cleanup()
  if (configHome) await rm(configHome, {recursive: true, force: true})
  project = configHome = undefined
})

/** Answers with the given answers in turn, and keeps what it was asked: a person at the terminal. */
function person(...answers: ServerStartAnswer[]): ServerApprover & {asked: ServerStartRequest[]} {
  const asked: ServerStartRequest[] = []
  return {asked, approve: async (request) => (asked.push(request), answers.shift() ?? {start: false, remember: false})}
}

interface Setup {
  root: string
  env: NodeJS.ProcessEnv
  trust: TrustStore
}

async function setup(): Promise<Setup> {
  project = await makeProject({'app.js': '1\n'})
  configHome = await mkdtemp(path.join(tmpdir(), 'faithh-trust-'))
  const env = {...process.env, XDG_CONFIG_HOME: configHome}
  return {root: project.root, env, trust: trustStore(env)}
}

/** Starts the servers the project's (and user's) config declares, as an agent command would. */
async function startConfigured(
  {root, env, trust}: Setup,
  options: {approver?: ServerApprover; yes?: boolean; sandbox?: Partial<SandboxConfig>; noSandboxHere?: boolean} = {},
) {
  const warnings: string[] = []
  const {servers} = await configuredServers({cwd: root, env})
  const sandboxEnv = options.noSandboxHere ? {...env, FAITHH_BWRAP: ''} : env
  const running = await McpServers.start(servers, {
    sandbox: sandboxFor(root, options.sandbox, {env: sandboxEnv}),
    trust,
    approver: options.approver,
    yes: options.yes,
    onWarning: (message) => warnings.push(message),
  })
  started.push(running)
  const state = (name: string) => running.statuses().find((status) => status.name === name)
  return {running, warnings, state}
}

describe("a project's MCP servers need the user's trust", () => {
  it('without a terminal, untrusted ones are not started: one warning names them and how to trust them', async () => {
    const s = await setup()
    const one = stdioEntry(UNRULY_SERVER)
    await configureProjectServers(s.root, {one: one.entry, two: stdioEntry(UNRULY_SERVER).entry}, {trust: false, configHome})
    const {running, warnings, state} = await startConfigured(s)
    expect(warnings).toEqual([
      'MCP servers "one", "two" of this project\'s .faithh/config.json are not trusted yet, so not started: review with `faithh mcp list`, ' +
        'then trust with `faithh mcp trust` (or run faithh at a terminal, which asks)',
    ])
    expect(running.tools).toEqual([])
    expect(state('one')).toMatchObject({source: 'project', state: 'blocked', message: expect.stringContaining('`faithh mcp trust one`')})
    expect(await processesMarked(one.mark)).toEqual([])
  })

  it('--yes does not trust them, and says so', async () => {
    const s = await setup()
    await configureProjectServers(s.root, {one: stdioEntry(UNRULY_SERVER).entry}, {trust: false, configHome})
    const {warnings, state} = await startConfigured(s, {yes: true})
    expect(warnings[0]).toContain("is not trusted yet, so not started (--yes does not trust a project's servers)")
    expect(state('one')!.state).toBe('blocked')
  })

  it('at a terminal: asked once with what it runs, trusted, remembered for the next run without a terminal', async () => {
    const s = await setup()
    const {entry, mark} = stdioEntry(UNRULY_SERVER, ['--flag value'])
    await configureProjectServers(s.root, {one: entry}, {trust: false, configHome})
    const asker = person({start: true, remember: true})
    const first = await startConfigured(s, {approver: asker})
    expect(asker.asked).toEqual([
      {
        name: 'one',
        source: 'project',
        file: path.join(s.root, '.faithh/config.json'),
        launch: `${process.execPath} ${UNRULY_SERVER} '--flag value'`,
        runs: 'not sandboxed ("sandbox": false in its entry): runs with all your rights',
        untrusted: 'new',
        unsandboxed: undefined,
      },
    ])
    expect(first.state('one')!.state).toBe('running')
    expect(first.warnings).toEqual([])
    const stored = JSON.parse(await readFile(s.trust.file!, 'utf8'))
    expect(stored.projects[s.root].one).toMatchObject({decision: 'trusted', entry: expect.stringMatching(/^[0-9a-f]{64}$/)})

    await first.running.close()
    expect(await leftoverProcesses(mark)).toEqual([])
    const second = await startConfigured(s)
    expect(second.warnings).toEqual([])
    expect(second.state('one')!.state).toBe('running')
  })

  it('an entry that changed since it was trusted is asked about again (a pull can change what runs)', async () => {
    const s = await setup()
    const {entry} = stdioEntry(UNRULY_SERVER)
    await configureProjectServers(s.root, {one: entry}, {configHome})
    expect((await startConfigured(s)).state('one')!.state).toBe('running')

    await configureProjectServers(s.root, {one: {...entry, args: [UNRULY_SERVER, '--linger']}}, {trust: false, configHome})
    const headless = await startConfigured(s)
    expect(headless.warnings[0]).toContain('"one" (changed since you decided)')
    expect(headless.state('one')!.state).toBe('blocked')

    const asker = person({start: true, remember: false})
    const asked = await startConfigured(s, {approver: asker})
    expect(asker.asked[0]).toMatchObject({name: 'one', untrusted: 'changed'})
    expect(asked.state('one')!.state).toBe('running')
    // "this time only": still undecided.
    expect((await startConfigured(s)).state('one')!.state).toBe('blocked')
  })

  it('the same entry written differently (key order, spacing) is the same entry', async () => {
    const s = await setup()
    const {entry} = stdioEntry(UNRULY_SERVER)
    await configureProjectServers(s.root, {one: entry}, {configHome})
    const reordered = Object.fromEntries(Object.entries(entry).reverse())
    await configureProjectServers(s.root, {one: reordered}, {trust: false, configHome})
    expect((await startConfigured(s)).state('one')!.state).toBe('running')
  })

  it('"no, and do not ask again" is remembered: not started, not asked, until trusted', async () => {
    const s = await setup()
    await configureProjectServers(s.root, {one: stdioEntry(UNRULY_SERVER).entry}, {trust: false, configHome})
    expect((await startConfigured(s, {approver: person({start: false, remember: true})})).state('one')!.state).toBe('blocked')

    const asker = person({start: true, remember: true})
    const again = await startConfigured(s, {approver: asker})
    expect(asker.asked).toEqual([])
    expect(again.warnings).toEqual([])
    expect(again.state('one')).toMatchObject({
      state: 'blocked',
      message: expect.stringContaining('you declined it for this project (trust it with `faithh mcp trust one`)'),
    })
  })

  it("servers of the user's own config start without being asked about; a project entry of the same name is the project's", async () => {
    const s = await setup()
    const mine = stdioEntry(UNRULY_SERVER)
    const userFile = path.join(s.env.XDG_CONFIG_HOME!, 'faithh/config.json')
    await mkdir(path.dirname(userFile), {recursive: true})
    await writeFile(userFile, JSON.stringify({mcpServers: {mine: mine.entry, shared: stdioEntry(UNRULY_SERVER).entry}}))
    await configureProjectServers(s.root, {shared: stdioEntry(UNRULY_SERVER, ['--linger']).entry}, {trust: false, configHome})

    const asker = person()
    const {state} = await startConfigured(s, {approver: asker})
    expect(state('mine')).toMatchObject({source: 'user', state: 'running'})
    expect(asker.asked.map((request) => request.name)).toEqual(['shared'])
    expect(state('shared')).toMatchObject({source: 'project', state: 'blocked'})
  })
})

describe('a server that wants the sandbox where none works', () => {
  const sandboxed = () => stdioEntry(UNRULY_SERVER, [], {sandbox: {}})

  it.each([false, true])('without a terminal: not started, with a warning saying why and what to do (--yes: %s)', async (yes) => {
    const s = await setup()
    const {entry, mark} = sandboxed()
    await configureProjectServers(s.root, {one: entry}, {configHome})
    const {warnings, state} = await startConfigured(s, {noSandboxHere: true, yes})
    expect(warnings).toEqual([
      'MCP server "one" is not started: it would run unsandboxed (FAITHH_BWRAP is set and empty), which needs a person to confirm it — ' +
        'make the sandbox work (see `faithh doctor`), or set "sandbox": false in its entry to run it unsandboxed on purpose',
    ])
    expect(state('one')!.state).toBe('blocked')
    expect(await processesMarked(mark)).toEqual([])
  })

  it('at a terminal: asked, and run unsandboxed on yes, which its status says', async () => {
    const s = await setup()
    await configureProjectServers(s.root, {one: sandboxed().entry}, {configHome})
    const asker = person({start: true, remember: false})
    const {state} = await startConfigured(s, {approver: asker, noSandboxHere: true})
    expect(asker.asked).toEqual([expect.objectContaining({name: 'one', untrusted: undefined, unsandboxed: 'FAITHH_BWRAP is set and empty'})])
    expect(state('one')).toMatchObject({state: 'running', sandboxed: false, runs: 'not sandboxed (FAITHH_BWRAP is set and empty): runs with all your rights'})
  })

  it('with "sandbox": "off" (the user turned it off): --yes starts it unsandboxed; without --yes it is not started', async () => {
    const s = await setup()
    await configureProjectServers(s.root, {one: sandboxed().entry}, {configHome})
    const withYes = await startConfigured(s, {sandbox: {mode: 'off'}, yes: true})
    expect(withYes.warnings).toEqual([])
    expect(withYes.state('one')).toMatchObject({state: 'running', sandboxed: false})

    const withoutYes = await startConfigured(s, {sandbox: {mode: 'off'}})
    expect(withoutYes.warnings[0]).toContain('— rerun with --yes to start it unsandboxed, or set "sandbox": false in its entry')
    expect(withoutYes.state('one')!.state).toBe('blocked')
  })

  it('"sandbox": false in its entry runs it unsandboxed without asking: an explicit choice, shown in its status', async () => {
    const s = await setup()
    const asker = person()
    const running = await McpServers.start(userServers({one: stdioEntry(UNRULY_SERVER).entry}, s.root), {
      sandbox: sandboxFor(s.root, {}, {env: {...s.env, FAITHH_BWRAP: ''}}),
      approver: asker,
    })
    started.push(running)
    expect(asker.asked).toEqual([])
    expect(running.statuses()[0]).toMatchObject({
      state: 'running',
      sandboxed: false,
      runs: 'not sandboxed ("sandbox": false in its entry): runs with all your rights',
    })
  })
})
