import {execa} from 'execa'
import {readdir, readFile, rm} from 'node:fs/promises'
import path from 'node:path'

import type {ChatRequestBody, FakeReply} from './fake-ollama.js'

/**
 * A scripted model for `faithh plan` tests: a project with math.js, app.js and a check, the plan it
 * proposes for it, and each step's replies (test/commands/plan.test.ts and test/e2e/plan.test.ts).
 */
export const MATH = 'export function add(a, b) {\n  return a + b\n}\n'
export const APP = 'import {add} from "./math.js"\nconsole.log(add(2, 3))\n'
// The --verify check: whatever math.js exports must be right.
export const CHECK = [
  'import * as m from "./math.js"',
  'const fail = (message) => { console.error(message); process.exit(1) }',
  'if (m.add(2, 3) !== 5) fail("add(2, 3) should be 5")',
  'if (m.subtract && m.subtract(5, 3) !== 2) fail(`subtract(5, 3) returned ${m.subtract(5, 3)}, expected 2`)',
  'if (m.multiply && m.multiply(2, 3) !== 6) fail("multiply(2, 3) should be 6")',
  'console.log("ok")',
  '',
].join('\n')

export const PLAN = {
  steps: [
    {title: 'Add subtract', change: 'Add subtract(a, b) to math.js.', files: ['math.js']},
    {title: 'Add multiply', change: 'Add multiply(a, b) to math.js.', files: ['math.js']},
    {title: 'Use subtract in app', change: 'Print subtract(5, 3) in app.js.', files: ['./app.js']},
  ],
}

export const ADD_HEAD = 'export function add(a, b) {'
export const edit = (file: string, oldText: string, newText: string): FakeReply => ({
  tool_calls: [{name: 'edit_file', arguments: {path: file, old_text: oldText, new_text: newText}}],
})
export const subtract = (op = '-') => edit('math.js', ADD_HEAD, `export function subtract(a, b) {\n  return a ${op} b\n}\n\n${ADD_HEAD}`)
export const multiply = edit('math.js', ADD_HEAD, `export function multiply(a, b) {\n  return a * b\n}\n\n${ADD_HEAD}`)
export const useSubtract = edit('app.js', APP.trimEnd(), 'import {add, subtract} from "./math.js"\nconsole.log(add(2, 3), subtract(5, 3))')
export const STEP_REPLIES: FakeReply[][] = [
  [subtract(), {content: 'Added subtract.'}],
  [multiply, {content: 'Added multiply.'}],
  [useSubtract, {content: 'app.js prints subtract(5, 3).'}],
]
export const MATH_DONE = `export function subtract(a, b) {\n  return a - b\n}\n\nexport function multiply(a, b) {\n  return a * b\n}\n\n${MATH}`
export const APP_DONE = 'import {add, subtract} from "./math.js"\nconsole.log(add(2, 3), subtract(5, 3))\n'

/** The step a request belongs to (1-based), from the step's first message; 0 for planning requests. */
export function stepOf(request: ChatRequestBody): number {
  const first = request.messages.find((m) => m.role === 'user')?.content ?? ''
  return Number(/Do step (\d+) now/.exec(first)?.[1] ?? 0)
}

/**
 * The model: planning requests (they carry `format`) get the plan; a step's requests get that step's
 * replies in turn, counted by the assistant messages already in the conversation.
 */
export function model(
  steps: FakeReply[][],
  plan: FakeReply | FakeReply[] = {content: `Here is the plan:\n\`\`\`json\n${JSON.stringify(PLAN, null, 2)}\n\`\`\`\nGood luck!`},
) {
  return (request: ChatRequestBody): FakeReply => {
    if (request.format) {
      const turn = request.messages.filter((m) => m.role === 'assistant').length
      return Array.isArray(plan) ? (plan[turn] ?? {content: 'no more plans'}) : plan
    }

    const turn = request.messages.filter((m) => m.role === 'assistant').length
    return steps[stepOf(request) - 1]?.[turn] ?? {content: `(no scripted reply for step ${stepOf(request)}, turn ${turn})`}
  }
}

/** The files of the project the plan works on. */
export const PLAN_PROJECT = {'math.js': MATH, 'app.js': APP, 'check.js': CHECK, 'package.json': '{"type": "module"}\n'}

export async function gitIn(root: string, ...args: string[]): Promise<string> {
  return (await execa('git', args, {cwd: root})).stdout
}

/** A real repository (makeProject's .git is an empty marker), everything committed. */
export async function initRepo(root: string): Promise<void> {
  await rm(path.join(root, '.git'), {recursive: true})
  await gitIn(root, 'init', '-q')
  await gitIn(root, 'config', 'user.email', 'test@example.com')
  await gitIn(root, 'config', 'user.name', 'Test')
  await gitIn(root, 'add', '-A')
  await gitIn(root, 'commit', '-q', '-m', 'initial')
}

/**
 * The state file of the project's (only) plan. Not the hidden `.<id>.json.….faithh-tmp` an atomic save
 * writes first: it holds the next state before the rename commits it, and a kill can come in between.
 */
export async function readPlanFile(root: string): Promise<any> {
  const names = (await readdir(path.join(root, '.faithh/plans'))).filter((name) => name.endsWith('.json') && !name.startsWith('.'))
  if (names.length !== 1) throw new Error(`expected one plan file, found ${names.length}`)
  return JSON.parse(await readFile(path.join(root, '.faithh/plans', names[0]!), 'utf8'))
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await condition().catch(() => false)) return
    if (Date.now() > deadline) throw new Error('timed out waiting for the plan to reach the expected state')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
