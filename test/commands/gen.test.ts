import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {mkdir, readFile, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {GEN_PROJECT, projectFiles} from '../support/gen-project.js'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const {ollama, project, run} = await cliFixture({files: GEN_PROJECT, fresh: true})
const cli = (args: string[], env: Record<string, string | undefined> = {}) => run(args, {env})
const read = (rel: string) => readFile(path.join(project.root, rel), 'utf8')
const files = () => projectFiles(project.root)

describe('faithh gen', () => {
  it('generates every built-in, and the generated code type-checks and its tests pass', async () => {
    await symlink(path.join(REPO, 'node_modules'), path.join(project.root, 'node_modules'))
    await writeFile(
      path.join(project.root, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          jsx: 'react-jsx',
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
        },
      }),
    )
    const runs = [
      ['api_endpoint', '--var', 'name=user profile', '--var', 'method=post', '--var', 'route=/users/:id'],
      ['test_function', '--var', 'name=slugify'],
      ['cli_command', '--var', 'name=say hello', '--var', 'summary=Says hello.'],
      ['react_component', '--var', 'name=user card', '--var', 'element=section'],
    ]
    const written: string[] = []
    for (const args of runs) {
      const result = await cli(['gen', ...args, '--yes', '--json'])
      expect(result.exitCode, result.stderr).toBe(0)
      const json = JSON.parse(result.stdout)
      expect(json).toMatchObject({template: args[0], applied: true})
      written.push(...json.files.map((f: {path: string; action: string}) => `${f.action} ${f.path}`))
    }
    expect(written).toEqual([
      'create src/routes/user-profile.ts',
      'create test/routes/user-profile.test.ts',
      'create test/slugify.test.ts',
      'create src/commands/say-hello.ts',
      'create test/commands/say-hello.test.ts',
      'create src/components/UserCard.tsx',
      'create src/components/UserCard.test.tsx',
    ])
    expect(await read('src/routes/user-profile.ts')).toContain(`userProfileRouter.post('/users/:id'`)

    // Run with a clean environment: the outer vitest's variables must not steer the inner one.
    const env = {PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1'}
    const node = (script: string, ...args: string[]) =>
      execa('node', [path.join(REPO, 'node_modules', script), ...args], {cwd: project.root, env, extendEnv: false, reject: false})
    const [tests, types] = await Promise.all([node('vitest/vitest.mjs', 'run'), node('typescript/bin/tsc', '-p', '.')])
    expect(tests.exitCode, tests.stdout + tests.stderr).toBe(0)
    expect(tests.stdout).toMatch(/Test Files\s+4 passed \(4\)/)
    expect(tests.stdout).toMatch(/Tests\s+8 passed \| 1 todo/)
    expect(types.exitCode, types.stdout).toBe(0)
  }, 60_000)

  it('--list shows each template once, with where it comes from', async () => {
    await mkdir(path.join(project.root, '.faithh/templates/api_endpoint'), {recursive: true})
    await writeFile(
      path.join(project.root, '.faithh/templates/api_endpoint/template.json'),
      JSON.stringify({summary: 'our own route', files: [{from: 'r.mustache', to: 'r.ts'}]}),
    )
    await writeFile(path.join(project.root, '.faithh/templates/api_endpoint/r.mustache'), 'ours\n')

    const list = await cli(['gen', '--list'])
    expect(list.exitCode, list.stderr).toBe(0)
    expect(list.stdout).toMatch(/^api_endpoint\s+project\s+our own route \(overrides built-in\)$/m)
    expect(list.stdout).toMatch(/^react_component\s+built-in\s+React function component/m)
    expect(list.stderr).toContain('skipped template climber (project): template.json: files.0.to: must be a relative path without ".."')

    const json = JSON.parse((await cli(['gen', '--list', '--json'])).stdout)
    expect(json.templates.find((t: {name: string}) => t.name === 'test_function')).toMatchObject({
      source: 'built-in',
      variables: {name: {type: 'identifier', required: true}, module: {default: '../src/{{nameKebab}}.js'}},
      files: ['test/{{nameKebab}}.test.ts'],
    })

    const gen = await cli(['gen', 'api_endpoint', '--yes'])
    expect(gen.exitCode, gen.stderr).toBe(0)
    expect(await read('r.ts')).toBe('ours\n')
  })

  it.each([
    ['template syntax in a value', ['api_endpoint', '--var', 'name={{route}}'], 2, 'template syntax is not allowed'],
    ['template syntax in a string value', ['api_endpoint', '--var', 'name=x', '--var', 'route=/{{name}}'], 2, 'template syntax is not allowed'],
    ['code in a value with a pattern', ['api_endpoint', '--var', 'name=x', '--var', `route=/x'); process.exit(1); ('`], 2, 'does not match'],
    ['.. in a name used in the path', ['api_endpoint', '--var', 'name=../../x'], 2, 'is not a name'],
    ['.. in a string used in the path', ['by_dir', '--var', 'dir=../..'], 2, 'paths may not climb out'],
    ['an absolute path in a variable', ['by_dir', '--var', 'dir=/tmp'], 2, 'is absolute'],
    ['--out outside the project', ['test_function', '--var', 'name=slugify', '--out', '..'], 2, 'is outside the project'],
    ['--out absolute', ['test_function', '--var', 'name=slugify', '--out', '/tmp'], 2, 'is outside the project'],
    ['an output pattern climbing out', ['climber'], 2, 'template climber (project) is broken'],
    ['a forbidden folder', ['by_dir', '--var', 'dir=.ssh'], 6, 'cannot write .ssh/note.txt'],
    ['a read-only folder', ['by_dir', '--var', 'dir=.git'], 6, 'cannot write .git/note.txt'],
    ["faithh's own state", ['by_dir', '--var', 'dir=.faithh/undo'], 6, 'cannot write .faithh/undo/note.txt'],
    ['an unknown variable', ['test_function', '--var', 'name=slugify', '--var', 'nameKebab=../x'], 2, 'unknown variable nameKebab'],
    ['an unknown template', ['../../etc'], 2, 'is not a template name'],
  ])('refuses %s and writes nothing', async (_name, args, exitCode, message) => {
    const before = await files()
    const result = await cli(['gen', ...args, '--yes'])
    expect(result.exitCode, result.stderr).toBe(exitCode)
    expect(result.stderr).toContain(message)
    expect(await files()).toEqual(before)
    expect(existsSync(path.join(project.root, '.git/note.txt'))).toBe(false)
  })

  it('--dry-run prints the diff of a changed file, writes nothing and exits 0', async () => {
    await mkdir(path.join(project.root, 'test'))
    await writeFile(path.join(project.root, 'test/slugify.test.ts'), 'old\n')
    const dry = await cli(['gen', 'test_function', '--var', 'name=slugify', '--dry-run'])
    expect(dry.exitCode).toBe(0)
    expect(dry.stdout).toContain('+++ b/test/slugify.test.ts')
    expect(await read('test/slugify.test.ts')).toBe('old\n')
  })

  it('--out puts the files in that folder, and `faithh undo` takes them back', async () => {
    const result = await cli(['gen', 'react_component', '--var', 'name=nav bar', '--out', 'web', '--yes'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(await read('web/src/components/NavBar.tsx')).toContain('export function NavBar(')

    const undo = await cli(['undo'])
    expect(undo.exitCode, undo.stderr).toBe(0)
    expect(undo.stdout).toContain('removed web/src/components/NavBar.tsx')
    expect(existsSync(path.join(project.root, 'web/src/components/NavBar.tsx'))).toBe(false)
  })
})

describe('faithh gen --ai', () => {
  const row = "  {name: 'turns spaces into dashes', args: ['Hello World'], expected: 'hello-world'},"
  const fill = () => [
    {
      tool_calls: [
        {
          name: 'edit_file',
          arguments: {path: 'test/slugify.test.ts', old_text: "  // {name: 'handles the typical case', args: [/* … */], expected: /* … */},", new_text: row},
        },
      ],
    },
    {content: 'Added a case for spaces.'},
  ]

  it('renders, lets the model complete the staged files, then shows one diff and writes', async () => {
    ollama.script(fill())
    const result = await cli(['gen', 'test_function', '--var', 'name=slugify', '--ai', 'add a case for spaces', '--yes', '--json'])

    expect(result.exitCode, result.stderr).toBe(0)
    const json = JSON.parse(result.stdout)
    expect(json).toMatchObject({applied: true, files: [{path: 'test/slugify.test.ts', action: 'create'}]})
    expect(json.diff).toContain(`+${row}`)
    const written = await read('test/slugify.test.ts')
    expect(written).toContain(row)
    expect(written).toContain("import { slugify } from '../src/slugify.js'")

    const [first] = ollama.chats()
    const prompt = first!.messages.at(-1)!.content
    expect(prompt).toContain('Instruction: add a case for spaces')
    expect(prompt).toContain('File test/slugify.test.ts:')
    expect(prompt).toContain("import { slugify } from '../src/slugify.js'") // the rendered file, inlined
    expect(first!.tools!.map((t) => t.function.name)).toEqual(['read_file', 'search_code', 'list_directory', 'edit_file', 'write_file'])
  })
})

describe('faithh gen --ai without a model', () => {
  it('writes nothing when the model cannot be reached', async () => {
    const before = await files()
    const result = await run(['gen', 'test_function', '--var', 'name=slugify', '--ai', 'anything', '--yes'], {host: 'http://127.0.0.1:9'})
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('nothing written: the model did not finish (cannot reach Ollama')
    expect(await files()).toEqual(before)
  })
})
