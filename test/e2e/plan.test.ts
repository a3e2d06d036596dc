import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {CLI_BIN, requireBuild, runCli} from '../support/cli.js'
import {startFakeOllama, type ChatRequestBody, type FakeOllama, type FakeReply} from '../support/fake-ollama.js'
import {makeProject, type Fixture} from '../support/fixture.js'

const MATH = 'export function add(a, b) {\n  return a + b\n}\n'
const APP = 'import {add} from "./math.js"\nconsole.log(add(2, 3))\n'
// The --verify check: whatever math.js exports must be right.
const CHECK = [
  'import * as m from "./math.js"',
  'const fail = (message) => { console.error(message); process.exit(1) }',
  'if (m.add(2, 3) !== 5) fail("add(2, 3) should be 5")',
  'if (m.subtract && m.subtract(5, 3) !== 2) fail(`subtract(5, 3) returned ${m.subtract(5, 3)}, expected 2`)',
  'if (m.multiply && m.multiply(2, 3) !== 6) fail("multiply(2, 3) should be 6")',
  'console.log("ok")',
  '',
].join('\n')

const PLAN = {
  steps: [
    {title: 'Add subtract', change: 'Add subtract(a, b) to math.js.', files: ['math.js']},
    {title: 'Add multiply', change: 'Add multiply(a, b) to math.js.', files: ['math.js']},
    {title: 'Use subtract in app', change: 'Print subtract(5, 3) in app.js.', files: ['./app.js']},
  ],
}

const ADD_HEAD = 'export function add(a, b) {'
const edit = (file: string, oldText: string, newText: string): FakeReply => ({tool_calls: [{name: 'edit_file', arguments: {path: file, old_text: oldText, new_text: newText}}]})
const subtract = (op = '-') => edit('math.js', ADD_HEAD, `export function subtract(a, b) {\n  return a ${op} b\n}\n\n${ADD_HEAD}`)
const multiply = edit('math.js', ADD_HEAD, `export function multiply(a, b) {\n  return a * b\n}\n\n${ADD_HEAD}`)
const useSubtract = edit('app.js', APP.trimEnd(), 'import {add, subtract} from "./math.js"\nconsole.log(add(2, 3), subtract(5, 3))')
const STEP_REPLIES: FakeReply[][] = [
  [subtract(), {content: 'Added subtract.'}],
  [multiply, {content: 'Added multiply.'}],
  [useSubtract, {content: 'app.js prints subtract(5, 3).'}],
]
const MATH_DONE = `export function subtract(a, b) {\n  return a - b\n}\n\nexport function multiply(a, b) {\n  return a * b\n}\n\n${MATH}`
const APP_DONE = 'import {add, subtract} from "./math.js"\nconsole.log(add(2, 3), subtract(5, 3))\n'

/** The step a request belongs to (1-based), from the step's first message; 0 for planning requests. */
function stepOf(request: ChatRequestBody): number {
  const first = request.messages.find((m) => m.role === 'user')?.content ?? ''
  return Number(/Do step (\d+) now/.exec(first)?.[1] ?? 0)
}

/**
 * The model: planning requests (they carry `format`) get the plan; a step's requests get that step's
 * replies in turn, counted by the assistant messages already in the conversation.
 */
function model(steps: FakeReply[][], plan: FakeReply | FakeReply[] = {content: `Here is the plan:\n\`\`\`json\n${JSON.stringify(PLAN, null, 2)}\n\`\`\`\nGood luck!`}) {
  return (request: ChatRequestBody): FakeReply => {
    if (request.format) {
      const turn = request.messages.filter((m) => m.role === 'assistant').length
      return Array.isArray(plan) ? plan[turn] ?? {content: 'no more plans'} : plan
    }

    const turn = request.messages.filter((m) => m.role === 'assistant').length
    return steps[stepOf(request) - 1]?.[turn] ?? {content: `(no scripted reply for step ${stepOf(request)}, turn ${turn})`}
  }
}

let ollama: FakeOllama
let project: Fixture

beforeAll(async () => {
  requireBuild()
  ollama = await startFakeOllama()
})
afterAll(() => ollama.close())
beforeEach(async () => {
  project = await makeProject({'math.js': MATH, 'app.js': APP, 'check.js': CHECK, 'package.json': '{"type": "module"}\n'})
})
afterEach(async () => {
  ollama.requests.length = 0
  await project.cleanup()
})

const cli = (args: string[]) => runCli(args, {cwd: project.root, host: ollama.url, timeoutMs: 30_000})
const read = (rel: string) => readFile(path.join(project.root, rel), 'utf8')
const stepRequests = (n: number) => ollama.chats().filter((chat) => stepOf(chat) === n)
const git = async (...args: string[]) => (await execa('git', args, {cwd: project.root})).stdout

/** A real repository (makeProject's .git is an empty marker), everything committed. */
async function initRepo(): Promise<void> {
  await rm(path.join(project.root, '.git'), {recursive: true})
  await git('init', '-q')
  await git('config', 'user.email', 'test@example.com')
  await git('config', 'user.name', 'Test')
  await git('add', '-A')
  await git('commit', '-q', '-m', 'initial')
}

async function planFile(): Promise<any> {
  const [name] = await readdir(path.join(project.root, '.faithh/plans'))
  return JSON.parse(await read(`.faithh/plans/${name}`))
}

describe('faithh plan', () => {
  it('plans with structured output, then does three steps on two files, each verified (--yes --json)', async () => {
    ollama.script(model(STEP_REPLIES))
    const result = await cli(['plan', 'add subtract and multiply, and use subtract in the app', '--verify', 'node check.js', '--yes', '--json'])

    expect(result.exitCode, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report).toMatchObject({status: 'done', verify: 'node check.js', failed: 0, filesChanged: ['math.js', 'app.js']})
    expect(report.steps).toEqual([
      {step: 1, title: 'Add subtract', status: 'done', files: ['math.js'], verify: {command: 'node check.js', passed: true, exitCode: 0, runs: 1}, fixAttempts: 0},
      {step: 2, title: 'Add multiply', status: 'done', files: ['math.js'], verify: {command: 'node check.js', passed: true, exitCode: 0, runs: 1}, fixAttempts: 0},
      {step: 3, title: 'Use subtract in app', status: 'done', files: ['app.js'], verify: {command: 'node check.js', passed: true, exitCode: 0, runs: 1}, fixAttempts: 0},
    ])
    expect(await read('math.js')).toBe(MATH_DONE)
    expect(await read('app.js')).toBe(APP_DONE)
    expect((await planFile()).status).toBe('done')

    // The planning request: the plan's JSON schema as `format`, the project's files and the task, no tools.
    const [planning] = ollama.chats()
    expect(planning!.format).toMatchObject({type: 'object', required: ['steps'], properties: {steps: {type: 'array', items: {required: ['title', 'change', 'files']}}}})
    expect(planning!.tools).toBeUndefined()
    expect(planning!.options?.num_ctx).toBe(16_384)
    const planningPrompt = planning!.messages.at(-1)!.content
    expect(planningPrompt).toContain('Task: add subtract and multiply, and use subtract in the app')
    expect(planningPrompt).toMatch(/Project files:\n[\s\S]*math\.js/)
    // Each step's first message: the plan with the step marked, and the expected file inlined as it is now.
    const third = stepRequests(3)[0]!.messages.find((m) => m.role === 'user')!.content
    expect(third).toContain('1. Add subtract (done)')
    expect(third).toContain('3. Use subtract in app   <- this step')
    expect(third).toContain(`File app.js, current content:\n\`\`\`\n${APP}`)
    // Progress and diffs go to stderr under --json.
    expect(result.stderr).toContain('+export function subtract(a, b) {')
    expect(result.stderr).toContain('✓ `node check.js` passed')
  })

  it('gives the agent the failing check output and applies its fix when --verify fails', async () => {
    ollama.script(
      model([
        [subtract('+'), {content: 'Added subtract.'}, edit('math.js', 'return a + b\n}\n\nexport function add', 'return a - b\n}\n\nexport function add'), {content: 'Fixed the operator.'}],
        ...STEP_REPLIES.slice(1),
      ]),
    )
    const result = await cli(['plan', 'add subtract and multiply', '--verify', 'node check.js', '--yes', '--json'])

    expect(result.exitCode, result.stderr).toBe(0)
    const [first] = JSON.parse(result.stdout).steps
    expect(first).toMatchObject({status: 'done', verify: {passed: true, runs: 2}, fixAttempts: 1})
    const fixRequest = stepRequests(1)[2]!.messages.at(-1)!.content
    expect(fixRequest).toContain('`node check.js` exited with code 1')
    expect(fixRequest).toContain('subtract(5, 3) returned 8, expected 2')
    expect(await read('math.js')).toBe(MATH_DONE)
  })

  it('fails the step and stops the plan when the check still fails after --max-fix-attempts', async () => {
    ollama.script(model([[subtract('+'), {content: 'Added subtract.'}, {content: 'I do not see a problem.'}], ...STEP_REPLIES.slice(1)]))
    const result = await cli(['plan', 'add subtract', '--verify', 'node check.js', '--max-fix-attempts', '1', '--yes', '--json'])

    expect(result.exitCode).toBe(1)
    const report = JSON.parse(result.stdout)
    expect(report.status).toBe('failed')
    expect(report.steps.map((s: {status: string}) => s.status)).toEqual(['failed', 'pending', 'pending'])
    expect(report.steps[0].error).toBe('`node check.js` still fails (exit 1) after 1 fix attempt')
    expect(stepRequests(2)).toHaveLength(0)
  })

  it('asks again with the validation error when the plan is invalid, then fails with the reason', async () => {
    ollama.script(
      model(STEP_REPLIES, [
        {content: 'Sure, I would start by adding subtract.'},
        {content: '{"steps": []}'},
        {content: '```json\n{"steps": [{"title": "Edit", "change": "x", "files": ["/etc/passwd"]}]}\n```'},
      ]),
    )
    const result = await cli(['plan', 'add subtract', '--yes', '--json'])

    expect(result.exitCode).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({error: {code: 'invalid_plan', hint: 'try again, rephrase the task, or use a larger model'}})
    expect(result.stderr).toContain('the model did not produce a valid plan in 3 attempts')
    expect(result.stderr).toContain('files must be paths relative to the project root')
    const chats = ollama.chats()
    expect(chats).toHaveLength(3)
    expect(chats[1]!.messages.at(-1)!.content).toContain('That is not a valid plan: the reply contained no JSON object')
    expect(chats[2]!.messages.at(-1)!.content).toContain('the plan has no steps')
    expect(existsSync(path.join(project.root, '.faithh/plans'))).toBe(false)
  })

  it('accepts a valid plan on the retry; outside git, --commit is a note and not an error', async () => {
    ollama.script(model(STEP_REPLIES, [{content: '{"steps": "soon"}'}, {content: JSON.stringify({plan: PLAN.steps.slice(0, 1)})}]))
    const result = await cli(['plan', 'add subtract', '--commit', '--yes', '--json'])

    expect(result.exitCode, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report.steps).toMatchObject([{title: 'Add subtract', status: 'done'}])
    expect(report.steps[0].commit).toBeUndefined()
    expect(report.notes).toEqual(['not a git repository: steps are applied without commits (--commit ignored)'])
    expect(await read('math.js')).toContain('export function subtract')
  })

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
      env: {NO_COLOR: '1', OLLAMA_HOST: ollama.url},
      stdin: 'ignore',
      reject: false,
    })
    // Wait until step 1 is done and step 2 is waiting for the model, then kill -9: no chance to clean up.
    await waitFor(async () => existsSync(path.join(project.root, '.faithh/plans')) && (await planFile()).steps[1].status === 'running' && stepRequests(2).length > 0)
    child.kill('SIGKILL')
    await child

    const killed = await planFile()
    expect(killed.status).toBe('running')
    expect(killed.steps.map((s: {status: string}) => s.status)).toEqual(['done', 'running', 'pending'])
    expect((await cli(['plan', '--list'])).stdout).toMatch(new RegExp(`${killed.id}\\s+interrupted\\s+1/3 steps`))

    ollama.requests.length = 0
    ollama.script(model(STEP_REPLIES))
    const result = await cli(['plan', '--resume', '--yes', '--json'])

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
      env: {NO_COLOR: '1', OLLAMA_HOST: ollama.url},
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
    const listed = JSON.parse((await cli(['plan', '--list', '--json'])).stdout)
    expect(listed.plans).toMatchObject([{id: state.id, status: 'interrupted', steps: [{status: 'done'}, {status: 'pending'}, {status: 'pending'}]}])

    ollama.script(model(STEP_REPLIES))
    const resumed = await cli(['plan', '--resume', state.id, '--yes', '--json'])
    expect(resumed.exitCode, resumed.stderr).toBe(0)
    expect(JSON.parse(resumed.stdout).status).toBe('done')
    expect(await read('math.js')).toBe(MATH_DONE)
    expect((await cli(['plan', '--resume', state.id, '--yes'])).stderr).toContain('already done')
  })

  it('faithh undo reverts only the last step; faithh undo --plan reverts the rest, leaving other changes alone', async () => {
    ollama.script(model(STEP_REPLIES))
    expect((await cli(['plan', 'add subtract and multiply, use subtract', '--yes'])).exitCode).toBe(0)
    await writeFile(path.join(project.root, 'notes.txt'), 'my own notes\n')

    const last = await cli(['undo'])
    expect(last.exitCode, last.stderr).toBe(0)
    expect(last.stdout).toContain('undoing step 3 of plan')
    expect(last.stdout).toContain('restored app.js')
    expect(await read('app.js')).toBe(APP)
    expect(await read('math.js')).toBe(MATH_DONE)

    const all = await cli(['undo', '--plan', '--json'])
    expect(all.exitCode, all.stderr).toBe(0)
    expect(JSON.parse(all.stdout).plan.steps.map((s: {step: number; title: string}) => s.title)).toEqual(['Add multiply', 'Add subtract'])
    expect(await read('math.js')).toBe(MATH)
    expect(await read('notes.txt')).toBe('my own notes\n')
    const state = await planFile()
    expect(state.status).toBe('undone')
    expect(state.steps.map((s: {status: string}) => s.status)).toEqual(['undone', 'undone', 'undone'])
    expect((await cli(['undo', '--plan'])).stdout).toContain('nothing to undo')
  })
})

describe('faithh plan in a git repository', () => {
  beforeEach(initRepo)

  it('--commit makes one commit per step, of that step\'s files only; undo reverts them with revert commits', async () => {
    await writeFile(path.join(project.root, 'scratch.txt'), 'not part of the plan\n')
    ollama.script(model(STEP_REPLIES))
    const result = await cli(['plan', 'add subtract and multiply, use subtract', '--verify', 'node check.js', '--commit', '--allow-dirty', '--yes', '--json'])

    expect(result.exitCode, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(await git('log', '--format=%s')).toBe('Use subtract in app\nAdd multiply\nAdd subtract\ninitial')
    expect(report.steps.map((s: {commit: string}) => s.commit)).toEqual([await git('rev-parse', 'HEAD~2'), await git('rev-parse', 'HEAD~1'), await git('rev-parse', 'HEAD')])
    expect(await git('show', '--name-only', '--format=', 'HEAD')).toBe('app.js')
    expect(await git('show', '--name-only', '--format=', 'HEAD~1')).toBe('math.js')
    expect(await git('log', '-1', '--format=%B', 'HEAD~2')).toContain(`Faithh-Plan: ${report.id} step 1`)
    // The unrelated file stays uncommitted; faithh's own state is never committed.
    expect(await git('status', '--porcelain', '--untracked-files=all', '--', '.', ':(exclude).faithh')).toBe('?? scratch.txt')
    expect(await git('ls-files', '.faithh')).toBe('')

    const last = await cli(['undo'])
    expect(last.exitCode, last.stderr).toBe(0)
    expect(await read('app.js')).toBe(APP)
    expect((await git('log', '-1', '--format=%s%n%n%b')).trim()).toBe(`Revert "Use subtract in app"\n\nThis reverts commit ${report.steps[2].commit}.`)

    expect((await cli(['undo', '--plan'])).exitCode).toBe(0)
    expect(await read('math.js')).toBe(MATH)
    expect(await git('log', '--format=%s')).toBe(
      'Revert "Add subtract"\nRevert "Add multiply"\nRevert "Use subtract in app"\nUse subtract in app\nAdd multiply\nAdd subtract\ninitial',
    )
    expect(await git('status', '--porcelain', '--untracked-files=all', '--', '.', ':(exclude).faithh')).toBe('?? scratch.txt')
  })

  it('resumes after a kill during --verify: checks the applied step again without asking the model to redo it', async () => {
    // The check hangs once multiply exists, while the file "hang" is there.
    await writeFile(path.join(project.root, 'slow-check.js'), `import {existsSync} from "node:fs"\nimport * as m from "./math.js"\nif (m.multiply && existsSync("hang")) await new Promise((r) => setTimeout(r, 60000))\nawait import("./check.js")\n`)
    await writeFile(path.join(project.root, 'hang'), '')
    await git('add', '-A')
    await git('commit', '-q', '-m', 'slow check')
    ollama.script(model(STEP_REPLIES))
    const child = execa('node', [CLI_BIN, 'plan', 'add subtract and multiply', '--verify', 'node slow-check.js', '--yes'], {
      cwd: project.root,
      env: {NO_COLOR: '1', OLLAMA_HOST: ollama.url},
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
    const result = await cli(['plan', '--resume', '--yes', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report.steps.map((s: {status: string}) => s.status)).toEqual(['done', 'done', 'done'])
    expect(report.steps[1].verify).toMatchObject({passed: true})
    expect(stepRequests(1)).toHaveLength(0)
    expect(stepRequests(2)).toHaveLength(0)
    expect(await read('math.js')).toBe(MATH_DONE)
  })

  it('resumes after a crash in the middle of applying a step: the partial write is rolled back, then the step is redone', async () => {
    ollama.script(model(STEP_REPLIES))
    expect((await cli(['plan', 'add subtract and multiply, use subtract', '--yes'])).exitCode).toBe(0)
    // What a crash between "journal the original" and "mark the step applied" leaves behind:
    // app.js already written, the step still "running", the process gone.
    const state = await planFile()
    state.status = 'running'
    state.pid = 2 ** 22 + 1
    Object.assign(state.steps[2], {status: 'running', appliedAt: undefined, changed: []})
    await writeFile(path.join(project.root, `.faithh/plans/${state.id}.json`), JSON.stringify(state))
    expect(await read('app.js')).toBe(APP_DONE)

    ollama.requests.length = 0
    const result = await cli(['plan', '--resume', state.id, '--yes', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    // The step started again from the file as it was before the step.
    expect(stepRequests(3)[0]!.messages.find((m) => m.role === 'user')!.content).toContain(`File app.js, current content:\n\`\`\`\n${APP}`)
    expect(await read('app.js')).toBe(APP_DONE)
    // undo still reverts exactly that step.
    expect((await cli(['undo'])).exitCode).toBe(0)
    expect(await read('app.js')).toBe(APP)
    expect(await read('math.js')).toBe(MATH_DONE)
  })

  it('refuses to start on uncommitted changes, but not on faithh\'s own state', async () => {
    ollama.script(model(STEP_REPLIES))
    await writeFile(path.join(project.root, 'math.js'), MATH + '// wip\n')
    const dirty = await cli(['plan', 'add subtract', '--yes'])

    expect(dirty.exitCode).toBe(1)
    expect(dirty.stderr).toContain('uncommitted changes in math.js')
    expect(dirty.stderr).toContain('--allow-dirty')
    expect(ollama.chats()).toHaveLength(0)

    await git('checkout', '--', 'math.js')
    await writeFile(path.join(project.root, 'todo.txt'), 'untracked\n')
    expect((await cli(['plan', 'add subtract', '--yes'])).stderr).toContain('uncommitted changes in todo.txt')
    await rm(path.join(project.root, 'todo.txt'))
    // faithh's own folder (config, journal, plans) is not the user's uncommitted work.
    await mkdir(path.join(project.root, '.faithh/plans'), {recursive: true})
    await writeFile(path.join(project.root, '.faithh/config.json'), '{}\n')
    const clean = await cli(['plan', 'add subtract', '--yes', '--json'])
    expect(clean.exitCode, clean.stderr).toBe(0)
    expect(JSON.parse(clean.stdout).status).toBe('done')
  })
})

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await condition().catch(() => false)) return
    if (Date.now() > deadline) throw new Error('timed out waiting for the plan to reach the expected state')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
