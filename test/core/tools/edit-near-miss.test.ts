import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {editFileTool} from '../../../src/core/tools/edit-file.js'
import {runTool} from '../../../src/core/tools/tool.js'
import {sandbox} from '../../support/sandbox.js'

async function edit(file: string, oldText: string, newText: string) {
  const box = await sandbox({'f.ts': file})
  const result = await runTool(editFileTool, {path: 'f.ts', old_text: oldText, new_text: newText}, box.ctx)
  return {result, after: await readFile(path.join(box.root, 'f.ts'), 'utf8')}
}

const lines = (...l: string[]) => l.join('\n') + '\n'

const CART = lines(
  'export function total(items) {',
  '  let sum = 0',
  '  for (const item of items) {',
  '    sum += item.price * item.quantity',
  '  }',
  '',
  '  return sum',
  '}',
)

interface Applies {
  title: string
  file: string
  old: string
  new: string
  after: string
  /** What the tool result must say about what was matched and how. */
  says: string[]
}

const applies: Applies[] = [
  {
    title: 'trailing spaces in the file',
    file: lines('function f() {   ', '  return 1  ', '}'),
    old: lines('function f() {', '  return 1', '}'),
    new: lines('function f() {', '  return 2', '}'),
    after: lines('function f() {   ', '  return 2', '}'),
    says: ['it matched lines 1-3 ignoring trailing whitespace', 'new text is at lines 1-3'],
  },
  {
    title: 'trailing spaces in old_text',
    file: CART,
    old: '  let sum = 0  \n  for (const item of items) {   ',
    new: '  let sum = 0\n  let count = 0\n  for (const item of items) {',
    after: CART.replace('  let sum = 0\n', '  let sum = 0\n  let count = 0\n'),
    says: ['it matched lines 2-3 ignoring trailing whitespace'],
  },
  {
    title: 'spaces in old_text where the file has tabs; the added line gets tabs too',
    file: lines('if (ready) {', '\tif (x) {', '\t\tgo()', '\t}', '}'),
    old: lines('    if (x) {', '        go()', '    }'),
    new: lines('    if (x) {', '        go()', '        stop()', '    }'),
    after: lines('if (ready) {', '\tif (x) {', '\t\tgo()', '\t\tstop()', '\t}', '}'),
    says: ['it matched lines 2-4 ignoring tabs vs spaces (new_text re-indented to fit)'],
  },
  {
    title: 'an indentation shift (old_text copied without its nesting)',
    file: CART,
    old: lines('for (const item of items) {', '  sum += item.price * item.quantity', '}'),
    new: lines('for (const item of items) {', '  if (item.free) continue', '  sum += item.price * item.quantity', '}'),
    after: CART.replace('  for (const item of items) {\n', '  for (const item of items) {\n    if (item.free) continue\n'),
    says: ['it matched lines 3-5 ignoring indentation (new_text re-indented to fit)'],
  },
  {
    title: 'indentation lost altogether: an added line follows the line before it',
    file: CART,
    old: lines('let sum = 0', 'for (const item of items) {', 'sum += item.price * item.quantity'),
    new: lines('let sum = 0', 'for (const item of items) {', 'sum += item.price * item.quantity', 'sum -= item.discount'),
    after: CART.replace('    sum += item.price * item.quantity\n', '    sum += item.price * item.quantity\n    sum -= item.discount\n'),
    says: ['it matched lines 2-4 ignoring indentation (new_text re-indented to fit)'],
  },
  {
    title: 'a CRLF file: kept lines keep CRLF, added lines get it',
    file: 'a = 1  \r\nb = 2\r\nc = 3\r\n',
    old: 'a = 1\nb = 2',
    new: 'a = 1\nb = 20\nb2 = 21',
    after: 'a = 1  \r\nb = 20\r\nb2 = 21\r\nc = 3\r\n',
    says: ['it matched lines 1-2 ignoring trailing whitespace and line endings', 'new text is at lines 1-3'],
  },
  {
    title: 'a blank line missing from old_text is kept',
    file: CART,
    old: lines('  }', '  return sum', '}'),
    new: lines('  }', '  return Math.round(sum)', '}'),
    after: CART.replace('  return sum', '  return Math.round(sum)'),
    says: ['it matched lines 5-8 ignoring blank lines'],
  },
  {
    title: 'an extra blank line in old_text',
    file: lines('const a = 1', 'const b = 2', 'const c = 3'),
    old: lines('const a = 1', '', 'const b = 2'),
    new: lines('const a = 1', '', 'const b = 22'),
    after: lines('const a = 1', 'const b = 22', 'const c = 3'),
    says: ['it matched lines 1-2 ignoring blank lines'],
  },
  {
    title: 'smart quotes and a dash in old_text',
    file: lines('const greeting = "hello - world"', "const name = 'faithh'"),
    old: lines('const greeting = “hello – world”', 'const name = ‘faithh’'),
    new: lines('const greeting = "hello - world"', "const name = 'Faithh'"),
    after: lines('const greeting = "hello - world"', "const name = 'Faithh'"),
    says: ['it matched lines 1-2 ignoring quotes and dashes'],
  },
  {
    title: 'a line left out of old_text is kept, and reported',
    file: CART,
    old: lines('  let sum = 0', '  for (const item of items) {', '  }', '', '  return sum'),
    new: lines('  let sum = 0', '  for (const item of items) {', '  }', '', '  return sum.toFixed(2)'),
    after: CART.replace('  return sum', '  return sum.toFixed(2)'),
    says: ['the most similar text, lines 2-7 (', 'was replaced; new text is at lines 2-7. Kept line 4 that old_text left out.'],
  },
  {
    title: 'lines elided with a comment placeholder are kept',
    file: CART,
    old: lines('export function total(items) {', '  // ... existing code ...', '  return sum', '}'),
    new: lines('export function total(items) {', '  // ... existing code ...', '  return sum * 1.2', '}'),
    after: CART.replace('  return sum', '  return sum * 1.2'),
    says: ['the most similar text, lines 1-8', 'Kept lines 2, 3, 4, 5 that old_text left out.'],
  },
  {
    title: 'a typo in one line of old_text',
    file: CART,
    old: lines('  let sum = 0', '  for (const itme of items) {', '    sum += item.price * item.quantity', '  }'),
    new: lines('  let sum = 0', '  for (const itme of items) {', '    sum += item.price * item.quantity * 1.2', '  }'),
    after: CART.replace('item.quantity', 'item.quantity * 1.2'),
    says: ['the most similar text, lines 2-5 (', 'line 3 differs from old_text'],
  },
]

interface Refuses {
  title: string
  file: string
  old: string
  new: string
  says: string
}

const refuses: Refuses[] = [
  {
    title: 'two places match once whitespace is ignored',
    file: lines('if (a) {', '  run()', '}', 'if (a) {', '  run()', '}'),
    old: lines('if (a) {', '    run()  '),
    new: lines('if (a) {', '    walk()'),
    says: 'ignoring whitespace and indentation it matches 2 places (lines 1, 4), so none was changed',
  },
  {
    title: 'two places are about equally similar',
    file: lines('function a() {', '  const x = load(1)', '  return x', '}', 'function b() {', '  const x = load(2)', '  return x', '}'),
    old: lines('  const x = load(3)', '  return x'),
    new: lines('  const x = load(3)', '  return x + 1'),
    says: 'are about equally similar',
  },
  {
    title: 'an identifier misremembered on every line',
    file: CART,
    old: lines('  let total = 0', '  for (const entry of items) {', '    total += entry.price * entry.quantity'),
    new: lines('  let total = 0'),
    says: 'old_text not found in f.ts. Most similar text is at lines 2-4',
  },
  {
    title: 'text that is not in the file at all',
    file: CART,
    old: lines('class Inventory {', '  constructor(store) {}', '}'),
    new: lines('class Inventory {}'),
    says: 'old_text not found in f.ts',
  },
  {
    title: 'new_text changes a line of old_text that the file does not have',
    file: CART,
    old: lines('  let sum = 0', '  const tax = 0.2', '  for (const item of items) {', '    sum += item.price * item.quantity', '  }'),
    new: lines('  let sum = 0', '  const tax = 0.25', '  for (const item of items) {', '    sum += item.price * item.quantity', '  }'),
    says: 'but new_text changes a line of old_text that is not there ("const tax = 0.2"), so nothing was changed',
  },
]

describe('edit_file on an old_text that is nearly right', () => {
  it.each(applies)('applies: $title', async ({file, old, new: next, after, says}) => {
    const {result, after: actual} = await edit(file, old, next)
    expect(result.ok, result.output).toBe(true)
    expect(actual).toBe(after)
    for (const phrase of says) expect(result.output).toContain(phrase)
  })

  it.each(refuses)('refuses: $title', async ({file, old, new: next, says}) => {
    const {result, after} = await edit(file, old, next)
    expect(result.ok).toBe(false)
    expect(result.output).toContain(says)
    expect(after).toBe(file)
  })
})
