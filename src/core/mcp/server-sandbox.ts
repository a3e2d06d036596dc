import {existsSync, realpathSync, statSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type {SandboxConfig} from '../sandbox/config.js'
import {findProgram} from '../sandbox/find-program.js'
import {describeGrant, type CommandGrant} from '../sandbox/grants.js'
import type {Sandbox} from '../sandbox/sandbox.js'
import type {McpLaunch, McpServerSandbox} from './server-config.js'

export type StdioLaunch = Extract<McpLaunch, {transport: 'stdio'}>

/**
 * How one stdio server runs: in the run's sandbox with its grant, or unsandboxed — because its
 * entry says `"sandbox": false`, or because no sandbox works here and someone agreed (admission.ts).
 */
export type ServerRun = {sandboxed: true; sandbox: Sandbox; grant: CommandGrant; summary: string} | {sandboxed: false; optedOut: boolean; summary: string}

/** What a server gets of faithh's environment besides its own `env`: enough to find programs and a home, no secrets. */
const INHERITED_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TERM', 'LANG', 'LC_ALL', 'TMPDIR']

/**
 * How a server would run with this sandbox: `unavailable` when its entry wants the sandbox and none
 * works here (the sandbox is off, or bwrap is missing); the caller decides whether it may run anyway.
 */
export async function planServerRun(name: string, launch: StdioLaunch, sandbox: Sandbox): Promise<ServerRun | {unavailable: string}> {
  if (!launch.sandbox.enabled) return {sandboxed: false, optedOut: true, summary: 'not sandboxed ("sandbox": false in its entry): runs with all your rights'}
  const report = await sandbox.report()
  if (!report.enabled) return {unavailable: report.reason ?? 'no sandbox works here'}
  const grant = serverGrant(name, launch.sandbox, sandbox.config)
  return {sandboxed: true, sandbox, grant, summary: describeGrant(grant)}
}

/** An unsandboxed run that someone agreed to, where no sandbox works. */
export function unsandboxedRun(reason: string): ServerRun {
  return {sandboxed: false, optedOut: false, summary: `not sandboxed (${reason}): runs with all your rights`}
}

/**
 * The sandbox commands get (config `sandbox`: its network, read, write and env), with what the
 * server's own `sandbox` entry adds; its network, when set, replaces the commands' default.
 */
export function serverGrant(name: string, setting: Extract<McpServerSandbox, {enabled: true}>, config: SandboxConfig): CommandGrant {
  const widened = setting.network !== undefined || setting.read.length + setting.write.length + setting.env.length > 0
  return {
    network: setting.network ?? config.network,
    read: [...config.read, ...setting.read],
    write: [...config.write, ...setting.write],
    env: [...config.env, ...setting.env],
    sources: widened ? [`mcpServers.${name}.sandbox`] : [],
  }
}

/**
 * The server's environment: PATH, HOME and the like from faithh's, the variables its grant names,
 * then its own `env`. Without a network, npm is told to stay offline: npx then starts a cached
 * package at once, or says it is not cached, instead of retrying the registry for a minute.
 */
export function serverEnvironment(launch: StdioLaunch, run: ServerRun, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const names = [...INHERITED_ENV, ...(run.sandboxed ? run.grant.env : [])]
  const inherited: Record<string, string> = {}
  for (const name of names) {
    const value = env[name]
    if (value !== undefined) inherited[name] = value
  }

  const offline: Record<string, string> = run.sandboxed && run.grant.network === 'none' ? {npm_config_offline: 'true'} : {}
  return {...inherited, ...offline, ...launch.env}
}

/** Launchers that fetch and cache what they run: what each needs beyond the default sandbox. */
const LAUNCHERS: Array<{match: (program: string, args: string[]) => boolean; needs: {write?: string[]; read?: string[]; network?: 'full'}; why: string}> = [
  {
    match: (program, args) => program === 'npx' || (program === 'npm' && ['exec', 'x'].includes(args[0] ?? '')),
    needs: {write: ['~/.npm'], network: 'full'},
    why: 'npx needs its cache (~/.npm) writable and, for a package not cached yet, the network',
  },
  {
    match: (program, args) => program === 'pnpm' && args[0] === 'dlx',
    needs: {write: ['~/.cache/pnpm', '~/.local/share/pnpm'], network: 'full'},
    why: 'pnpm dlx needs its store and the network',
  },
  {match: (program) => program === 'bunx', needs: {write: ['~/.bun/install/cache'], network: 'full'}, why: 'bunx needs its cache and the network'},
  {
    match: (program) => program === 'uvx' || program === 'uv',
    needs: {write: ['~/.cache/uv'], read: ['~/.local/share/uv'], network: 'full'},
    why: 'uvx needs its cache, its Pythons and, for a package not cached yet, the network',
  },
]

/**
 * Why a sandboxed server may have failed to start, and the entry that would let it: what its
 * launcher needs (npx, uvx …), and the host paths it names that the sandbox does not show. Said
 * with the failure, never acted on: what a server gets stays the user's explicit choice.
 */
export async function sandboxedStartHint(launch: StdioLaunch, run: Extract<ServerRun, {sandboxed: true}>, home = os.homedir()): Promise<string> {
  const program = path.basename(launch.command)
  const setting = launch.sandbox.enabled ? launch.sandbox : undefined
  const suggestion = {network: setting?.network, read: [...(setting?.read ?? [])], write: [...(setting?.write ?? [])]}
  const reasons: string[] = []
  if (['docker', 'podman'].includes(program)) {
    return `it ran sandboxed, where ${program}'s socket is hidden: a container server needs "sandbox": false in its entry (the container is its sandbox)`
  }

  const launcher = LAUNCHERS.find((candidate) => candidate.match(program, launch.args))
  if (launcher) {
    const write = (launcher.needs.write ?? []).filter((entry) => !suggestion.write.includes(entry))
    const read = (launcher.needs.read ?? []).filter((entry) => !suggestion.read.includes(entry) && !suggestion.write.includes(entry))
    const network = launcher.needs.network && run.grant.network !== 'full' ? launcher.needs.network : undefined
    // Said only when the entry does not grant it all already.
    if (write.length + read.length > 0 || network) reasons.push(launcher.why)
    suggestion.write.push(...write)
    suggestion.read.push(...read)
    if (network) suggestion.network = network
  }

  const named = namedPaths(launch)
  const unseen = await run.sandbox.unseen(named, run.grant, launch.env.PATH ?? process.env.PATH)
  const folders = [...new Set(unseen.map((entry) => tilde(folderToGrant(entry), home)))].filter(
    (entry) => !suggestion.read.includes(entry) && !suggestion.write.includes(entry),
  )
  if (folders.length > 0) {
    reasons.push(`it names ${unseen.map((entry) => tilde(entry, home)).join(', ')}, which the sandbox does not show`)
    suggestion.read.push(...folders)
  }

  const summary = run.summary.replace(/^sandboxed: /, '')
  if (reasons.length === 0) {
    return `it ran sandboxed (${summary}); if it needs more, grant it in its entry, e.g. "sandbox": {"read": ["~/data"], "network": "full"}, or run it unsandboxed with "sandbox": false`
  }

  const entry = {
    network: suggestion.network,
    read: suggestion.read.length > 0 ? suggestion.read : undefined,
    write: suggestion.write.length > 0 ? suggestion.write : undefined,
  }
  return `it ran sandboxed (${summary}): ${reasons.join('; ')} — grant that in its entry with "sandbox": ${inlineJson(entry)}, or run it unsandboxed with "sandbox": false`
}

/** `{"network": "full", "write": ["~/.npm"]}`: JSON as a person writes it on one line, without the undefined keys. */
function inlineJson(object: Record<string, string | string[] | undefined>): string {
  const fields = Object.entries(object).filter(([, value]) => value !== undefined)
  return `{${fields.map(([key, value]) => `"${key}": ${Array.isArray(value) ? `[${value.map((item) => JSON.stringify(item)).join(', ')}]` : JSON.stringify(value)}`).join(', ')}}`
}

/** The host paths a launch depends on: its program (where the link leads), the paths among its arguments, its cwd. */
function namedPaths(launch: StdioLaunch): string[] {
  const found: string[] = [launch.cwd]
  const program = findProgram(launch.command, launch.cwd, launch.env.PATH ?? process.env.PATH)
  if (program) found.push(realPathOf(program))
  for (const arg of launch.args) {
    if (!(path.isAbsolute(arg) || arg.startsWith('./') || arg.startsWith('../'))) continue
    const resolved = path.resolve(launch.cwd, arg)
    if (existsSync(resolved)) found.push(realPathOf(resolved))
  }

  return [...new Set(found)]
}

/** The folder worth granting for a path: a package's whole node_modules (it imports its neighbours), else the file's folder. */
function folderToGrant(entry: string): string {
  const parts = entry.split(path.sep)
  const modules = parts.indexOf('node_modules')
  if (modules > 0) return parts.slice(0, modules + 1).join(path.sep)
  try {
    return statSync(entry).isDirectory() ? entry : path.dirname(entry)
  } catch {
    return path.dirname(entry)
  }
}

function realPathOf(entry: string): string {
  try {
    return realpathSync(entry)
  } catch {
    return entry
  }
}

function tilde(entry: string, home: string): string {
  return entry === home ? '~' : entry.startsWith(home + path.sep) ? `~/${entry.slice(home.length + 1)}` : entry
}
