import {Config, type Command} from '@oclif/core'
import {existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {Readable} from 'node:stream'
import {fileURLToPath} from 'node:url'
import {format} from 'node:util'

import {EMPTY_CONFIG_HOME, type CliOptions, type CliResult} from './cli.js'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
let config: Promise<Config> | undefined

type CommandClass = typeof Command & {run(argv: string[], config: Config): Promise<unknown>}

/** The class of `faithh <id>` from src/commands (a topic's own command is <id>/index.ts). */
async function commandClass(id: string): Promise<CommandClass> {
  const file = [`src/commands/${id}.ts`, `src/commands/${id}/index.ts`].map((rel) => fileURLToPath(new URL(`../../${rel}`, import.meta.url))).find(existsSync)
  if (!file) throw new Error(`no command ${id} in src/commands`)
  return ((await import(file)) as {default: CommandClass}).default
}

/**
 * Runs `faithh <argv>` in this process, the way the binary runs it in its own: the command class
 * from src/commands, in `cwd`, with OLLAMA_HOST and the environment given, `input` as a piped stdin,
 * stdout and stderr captured, and the exit code the process would have had. It talks to the fake
 * Ollama over the same HTTP wire. What only a real process shows — a terminal, signals, the exit
 * itself, module-level state such as warnings said once per run — is for runCli().
 * Tests in a file run one at a time, so swapping the working directory and environment is safe.
 */
export async function runCommand([id, ...args]: string[], {cwd, host, env = {}, input}: CliOptions): Promise<CliResult> {
  const command = await commandClass(id ?? '')
  config ??= loadConfigWithoutUserPlugins()
  const loaded = await config
  const vars: Record<string, string | undefined> = {NO_COLOR: '1', FAITHH_MODEL: undefined, OLLAMA_HOST: host, XDG_CONFIG_HOME: EMPTY_CONFIG_HOME, ...env}
  const savedEnv = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]))
  const savedExitCode = process.exitCode
  const writes = {stdout: process.stdout.write, stderr: process.stderr.write, log: console.log, error: console.error}
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
  // A pipe that ends: what `printf … | faithh chat` gives; nothing at all when there is no input.
  const stdin = Object.getOwnPropertyDescriptor(process, 'stdin')!
  Object.defineProperty(process, 'stdin', {configurable: true, enumerable: true, value: Readable.from(input === undefined ? [] : [input])})
  // The commands ask process.cwd() where they run; a worker thread cannot chdir, so answer for it.
  const cwdOf = process.cwd
  process.cwd = () => cwd
  process.exitCode = undefined
  process.stdout.write = capture((text) => (stdout += text))
  process.stderr.write = capture((text) => (stderr += text))
  // oclif's this.log() is console.log, which vitest keeps for its own report: take it back.
  console.log = (...parts: unknown[]) => void (stdout += format(...parts) + '\n')
  console.error = (...parts: unknown[]) => void (stderr += format(...parts) + '\n')
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
    console.log = writes.log
    console.error = writes.error
    Object.defineProperty(process, 'stdin', stdin)
    process.cwd = cwdOf
    setEnv(savedEnv)
    process.exitCode = savedExitCode
  }

  return {exitCode, stdout, stderr}
}

/** oclif's config for this repository, blind to the plugins the developer installed (they would change tools and prompts). */
async function loadConfigWithoutUserPlugins(): Promise<Config> {
  const saved = process.env.FAITHH_DATA_DIR
  process.env.FAITHH_DATA_DIR = path.join(tmpdir(), 'faithh-tests-no-user-plugins')
  try {
    return await Config.load(REPO)
  } finally {
    setEnv({FAITHH_DATA_DIR: saved})
  }
}

function setEnv(vars: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
}
