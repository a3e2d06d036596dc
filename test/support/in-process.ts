import {Config, type Command} from '@oclif/core'
import {format} from 'node:util'
import {fileURLToPath} from 'node:url'

import {EMPTY_CONFIG_HOME, type CliOptions, type CliResult} from './cli.js'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
let config: Promise<Config> | undefined

type CommandClass = typeof Command & {run(argv: string[], config: Config): Promise<unknown>}

/**
 * Runs a command class from src/commands in this process, the way `faithh <args>` runs it in its
 * own: in `cwd`, with OLLAMA_HOST and the environment given, stdout and stderr captured, and the
 * exit code the process would have had. It talks to the fake Ollama over the same HTTP wire. What
 * only a real process shows — stdin, a terminal, signals, the exit itself — is for runCli().
 * Tests in a file run one at a time, so swapping the working directory and environment is safe.
 */
export async function runCommand(command: CommandClass, args: string[], {cwd, host, env = {}, input}: CliOptions): Promise<CliResult> {
  if (input !== undefined) throw new Error('runCommand has no stdin: use runCli for commands that read it')
  config ??= Config.load(REPO)
  const loaded = await config
  const vars: Record<string, string | undefined> = {NO_COLOR: '1', FAITHH_MODEL: undefined, OLLAMA_HOST: host, XDG_CONFIG_HOME: EMPTY_CONFIG_HOME, ...env}
  const savedEnv = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]))
  const savedCwd = process.cwd()
  const savedExitCode = process.exitCode
  const writes = {stdout: process.stdout.write, stderr: process.stderr.write}
  // oclif's this.log and logToStderr go through console, which vitest intercepts before process.stdout.
  const consoles = {log: console.log, error: console.error}
  let stdout = ''
  let stderr = ''
  const capture = (append: (text: string) => void) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined
      callback?.()
      return true
    }) as typeof process.stdout.write

  setEnv(vars)
  process.chdir(cwd)
  process.exitCode = undefined
  process.stdout.write = capture((text) => (stdout += text))
  process.stderr.write = capture((text) => (stderr += text))
  console.log = (...args: unknown[]) => void (stdout += format(...args) + '\n')
  console.error = (...args: unknown[]) => void (stderr += format(...args) + '\n')
  let exitCode: number
  try {
    await command.run(args, loaded)
    exitCode = Number(process.exitCode ?? 0)
  } catch (error) {
    const exit = (error as {oclif?: {exit?: number}}).oclif?.exit
    if (exit === undefined) throw error
    exitCode = exit
  } finally {
    process.stdout.write = writes.stdout
    process.stderr.write = writes.stderr
    console.log = consoles.log
    console.error = consoles.error
    process.chdir(savedCwd)
    setEnv(savedEnv)
    process.exitCode = savedExitCode
  }

  return {exitCode, stdout, stderr}
}

function setEnv(vars: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
}
