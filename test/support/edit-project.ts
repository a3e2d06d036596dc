import {chmod} from 'node:fs/promises'
import path from 'node:path'

import type {FakeReply} from './fake-ollama.js'

/** A CRLF file with an executable mode: edits must keep both. */
export const APP = 'export function greet(name) {\r\n  return "hello " + name\r\n}\r\n'
export const MATH = 'export function add(a, b) {\n  return a - b\n}\n'
const TEST =
  'import {add} from "./math.js"\nif (add(2, 3) !== 5) {\n  console.error(`add(2, 3) returned ${add(2, 3)}, expected 5`)\n  process.exit(1)\n}\nconsole.log("ok")\n'

/** The project of the `faithh edit`, `run` and `undo` tests: a test that fails until math.js adds. */
export const EDIT_PROJECT = {
  'src/app.js': APP,
  'math.js': MATH,
  'test.js': TEST,
  'fail.js': 'process.exit(3)\n',
  'package.json': '{"type": "module"}\n',
}

export async function makeAppExecutable(root: string): Promise<void> {
  await chmod(path.join(root, 'src/app.js'), 0o755)
}

export const greetEdit = (): FakeReply[] => [
  {tool_calls: [{name: 'edit_file', arguments: {path: 'src/app.js', old_text: 'return "hello " + name', new_text: 'return `hello, ${name}!`'}}]},
  {content: 'Switched greet to a template literal.'},
]
