// Changes to @oclif/core made while bundling it (scripts/bundle.js), so that oclif's start costs
// what a run uses and no more (issue #12). Each is checked: if an oclif release changes the code a
// patch expects, the build fails here instead of the start quietly getting slow again.
//
// 1. Inline requires: oclif's compiled modules require every module they might use at the top
//    (`const x_1 = require("./x")`), so the first `require('@oclif/core')` ran all of them (help,
//    ux, parser, ejs, semver, tinyglobby...) even for --version. Each such module is now required
//    where it is first used: `x_1.foo` becomes `(x_1$ ??= require("./x")).foo`. Only TypeScript's
//    generated names (`<name>_<n>`) are rewritten: they never appear as anything but module
//    references. The `exports.X = require()` re-exports of index.js become getters for the same reason.
// 2. No engine check at load (index.js's checkNodeVersion loads semver, ~47 files, on every
//    start): faithh's own engines field (node >= 20) is stricter than oclif's, and npm checks it.
// 3. A plugin's commands are sorted by code point, not with localeCompare: its first call builds
//    an ICU collator (~10 ms, a third of `node -e 0`). Command ids are lower-case ASCII words and
//    separators, where the two orders agree (test/e2e/startup.test.ts checks faithh's list).
// 4. Core plugins listed by exact name are matched by name, not compiled into minimatch patterns.
// 5. JSON files (package.json, manifests) are read with readFileSync: for files this small, loading
//    node:fs/promises and starting libuv's thread pool cost more than the reads.
// 6. WSL is detected with is-wsl itself rather than through wsl-utils, whose other helpers (for
//    PowerShell) load node:child_process at import.
// 7. A plugin installed in <root>/node_modules/<name> (every core plugin) is found there directly,
//    where require.resolve would find it first too, without resolving its package exports.
// 8. Without DEBUG in the environment, oclif's loggers are no-ops instead of `debug` instances:
//    the debug package is disabled then anyway, and loading it loads tty and supports-color.
import {readFile} from 'node:fs/promises'
import path from 'node:path'

const OCLIF_LIB = `${path.sep}node_modules${path.sep}@oclif${path.sep}core${path.sep}lib${path.sep}`

/** Exact replacements per file (relative to @oclif/core/lib): [what oclif has, what the bundle gets]. */
const REPLACEMENTS = {
  'index.js': [['\ncheckNodeVersion();\n', '\n']],
  'config/plugin.js': [['.sort((a, b) => a.id.localeCompare(b.id));', '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));']],
  'util/fs.js': [["const contents = await (0, promises_1.readFile)(path, 'utf8');", "const contents = (0, node_fs_1.readFileSync)(path, 'utf8');"]],
  'util/os.js': [
    [
      "return (await import('wsl-utils')).isWsl ? 'wsl' : (0, node_os_1.platform)();",
      "return (await import('is-wsl')).default ? 'wsl' : (0, node_os_1.platform)();",
    ],
  ],
  'util/find-root.js': [
    [
      '    if (name) {\n        debug(name)(`Finding root using ${root}`);',
      "    if (name) {\n        const installed = (0, node_path_1.join)(root, 'node_modules', name);\n" +
        "        if (require('node:fs').existsSync((0, node_path_1.join)(installed, 'package.json'))) return require('node:fs').realpathSync(installed);\n" +
        '        debug(name)(`Finding root using ${root}`);',
    ],
  ],
  'logger.js': [
    [
      'const debug = (0, debug_1.default)(namespace);',
      'const debug = process.env.DEBUG ? (0, debug_1.default)(namespace) : Object.assign(() => {}, {enabled: false, namespace});',
    ],
  ],
  'config/plugin-loader.js': [
    [
      'patterns.some((w) => (0, minimatch_1.minimatch)(p, w))',
      'patterns.some((w) => (/[*?[\\]{}()!\\\\]/.test(w) ? (0, minimatch_1.minimatch)(p, w) : p === w))',
    ],
  ],
}

const REQUIRE_DECLARATION = /^(?:const|var|let) ([a-z][A-Za-z0-9_]*_\d+) = ((?:__importDefault|__importStar)\(require\("[^"]+"\)\)|require\("[^"]+"\));$/gm
const REQUIRE_EXPORT = /^exports\.([A-Za-z]+) = ((?:__importStar|__importDefault)\(require\("[^"]+"\)\)|require\("[^"]+"\));$/gm

/** Rewrites a compiled oclif module so that each module it requires is required on first use. */
export function inlineRequires(source) {
  const modules = [...source.matchAll(REQUIRE_DECLARATION)].map(([declaration, name, load]) => ({declaration, name, load}))
  let result = source
  for (const {declaration, name, load} of modules) {
    const lazy = `${name}$`
    result = result.replace(declaration, `let ${lazy};`)
    result = result.replace(new RegExp(`(?<![\\w$.])${name}(?![\\w$])`, 'g'), `(${lazy} ??= ${load})`)
  }

  return result.replace(REQUIRE_EXPORT, (_, name, load) => {
    return `{ let loaded; Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, configurable: true, get: () => (loaded ??= ${load}) }); }`
  })
}

export const oclifStartupPatches = {
  name: 'oclif-startup-patches',
  setup(esbuild) {
    const applied = new Set()
    esbuild.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/].*\.js$/}, async ({path: file}) => {
      const relative = file
        .slice(file.lastIndexOf(OCLIF_LIB) + OCLIF_LIB.length)
        .split(path.sep)
        .join('/')
      let source = await readFile(file, 'utf8')
      for (const [from, to] of REPLACEMENTS[relative] ?? []) {
        if (!source.includes(from)) throw new Error(`@oclif/core changed: ${relative} no longer has ${JSON.stringify(from)} (scripts/oclif-startup-patches.js)`)
        source = source.replace(from, to)
        applied.add(`${relative}: ${from}`)
      }

      return {contents: inlineRequires(source), loader: 'js'}
    })
    esbuild.onEnd((result) => {
      if (result.errors.length > 0) return
      const expected = Object.entries(REPLACEMENTS).flatMap(([file, pairs]) => pairs.map(([from]) => `${file}: ${from}`))
      const missing = expected.filter((patch) => !applied.has(patch))
      if (missing.length > 0) throw new Error(`@oclif/core patches not applied (is the file still bundled?): ${missing.join('; ')}`)
    })
  },
}
