/**
 * What the chunker knows about a language: where its top-level declarations start. Line-based on
 * purpose: a regex per language covers the common layouts of real code without a parser per language,
 * and a miss only costs chunk quality (the file falls back to line windows), never correctness.
 */
export interface Language {
  name: string
  /**
   * Matches a line that starts a top-level declaration (at column 0); group 1, when present, is the
   * symbol name.
   */
  declaration?: RegExp
  /** Lines that belong to the declaration below them: doc comments, decorators, attributes. */
  leading?: RegExp
}

const C_LIKE_COMMENT = /^(\/\/|\/\*|\*|\s+\*)/

const TS_JS: Language = {
  name: 'typescript',
  declaration:
    /^(?:export\s+(?:default\s+)?)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|interface|type|enum|namespace|module|const|let|var)\s+([A-Za-z_$][\w$]*)?|^export\s+default\b|^export\s*\{/,
  leading: /^(\/\/|\/\*|\*|\s+\*|@)/,
}

const LANGUAGES: Record<string, Language> = {
  typescript: TS_JS,
  javascript: {...TS_JS, name: 'javascript'},
  python: {
    name: 'python',
    declaration: /^(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)|^[A-Z_][A-Z0-9_]*\s*=/,
    leading: /^(@|#)/,
  },
  go: {
    name: 'go',
    declaration: /^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)|^type\s+([A-Za-z_]\w*)|^(?:var|const)\s+(?:\(|([A-Za-z_]\w*))/,
    leading: /^\/\//,
  },
  rust: {
    name: 'rust',
    declaration:
      /^(?:pub(?:\([^)]*\))?\s+)?(?:async\s+|const\s+|unsafe\s+|extern\s+"[^"]*"\s+)*(?:fn|struct|enum|trait|union|mod|type|static|const|macro_rules!)\s*([A-Za-z_]\w*)|^impl\b(?:<[^>]*>)?\s*([A-Za-z_][\w:]*)?/,
    leading: /^(\/\/|#\[|#!\[)/,
  },
  java: {
    name: 'java',
    declaration:
      /^(?:(?:public|protected|private|abstract|final|static|sealed|non-sealed|strictfp)\s+)*(?:class|interface|enum|record|@interface)\s+([A-Za-z_]\w*)/,
    leading: /^(@|\/\/|\/\*|\*|\s+\*)/,
  },
  kotlin: {
    name: 'kotlin',
    declaration:
      /^(?:(?:public|internal|private|protected|abstract|open|sealed|data|inline|value|enum|annotation|suspend|override)\s+)*(?:fun|class|interface|object|typealias|val|var)\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?([A-Za-z_]\w*)/,
    leading: /^(@|\/\/|\/\*|\*|\s+\*)/,
  },
  csharp: {
    name: 'csharp',
    declaration:
      /^(?:(?:public|internal|private|protected|abstract|sealed|static|partial|readonly)\s+)*(?:class|interface|struct|enum|record|namespace)\s+([A-Za-z_][\w.]*)/,
    leading: /^(\[|\/\/|\/\*)/,
  },
  c: {
    name: 'c',
    // A function definition starts at column 0 with a type and a name followed by "(".
    declaration:
      /^(?:static\s+|inline\s+|extern\s+|const\s+|unsigned\s+|struct\s+)*[A-Za-z_][\w\s*]*?\b([A-Za-z_]\w*)\s*\([^;]*$|^(?:typedef\s+)?(?:struct|enum|union)\s+([A-Za-z_]\w*)|^#define\s+([A-Za-z_]\w*)/,
    leading: C_LIKE_COMMENT,
  },
  cpp: {
    name: 'cpp',
    declaration:
      /^(?:template\s*<.*>\s*)?(?:class|struct|enum(?:\s+class)?|union|namespace)\s+([A-Za-z_]\w*)|^(?:static\s+|inline\s+|virtual\s+|constexpr\s+)*[A-Za-z_][\w\s*&:<>,]*?\b([A-Za-z_][\w:]*)\s*\([^;]*$/,
    leading: /^(\/\/|\/\*|\*|\s+\*|template\b)/,
  },
  ruby: {name: 'ruby', declaration: /^(?:def|class|module)\s+([A-Za-z_][\w:.?!]*)/, leading: /^#/},
  php: {
    name: 'php',
    declaration: /^(?:(?:abstract|final|readonly)\s+)*(?:function|class|interface|trait|enum)\s+([A-Za-z_]\w*)/,
    leading: /^(\/\/|\/\*|\*|\s+\*|#\[)/,
  },
  swift: {
    name: 'swift',
    declaration: /^(?:(?:public|private|fileprivate|internal|open|final)\s+)*(?:func|class|struct|enum|protocol|extension|actor|typealias)\s+([A-Za-z_]\w*)/,
    leading: /^(\/\/|\/\*|\*|@)/,
  },
  scala: {
    name: 'scala',
    declaration: /^(?:(?:case|sealed|abstract|final|implicit)\s+)*(?:def|class|object|trait|val|type)\s+([A-Za-z_]\w*)/,
    leading: /^(\/\/|\/\*|\*|@)/,
  },
  shell: {name: 'shell', declaration: /^(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)\s*\{?/, leading: /^#/},
  lua: {name: 'lua', declaration: /^(?:local\s+)?function\s+([A-Za-z_][\w.:]*)/, leading: /^--/},
  markdown: {name: 'markdown', declaration: /^#{1,6}\s+(.+?)\s*#*$/},
  // No declarations: line windows.
  json: {name: 'json'},
  yaml: {name: 'yaml'},
  toml: {name: 'toml', declaration: /^\[+([^\]]+)\]+/},
  html: {name: 'html'},
  css: {name: 'css'},
  sql: {
    name: 'sql',
    declaration: /^(?:create|alter)\s+(?:or\s+replace\s+)?(?:table|view|function|procedure|index|trigger)\s+(?:if\s+not\s+exists\s+)?([\w.]+)/i,
    leading: /^--/,
  },
  text: {name: 'text'},
}

const BY_EXTENSION: Record<string, string> = {
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  '.kt': 'kotlin',
  '.kts': 'kotlin',
  '.cs': 'csharp',
  '.c': 'c',
  '.h': 'c',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.cxx': 'cpp',
  '.hpp': 'cpp',
  '.hh': 'cpp',
  '.rb': 'ruby',
  '.php': 'php',
  '.swift': 'swift',
  '.scala': 'scala',
  '.sh': 'shell',
  '.bash': 'shell',
  '.zsh': 'shell',
  '.lua': 'lua',
  '.md': 'markdown',
  '.mdx': 'markdown',
  '.markdown': 'markdown',
  '.json': 'json',
  '.jsonc': 'json',
  '.yml': 'yaml',
  '.yaml': 'yaml',
  '.toml': 'toml',
  '.html': 'html',
  '.htm': 'html',
  '.vue': 'html',
  '.svelte': 'html',
  '.css': 'css',
  '.scss': 'css',
  '.less': 'css',
  '.sql': 'sql',
}

/** The file's extension as faithh filters on it: lower case with the dot, '' when there is none. */
export function extensionOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1)
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(dot).toLowerCase() : ''
}

export function languageFor(file: string): Language {
  return LANGUAGES[BY_EXTENSION[extensionOf(file)] ?? 'text']!
}
