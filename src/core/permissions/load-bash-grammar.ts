import {importDependency} from '../lazy-dependency.js'

/**
 * The shell grammar module, with web-tree-sitter, imported when a command line is first judged:
 * most runs never judge one, and the parser with its grammar takes ~50 ms to load. Without
 * web-tree-sitter installed this is an error naming the package.
 */
export function loadBashGrammar(): Promise<typeof import('./bash-grammar.js')> {
  return importDependency('web-tree-sitter', 'Checking shell commands', () => import('./bash-grammar.js'))
}
