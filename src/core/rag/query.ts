import type {FileKind} from './file-kinds.js'
import {MAX_TERM, nameTerm, WORD, wordTerms} from './terms.js'
import {CODE_STOP_WORDS, PROSE_STOP_WORDS} from './stop-words.js'

/**
 * A search query read the way an engineer reads a bug report: what is code (names in backticks,
 * `Class.method`, `module.func(`, paths, traceback frames, error class names) counts for more than
 * the prose around it, words that say nothing are dropped, and boilerplate (issue-template comments,
 * pasted version lists) is skipped.
 */
export interface ParsedQuery {
  /** The query without boilerplate, whitespace collapsed: what an embedding model is given. */
  text: string
  /** Index terms (see terms.ts) and how much each counts. */
  terms: Map<string, number>
  /** Whole identifiers the query names as code (see nameTerm), matched against where names are defined. */
  names: Map<string, number>
  /** Files and folders the query mentions: paths, traceback frames, imported modules. */
  paths: PathMention[]
  /** Kinds of file the query asks about (tests, docs, changelog, …): these are not ranked down. */
  wants: Set<FileKind>
}

export interface PathMention {
  /** Root-relative-looking path, '/'-separated, without leading './' or '/'. */
  path: string
  /** 'file' for a file name, 'module' for a dotted module (a file without extension, or a folder). */
  kind: 'file' | 'module'
  weight: number
}

/** How much each way of appearing in the query counts (one occurrence). */
const WEIGHT = {
  prose: 1,
  /** An identifier-shaped word in prose: `snake_case`, `camelCase`, `a.b`, `f(`. */
  codeShaped: 2,
  /** A word inside a fenced code block: real code, but much of it incidental (imports, prints, data). */
  codeBlock: 1,
  /** Inline `code`: the writer singled it out. */
  backtick: 3,
  /** A function named by a traceback frame: the code path that failed. */
  frame: 3,
  /** A module the report's code imports: mostly the package's public face, not where the bug is. */
  module: 0.5,
} as const

/** The first line is the report's summary (an issue title, a commit subject): its words count this much more. */
const TITLE_BOOST = 2
/** A compound identifier counts whole; its parts count this share of it. */
const PART_SHARE = 0.5
/** Long queries (a 100 KB paste) are read up to here: their head and their tail, where tracebacks end. */
const MAX_CHARS = 24_000
const TAIL_CHARS = 8_000
/** Past this, more terms only cost time: the heaviest are kept. */
const MAX_TERMS = 256
const MAX_NAMES = 64
const MAX_PATHS = 32

export function parseQuery(query: string): ParsedQuery {
  const parsed: ParsedQuery = {text: '', terms: new Map(), names: new Map(), paths: [], wants: new Set()}
  const text = boundedText(query)
  if (text.trim() === '') return parsed

  const cleaned = withoutBoilerplate(text)
  parsed.text = cleaned
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim()
  const lines = cleaned.split('\n')
  const title = lines.findIndex((line) => line.trim() !== '')
  let fence: string | undefined
  for (const [index, line] of lines.entries()) {
    const boost = index === title ? TITLE_BOOST : 1
    const fenceMark = /^\s*(```+|~~~+)/.exec(line)?.[1]
    if (fenceMark) {
      if (fence === undefined) fence = fenceMark
      else if (fenceMark[0] === fence[0] && fenceMark.length >= fence.length) fence = undefined
      continue
    }

    readFrames(line, parsed)
    const withoutUrls = readPaths(
      line.replace(URL, (url) => {
        const file = /\/(?:blob|tree|raw)\/[^/]+\/([^?#\s]+)/.exec(url)?.[1]
        if (file) addPath(parsed, file, 'file', WEIGHT.backtick)
        return ' '
      }),
      parsed,
    )
    if (fence !== undefined || isIndentedCode(line)) {
      // A comment in code is prose.
      const comment = /(^|\s)(#|\/\/)\s(.*)$/.exec(withoutUrls)
      readCode(comment ? withoutUrls.slice(0, comment.index) : withoutUrls, WEIGHT.codeBlock * boost, parsed)
      if (comment) readProse(comment[3]!, boost, parsed)
      continue
    }

    // Inline code first, then the prose with the code spans taken out. A span that is a sentence (an
    // error message) is read as prose, singled out.
    const prose = withoutUrls.replace(/`([^`]+)`/g, (_, code: string) => {
      if (isSentence(code)) readProse(code, WEIGHT.backtick * boost, parsed)
      else readCode(code, WEIGHT.backtick * boost, parsed)
      return ' '
    })
    readProse(prose, boost, parsed)
  }

  readWants(cleaned, parsed)
  return capped(parsed)
}

/**
 * The head and the tail of a very long query, without control characters (binary garbage becomes
 * spaces) and without runs of 300 or more non-space characters: hashes, base64, minified code, which
 * name nothing and would make the path patterns below backtrack for seconds.
 */
function boundedText(query: string): string {
  const text = query.length > MAX_CHARS ? `${query.slice(0, MAX_CHARS - TAIL_CHARS)}\n${query.slice(-TAIL_CHARS)}` : query
  return (
    text
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F\uFFFD]/g, ' ')
      .replace(/\S{300,}/g, ' ')
  )
}

/**
 * Issue templates put instructions in HTML comments, and reports paste environment dumps
 * (`xr.show_versions()`, `pip freeze`, "Python 3.9.7, Numpy 1.21"): words that match every file that
 * mentions a dependency and say nothing about the bug.
 */
function withoutBoilerplate(text: string): string {
  const lines = text
    .replace(/<!--[\s\S]*?(-->|$)/g, ' ')
    .replace(/<details>[\s\S]*?(<\/details>|$)/gi, (block) => (isVersionDump(block) ? ' ' : block))
    .replace(HTML_TAG, ' ')
    .split('\n')
  const isVersionLine = (line: string) => VERSION_LINE.test(line)
  const keep = lines.map(() => true)
  for (let i = 0; i < lines.length; ) {
    if (!isVersionLine(lines[i]!)) {
      i++
      continue
    }

    // A run of version lines, allowing a blank or an odd line in between, is a dump when it is long enough.
    let end = i
    let matched = 0
    for (let j = i; j < lines.length && j - end <= 2; j++) {
      if (isVersionLine(lines[j]!)) {
        end = j
        matched++
      }
    }

    if (matched >= VERSION_RUN) for (let j = i; j <= end; j++) keep[j] = false
    i = end + 1
  }

  return lines.filter((_, i) => keep[i]).join('\n')
}

/** A collapsed `<details>` block that is mostly a version list: dropped with its summary line. */
function isVersionDump(block: string): boolean {
  const lines = block.split('\n').filter((line) => line.trim() !== '' && !HTML_TAG.test(line.trim()))
  return lines.length >= VERSION_RUN && lines.filter((line) => VERSION_LINE.test(line)).length >= lines.length / 2
}

/** Formatting tags of issue text (not JSX: only these names, and never inside code, which keeps its own text). */
const HTML_TAG =
  /<\/?(details|summary|tt|code|pre|br|p|sub|sup|b|i|em|strong|a|img|hr|kbd|div|span|table|thead|tbody|tr|td|th|ul|ol|li|h[1-6]|blockquote)\b[^>]*>/gi

/** `numpy: 1.21.2`, `OS: Linux`, `libhdf5: None`, `pandas==1.3.0`, `Numpy 1.21.2`, `- python 3.8`. */
const VERSION_LINE =
  /^\s*[-*]?\s*[\w.+-]{1,40}(\s*(:|==|>=|<=|=)\s*|\s+v?)(none|n\/a|unknown|true|false|installed|not installed|\d[\w.+-]*|[\w-]*\d+\.\d+[\w.+-]*|[A-Za-z]+[-_ ]?\d[\w.+-]*)(\s.*)?$|^\s*(python|os|platform|system|machine|processor|byteorder|lang|locale|lc_all|commit|release|node|npm|yarn|browser|version)\b.*:/i
const VERSION_RUN = 4

/** Four spaces or a tab after a blank line or code: Markdown code. Also `>>> ` and `In [1]:` prompts. */
function isIndentedCode(line: string): boolean {
  return /^( {4}|\t)\S/.test(line) || /^\s*(>>>|\.\.\.|In \[\d+\]:|\$ )/.test(line)
}

/** Python `File "…/x/y.py", line 12, in name` and JavaScript `at name (…/x/y.js:12:5)` frames. */
function readFrames(line: string, parsed: ParsedQuery): void {
  const python = /File "([^"]+)", line \d+(?:, in ([\w<>.]+))?/.exec(line)
  const js = /^\s*at (?:(?:async |new )?([\w$.<>[\]]+) \()?((?:file:\/\/)?[^():\s]+\.[cm]?[jt]sx?):\d+(?::\d+)?\)?\s*$/.exec(line)
  const [file, name] = python ? [python[1]!, python[2]] : js ? [js[2]!, js[1]] : []
  if (!file) return
  addPath(parsed, file, 'file', WEIGHT.frame)
  if (name && !name.startsWith('<')) addName(parsed, name.split('.').at(-1)!, WEIGHT.frame)
}

/**
 * File names and paths anywhere (`src/x/y.js`, `dataset.py`), and modules of Python imports
 * (`from a.b import c`). A path's words count as words, not as names; the line is returned without
 * its paths.
 */
function readPaths(line: string, parsed: ParsedQuery): string {
  const rest = line.replace(PATH, (path) => {
    addPath(parsed, path, 'file', WEIGHT.backtick)
    for (const [word] of path.matchAll(WORD)) readWord(word, WEIGHT.codeShaped, false, parsed)
    return ' '
  })
  const imported = /^\s*(?:from\s+([\w.]+)\s+import\b|import\s+([\w.]+(?:\s*,\s*[\w.]+)*))/.exec(line)
  const modules = imported?.[1] ? [imported[1]] : (imported?.[2]?.split(',') ?? [])
  for (const module of modules) {
    const dotted = module.trim()
    if (dotted.includes('.') && !dotted.startsWith('.')) addPath(parsed, dotted.replaceAll('.', '/'), 'module', WEIGHT.module)
  }

  return rest
}

/** A path with a folder and a file extension, or a bare file name with a code extension. */
const PATH =
  /(?:[\w.@~-]+\/)+[\w.@-]+\.[A-Za-z][\w]{0,7}\b|\b[\w-]+\.(?:py|pyi|pyx|js|mjs|cjs|jsx|ts|mts|cts|tsx|vue|svelte|go|rs|java|kt|rb|php|c|h|cc|cpp|hpp|cs|swift|scala|lua|sh)\b/g

const URL = /\bhttps?:\/\/[^\s)>\]"'`]+/g

/**
 * Identifiers in code. Names (matched against definitions) are the ones code uses as names: called
 * (`f(`), reached through a dot (`.attr`), declared or imported, or shaped like one (`snake_case`,
 * `camelCase`, `PascalCase`). Local variables (`ts`, `data`) and numbers are words of the code only.
 */
function readCode(code: string, weight: number, parsed: ParsedQuery): void {
  let previous = ''
  for (const match of code.matchAll(/[A-Za-z_$][\w$]*/g)) {
    const word = match[0]
    const before = code[match.index - 1]
    const after = code.slice(match.index + word.length).trimStart()[0]
    const isName = after === '(' || before === '.' || DECLARES.has(previous) || CODE_SHAPED.test(word) || /^[A-Z][a-z]/.test(word)
    readWord(word, weight, isName, parsed)
    previous = word
  }
}

const DECLARES = new Set([
  'def',
  'class',
  'function',
  'import',
  'from',
  'new',
  'extends',
  'implements',
  'raise',
  'throw',
  'except',
  'catch',
  'fn',
  'func',
  'interface',
  'type',
])

/** A run of at least five words, most of them plain lower-case words: a message, not an expression. */
function isSentence(span: string): boolean {
  const words = span.trim().split(/\s+/)
  return words.length >= 5 && words.filter((word) => /^[a-z]+[,.:;!?']?$/.test(word)).length >= words.length / 2
}

function readProse(prose: string, boost: number, parsed: ParsedQuery): void {
  // Code-shaped tokens in prose: dotted names and calls first (their parts are names), then plain words.
  const rest = prose.replace(/[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+\(?|[A-Za-z_$][\w$]*\(/g, (token) => {
    readCode(token, WEIGHT.codeShaped * boost, parsed)
    return ' '
  })
  for (const [word] of rest.matchAll(WORD)) {
    const shaped = CODE_SHAPED.test(word)
    readWord(word, (shaped ? WEIGHT.codeShaped : WEIGHT.prose) * boost, shaped, parsed)
  }
}

/** snake_case, camelCase, PascalCase with a second hump, ALL_CAPS with "_", words with digits inside, $-names. */
const CODE_SHAPED = /_|[a-z\d][A-Z]|[A-Z]{2,}[a-z]|\$|[A-Za-z]\d+[A-Za-z]/

function readWord(word: string, weight: number, isName: boolean, parsed: ParsedQuery): void {
  if (word.length > MAX_TERM) return
  const stopWords = isName ? CODE_STOP_WORDS : PROSE_STOP_WORDS
  if (stopWords.has(word.toLowerCase())) return
  const {whole, parts} = wordTerms(word)
  if (whole) add(parsed.terms, whole, weight)
  for (const part of parts) if (!stopWords.has(part)) add(parsed.terms, part, whole ? weight * PART_SHARE : weight)
  if (isName && /[A-Za-z]/.test(word)) addName(parsed, word, weight)
}

function addName(parsed: ParsedQuery, identifier: string, weight: number): void {
  const name = nameTerm(identifier)
  if (name.length >= 2 && !CODE_STOP_WORDS.has(name)) add(parsed.names, name, weight)
}

function addPath(parsed: ParsedQuery, raw: string, kind: PathMention['kind'], weight: number): void {
  const path = normalisePath(raw)
  if (!path) return
  const existing = parsed.paths.find((mention) => mention.path === path)
  if (existing) existing.weight = Math.max(existing.weight, weight)
  else parsed.paths.push({path, kind, weight})
}

/**
 * Installed copies and absolute paths lose everything up to the package: `/usr/lib/python3.11/site-packages/
 * xarray/core/dataset.py` is `xarray/core/dataset.py` of the project.
 */
function normalisePath(raw: string): string | undefined {
  let path = raw.replace(/\\/g, '/').replace(/^file:\/\//, '')
  const installed = path.match(/.*\/(?:site-packages|dist-packages|node_modules(?:\/@[^/]+)?\/[^/]+)\//)
  if (installed) path = path.slice(installed[0].length)
  path = path.replace(/^(\.{1,2}\/)+|^\/+|^~\//, '').replace(/\/+$/, '')
  if (path.length < 3 || path.length > 300 || /^https?:/.test(raw) || /^www\./.test(path)) return undefined
  // URLs are not paths of the project.
  if (/(^|\/)[\w-]+\.(com|org|net|io|dev)(\/|$)/.test(path)) return undefined
  return path
}

/**
 * Whether the query asks about tests, docs, changelogs, … by name: then those files rank as what
 * they are, not below the source. Words that merely occur in every report ("this test fails") do not
 * count; naming the thing does ("unit test", "the docs", "changelog", a test function). A file the
 * query names by path is lifted alone (see file-ranking.ts), not its whole kind.
 */
function readWants(text: string, parsed: ParsedQuery): void {
  // Each pattern runs only when one of its words is there: compiling them all cost a cold search more
  // than ranking a small project.
  const lower = text.toLowerCase()
  for (const [kind, words, pattern] of WANT_PATTERNS) if (words.some((word) => lower.includes(word)) && pattern.test(text)) parsed.wants.add(kind)
  if ([...parsed.names.keys()].some((name) => /^test_|_test$|^test[A-Z]/.test(name))) parsed.wants.add('test')
}

/** Per kind: words one of which every match contains (lower case), and the pattern. */
const WANT_PATTERNS: [FileKind, string[], RegExp][] = [
  [
    'test',
    ['test', 'spec'],
    /\b(unit|integration|e2e|end-to-end|regression|snapshot)[ -]tests?\b|\btest (file|suite|helper|fixture|runner)s?\b|\b(the|our|existing|failing|flaky) (tests|specs)\b|\bspec files?\b/i,
  ],
  ['fixture', ['fixture', 'snapshot', 'testdata'], /\b(test )?fixtures?\b|\bsnapshots?\b|\btestdata\b/i],
  ['docs', ['doc', 'readme', 'guide', 'tutorial'], /\b(the )?(docs|documentation|readme|docstrings? example|user guide|tutorial)\b/i],
  ['changelog', ['change', 'release', 'new', 'history'], /\bchange ?logs?\b|\brelease notes\b|\bwhat'?s new\b|\bhistory file\b/i],
  ['licence', ['licen', 'copyright'], /\blicen[cs](e|ing)\b|\bcopyright\b/i],
  [
    'community',
    ['contributing', 'conduct', 'issue', 'github', 'ci'],
    /\bcontributing\b|\bcode of conduct\b|\bissue templates?\b|\bgithub (actions|workflows?)\b|\bci\b/i,
  ],
  [
    'config',
    ['config', 'package.json', 'pyproject', 'setup.', 'eslint'],
    /\bconfig(uration)? files?\b|\bpackage\.json\b|\btsconfig\b|\bpyproject\b|\bsetup\.(cfg|py)\b|\beslint\b|\bbuild config/i,
  ],
  ['types', ['typing', 'type', '.d.ts'], /\btypings?\b|\btype (definitions?|declarations?)\b|\.d\.ts\b|\btypes? files?\b|\b@types\b/i],
  ['generated', ['generated', 'codegen'], /\bgenerated (file|code)s?\b|\bcodegen\b/i],
  ['build', ['bundle', 'dist', 'build', 'compiled'], /\b(the )?(bundle|bundled|dist|build output|compiled output)\b/i],
  ['minified', ['minified'], /\bminified\b/i],
  ['vendored', ['vendored', 'third'], /\bvendored\b|\bthird[- ]party (code|copy|librar(y|ies))\b/i],
  ['example', ['example', 'benchmark', 'demo'], /\b(the )?examples?( folder| directory| file)\b|\bbenchmarks?\b|\bdemo\b/i],
  ['data', ['data'], /\bdata files?\b/i],
]

/** The heaviest terms, names and paths when a query has more than a search can use. */
function capped(parsed: ParsedQuery): ParsedQuery {
  const top = (map: Map<string, number>, n: number) => (map.size <= n ? map : new Map([...map].sort((a, b) => b[1] - a[1]).slice(0, n)))
  return {
    text: parsed.text,
    terms: top(parsed.terms, MAX_TERMS),
    names: top(parsed.names, MAX_NAMES),
    paths: parsed.paths.sort((a, b) => b.weight - a.weight).slice(0, MAX_PATHS),
    wants: parsed.wants,
  }
}

function add(map: Map<string, number>, key: string, weight: number): void {
  map.set(key, (map.get(key) ?? 0) + weight)
}
