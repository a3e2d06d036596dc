// Bundles the CLI after `tsc` (see `npm run build`). Why: loading @oclif/core and our modules file by
// file, compiling each on every start, cost more than the whole of `node -e 0` (issue #12). What
// `faithh` runs (bin/run.js) is dist/bundle/boot.cjs, which loads, each with a V8 code cache
// (src/cli/code-cache.ts):
//   start.cjs     @oclif/core, patched to load only what a run uses (oclif-startup-patches.js);
//   commands.cjs  every command and the code they import, a command initialised (with its imports)
//                 only when oclif asks for it through dist/bundle/commands/<id>.cjs, the files the
//                 manifest points at. Every `import()` in our code stays lazy.
// Packages that find files next to their own code (native bindings, WASM, a server script) stay in
// node_modules and are loaded from there when first needed. The tsc output in dist/ stays: it is
// faithh's library (package.json `exports`), and the bundle computes paths as if it were it.
import {build} from 'esbuild'
import {mkdir, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {finishBundle} from './bundle-output.js'
import {oclifStartupPatches} from './oclif-startup-patches.js'

const root = process.cwd()
const out = path.join(root, 'dist/bundle')

/**
 * Loaded from node_modules at run time, never bundled: they locate files beside their own code
 * (chromadb: its native bindings and server CLI; web-tree-sitter: its .wasm), or are loaded by
 * oclif itself (@oclif/plugin-plugins and the plugins it installs). Our code imports them lazily.
 */
const EXTERNAL = ['chromadb', 'web-tree-sitter', 'tree-sitter-bash', '@oclif/plugin-plugins']

/** Command ids from the files under src/commands, as oclif names them: `mcp/add.ts` is `mcp:add`, `index/index.ts` is `index`. */
async function commandFiles() {
  const files = await readdir(path.join(root, 'src/commands'), {recursive: true})
  return files
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => {
      const parts = file.replace(/\.ts$/, '').split(path.sep)
      if (parts.at(-1) === 'index' && parts.length > 1) parts.pop()
      return {id: parts.join(':'), file: path.join('src/commands', file), stub: file.replace(/\.ts$/, '.cjs')}
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1))
}

/**
 * Inside the bundle, `import.meta.url` of src/x/y.ts is the URL dist/x/y.js would have, so paths
 * computed from it (templates/, web/, package.json, createRequire) mean what they mean in the tsc output.
 */
const importMetaUrl = {
  name: 'import-meta-url',
  setup(esbuild) {
    esbuild.onLoad({filter: /[\\/]src[\\/].*\.ts$/}, async ({path: file}) => {
      const source = await readFile(file, 'utf8')
      if (!source.includes('import.meta')) return undefined
      const compiled = path.join(root, 'dist', path.relative(path.join(root, 'src'), file)).replace(/\.ts$/, '.js')
      const relative = path.relative(out, compiled).split(path.sep).join('/')
      return {contents: source.replaceAll('import.meta.url', `__faithhFileUrl(${JSON.stringify(relative)})`), loader: 'ts'}
    })
  },
}

const commands = await commandFiles()
await rm(out, {recursive: true, force: true})
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: [...EXTERNAL, 'typescript', 'ts-node'],
  // Short to read and to cache, with names kept: stack traces under DEBUG=faithh* stay legible.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  // An import.meta left in a bundled package would silently be empty: fail the build instead.
  logOverride: {'empty-import-meta': 'error'},
  // Template literals become strings, which esbuild writes in ASCII (`\u2018`) like every other
  // string; its raw text would keep the character. Then only regular expressions hold any: see finishBundle.
  supported: {'template-literal': false},
  metafile: true,
}

// start.cjs: oclif, and what every run needs before it knows its command (--version and --help need nothing else).
await build({
  ...common,
  stdin: {
    contents: [
      "const oclif = require('@oclif/core')",
      "let loadCommands = () => require('./commands.cjs')",
      'let commands',
      '/** @oclif/core for commands.cjs: one instance of it in the process. */',
      'exports.oclif = oclif',
      '/** The class of command `id`; dist/bundle/commands/<id>.cjs asks for it, the first loads commands.cjs. */',
      'exports.command = (id) => (commands ??= loadCommands()).command(id)',
      '/** Runs the CLI; boot.cjs hands over how to load commands.cjs (with its code cache). */',
      'exports.start = (options = {}) => {',
      '  if (options.loadCommands) loadCommands = options.loadCommands',
      '  return oclif.execute({dir: __filename})',
      '}',
    ].join('\n'),
    resolveDir: root,
    sourcefile: 'faithh-start-entry.js',
    loader: 'js',
  },
  outfile: path.join(out, 'start.cjs'),
  sourcemap: 'external',
  sourcesContent: false,
  external: [...common.external, './commands.cjs'],
  plugins: [oclifStartupPatches],
})

// commands.cjs: every command, each initialised (with what it imports) only when oclif asks for it.
const sharedOclif = {
  name: 'shared-oclif',
  setup(esbuild) {
    esbuild.onResolve({filter: /^@oclif\/core$/}, () => ({path: 'shared-oclif', namespace: 'shared-oclif'}))
    esbuild.onResolve({filter: /^\.\/start\.cjs$/}, () => ({path: './start.cjs', external: true}))
    esbuild.onLoad({filter: /.*/, namespace: 'shared-oclif'}, () => ({contents: "module.exports = require('./start.cjs').oclif", loader: 'js'}))
  },
}
await build({
  ...common,
  stdin: {
    contents: [
      'const commands = {',
      ...commands.map(({id, file}) => `  ${JSON.stringify(id)}: () => require(${JSON.stringify('./' + file.split(path.sep).join('/'))}).default,`),
      '}',
      'exports.command = (id) => commands[id]()',
    ].join('\n'),
    resolveDir: root,
    sourcefile: 'faithh-commands-entry.js',
    loader: 'js',
  },
  outfile: path.join(out, 'commands.cjs'),
  sourcemap: 'external',
  sourcesContent: false,
  banner: {js: "var __faithhFileUrl = (relative) => require('node:url').pathToFileURL(require('node:path').join(__dirname, relative)).href;"},
  plugins: [importMetaUrl, sharedOclif],
})

for (const {id, stub} of commands) {
  const target = path.join(out, 'commands', stub)
  await mkdir(path.dirname(target), {recursive: true})
  const startBundle = path.relative(path.dirname(target), path.join(out, 'start.cjs')).split(path.sep).join('/')
  await writeFile(
    target,
    `// The \`faithh ${id.replaceAll(':', ' ')}\` command, from the bundle (scripts/bundle.js).\nmodule.exports = require('./${startBundle}').command(${JSON.stringify(id)})\n`,
  )
}

await build({
  ...common,
  stdin: {contents: "require('./src/cli/boot.ts').boot(__dirname)", resolveDir: root, sourcefile: 'faithh-boot-entry.js', loader: 'js'},
  outfile: path.join(out, 'boot.cjs'),
})

// start.cjs and commands.cjs as boot loads them, with their source maps (read under DEBUG only).
for (const name of ['start.cjs', 'commands.cjs']) {
  const file = path.join(out, name)
  const {code, map} = finishBundle(await readFile(file, 'utf8'), JSON.parse(await readFile(`${file}.map`, 'utf8')), `${name}.map`)
  await writeFile(file, code)
  await writeFile(`${file}.map`, JSON.stringify(map))
}

const kib = async (name) => `${((await stat(path.join(out, name))).size / 1024).toFixed(0)} KiB`
console.log(`dist/bundle: start.cjs ${await kib('start.cjs')}, commands.cjs ${await kib('commands.cjs')} (${commands.length} commands)`)
