import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import type {FakeReply} from '../support/fake-ollama.js'
import {MATH, readPlanFile, stepOf} from '../support/plan-model.js'
import {KEYS, runInTerminal} from '../support/terminal.js'

const DOWN = KEYS.down
const PLAN = {
  steps: [
    {title: 'Add subtract', change: 'Add subtract(a, b) to math.js.', files: ['math.js']},
    {title: 'Add multiply', change: 'Add multiply(a, b) to math.js.', files: ['math.js']},
    {title: 'Add divide', change: 'Add divide(a, b) to math.js.', files: ['math.js']},
  ],
}

const addBefore = (fn: string, body: string): FakeReply => ({
  tool_calls: [
    {
      name: 'edit_file',
      arguments: {
        path: 'math.js',
        old_text: 'export function add(a, b) {',
        new_text: `export function ${fn}(a, b) {\n  return ${body}\n}\n\nexport function add(a, b) {`,
      },
    },
  ],
})
const STEPS: FakeReply[][] = [
  // Step 1: first try, then (after "redo with feedback") the second try.
  [addBefore('subtract', 'a - b'), {content: 'Added subtract.'}, addBefore('minus', 'a - b'), {content: 'Added minus.'}],
  [addBefore('multiply', 'a * b'), {content: 'Added multiply.'}],
]

const {ollama, project} = await cliFixture({
  ollama: {
    chat: (request) => {
      if (request.format) return {content: JSON.stringify(PLAN)}
      const turn = request.messages.filter((m) => m.role === 'assistant').length
      return STEPS[stepOf(request) - 1]?.[turn] ?? {content: '(unscripted)'}
    },
  },
  files: {'math.js': MATH},
  fresh: true,
})

describe('faithh plan at a terminal', () => {
  it('edits and removes steps, then applies, redoes with feedback and skips step diffs', async () => {
    const steps: [string, string][] = [
      ['Run this plan?', `${DOWN}\r`], // Edit a step
      ['Which step?', '\r'], // step 1
      ['Title:', ' now\r'], // the title is pre-filled and editable: append to it
      ['What to change:', '\r'],
      ['Files (comma-separated):', '\r'],
      ['Run this plan?', `${DOWN}${DOWN}\r`], // Remove steps
      ['Remove which steps?', `${DOWN}${DOWN} \r`], // step 3
      ['Run this plan?', '\r'], // Yes, start
      ['Step 1/2: apply these changes?', `${DOWN}\r`], // Redo with feedback
      ['What should be different?', 'call it minus\r'],
      ['Step 1/2: apply these changes?', '\r'], // Apply
      ['Step 2/2: apply these changes?', `${DOWN}${DOWN}\r`], // Skip
    ]
    const {exitCode, output} = await runInTerminal(['plan', 'add arithmetic'], steps, {cwd: project.root, host: ollama.url, timeoutMs: 60_000})

    expect(exitCode, output).toBe(0)
    expect(output).toContain('+export function subtract(a, b) {')
    expect(await readFile(path.join(project.root, 'math.js'), 'utf8')).toBe(`export function minus(a, b) {\n  return a - b\n}\n\n${MATH}`)

    const stepOne = ollama.chats().filter((chat) => stepOf(chat) === 1)
    expect(stepOne[0]!.messages.find((m) => m.role === 'user')!.content).toContain('Do step 1 now: Add subtract now')
    expect(stepOne.at(-1)!.messages.some((m) => m.role === 'user' && m.content.includes('call it minus'))).toBe(true)
    expect(ollama.chats().some((chat) => stepOf(chat) === 3)).toBe(false)

    const state = await readPlanFile(project.root)
    expect(state.status).toBe('done')
    expect(state.steps.map((s: {title: string; status: string; redos: number}) => [s.title, s.status, s.redos])).toEqual([
      ['Add subtract now', 'done', 1],
      ['Add multiply', 'skipped', 0],
    ])
  })
})
