import {describe, expect, it} from 'vitest'

import {parsePlanReply} from '../../../src/core/plan/parse-plan.js'
import {MAX_PLAN_STEPS, planFormat} from '../../../src/core/plan/schema.js'

const ONE = {steps: [{title: 'Add helper', change: 'Add parseDate to src/date.ts.', files: ['src/date.ts']}]}
const ONE_STEP = [{title: 'Add helper', change: 'Add parseDate to src/date.ts.', files: ['src/date.ts']}]

describe('parsePlanReply accepts the shapes local models produce', () => {
  const accepted: [string, string, unknown][] = [
    ['bare JSON', JSON.stringify(ONE), ONE_STEP],
    ['JSON with surrounding whitespace', `\n\n  ${JSON.stringify(ONE)}  \n`, ONE_STEP],
    ['a ```json fence with prose around it', `Here is the plan:\n\`\`\`json\n${JSON.stringify(ONE, null, 2)}\n\`\`\`\nLet me know!`, ONE_STEP],
    ['an unlabelled fence', `\`\`\`\n${JSON.stringify(ONE)}\n\`\`\``, ONE_STEP],
    ['prose then an object, no fence', `Sure! ${JSON.stringify(ONE)} That should do it.`, ONE_STEP],
    ['prose with [brackets] before the object', `Plan [draft]: ${JSON.stringify(ONE)}`, ONE_STEP],
    [
      'braces inside strings',
      JSON.stringify({steps: [{title: 'Fix }{', change: 'Handle "}" in templates', files: []}]}),
      [{title: 'Fix }{', change: 'Handle "}" in templates', files: []}],
    ],
    ['a bare list of steps', JSON.stringify(ONE.steps), ONE_STEP],
    ['the list nested under "plan"', JSON.stringify({plan: ONE.steps}), ONE_STEP],
    ['the object nested under "plan"', JSON.stringify({plan: ONE}), ONE_STEP],
    ['the list under another single key', JSON.stringify({todo: ONE.steps}), ONE_STEP],
    [
      '"description" and "paths" instead of "change" and "files"',
      JSON.stringify({steps: [{name: 'Add helper', description: 'Add parseDate to src/date.ts.', paths: ['src/date.ts']}]}),
      ONE_STEP,
    ],
    [
      'files as a comma-separated string',
      JSON.stringify({steps: [{title: 'Add helper', change: 'Add parseDate to src/date.ts.', files: 'src/date.ts, src/index.ts'}]}),
      [{...ONE_STEP[0], files: ['src/date.ts', 'src/index.ts']}],
    ],
    ['no files at all', JSON.stringify({steps: [{title: 'Add helper', change: 'Add parseDate to src/date.ts.'}]}), [{...ONE_STEP[0], files: []}]],
    [
      'a title without a change: the title is the change',
      JSON.stringify({steps: [{title: 'Add helper', files: []}]}),
      [{title: 'Add helper', change: 'Add helper', files: []}],
    ],
    [
      'steps as plain strings',
      JSON.stringify({steps: ['Add parseDate to src/date.ts']}),
      [{title: 'Add parseDate to src/date.ts', change: 'Add parseDate to src/date.ts', files: []}],
    ],
    [
      '"./" prefixes and duplicate files cleaned',
      JSON.stringify({steps: [{title: 'T', change: 'C', files: ['./a.ts', 'a.ts', 'src\\b.ts']}]}),
      [{title: 'T', change: 'C', files: ['a.ts', 'src/b.ts']}],
    ],
    ['titles and changes trimmed', JSON.stringify({steps: [{title: '  T ', change: ' C\n', files: []}]}), [{title: 'T', change: 'C', files: []}]],
  ]
  it.each(accepted)('%s', (_name, reply, steps) => {
    expect(parsePlanReply(reply)).toEqual({ok: true, steps})
  })
})

describe('parsePlanReply rejects what is not a usable plan, with a reason for the model', () => {
  const tooMany = {steps: Array.from({length: MAX_PLAN_STEPS + 1}, (_, i) => ({title: `Step ${i}`, change: 'x', files: []}))}
  const rejected: [string, string, RegExp][] = [
    ['an empty reply', '', /no JSON object/],
    ['prose only', 'First I would add a helper, then use it.', /no JSON object/],
    ['truncated JSON', '{"steps": [{"title": "Add helper", "change": "Add', /no JSON object/],
    ['an empty plan', '{"steps": []}', /the plan has no steps/],
    ['steps that are not a list', '{"steps": "later"}', /steps/],
    ['a step without any text', '{"steps": [{"files": ["a.ts"]}]}', /steps\.0\.title/],
    ['an empty title', '{"steps": [{"title": "  ", "change": "x", "files": []}]}', /a step needs a title/],
    [`more than ${MAX_PLAN_STEPS} steps`, JSON.stringify(tooMany), /too many steps/],
    ['an absolute path', '{"steps": [{"title": "T", "change": "C", "files": ["/etc/passwd"]}]}', /relative to the project root/],
    ['a path leaving the project', '{"steps": [{"title": "T", "change": "C", "files": ["src/../../x"]}]}', /relative to the project root/],
    ['a Windows drive path', '{"steps": [{"title": "T", "change": "C", "files": ["C:/x.ts"]}]}', /relative to the project root/],
    ['files that are not strings', '{"steps": [{"title": "T", "change": "C", "files": [1]}]}', /files/],
    ['a number', '42', /no JSON object/],
  ]
  it.each(rejected)('%s', (_name, reply, error) => {
    const result = parsePlanReply(reply)
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.error).toMatch(error)
  })
})

describe('planFormat', () => {
  it('is the JSON schema Ollama constrains the reply to: steps of {title, change, files}', () => {
    const format = planFormat()
    expect(format).not.toHaveProperty('$schema')
    expect(format).toMatchObject({
      type: 'object',
      required: ['steps'],
      properties: {
        steps: {
          type: 'array',
          minItems: 1,
          maxItems: MAX_PLAN_STEPS,
          items: {type: 'object', required: ['title', 'change', 'files'], properties: {files: {type: 'array', items: {type: 'string'}}}},
        },
      },
    })
  })
})
