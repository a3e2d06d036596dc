import type {SyntaxNode} from './bash-grammar.js'

/**
 * A shell word as the policy sees it: the pieces the shell will glue together, each either known
 * text or something only known when the line runs. Nothing is expanded here except what needs no
 * running (`~`, `$HOME`, `$PWD`: see commands.ts, which knows the home and the current folder).
 */
export type WordPart =
  /** `quoted`: the shell treats * ? [ { } in it as plain characters. */
  {kind: 'text'; value: string; quoted: boolean} | {kind: 'home'} | {kind: 'cwd'} | {kind: 'dynamic'; source: string}

export interface ShellWord {
  /** As written, for reasons. */
  text: string
  parts: WordPart[]
  /** Offsets in the parsed line: commands inside a word (`$(curl …)`) lie between them. */
  start: number
  end: number
}

/** Characters that end or start a token in bash: a word node holding one unescaped means the grammar read the line differently from bash. */
const SHELL_SYNTAX = new Set([';', '&', '|', '<', '>', '(', ')', '`', '$', '"', "'", ' ', '\t', '\n'])

export function readWord(node: SyntaxNode, problems: string[]): ShellWord {
  const parts = tildeExpanded(partsOf(node, problems))
  return {text: node.text, parts, start: node.startIndex, end: node.endIndex}
}

function partsOf(node: SyntaxNode, problems: string[]): WordPart[] {
  switch (node.type) {
    case 'command_name':
    case 'translated_string':
      return node.namedChildren.length === 1 ? partsOf(node.namedChildren[0]!, problems) : dynamic(node)
    case 'word':
    case 'number':
      return unquotedText(node.text, problems)
    case 'raw_string':
      return [{kind: 'text', value: node.text.slice(1, -1), quoted: true}]
    case 'ansi_c_string':
      return [{kind: 'text', value: decodeAnsiC(node.text.slice(2, -1)), quoted: true}]
    case 'string':
      return doubleQuoted(node, problems)
    case 'concatenation':
      return spanParts(node, node.startIndex, node.endIndex, problems, (gap) => unquotedText(gap, problems))
    case 'simple_expansion':
    case 'expansion':
      return variable(node)
    default:
      // $(…), $((…)), <(…), {a,b}, ${x:-y}: only known at run time. Commands inside are judged on their own.
      return dynamic(node)
  }
}

/** Children in order, with any text between them that the grammar left unnamed handled by `gap`. */
function spanParts(node: SyntaxNode, from: number, to: number, problems: string[], gap: (text: string) => WordPart[]): WordPart[] {
  const parts: WordPart[] = []
  const base = node.startIndex
  let at = from
  for (const child of node.namedChildren) {
    if (child.startIndex > at) parts.push(...gap(node.text.slice(at - base, child.startIndex - base)))
    parts.push(...(node.type === 'string' && child.type === 'string_content' ? [quoted(decodeDoubleQuoted(child.text))] : partsOf(child, problems)))
    at = child.endIndex
  }

  if (to > at) parts.push(...gap(node.text.slice(at - base, to - base)))
  return parts
}

function doubleQuoted(node: SyntaxNode, problems: string[]): WordPart[] {
  // Between the quotes: literal text with \" \\ \$ \` escapes, and expansions.
  return spanParts(node, node.startIndex + 1, node.endIndex - 1, problems, (gap) => [quoted(decodeDoubleQuoted(gap))])
}

function quoted(value: string): WordPart {
  return {kind: 'text', value, quoted: true}
}

function dynamic(node: SyntaxNode): WordPart[] {
  return [{kind: 'dynamic', source: node.text}]
}

/** `$HOME` and `$PWD` are known; every other variable could hold anything. */
function variable(node: SyntaxNode): WordPart[] {
  const named = node.namedChildren
  const plain = named.length === 1 && node.children.every((c) => c.isNamed || ['$', '${', '}'].includes(c.type))
  const name = plain ? named[0]!.text : undefined
  if (name === 'HOME') return [{kind: 'home'}]
  if (name === 'PWD') return [{kind: 'cwd'}]
  return dynamic(node)
}

/** Unquoted text: backslash quotes the next character; glob and brace characters stay active. */
function unquotedText(text: string, problems: string[]): WordPart[] {
  const parts: WordPart[] = []
  const push = (value: string, isQuoted: boolean): void => {
    const last = parts.at(-1)
    if (last?.kind === 'text' && last.quoted === isQuoted) last.value += value
    else parts.push({kind: 'text', value, quoted: isQuoted})
  }

  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!
    if (c === '\\') {
      const next = text[i + 1]
      i += 1
      if (next !== undefined && next !== '\n') push(next, true)
      continue
    }

    if (SHELL_SYNTAX.has(c)) problems.push(`the shell grammar read \`${text}\` as one word, but its \`${c}\` is shell syntax`)
    push(c, false)
  }

  return parts
}

/** `~` and `~/…` are the home folder, `~+` the current one; `~user` and `~-` are only known at run time. */
function tildeExpanded(parts: WordPart[]): WordPart[] {
  const first = parts[0]
  if (first?.kind !== 'text' || first.quoted || !first.value.startsWith('~')) return parts
  const slash = first.value.indexOf('/')
  const prefix = first.value.slice(1, slash === -1 ? undefined : slash)
  const endsPrefix = slash !== -1 || parts.length === 1
  if (!endsPrefix || (prefix !== '' && prefix !== '+')) return [{kind: 'dynamic', source: first.value}, ...parts.slice(1)]
  const rest = slash === -1 ? '' : first.value.slice(slash)
  const expanded: WordPart[] = [prefix === '' ? {kind: 'home'} : {kind: 'cwd'}]
  if (rest !== '') expanded.push({kind: 'text', value: rest, quoted: false})
  return [...expanded, ...parts.slice(1)]
}

function decodeDoubleQuoted(text: string): string {
  return text.replace(/\\([$`"\\\n])/g, (_, c: string) => (c === '\n' ? '' : c))
}

const ANSI_C_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
}

/** bash's $'…': an obfuscated `$'\x72m'` must still be seen as `rm`. */
export function decodeAnsiC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/gs, (whole, esc: string) => {
    const kind = esc[0]!
    if (kind === 'x' || kind === 'u' || kind === 'U') return String.fromCodePoint(Math.min(parseInt(esc.slice(1), 16), 0x10ffff))
    if (/[0-7]/.test(kind)) return String.fromCharCode(parseInt(esc, 8) & 0xff)
    if (kind === 'c' && esc.length === 2) return String.fromCharCode(esc.charCodeAt(1) & 0x1f)
    return ANSI_C_ESCAPES[esc] ?? whole
  })
}

export interface WordValue {
  value: string
  /** Set when unquoted * ? [ make the word a pattern the shell expands against the file system. */
  pattern?: string
}

/**
 * The string the shell will produce for a word, or undefined when it depends on the run: a
 * variable, a substitution, `{a,b}` (one word becoming several), or `$PWD` after an unknown `cd`.
 */
export function evaluateWord(word: ShellWord, env: {home: string; cwd: string | undefined}): WordValue | undefined {
  let value = ''
  let pattern = ''
  let unquoted = ''
  let globbing = false
  for (const part of word.parts) {
    let text: string
    if (part.kind === 'dynamic') return undefined
    if (part.kind === 'home') text = env.home
    else if (part.kind === 'cwd') {
      if (env.cwd === undefined) return undefined
      text = env.cwd
    } else text = part.value

    value += text
    if (part.kind === 'text' && !part.quoted) {
      unquoted += text
      pattern += text
      if (/[*?[]/.test(text)) globbing = true
    } else {
      unquoted += 'x'.repeat(text.length)
      pattern += text.replace(/[\\*?[\]{}()!+@|]/g, '\\$&')
    }
  }

  if (/\{[^{}]*(,|\.\.)[^{}]*\}/.test(unquoted)) return undefined
  return globbing ? {value, pattern} : {value}
}
