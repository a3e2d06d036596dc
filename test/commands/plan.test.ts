import {existsSync} from 'node:fs'
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {
  APP,
  APP_DONE,
  edit,
  gitIn,
  initRepo,
  MATH,
  MATH_DONE,
  model,
  PLAN,
  PLAN_PROJECT,
  readPlanFile,
  STEP_REPLIES,
  stepOf,
  subtract,
} from '../support/plan-model.js'
import {UNSANDBOXED_COMMANDS} from '../support/requirements.js'

const {ollama, project, run} = await cliFixture({files: PLAN_PROJECT, fresh: true, env: UNSANDBOXED_COMMANDS})
const cli = (args: string[]) => run(args)
const read = (rel: string) => readFile(path.join(project.root, rel), 'utf8')
const stepRequests = (n: number) => ollama.chats().filter((chat) => stepOf(chat) === n)
const git = (...args: string[]) => gitIn(project.root, ...args)
const planFile = () => readPlanFile(project.root)

describe('faithh plan', () => {
  it('plans with structured output, then does three steps on two files, each verified (--yes --json)', async () => {
    ollama.script(model(STEP_REPLIES))
    const result = await cli(['plan', 'add subtract and multiply, and use subtract in the app', '--verify', 'node check.js', '--yes', '--json'])

    expect(result.exitCode, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report).toMatchObject({status: 'done', verify: 'node check.js', failed: 0, filesChanged: ['math.js', 'app.js']})
    expect(report.steps).toEqual([
      {
        step: 1,
        title: 'Add subtract',
        status: 'done',
        files: ['math.js'],
        verify: {command: 'node check.js', passed: true, exitCode: 0, runs: 1},
        fixAttempts: 0,
      },
      {
        step: 2,
        title: 'Add multiply',
        status: 'done',
        files: ['math.js'],
        verify: {command: 'node check.js', passed: true, exitCode: 0, runs: 1},
        fixAttempts: 0,
      },
      {
        step: 3,
        title: 'Use subtract in app',
        status: 'done',
        files: ['app.js'],
        verify: {command: 'node check.js', passed: true, exitCode: 0, runs: 1},
        fixAttempts: 0,
      },
    ])
    expect(await read('math.js')).toBe(MATH_DONE)
    expect(await read('app.js')).toBe(APP_DONE)
    expect((await planFile()).status).toBe('done')

    // The planning request: the plan's JSON schema as `format`, the project's files and the task, no tools.
    const [planning] = ollama.chats()
    expect(planning!.format).toMatchObject({
      type: 'object',
      required: ['steps'],
      properties: {steps: {type: 'array', items: {required: ['title', 'change', 'files']}}},
    })
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
        [
          subtract('+'),
          {content: 'Added subtract.'},
          edit('math.js', 'return a + b\n}\n\nexport function add', 'return a - b\n}\n\nexport function add'),
          {content: 'Fixed the operator.'},
        ],
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
  beforeEach(() => initRepo(project.root))

  it("--commit makes one commit per step, of that step's files only; undo reverts them with revert commits", async () => {
    await writeFile(path.join(project.root, 'scratch.txt'), 'not part of the plan\n')
    ollama.script(model(STEP_REPLIES))
    const result = await cli(['plan', 'add subtract and multiply, use subtract', '--verify', 'node check.js', '--commit', '--allow-dirty', '--yes', '--json'])

    expect(result.exitCode, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(await git('log', '--format=%s')).toBe('Use subtract in app\nAdd multiply\nAdd subtract\ninitial')
    expect(report.steps.map((s: {commit: string}) => s.commit)).toEqual([
      await git('rev-parse', 'HEAD~2'),
      await git('rev-parse', 'HEAD~1'),
      await git('rev-parse', 'HEAD'),
    ])
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

  it("refuses to start on uncommitted changes, but not on faithh's own state", async () => {
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
