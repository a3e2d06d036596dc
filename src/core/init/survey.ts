import {stat} from 'node:fs/promises'
import path from 'node:path'
import ignore from 'ignore'

import {extensionOf} from '../rag/languages.js'
import {walkProject} from '../tools/project-files.js'
import {readProjectText} from './read-text.js'

/** Enough to tell a project's languages and layout; a walk of a huge tree stops here. */
const MAX_FILES = 50_000

/**
 * Top-level folders that hold build output, caches or installed packages: never worth an agent's
 * reading or the index's time. Only names that mean that in every ecosystem ("vendor" and "bin"
 * can be real code, so they are not here).
 */
export const GENERATED_DIRS = [
  'dist',
  'build',
  'out',
  'coverage',
  'htmlcov',
  'target',
  'storybook-static',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.cache',
  '.parcel-cache',
  '.gradle',
]

/** Programming languages by extension; data and prose formats (Markdown, JSON, YAML) say nothing about how to work on the code. */
const LANGUAGE_NAMES: Record<string, string> = {
  '.ts': 'TypeScript',
  '.tsx': 'TypeScript',
  '.mts': 'TypeScript',
  '.cts': 'TypeScript',
  '.js': 'JavaScript',
  '.jsx': 'JavaScript',
  '.mjs': 'JavaScript',
  '.cjs': 'JavaScript',
  '.py': 'Python',
  '.pyi': 'Python',
  '.go': 'Go',
  '.rs': 'Rust',
  '.java': 'Java',
  '.kt': 'Kotlin',
  '.kts': 'Kotlin',
  '.cs': 'C#',
  '.c': 'C',
  '.h': 'C',
  '.cc': 'C++',
  '.cpp': 'C++',
  '.cxx': 'C++',
  '.hpp': 'C++',
  '.hh': 'C++',
  '.rb': 'Ruby',
  '.php': 'PHP',
  '.swift': 'Swift',
  '.scala': 'Scala',
  '.sh': 'Shell',
  '.bash': 'Shell',
  '.zsh': 'Shell',
  '.lua': 'Lua',
  '.vue': 'Vue',
  '.svelte': 'Svelte',
  '.html': 'HTML',
  '.css': 'CSS',
  '.scss': 'CSS',
  '.sql': 'SQL',
  '.dart': 'Dart',
  '.ex': 'Elixir',
  '.exs': 'Elixir',
  '.erl': 'Erlang',
  '.hs': 'Haskell',
  '.ml': 'OCaml',
  '.zig': 'Zig',
}

export interface FileSurvey {
  /** Most files first; ties by name. */
  languages: {name: string; files: number}[]
  /** Top-level folders (not hidden, not generated) with the files under them, by name. */
  layout: {dir: string; files: number}[]
  /** GENERATED_DIRS present at the top level, and whether .gitignore already keeps them out. */
  generated: {dir: string; gitignored: boolean}[]
  gitignore: boolean
  /** Whether .gitignore keeps out faithh's own machine state (.faithh/undo/, the index, sessions). */
  gitignoresState: boolean
  /** The walk stopped at MAX_FILES: counts are of the first ones only. */
  capped: boolean
}

/** Counts the project's files as git sees them (.gitignore applies), without faithh's own files and generated folders. */
export async function surveyFiles(root: string, signal?: AbortSignal): Promise<FileSurvey> {
  const gitignoreText = await readProjectText(root, '.gitignore')
  const rules = ignore().add(gitignoreText ?? '')
  const generated = new Set(GENERATED_DIRS)
  const languages = new Map<string, number>()
  const layout = new Map<string, number>()
  const present: FileSurvey['generated'] = []
  let files = 0
  const skipped = (rel: string, isDir: boolean) => {
    if (!rel.includes('/') && isDir && generated.has(rel)) {
      present.push({dir: rel, gitignored: rules.ignores(`${rel}/`)})
      return true
    }

    // faithh's own files: what `faithh init` writes must not change what the next `faithh init` finds.
    return rel === '.faithh' || /(^|\/)(AGENTS|FAITHH)\.md$/.test(rel)
  }

  for await (const entry of walkProject(root, {filesOnly: true, maxEntries: MAX_FILES, hidden: skipped, signal})) {
    files++
    const language = LANGUAGE_NAMES[extensionOf(entry.rel)]
    if (language) languages.set(language, (languages.get(language) ?? 0) + 1)
    const slash = entry.rel.indexOf('/')
    if (slash > 0 && !entry.rel.startsWith('.')) layout.set(entry.rel.slice(0, slash), (layout.get(entry.rel.slice(0, slash)) ?? 0) + 1)
  }

  // A generated folder that .gitignore hides is never walked into, so walkProject never asked about it.
  for (const dir of GENERATED_DIRS) {
    if (!present.some((found) => found.dir === dir) && rules.ignores(`${dir}/`) && (await isDirectory(path.join(root, dir))))
      present.push({dir, gitignored: true})
  }

  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  return {
    languages: [...languages].map(([name, count]) => ({name, files: count})).sort((a, b) => b.files - a.files || byName(a.name, b.name)),
    layout: [...layout].map(([dir, count]) => ({dir, files: count})).sort((a, b) => byName(a.dir, b.dir)),
    generated: present.sort((a, b) => byName(a.dir, b.dir)),
    gitignore: gitignoreText !== undefined,
    gitignoresState: rules.ignores('.faithh/undo/'),
    capped: files >= MAX_FILES,
  }
}

async function isDirectory(abs: string): Promise<boolean> {
  return stat(abs).then(
    (info) => info.isDirectory(),
    () => false,
  )
}
