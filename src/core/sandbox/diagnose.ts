import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {mkdir, realpath, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import type {ProcessLimitMethod} from './process-limit.js'
import type {Sandbox, SandboxReport} from './sandbox.js'

/** What `faithh doctor` says about the sandbox: whether it works here, what it isolates, and a live check. */
export interface SandboxDiagnosis extends SandboxReport {
  executable?: string
  version?: string
  /** What a sandboxed command cannot do, one statement each. */
  isolates: string[]
  processLimit: {method: ProcessLimitMethod; reason?: string}
  /** Escapes tried from inside a sandbox just now; `contained` is what should be true. */
  checks: SandboxCheck[]
}

export interface SandboxCheck {
  name: 'read outside the project' | 'write outside the project' | 'connect to this machine'
  contained: boolean
}

export async function diagnoseSandbox(sandbox: Sandbox): Promise<SandboxDiagnosis> {
  // doctor is where a changed machine shows: probe again, and the report (and later runs) use that.
  const support = await sandbox.support({recheck: true})
  const report = await sandbox.report()
  const {method, reason} = support.processLimit
  const base = {...report, executable: support.executable, version: support.version, processLimit: {method, ...(reason ? {reason} : {})}}
  if (!report.enabled) return {...base, isolates: [], checks: []}
  return {...base, isolates: isolation(report, support.backend === 'bwrap', sandbox.config.maxProcesses), checks: await tryEscapes(sandbox)}
}

function isolation(report: SandboxReport, linux: boolean, maxProcesses: number): string[] {
  const network = {
    none: linux ? 'no network (a loopback of its own)' : 'no network',
    loopback: "network: this machine's loopback services only",
    full: 'network: full (configured)',
  }[report.network]
  return [
    `files: the system read-only, the project writable, a private ${linux ? '/tmp' : 'temp folder'}; nothing else${linux ? ' exists' : ' is readable'}`,
    'home folder: hidden (toolchains such as ~/.nvm, ~/.cargo, ~/.pyenv re-exposed read-only); ~/.ssh, ~/.aws, browser profiles and tokens never',
    'kept read-only in the project: .git/hooks, .git/config, .faithh/',
    network,
    report.maxProcesses === null
      ? `processes: ${linux ? 'a pid namespace of its own, ' : ''}stopped as a group on timeout or Ctrl-C; no process-count limit here`
      : `processes: a pid namespace of its own, stopped as a group on timeout or Ctrl-C, at most ${maxProcesses} at once`,
    'environment: tokens, passwords, keys and agent sockets removed',
  ]
}

/**
 * A secret beside a project, a file to write beside it, a listener on loopback: none may be reached.
 * On a scratch project, so that checking leaves nothing in the real one.
 */
async function tryEscapes(configured: Sandbox): Promise<SandboxCheck[]> {
  const base = path.join(os.tmpdir(), `faithh-doctor-${randomBytes(4).toString('hex')}`)
  const outside = path.join(base, 'outside')
  await mkdir(path.join(base, 'project'), {recursive: true})
  await mkdir(outside)
  const sandbox = configured.forRoot(await realpath(path.join(base, 'project')))
  // In a process of its own, like any service on this machine (faithh never carries its own listeners in).
  const server = spawn(process.execPath, ['-e', LISTENER], {stdio: ['ignore', 'pipe', 'ignore']})
  try {
    await writeFile(path.join(outside, 'secret'), 'doctor-secret\n')
    const port = await new Promise<number>((resolve, reject) => {
      server.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim())))
      server.once('error', reject)
    })
    const script = [
      `cat '${outside}/secret' 2>/dev/null`,
      `echo written > '${outside}/written' 2>/dev/null`,
      `(exec 3<>/dev/tcp/127.0.0.1/${port} && echo connected) 2>/dev/null`,
      'true',
    ].join('; ')
    const grant = sandbox.grantFor([])
    const run = await sandbox.run(script, grant, {signal: new AbortController().signal, timeoutMs: 10_000, maxOutputBytes: 64 * 1024})
    return [
      {name: 'read outside the project', contained: !run.output.includes('doctor-secret')},
      {name: 'write outside the project', contained: !existsSync(path.join(outside, 'written'))},
      {name: 'connect to this machine', contained: !run.output.includes('connected')},
    ]
  } finally {
    server.kill()
    await rm(base, {recursive: true, force: true})
  }
}

const LISTENER =
  "const server = require('net').createServer((socket) => socket.end('reached')); server.listen(0, '127.0.0.1', () => console.log(server.address().port))"
