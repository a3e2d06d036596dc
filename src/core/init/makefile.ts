import {readProjectText} from './read-text.js'
import type {CommandKind, Toolchain} from './toolchain.js'

const MAKEFILES = ['GNUmakefile', 'makefile', 'Makefile']

/** Makefile targets for each kind of command, the usual names first. */
const TARGETS: [Exclude<CommandKind, 'install'>, string[]][] = [
  ['test', ['test', 'tests', 'check']],
  ['build', ['build', 'all']],
  ['lint', ['lint']],
  ['typecheck', ['typecheck', 'type-check', 'types']],
  ['format', ['format', 'fmt']],
]

/** A Makefile (the name make itself would pick) and the targets that run the project's usual commands. */
export async function detectMake(root: string): Promise<Toolchain | undefined> {
  for (const name of MAKEFILES) {
    const text = await readProjectText(root, name)
    if (text === undefined) continue
    const targets = makeTargets(text)
    const commands: Toolchain['commands'] = {}
    if (targets.has('install') || targets.has('deps') || targets.has('setup'))
      commands.install = `make ${['install', 'deps', 'setup'].find((t) => targets.has(t))}`
    for (const [kind, names] of TARGETS) {
      const target = names.find((candidate) => targets.has(candidate))
      if (target) commands[kind] = `make ${target}`
    }

    return {name: 'make', evidence: name, commands}
  }

  return undefined
}

/**
 * The explicit targets of a Makefile: names before a ":" at the start of a line. Not recipes
 * (indented), variable assignments (":=", "::="), pattern rules ("%.o:") or special targets (".PHONY").
 */
export function makeTargets(text: string): Set<string> {
  const targets = new Set<string>()
  for (const line of text.replaceAll('\\\n', ' ').split('\n')) {
    const match = /^([^\s:#=][^:#=]*?)\s*::?(?![=:])/.exec(line)
    if (!match) continue
    for (const name of match[1]!.split(/\s+/)) {
      if (name && !name.startsWith('.') && !name.includes('%') && !name.includes('$')) targets.add(name)
    }
  }

  return targets
}
