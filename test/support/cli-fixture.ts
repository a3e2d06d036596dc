import {afterAll, afterEach, beforeEach} from 'vitest'

import {requireBuild, runCli, type CliOptions, type CliResult} from './cli.js'
import {startFakeOllama, type FakeOllama, type FakeOllamaOptions} from './fake-ollama.js'
import {makeProject, type Fixture} from './fixture.js'
import {runCommand} from './in-process.js'

export interface CliFixtureOptions {
  ollama?: FakeOllamaOptions
  /** The project's files, as {relative path: content}. */
  files?: Record<string, string>
  /** A new project before each test (after `prepare`), instead of one for the whole file. */
  fresh?: boolean
  /** Runs on each new project, e.g. to set a file mode. */
  prepare?: (root: string) => Promise<void>
  /** Environment of every command the file runs, under what a call gives (e.g. UNSANDBOXED_COMMANDS). */
  env?: Record<string, string | undefined>
}

type RunOptions = Partial<CliOptions>

export interface CliFixture extends AsyncDisposable {
  ollama: FakeOllama
  /** The project the commands run in: the file's, or with `fresh`, the current test's. */
  project: {readonly root: string}
  /** The built `faithh` as a subprocess, in the project, against the fake Ollama. */
  cli(args: string[], options?: RunOptions): Promise<CliResult>
  /** `faithh <args>` in this process (src/commands), in the project, against the fake Ollama. */
  run(args: string[], options?: RunOptions): Promise<CliResult>
}

/**
 * The set-up a command test file needs, declared once at its top level:
 * `const {ollama, project, cli} = await cliFixture({files: {...}})`. It starts the fake Ollama and
 * makes the project, clears the recorded requests after each test, and disposes of both after the
 * file (a fresh project is disposed of after its test). `cli()` checks the build first.
 */
export async function cliFixture(options: CliFixtureOptions = {}): Promise<CliFixture> {
  const ollama = await startFakeOllama(options.ollama)
  const newProject = async () => {
    const made = await makeProject(options.files ?? {})
    await options.prepare?.(made.root)
    return made
  }

  let current: Fixture | undefined = options.fresh ? undefined : await newProject()
  if (options.fresh) {
    beforeEach(async () => {
      current = await newProject()
    })
    afterEach(async () => {
      await current?.cleanup()
      current = undefined
    })
  }

  afterEach(() => {
    ollama.requests.length = 0
  })
  const fixture: CliFixture = {
    ollama,
    project: {
      get root() {
        if (!current) throw new Error('no project outside a test (cliFixture with fresh: true)')
        return current.root
      },
    },
    cli(args, {cwd = fixture.project.root, host = ollama.url, env, ...rest} = {}) {
      requireBuild()
      return runCli(args, {cwd, host, env: {...options.env, ...env}, ...rest})
    },
    run(args, {cwd = fixture.project.root, host = ollama.url, env, ...rest} = {}) {
      return runCommand(args, {cwd, host, env: {...options.env, ...env}, ...rest})
    },
    async [Symbol.asyncDispose]() {
      await ollama.close()
      await current?.cleanup()
    },
  }
  afterAll(() => fixture[Symbol.asyncDispose]())
  return fixture
}
