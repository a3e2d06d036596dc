import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {detectProject} from '../../../src/core/init/detect.js'
import {makeTargets} from '../../../src/core/init/makefile.js'
import {makeProject} from '../../support/fixture.js'

async function detect(files: Record<string, string>, dirs: string[] = []) {
  await using project = await makeProject(files)
  for (const dir of dirs) await mkdir(path.join(project.root, dir), {recursive: true})
  return await detectProject(project.root)
}

const pkg = (extra: object) => JSON.stringify({name: 'app', ...extra})

describe('detectProject: Node', () => {
  it.each([
    ['npm from package-lock.json', {'package-lock.json': '{}'}, 'npm', 'package-lock.json', 'npm test', 'npm run build'],
    ['pnpm from pnpm-lock.yaml', {'pnpm-lock.yaml': ''}, 'pnpm', 'pnpm-lock.yaml', 'pnpm test', 'pnpm run build'],
    ['yarn from yarn.lock', {'yarn.lock': ''}, 'yarn', 'yarn.lock', 'yarn test', 'yarn run build'],
    ["bun from bun.lock, with `bun run test` (`bun test` is bun's own runner)", {'bun.lock': ''}, 'bun', 'bun.lock', 'bun run test', 'bun run build'],
    ['npm without a lockfile', {}, 'npm', 'package.json (no lockfile)', 'npm test', 'npm run build'],
  ])('%s', async (_name, lockfiles, manager, evidence, test, build) => {
    const facts = await detect({'package.json': pkg({scripts: {test: 'vitest run', build: 'tsc'}}), ...lockfiles})
    expect(facts.toolchains).toEqual([{name: manager, evidence, commands: {install: `${manager} install`, test, build}}])
  })

  it('believes the packageManager field over a stray lockfile', async () => {
    const facts = await detect({'package.json': pkg({packageManager: 'pnpm@9.12.0'}), 'package-lock.json': '{}'})
    expect(facts.toolchains[0]).toMatchObject({name: 'pnpm', evidence: 'package.json "packageManager": "pnpm@9.12.0"'})
  })

  it("finds lint, type-check and format scripts under their usual names, and ignores npm init's placeholder test", async () => {
    const scripts = {test: 'echo "Error: no test specified" && exit 1', lint: 'eslint .', 'type-check': 'tsc --noEmit', fmt: 'prettier -w .', dev: 'vite'}
    const facts = await detect({'package.json': pkg({scripts})})
    expect(facts.commands).toEqual({install: ['npm install'], lint: ['npm run lint'], typecheck: ['npm run type-check'], format: ['npm run fmt']})
  })

  it('notes the workspaces of a monorepo (package.json or pnpm-workspace.yaml)', async () => {
    const facts = await detect({'package.json': pkg({workspaces: ['packages/*']}), 'pnpm-workspace.yaml': 'packages:\n  - \'apps/*\'\n  - "packages/*"\n'})
    expect(facts.toolchains[0]!.notes).toEqual(['Monorepo: workspaces `packages/*`, `apps/*`; a package may have its own AGENTS.md'])
  })

  it('survives a package.json that is not JSON', async () => {
    const facts = await detect({'package.json': '{"name": '})
    expect(facts.toolchains).toEqual([{name: 'npm', evidence: 'package.json (not valid JSON: its scripts could not be read)', commands: {}}])
  })
})

describe('detectProject: Python', () => {
  it.each([
    [
      'uv with pytest, ruff and mypy in pyproject.toml',
      {
        'uv.lock': '',
        'pyproject.toml':
          '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n\n[tool.ruff]\nline-length = 100\n\n[tool.mypy]\nstrict = true\n',
      },
      {
        name: 'uv',
        evidence: 'uv.lock',
        commands: {install: 'uv sync', test: 'uv run pytest', lint: 'uv run ruff check .', format: 'uv run ruff format .', typecheck: 'uv run mypy .'},
      },
    ],
    [
      'poetry from [tool.poetry], pytest from the dev dependencies',
      {'pyproject.toml': '[tool.poetry]\nname = "x"\n\n[tool.poetry.group.dev.dependencies]\npytest = "^8"\nblack = "^24"\n'},
      {
        name: 'poetry',
        evidence: 'pyproject.toml [tool.poetry]',
        commands: {install: 'poetry install', test: 'poetry run pytest', format: 'poetry run black .'},
      },
    ],
    [
      'pipenv from a Pipfile',
      {Pipfile: '[packages]\n', 'requirements.txt': 'flask\n', 'tests/test_app.py': ''},
      {name: 'pipenv', evidence: 'Pipfile', commands: {install: 'pipenv install --dev', test: 'pipenv run python -m unittest'}},
    ],
    [
      'pip with requirements.txt, pytest and flake8',
      {'requirements.txt': 'requests\n', 'requirements-dev.txt': 'pytest==8.0\n', '.flake8': '[flake8]\n'},
      {name: 'pip', evidence: 'requirements.txt', commands: {install: 'pip install -r requirements.txt', test: 'pytest', lint: 'flake8'}},
    ],
    [
      'pip with setup.py, tests from conftest.py',
      {'setup.py': 'from setuptools import setup\n', 'conftest.py': ''},
      {name: 'pip', evidence: 'setup.py', commands: {install: 'pip install -e .', test: 'pytest'}},
    ],
  ])('%s', async (_name, files, expected) => {
    const facts = await detect(files)
    expect(facts.toolchains).toEqual([expected])
  })

  it('does not take a tool name inside another word for the tool ("blackbox" is not black)', async () => {
    const facts = await detect({'requirements.txt': 'blackbox-client\nmypyc-runtime\n'})
    expect(facts.commands.format).toBeUndefined()
    expect(facts.commands.typecheck).toBeUndefined()
  })
})

describe('detectProject: cargo, go, make', () => {
  it("prefers the Makefile's targets, then lists the language tools' commands as alternatives", async () => {
    const facts = await detect({
      Makefile: 'test: build\n\tgo test ./...\nbuild:\n\tgo build\nlint:\n\tgolangci-lint run\n',
      'go.mod': 'module x\n',
      'Cargo.toml': '[package]\n',
    })
    expect(facts.toolchains.map((t) => [t.name, t.evidence])).toEqual([
      ['make', 'Makefile'],
      ['cargo', 'Cargo.toml'],
      ['go', 'go.mod'],
    ])
    expect(facts.commands.test).toEqual(['make test', 'cargo test', 'go test ./...'])
    expect(facts.commands.lint).toEqual(['make lint', 'cargo clippy', 'go vet ./...'])
  })

  it.each([
    ['simple targets and prerequisites', 'all: build\nbuild test:\n\tcc -o x x.c\n', ['all', 'build', 'test']],
    ['double-colon rules', 'clean::\n\trm -f x\n', ['clean']],
    ['not variable assignments', 'CC := gcc\nFLAGS ::= -O2\nX = a:b\nY ?= 1\n', []],
    ['not recipes, comments, special or pattern targets', '.PHONY: test\n%.o: %.c\n\tfoo: bar\n# lint: nope\n$(BIN): x.o\n', []],
    ['a continued prerequisite list', 'test: a \\\n  b\n', ['test']],
  ])('makeTargets: %s', (_name, text, expected) => {
    expect([...makeTargets(text)].sort()).toEqual(expected)
  })
})

describe('detectProject: files', () => {
  it('counts languages and top-level folders as git sees them, and notes generated folders and whether .gitignore covers them', async () => {
    const files: Record<string, string> = {
      '.gitignore': 'dist/\nlogs/\n',
      'src/a.ts': '',
      'src/b.ts': '',
      'src/c.tsx': '',
      'src/util.js': '',
      'scripts/deploy.sh': '',
      'docs/guide.md': '',
      'logs/x.ts': '',
      'dist/bundle.js': '',
      'coverage/lcov.info': '',
      '.venv/lib/x.py': '',
      'AGENTS.md': '# mine\n',
      'src/FAITHH.md': '',
      '.faithh/undo/1/0.orig': 'x.ts',
    }
    const facts = await detect(files, ['target'])
    expect(facts.languages).toEqual([
      {name: 'TypeScript', files: 3},
      {name: 'JavaScript', files: 1},
      {name: 'Shell', files: 1},
    ])
    expect(facts.layout).toEqual([
      {dir: 'docs', files: 1},
      {dir: 'scripts', files: 1},
      {dir: 'src', files: 4},
    ])
    expect(facts.generated).toEqual([
      {dir: '.venv', gitignored: false},
      {dir: 'coverage', gitignored: false},
      {dir: 'dist', gitignored: true},
      {dir: 'target', gitignored: false},
    ])
    expect(facts.gitignore).toBe(true)
    expect(facts.capped).toBe(false)
  })
})

// Keep the fixtures honest: a file written after makeProject must count too.
it('sees files written after the project was made', async () => {
  await using project = await makeProject({})
  await writeFile(path.join(project.root, 'main.go'), 'package main\n')
  expect((await detectProject(project.root)).languages).toEqual([{name: 'Go', files: 1}])
})
