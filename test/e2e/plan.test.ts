import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {CLI_BIN} from '../support/cli.js'
import {cliFixture} from '../support/cli-fixture.js'
import {APP_DONE, gitIn, initRepo, MATH_DONE, model, multiply, PLAN_PROJECT, readPlanFile, STEP_REPLIES, stepOf, waitFor} from '../support/plan-model.js'
import {UNSANDBOXED_COMMANDS} from '../support/requirements.js'

// What only a process shows: no terminal, Ctrl-C, and kill -9 in the middle of a plan. The plan's
// behaviour with the model's replies is tested in process, in test/commands/plan.test.ts.
const {ollama, project, cli: runCli, run} = await cliFixture({files: PLAN_PROJECT, fresh: true, env: UNSANDBOXED_COMMANDS})
const cli = (args: string[]) => runCli(args, {timeoutMs: 30_000})
/** What follows the kill or the Ctrl-C (listing, resuming) is the plan's behaviour, not the process's: in process. */
const afterwards = (args: string[]) => run(args)
const read = (rel: string) => readFile(path.join(project.root, rel), 'utf8')
const stepRequests = (n: number) => ollama.chats().filter((chat) => stepOf(chat) === n)
const git = (...args: string[]) => gitIn(project.root, ...args)
const planFile = () => readPlanFile(project.root)

describe('faithh plan as a process', () => {
  it('never hangs without a terminal and without --yes: refuses before asking the model (exit 6)', async () => {
    ollama.script(model(STEP_REPLIES))
    const result = await cli(['plan', 'add subtract'])

    expect(result.exitCode).toBe(6)
    expect(result.stderr).toContain('--yes')
    expect(ollama.chats()).toHaveLength(0)
  })

  it('resumes after the process is killed mid-plan without redoing the applied step', async () => {
    ollama.script(model([STEP_REPLIES[0]!, [{...multiply, delayMs: 20_000}], STEP_REPLIES[2]!]))
    const child = execa('node', [CLI_BIN, 'plan', 'add subtract and multiply', '--verify', 'node check.js', '--yes'], {
      cwd: project.root,
      env: {NO_COLOR: '1', OLLAMA_HOST: ollama.url, ...UNSANDBOXED_COMMANDS},
      stdin: 'ignore',
      reject: false,
    })
    // Wait until step 1 is done and step 2 is waiting for the model, then kill -9: no chance to clean up.
    await waitFor(
      async () => existsSync(path.join(project.root, '.faithh/plans')) && (await planFile()).steps[1].status === 'running' && stepRequests(2).length > 0,
    )
    child.kill('SIGKILL')
    await child

    const killed = await planFile()
    expect(killed.status).toBe('running')
    expect(killed.steps.map((s: {status: string}) => s.status)).toEqual(['done', 'running', 'pending'])
    expect((await afterwards(['plan', '--list'])).stdout).toMatch(new RegExp(`${killed.id}\\s+interrupted\\s+1/3 steps`))

    ollama.requests.length = 0
    ollama.script(model(STEP_REPLIES))
    const result = await afterwards(['plan', '--resume', '--yes', '--json'])

    expect(result.exitCode, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report).toMatchObject({id: killed.id, status: 'done'})
    expect(report.steps.map((s: {status: string}) => s.status)).toEqual(['done', 'done', 'done'])
    expect(stepRequests(1)).toHaveLength(0)
    expect(ollama.chats().filter((chat) => chat.format)).toHaveLength(0)
    expect(await read('math.js')).toBe(MATH_DONE)
    expect(await read('app.js')).toBe(APP_DONE)
  })

  it('Ctrl-C stops the plan cleanly (exit 130); --resume <id> continues it', async () => {
    ollama.script(model([STEP_REPLIES[0]!, [{...multiply, delayMs: 20_000}], STEP_REPLIES[2]!]))
    const child = execa('node', [CLI_BIN, 'plan', 'add subtract and multiply', '--yes'], {
      cwd: project.root,
      env: {NO_COLOR: '1', OLLAMA_HOST: ollama.url, ...UNSANDBOXED_COMMANDS},
      stdin: 'ignore',
      reject: false,
    })
    await waitFor(async () => stepRequests(2).length > 0)
    child.kill('SIGINT')
    const stopped = await child

    expect(stopped.exitCode, stopped.stderr).toBe(130)
    const state = await planFile()
    expect(state.status).toBe('interrupted')
    expect(state.steps.map((s: {status: string}) => s.status)).toEqual(['done', 'pending', 'pending'])
    expect(stopped.stdout).toContain(`faithh plan --resume ${state.id}`)
    const listed = JSON.parse((await afterwards(['plan', '--list', '--json'])).stdout)
    expect(listed.plans).toMatchObject([{id: state.id, status: 'interrupted', steps: [{status: 'done'}, {status: 'pending'}, {status: 'pending'}]}])

    ollama.script(model(STEP_REPLIES))
    const resumed = await afterwards(['plan', '--resume', state.id, '--yes', '--json'])
    expect(resumed.exitCode, resumed.stderr).toBe(0)
    expect(JSON.parse(resumed.stdout).status).toBe('done')
    expect(await read('math.js')).toBe(MATH_DONE)
    expect((await afterwards(['plan', '--resume', state.id, '--yes'])).stderr).toContain('already done')
  })
})

describe('faithh plan as a process, in a git repository', () => {
  beforeEach(() => initRepo(project.root))

  it('resumes after a kill during --verify: checks the applied step again without asking the model to redo it', async () => {
    // The check hangs once multiply exists, while the file "hang" is there.
    await writeFile(
      path.join(project.root, 'slow-check.js'),
      `import {existsSync} from "node:fs"\nimport * as m from "./math.js"\nif (m.multiply && existsSync("hang")) await new Promise((r) => setTimeout(r, 60000))\nawait import("./check.js")\n`,
    )
    await writeFile(path.join(project.root, 'hang'), '')
    await git('add', '-A')
    await git('commit', '-q', '-m', 'slow check')
    ollama.script(model(STEP_REPLIES))
    const child = execa('node', [CLI_BIN, 'plan', 'add subtract and multiply', '--verify', 'node slow-check.js', '--yes'], {
      cwd: project.root,
      env: {NO_COLOR: '1', OLLAMA_HOST: ollama.url, ...UNSANDBOXED_COMMANDS},
      stdin: 'ignore',
      reject: false,
    })
    await waitFor(async () => existsSync(path.join(project.root, '.faithh/plans')) && (await planFile()).steps[1].status === 'applied')
    child.kill('SIGKILL')
    await child
    await rm(path.join(project.root, 'hang'))
    await git('commit', '-q', '-am', 'no more hanging')

    ollama.requests.length = 0
    // The plan's own applied changes (math.js, uncommitted) do not make the tree "dirty" for --resume.
    const result = await afterwards(['plan', '--resume', '--yes', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report.steps.map((s: {status: string}) => s.status)).toEqual(['done', 'done', 'done'])
    expect(report.steps[1].verify).toMatchObject({passed: true})
    expect(stepRequests(1)).toHaveLength(0)
    expect(stepRequests(2)).toHaveLength(0)
    expect(await read('math.js')).toBe(MATH_DONE)
  })
})
