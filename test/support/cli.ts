import {inject} from 'vitest'
import {execa} from 'execa'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const CLI_BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/**
 * An empty XDG_CONFIG_HOME for every command a test runs, so the user config of whoever runs the
 * tests (~/.config/faithh/config.json) never changes what they see. A test that is about the user
 * config passes its own.
 */
export const EMPTY_CONFIG_HOME = mkdtempSync(path.join(tmpdir(), 'faithh-no-user-config-'))

export interface CliResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface CliOptions {
  cwd: string
  /** Ollama URL, passed as OLLAMA_HOST like a user would. */
  host?: string
  env?: Record<string, string | undefined>
  input?: string
  timeoutMs?: number
}

/** Runs the built `faithh` binary as a subprocess, stdin closed unless `input` is given, no TTY. */
export async function runCli(args: string[], {cwd, host, env = {}, input, timeoutMs = 20_000}: CliOptions): Promise<CliResult> {
  const result = await execa('node', [CLI_BIN, ...args], {
    cwd,
    // Without vitest's NODE_ENV=test, which would put oclif in its development mode (TypeScript
    // loaded to read tsconfig.json on every start): the CLI runs as a user runs it.
    env: {NO_COLOR: '1', FAITHH_MODEL: undefined, NODE_ENV: undefined, OLLAMA_HOST: host, XDG_CONFIG_HOME: EMPTY_CONFIG_HOME, ...env},
    extendEnv: true,
    input,
    stdin: input === undefined ? 'ignore' : 'pipe',
    reject: false,
    timeout: timeoutMs,
  })
  return {exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr}
}

/** Call in beforeAll of end-to-end suites: they must not run against a stale or missing build. */
export function requireBuild(): void {
  const error = inject('buildError')
  if (error) throw new Error(error)
}
