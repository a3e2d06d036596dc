import {createRequire} from 'node:module'
import {Language, Parser, type Node, type Tree} from 'web-tree-sitter'

import {importDependency} from '../lazy-dependency.js'

export type {Node as SyntaxNode} from 'web-tree-sitter'

/**
 * tree-sitter's bash grammar, run as WebAssembly: maintained by the tree-sitter project, the same
 * on every platform, no native build and no network. Only the grammar's .wasm file is used from the
 * tree-sitter-bash package (its native binding is never loaded).
 *
 * Why not the others: `sh-syntax` (mvdan/sh in wasm) only returns positions for command nodes, not
 * their words (un-ts/sh-syntax#123); `mvdan-sh` is deprecated by its author (mvdan/sh#1145);
 * `bash-parser` is unmaintained and POSIX-only.
 *
 * This module is imported on the first command check (load-bash-grammar.ts), not at start-up: most
 * runs never judge a command line.
 */
let parserPromise: Promise<Parser> | undefined

export function loadBashParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init()
    const wasm = await importDependency('tree-sitter-bash', 'Checking shell commands', async () =>
      createRequire(import.meta.url).resolve('tree-sitter-bash/tree-sitter-bash.wasm'),
    )
    const parser = new Parser()
    parser.setLanguage(await Language.load(wasm))
    return parser
  })()
  // A failed load (a broken install) must not be cached: the next call tries again.
  parserPromise.catch(() => {
    parserPromise = undefined
  })
  return parserPromise
}

/** Parses a script and hands its tree to `use`; the tree lives in wasm memory and is freed after. */
export async function withBashTree<T>(script: string, use: (root: Node) => T): Promise<T> {
  const parser = await loadBashParser()
  const tree: Tree | null = parser.parse(script)
  if (!tree) throw new Error('the bash parser returned no tree')
  try {
    return use(tree.rootNode)
  } finally {
    tree.delete()
  }
}
