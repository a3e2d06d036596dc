import type {SyntaxNode} from './bash-grammar.js'
import {loadBashGrammar} from './load-bash-grammar.js'
import {readWord, type ShellWord} from './words.js'

/**
 * A shell line taken apart into what the policy judges: every simple command wherever it sits (in
 * a pipeline, a list, a subshell, a function body, a `$(…)` inside an argument or a redirect
 * target, a heredoc), every redirection, every assignment, and the syntax that cannot be judged
 * without running it. Collecting *all* command nodes of the tree, rather than following the
 * grammar's structure, is what keeps a command from hiding in a construct this file forgot.
 */
export interface ShellScript {
  commands: SimpleCommand[]
  redirects: ShellRedirect[]
  assignments: ShellAssignment[]
  /** Why the line cannot be judged with confidence; any entry makes the verdict at least "ask". */
  problems: string[]
}

export interface SimpleCommand {
  /** As written. */
  text: string
  start: number
  argv: ShellWord[]
  /** Commands whose output reaches this one's input through a pipe (earlier stages of its pipelines). */
  upstream: SimpleCommand[]
  /** Subshell scopes it runs in, outermost first: a `cd` only moves the commands of its own scope. */
  scopes: number[]
  /** A heredoc, here-string or `< file` on its standard input, as written. */
  input?: string
}

export interface ShellRedirect {
  /** `>`, `>>`, `&>`, `<`, `>&` … */
  op: string
  target?: ShellWord
  start: number
  /** The statement it belongs to, for reasons. */
  statement: string
  scopes: number[]
}

export interface ShellAssignment {
  name: string
  text: string
}

const SCOPE_NODES = new Set(['subshell', 'command_substitution', 'process_substitution'])

export async function parseShell(line: string): Promise<ShellScript> {
  const {withBashTree} = await loadBashGrammar()
  return withBashTree(line, collect)
}

function collect(root: SyntaxNode): ShellScript {
  const script: ShellScript = {commands: [], redirects: [], assignments: [], problems: []}
  const byNode = new Map<number, SimpleCommand>()
  const commandNodes: SyntaxNode[] = []

  const stack: SyntaxNode[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()!
    for (let i = node.childCount - 1; i >= 0; i -= 1) stack.push(node.child(i)!)

    if (node.isError || node.isMissing) {
      script.problems.push(`the line cannot be parsed near \`${clip(node.isMissing ? (node.parent?.text ?? line(root)) : node.text)}\``)
      continue
    }

    switch (node.type) {
      case 'command':
      case 'declaration_command':
      case 'unset_command': {
        const command: SimpleCommand = {
          text: node.text,
          start: node.startIndex,
          argv: argvOf(node, script.problems),
          upstream: [],
          scopes: scopesOf(node),
          input: inputOf(node),
        }
        script.commands.push(command)
        byNode.set(node.id, command)
        commandNodes.push(node)
        break
      }

      case 'file_redirect': {
        const op = node.children.find((child) => !child.isNamed)?.type ?? '>'
        const destination = node.childForFieldName('destination')
        script.redirects.push({
          op,
          target: destination ? readWord(destination, script.problems) : undefined,
          start: node.startIndex,
          statement: statementOf(node),
          scopes: scopesOf(node),
        })
        break
      }

      case 'variable_assignment': {
        const name = node.childForFieldName('name')
        const variable = name?.type === 'subscript' ? name.childForFieldName('name') : name
        script.assignments.push({name: variable?.text ?? node.text, text: node.text})
        break
      }

      case 'process_substitution':
        script.problems.push(`process substitution \`${clip(node.text)}\` cannot be judged statically`)
        break

      case 'arithmetic_expansion':
        // `$((x))` evaluates x, and x may hold `a[$(cmd)]`: arithmetic on variables can run commands.
        if (usesVariables(node)) script.problems.push(`arithmetic on variables \`${clip(node.text)}\` can run commands`)
        break

      case 'compound_statement':
        if (node.child(0)?.type === '((') script.problems.push(`the arithmetic command \`${clip(node.text)}\` can run commands`)
        break

      case 'c_style_for_statement':
        script.problems.push(`the arithmetic loop \`${clip(node.text)}\` can run commands`)
        break

      case 'test_command':
        // `[[ $n -eq 1 ]]` evaluates $n as arithmetic; plain file tests (`[[ -f x ]]`) read nothing.
        if (usesVariables(node, false)) script.problems.push(`the test \`${clip(node.text)}\` evaluates variables, which can run commands`)
        break

      case 'subscript': {
        const index = node.childForFieldName('index')
        if (index && !/^[0-9@*]+$/.test(index.text)) {
          script.problems.push(`the array index in \`${clip(node.text)}\` is evaluated as arithmetic, which can run commands`)
        }
        break
      }

      case 'expansion':
        // ${!x} and ${x@P} expand a value as a name or a prompt: the value decides what runs.
        if (node.children.some((child) => child.type === '!' || child.type === 'P')) {
          script.problems.push(`the expansion \`${clip(node.text)}\` evaluates a variable's value`)
        }
        break
    }
  }

  for (const node of commandNodes) byNode.get(node.id)!.upstream = upstreamOf(node, byNode)
  script.commands.sort((a, b) => a.start - b.start)
  script.redirects.sort((a, b) => a.start - b.start)
  return script
}

function argvOf(node: SyntaxNode, problems: string[]): ShellWord[] {
  if (node.type === 'command') {
    const name = node.childForFieldName('name')
    if (!name) return []
    return [name, ...node.childrenForFieldName('argument')].map((word) => readWord(word, problems))
  }

  // export/declare/local/readonly/typeset/unset: the keyword, then its words as written.
  const keyword = node.child(0)
  const literal = (n: SyntaxNode, kind: 'text' | 'dynamic'): ShellWord => ({
    text: n.text,
    parts: [kind === 'text' ? {kind, value: n.text, quoted: true} : {kind, source: n.text}],
    start: n.startIndex,
    end: n.endIndex,
  })
  const words: ShellWord[] = keyword ? [literal(keyword, 'text')] : []
  for (const child of node.namedChildren) {
    words.push(child.type === 'variable_assignment' ? literal(child, 'dynamic') : readWord(child, problems))
  }

  return words
}

/**
 * Every command in an earlier stage of each pipeline around `node`. The grammar parses
 * `cat <<EOF | sh` with the `| sh` inside the heredoc: there the command owning the heredoc feeds it.
 */
function upstreamOf(node: SyntaxNode, byNode: Map<number, SimpleCommand>): SimpleCommand[] {
  const upstream: SimpleCommand[] = []
  const addAll = (stage: SyntaxNode): void => {
    for (const inner of [stage, ...stage.descendantsOfType(['command', 'declaration_command', 'unset_command'])]) {
      const command = byNode.get(inner.id)
      if (command && !upstream.includes(command)) upstream.push(command)
    }
  }

  let child = node
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type !== 'pipeline') continue
    for (const stage of parent.namedChildren) {
      if (stage.id === child.id) break
      addAll(stage)
    }

    const heredoc = parent.parent
    const owner = heredoc?.type === 'heredoc_redirect' ? heredoc.parent?.childForFieldName('body') : undefined
    if (owner) addAll(owner)
  }

  return upstream
}

/** Scope ids: subshells, substitutions, and each stage of a pipeline (bash runs them in subshells). */
function scopesOf(node: SyntaxNode): number[] {
  const scopes: number[] = []
  let child = node
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (SCOPE_NODES.has(parent.type)) scopes.push(parent.id)
    if (parent.type === 'pipeline' && parent.namedChildren.length > 1) scopes.push(child.id)
  }

  return [0, ...scopes.reverse()]
}

function inputOf(node: SyntaxNode): string | undefined {
  const redirects = [...node.childrenForFieldName('redirect')]
  const parent = node.parent
  if (parent?.type === 'redirected_statement' && parent.childForFieldName('body')?.id === node.id) {
    redirects.push(...parent.childrenForFieldName('redirect'))
  }

  const input = redirects.find(
    (r) =>
      r.type === 'heredoc_redirect' ||
      r.type === 'herestring_redirect' ||
      (r.type === 'file_redirect' && !r.childForFieldName('descriptor') && r.children.some((c) => c.type === '<')),
  )
  return input?.text
}

function statementOf(node: SyntaxNode): string {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type === 'redirected_statement' || parent.type === 'command') return parent.text
  }

  return node.text
}

/** In arithmetic a bare word is a variable too; in a test it is a plain string. */
function usesVariables(node: SyntaxNode, bareWords = true): boolean {
  const types = ['variable_name', 'simple_expansion', 'expansion', 'subscript']
  return node.descendantsOfType(bareWords ? [...types, 'word'] : types).length > 0
}

function line(root: SyntaxNode): string {
  return root.text
}

export function clip(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
