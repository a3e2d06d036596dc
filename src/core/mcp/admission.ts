import type {Sandbox} from '../sandbox/sandbox.js'
import type {ConfiguredServer} from './configured.js'
import type {McpLaunch} from './server-config.js'
import {planServerRun, unsandboxedRun, type ServerRun} from './server-sandbox.js'
import {allToolsDenied} from './tool-permission.js'
import type {TrustStore} from './trust.js'

/** What a person is asked before a server starts: who declares it, what it runs, how. */
export interface ServerStartRequest {
  name: string
  source: 'project' | 'user'
  file: string
  /** The command line (stdio) or the address (http, sse). */
  launch: string
  /** How it would run: sandboxed and with what, or not. */
  runs: string
  /** A project's server without a decision about this entry: never decided, or its entry changed since. */
  untrusted?: 'new' | 'changed'
  /** It would run unsandboxed against its entry (no sandbox works here, or the sandbox is off): why. */
  unsandboxed?: string
}

/** `remember`: trust this entry in this project (yes), or do not ask about it again (no). */
export interface ServerStartAnswer {
  start: boolean
  remember: boolean
}

/** A person at a terminal. Front ends implement it (src/render/server-prompt.ts); without one, nothing that needs consent starts. */
export interface ServerApprover {
  approve(request: ServerStartRequest): Promise<ServerStartAnswer>
}

/** Whether a server starts, and for a stdio one how it runs; or why it does not. */
export type ServerPlan = {start: true; run?: ServerRun} | {start: false; reason: string; runs?: string}

export interface AdmissionOptions {
  root: string
  sandbox: Sandbox
  trust?: TrustStore
  approver?: ServerApprover
  /** --yes: with "sandbox": "off", a server runs unsandboxed without asking, as a command would. It never trusts a project's server. */
  yes?: boolean
  onWarning?: (message: string) => void
}

/**
 * Decides, before anything starts, which configured servers may: the user's start; a project's
 * start once the user trusts that entry (a cloned repository can ship one: starting it runs what
 * it names); a stdio server that wants the sandbox where none works runs unsandboxed only when a
 * person agrees at the terminal, or with --yes where the user turned the sandbox off. Asks one
 * server at a time; without a terminal, says once what was held back and how to let it start.
 */
export async function admitServers(servers: ConfiguredServer[], options: AdmissionOptions): Promise<Map<string, ServerPlan>> {
  const plans = new Map<string, ServerPlan>()
  const untrustedHeadless: string[] = []
  for (const server of servers) {
    const {spec} = server
    if (spec.state !== 'ready' || allToolsDenied(spec.settings)) continue
    const planned = spec.launch.transport === 'stdio' ? await planServerRun(spec.name, spec.launch, options.sandbox) : undefined
    const unsandboxed = planned && 'unavailable' in planned ? planned.unavailable : undefined
    const run = planned && 'unavailable' in planned ? unsandboxedRun(planned.unavailable) : planned
    const runs = run?.summary ?? 'a server faithh connects to (nothing is started here)'
    const trust = server.source === 'project' ? await options.trust?.lookup(options.root, spec.name, server.entry) : undefined
    if (trust?.decision === 'declined') {
      plans.set(spec.name, {start: false, reason: `not started: you declined it for this project (trust it with \`faithh mcp trust ${spec.name}\`)`, runs})
      continue
    }

    const untrusted =
      server.source === 'project' && trust?.decision !== 'trusted' ? (trust && trust.decision === undefined && trust.changed ? 'changed' : 'new') : undefined
    if (!untrusted && !unsandboxed) {
      plans.set(spec.name, {start: true, run})
      continue
    }

    if (options.approver) {
      const request: ServerStartRequest = {
        name: spec.name,
        source: server.source,
        file: server.file,
        launch: describeLaunch(spec.launch),
        runs,
        untrusted,
        unsandboxed,
      }
      const answer = await options.approver.approve(request)
      if (untrusted && answer.remember) await options.trust?.remember(options.root, spec.name, server.entry, answer.start ? 'trusted' : 'declined')
      plans.set(spec.name, answer.start ? {start: true, run} : {start: false, reason: 'not started: you declined it', runs})
      continue
    }

    if (untrusted) {
      untrustedHeadless.push(untrusted === 'changed' ? `"${spec.name}" (changed since you decided)` : `"${spec.name}"`)
      plans.set(spec.name, {
        start: false,
        reason: `not started: this project's server is not trusted yet — review it with \`faithh mcp list\`, trust it with \`faithh mcp trust ${spec.name}\``,
        runs,
      })
      continue
    }

    if (options.sandbox.config.mode === 'off' && options.yes) {
      plans.set(spec.name, {start: true, run})
      continue
    }

    const reason = `not started: it would run unsandboxed (${unsandboxed}), which needs a person to confirm it — ${unsandboxedRemedy(options)}`
    options.onWarning?.(`MCP server "${spec.name}" is ${reason}`)
    plans.set(spec.name, {start: false, reason, runs})
  }

  if (untrustedHeadless.length > 0) {
    const names = untrustedHeadless.join(', ')
    const many = untrustedHeadless.length > 1
    const yes = options.yes ? " (--yes does not trust a project's servers)" : ''
    options.onWarning?.(
      `MCP server${many ? 's' : ''} ${names} of this project's .faithh/config.json ${many ? 'are' : 'is'} not trusted yet, so not started${yes}: ` +
        'review with `faithh mcp list`, then trust with `faithh mcp trust` (or run faithh at a terminal, which asks)',
    )
  }

  return plans
}

function unsandboxedRemedy({sandbox}: AdmissionOptions): string {
  return sandbox.config.mode === 'off'
    ? 'rerun with --yes to start it unsandboxed, or set "sandbox": false in its entry'
    : 'make the sandbox work (see `faithh doctor`), or set "sandbox": false in its entry to run it unsandboxed on purpose'
}

/** `npx -y pkg /data`, or the address of a url server. */
export function describeLaunch(launch: McpLaunch): string {
  if (launch.transport !== 'stdio') return `${launch.transport}: ${launch.url}`
  return [launch.command, ...launch.args].map(quoteArg).join(' ')
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`
}
