import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {chmod, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {CLI_BIN, requireBuild} from '../support/cli.js'
import {cliFixture} from '../support/cli-fixture.js'
import type {ChatRequestBody, FakeReply} from '../support/fake-ollama.js'
import {UNSANDBOXED_COMMANDS} from '../support/requirements.js'

/** The Makefile README.md shows, run as a user would: `make` with `faithh` on PATH, against the fake Ollama. */
const MAKEFILE = fileURLToPath(new URL('../../docs/examples/Makefile', import.meta.url))

const SLUG = 'export function slugify(text) {\n  return text.trim().replace(/\\s+/g, "-")\n}\n'
const CHECK = [
  'import {slugify} from "./src/text/slug.js"',
  'const got = slugify("Hello World")',
  'if (got !== "hello-world") { console.error(`slugify("Hello World") is ${got}, not hello-world`); process.exit(1) }',
  'console.log("ok")',
  '',
].join('\n')

// Only a chat model: the index is lexical, so no Chroma is needed.
const {ollama, project} = await cliFixture({
  fresh: true,
  ollama: {models: [{name: 'qwen2.5-coder:7b', contextLength: 32_768}]},
  files: {
    'package.json': '{"type": "module"}\n',
    'src/text/slug.js': SLUG,
    'src/text/words.js': 'export const words = (s) => s.split(" ")\n',
    'check.js': CHECK,
  },
})

let bin: string
beforeAll(async () => {
  requireBuild()
  bin = await mkdtemp(path.join(tmpdir(), 'faithh-bin-'))
  await writeFile(path.join(bin, 'faithh'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_BIN}" "$@"\n`)
  await chmod(path.join(bin, 'faithh'), 0o755)
})
afterAll(() => rm(bin, {recursive: true, force: true}))

const make = () =>
  execa('make', ['-f', MAKEFILE, 'FUNCTION=slugify', 'TASK=make slugify lower-case its input', 'CHECK=node check.js', "SEARCH_FLAGS=--path 'src/**'"], {
    cwd: project.root,
    env: {PATH: `${bin}:${process.env.PATH}`, OLLAMA_HOST: ollama.url, NO_COLOR: '1', FAITHH_MODEL: undefined, ...UNSANDBOXED_COMMANDS},
    extendEnv: true,
    stdin: 'ignore',
    reject: false,
    timeout: 120_000,
  })
const read = (rel: string) => readFile(path.join(project.root, rel), 'utf8')
const report = async (name: string) => JSON.parse(await read(`.faithh/make/${name}.json`))
/** The faithh commands make ran, in order (make echoes each recipe line on stdout). */
const steps = (stdout: string) => [...stdout.matchAll(/^faithh (\w+)/gm)].map((match) => match[1])

const lowerCase: FakeReply = {
  tool_calls: [{name: 'edit_file', arguments: {path: 'src/text/slug.js', old_text: 'text.trim()', new_text: 'text.trim().toLowerCase()'}}],
}
const addComment: FakeReply = {
  tool_calls: [
    {name: 'edit_file', arguments: {path: 'src/text/slug.js', old_text: 'export function', new_text: '// Turns text into a URL slug.\nexport function'}},
  ],
}
const isFix = (request: ChatRequestBody) => request.messages.some((m) => m.role === 'user' && m.content.includes('exited with code'))
const turn = (request: ChatRequestBody) => request.messages.filter((m) => m.role === 'assistant').length

describe('docs/examples/Makefile, run with make', () => {
  it('is the Makefile README.md shows, and the failing line README quotes is its check step', async () => {
    const [readme, makefile] = await Promise.all([readFile(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8'), readFile(MAKEFILE, 'utf8')])
    expect(readme).toContain('```make\n' + makefile + '```')
    const line = Number(/\[docs\/examples\/Makefile:(\d+): check\] Error 1/.exec(readme)?.[1])
    expect(makefile.split('\n')[line - 1]).toMatch(/^\t\$\(FAITHH\) run /)
  })

  it("indexes, searches, edits, checks and generates a test, each step on the last one's results", {timeout: 180_000}, async () => {
    ollama.script((request) => (turn(request) === 0 ? lowerCase : {content: 'slugify lower-cases now.'}))
    const result = await make()

    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0)
    expect(steps(result.stdout)).toEqual(['index', 'search', 'edit', 'run', 'gen'])
    expect((await report('search')).hits[0].path).toBe('src/text/slug.js')
    expect(await report('edit')).toMatchObject({file: 'src/text/slug.js', applied: true})
    expect(await read('src/text/slug.js')).toContain('text.trim().toLowerCase()')
    expect(await report('check')).toMatchObject({command: 'node check.js', passed: true, exitCode: 0, runs: 1})
    expect(await report('gen')).toMatchObject({template: 'test_function', applied: true, files: [{path: 'test/slugify.test.ts', action: 'create'}]})
    expect(await read('test/slugify.test.ts')).toContain("from '../src/text/slug.js'")
  })

  it('stops the chain at the first step that fails: make exits 2 and the steps after it never run', {timeout: 180_000}, async () => {
    // The edit is beside the point and the fixes change nothing: the check still fails after its attempts.
    ollama.script((request) => (isFix(request) ? {content: 'I do not see the problem.'} : turn(request) === 0 ? addComment : {content: 'Documented it.'}))
    const result = await make()

    expect(result.exitCode).toBe(2)
    expect(steps(result.stdout)).toEqual(['index', 'search', 'edit', 'run'])
    expect(result.stderr).toMatch(/make: \*\*\* \[[^\]]*Makefile:\d+: check\] Error 1/)
    expect(await report('check')).toMatchObject({passed: false, exitCode: 1, runs: 3})
    expect(existsSync(path.join(project.root, '.faithh/make/gen.json'))).toBe(false)
    expect(existsSync(path.join(project.root, 'test/slugify.test.ts'))).toBe(false)
  })
})
