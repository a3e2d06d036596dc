import {exists, readProjectText} from './read-text.js'
import type {Toolchain} from './toolchain.js'

type PythonManager = 'uv' | 'poetry' | 'pipenv' | 'pip'

const RUN_PREFIX: Record<PythonManager, string> = {uv: 'uv run ', poetry: 'poetry run ', pipenv: 'pipenv run ', pip: ''}
const INSTALL: Record<Exclude<PythonManager, 'pip'>, string> = {uv: 'uv sync', poetry: 'poetry install', pipenv: 'pipenv install --dev'}

/**
 * A Python project: its manager (uv, poetry, pipenv, else pip) and its test, lint, type-check and
 * format tools. pyproject.toml is only scanned for table names and tool names: enough to tell
 * which tools are configured without a TOML parser.
 */
export async function detectPython(root: string): Promise<Toolchain | undefined> {
  const pyproject = (await readProjectText(root, 'pyproject.toml')) ?? ''
  const requirements = (await readProjectText(root, 'requirements.txt')) ?? ''
  const devRequirements = (await readProjectText(root, 'requirements-dev.txt')) ?? (await readProjectText(root, 'requirements_dev.txt')) ?? ''
  const setupCfg = (await readProjectText(root, 'setup.cfg')) ?? ''
  const toxIni = (await readProjectText(root, 'tox.ini')) ?? ''
  const setupPy = await exists(root, 'setup.py')
  const pipfile = await exists(root, 'Pipfile')
  if (!pyproject && !requirements && !setupCfg && !setupPy && !pipfile) return undefined

  const tables = new Set([...pyproject.matchAll(/^\s*\[\[?([^\]\n]+)\]\]?\s*$/gm)].map((match) => match[1]!.trim()))
  const mentions = `${pyproject}\n${requirements}\n${devRequirements}\n${setupCfg}\n${toxIni}`
  const mentioned = (tool: string) => new RegExp(`(^|[\\s"'\\[,])${tool}\\b`, 'm').test(mentions)

  let manager: PythonManager = 'pip'
  let evidence = pyproject ? 'pyproject.toml' : requirements ? 'requirements.txt' : setupPy ? 'setup.py' : 'setup.cfg'
  if ((await exists(root, 'uv.lock')) || tables.has('tool.uv'))
    [manager, evidence] = ['uv', (await exists(root, 'uv.lock')) ? 'uv.lock' : 'pyproject.toml [tool.uv]']
  else if ((await exists(root, 'poetry.lock')) || tables.has('tool.poetry'))
    [manager, evidence] = ['poetry', (await exists(root, 'poetry.lock')) ? 'poetry.lock' : 'pyproject.toml [tool.poetry]']
  else if (pipfile) [manager, evidence] = ['pipenv', 'Pipfile']

  const run = RUN_PREFIX[manager]
  const commands: Toolchain['commands'] = {
    install: manager === 'pip' ? (requirements ? 'pip install -r requirements.txt' : 'pip install -e .') : INSTALL[manager],
  }

  const pytest =
    tables.has('tool.pytest.ini_options') ||
    (await exists(root, 'pytest.ini')) ||
    (await exists(root, 'conftest.py')) ||
    (await exists(root, 'tests/conftest.py')) ||
    /^\[(tool:)?pytest\]/m.test(`${setupCfg}\n${toxIni}`) ||
    mentioned('pytest')
  if (pytest) commands.test = `${run}pytest`
  else if ((await exists(root, 'tests')) || (await exists(root, 'test'))) commands.test = `${run}python -m unittest`

  if (tables.has('tool.ruff') || (await exists(root, 'ruff.toml')) || (await exists(root, '.ruff.toml')) || mentioned('ruff')) {
    commands.lint = `${run}ruff check .`
    commands.format = `${run}ruff format .`
  } else if ((await exists(root, '.flake8')) || /^\[flake8\]/m.test(`${setupCfg}\n${toxIni}`) || mentioned('flake8')) {
    commands.lint = `${run}flake8`
  }

  if (tables.has('tool.mypy') || (await exists(root, 'mypy.ini')) || mentioned('mypy')) commands.typecheck = `${run}mypy .`
  else if (tables.has('tool.pyright') || (await exists(root, 'pyrightconfig.json')) || mentioned('pyright')) commands.typecheck = `${run}pyright`

  if (!commands.format && (tables.has('tool.black') || mentioned('black'))) commands.format = `${run}black .`
  return {name: manager, evidence, commands}
}
