import {languageFor} from './languages.js'

/**
 * The names a file defines, at any depth: functions, classes, methods, types, module-level constants.
 * With them the index knows where each name is defined, so a query that names `Dataset.to_stacked_array`
 * or `parseInline(` leads to the file that defines it rather than to the many that call it.
 *
 * Line patterns, like the chunker's: they cover the usual layouts of each language at no parsing cost,
 * and a miss only loses this one signal for that name.
 */
const PATTERNS: Record<string, RegExp[]> = {
  python: [/^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)/, /^\s*class\s+([A-Za-z_]\w*)/, /^([A-Za-z_]\w*)\s*(?::[^=]+)?=(?!=)/],
  javascript: [
    /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*[<(]/,
    /\bclass\s+([A-Za-z_$][\w$]*)/,
    /\b(?:interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)\s*[<{=]/,
    // Module-level bindings only: a `const` inside a function is a local, not something the file defines.
    /^(?:export\s+)?(?:declare\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=/,
    // Methods: `  name(args) {`, `  async *name(`, `  get name() {`, `  static name<T>(a: T): T {`.
    /^\s+(?:(?:public|private|protected|static|async|override|readonly|abstract|get|set)\s+)*\*?\s*(?!(?:if|for|while|switch|catch|return|function|await|typeof|new|else)\b)([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\([^()]*\)\s*(?::\s*[^={]+)?\{\s*$/,
    // Functions in object literals and assigned arrows: `name: function (`, `name = (a) =>`.
    /^\s*([A-Za-z_$][\w$]*)\s*[:=]\s*(?:async\s+)?(?:function\b|\([^()]*\)\s*(?::\s*[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>)/,
    // Members given a function or a name: `proto.format = format`, `exports.parse = function`; not `this.x = x`.
    /^\s*(?!(?:this|self|that|me)\.)(?:[A-Za-z_$][\w$]*\.)+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b|class\b|\([^()]*\)\s*=>|[A-Za-z_$][\w$.]*\s*;?\s*$)/,
  ],
  go: [/^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)/, /^\s*type\s+([A-Za-z_]\w*)/, /^\s*(?:var|const)\s+([A-Za-z_]\w*)/],
  rust: [/\b(?:fn|struct|enum|trait|union|mod|type|static|const|macro_rules!)\s*([A-Za-z_]\w*)/],
  ruby: [/^\s*(?:def\s+(?:self\.)?|class\s+|module\s+)([A-Za-z_][\w?!]*)/],
  shell: [/^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)/],
  lua: [/\bfunction\s+(?:[\w.:]+[.:])?([A-Za-z_]\w*)/],
}

/** Java, Kotlin, C#, C, C++, Swift, Scala, PHP: declarations by keyword, and methods by their `name(…) {` shape. */
const C_FAMILY = [
  /\b(?:class|interface|struct|enum|record|trait|object|protocol|extension|typealias|namespace|union)\s+([A-Za-z_]\w*)/,
  /\b(?:fun|func|def|function)\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?([A-Za-z_]\w*)/,
  /^\s*(?:[\w<>[\],.*&:]+\s+)+\**([A-Za-z_]\w*)\s*\([^;]*\)?\s*(?:const\s*)?(?:throws\s+[\w.,\s]+)?\{?\s*$/,
  /^#define\s+([A-Za-z_]\w*)/,
]
PATTERNS.typescript = PATTERNS.javascript!
for (const name of ['java', 'kotlin', 'csharp', 'c', 'cpp', 'swift', 'scala', 'php']) PATTERNS[name] = C_FAMILY

const NOT_NAMES = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'else', 'new', 'do', 'try', 'with', 'elif', 'sizeof', 'typeof'])

/** Distinct names defined in the file, in order of first definition. */
export function definedNames(file: string, content: string): string[] {
  const patterns = PATTERNS[languageFor(file).name]
  if (!patterns) return []
  const names = new Set<string>()
  for (const line of content.split('\n')) {
    if (line.length > 400) continue // minified or data: no definitions worth a name
    for (const pattern of patterns) {
      const name = pattern.exec(line)?.[1]
      if (name && !NOT_NAMES.has(name)) names.add(name)
    }
  }

  return [...names]
}
