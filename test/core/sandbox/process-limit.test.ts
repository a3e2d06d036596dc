import {execa} from 'execa'
import {execFileSync} from 'node:child_process'
import {chown, mkdtemp, realpath, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {requireBuild} from '../../support/cli.js'
import {needsSandbox} from '../../support/requirements.js'

const SANDBOX_MODULE = fileURLToPath(new URL('../../../dist/core/sandbox/sandbox.js', import.meta.url))
const asRoot = process.getuid?.() === 0
const hasSetpriv = (() => {
  try {
    execFileSync('setpriv', ['--version'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
})()

/**
 * The two ways the sandbox caps processes. As root (this machine, CI) it is a pids cgroup: the
 * hostile table's fork bomb proves that. For everyone else it is RLIMIT_NPROC inside the sandbox's
 * user namespace; this runs a fork bomb as an unprivileged user to prove that path too.
 */
describe('the process limit for a user who is not root', () => {
  it.skipIf(!asRoot || !hasSetpriv || !needsSandbox('the process limit of an unprivileged user'))(
    'is the rlimit in the user namespace, and it stops a fork bomb',
    async () => {
      requireBuild()
      const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'faithh-nobody-')))
      await chown(root, 65534, 65534)
      try {
        const script = `
        import {Sandbox} from ${JSON.stringify(SANDBOX_MODULE)}
        const config = {mode: 'auto', network: 'none', read: [], write: [], env: [], maxProcesses: 32, grants: []}
        const sandbox = new Sandbox({root: ${JSON.stringify(root)}, config})
        const limit = (await sandbox.support()).processLimit.method
        const grant = {network: 'none', read: [], write: [], env: [], sources: []}
        const run = await sandbox.run('b() { b | b & }; b; echo launched', grant, {signal: new AbortController().signal, timeoutMs: 20000, maxOutputBytes: 1e6})
        console.log(JSON.stringify({limit, status: run.status, output: run.output.slice(0, 2000)}))`
        const result = await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e', script], {
          env: {HOME: root},
          extendEnv: true,
          reject: false,
          timeout: 40_000,
        })
        expect(result.exitCode, result.stderr).toBe(0)
        const report = JSON.parse(result.stdout) as {limit: string; status: string; output: string}
        expect(report.limit).toBe('rlimit')
        expect(report.output).toContain('Resource temporarily unavailable')
        // The sandbox's pid namespace is gone, and with it every process of the bomb (the kernel reaps them within moments).
        await expect.poll(() => execFileSync('sh', ['-c', 'pgrep -u 65534 || true'], {encoding: 'utf8'}).trim(), {timeout: 5000}).toBe('')
      } finally {
        await rm(root, {recursive: true, force: true})
      }
    },
  )
})
