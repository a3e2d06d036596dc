// Bundles the CLI after `tsc` (see `npm run build`). Why: loading @oclif/core and our modules file by
// file, compiling each on every start, cost more than the whole of `node -e 0` (issue #12). What
// `faithh` runs (bin/run.js) is dist/bundle/boot.cjs, which loads, each with a V8 code cache
// (src/cli/code-cache.ts):
//   start.cjs        @oclif/core, patched to load only what a run uses (oclif-startup-patches.js);
//   run/<ids>.cjs    commands and the code they import, loaded when oclif asks for one of them
//                    through dist/bundle/commands/<id>.cjs, the files the manifest points at; a
//                    command initialised (with its imports) only when asked for. Not one bundle for
//                    all commands: a start reads, compiles and keeps in memory the code its command
//                    may run and little else (`search` loads 0.7 MB where all commands are 2.6 MB),
//                    and that is most of what a start costs after oclif. Commands whose code is
//                    nearly the same (the agent's: ask, chat, edit, plan…) share a bundle, so that
//                    the install holds each about once (see groupCommands). Every `import()` in our
//                    code stays lazy.
// Packages that find files next to their own code (native bindings, WASM, a server script) stay in
// node_modules and are loaded from there when first needed. The tsc output in dist/ stays: it is
// faithh's library (package.json `exports`), and the bundle computes paths as if it were it.
import {build} from 'esbuild'
import {execFileSync} from 'node:child_process'
import {mkdir, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {seedFileOf} from '../dist/cli/code-cache.js'
import {finishBundle} from './bundle-output.js'
import {oclifStartupPatches} from './oclif-startup-patches.js'

const root = process.cwd()
const out = path.join(root, 'dist/bundle')
/** Where the command bundles go: one folder, so that paths relative to it mean the same in each. */
const runDir = path.join(out, 'run')

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
      const relative = path.relative(runDir, compiled).split(path.sep).join('/')
      return {contents: source.replaceAll('import.meta.url', `__faithhFileUrl(${JSON.stringify(relative)})`), loader: 'ts'}
    })
  },
}

/** How much bigger than its own code a command's bundle may be, so that it can share the bundle with others. */
const SHARED_BUNDLE_GROWTH = 1.1

/**
 * Commands in groups, each group one bundle: a command joins a group when the group's code with its
 * own is at most SHARED_BUNDLE_GROWTH times what any member needs alone. Sizes come from a first
 * build of each command alone (not written, only measured).
 */
async function groupCommands(commands) {
  const alone = await build({
    ...commandBundle,
    entryPoints: Object.fromEntries(commands.map(({id, file}) => [id.replaceAll(':', '-'), file])),
    write: false,
    sourcemap: false,
    plugins: [importMetaUrl, sharedOclif],
  })
  const inputsOf = new Map()
  for (const output of Object.values(alone.metafile.outputs)) {
    const command = commands.find(({file}) => output.entryPoint === file.split(path.sep).join('/'))
    if (command) inputsOf.set(command.id, new Map(Object.entries(output.inputs).map(([input, {bytesInOutput}]) => [input, bytesInOutput])))
  }

  const bytes = (inputs) => [...inputs.values()].reduce((a, b) => a + b, 0)
  const groups = []
  for (const command of [...commands].sort((a, b) => bytes(inputsOf.get(b.id)) - bytes(inputsOf.get(a.id)))) {
    const own = inputsOf.get(command.id)
    let best
    for (const group of groups) {
      const union = new Map([...group.inputs, ...own])
      const size = bytes(union)
      const smallest = Math.min(bytes(own), ...group.members.map(({id}) => bytes(inputsOf.get(id))))
      if (size <= SHARED_BUNDLE_GROWTH * smallest && (!best || size < best.size)) best = {group, union, size}
    }

    if (best) {
      best.group.members.push(command)
      best.group.inputs = best.union
    } else {
      groups.push({members: [command], inputs: own})
    }
  }

  return groups.map(({members}) => {
    const sorted = members.sort((a, b) => (a.id < b.id ? -1 : 1))
    return {name: sorted.map(({id}) => id.replaceAll(':', '-')).join('+'), members: sorted}
  })
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
      "let loadCommand = (file) => require(require('node:path').join(__dirname, 'run', file))",
      '/** @oclif/core for the command bundles: one instance of it in the process. */',
      'exports.oclif = oclif',
      '/** The class of command `id` from its bundle in run/; dist/bundle/commands/<id>.cjs asks for it. */',
      'exports.command = (id, file) => loadCommand(file).command(id)',
      '/** Runs the CLI; boot.cjs hands over how to load a command bundle (with its code cache). */',
      'exports.start = (options = {}) => {',
      '  if (options.loadCommand) loadCommand = options.loadCommand',
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
  plugins: [oclifStartupPatches],
})

// run/<ids>.cjs: commands with what they import, grouped by how much code they share.
const sharedOclif = {
  name: 'shared-oclif',
  setup(esbuild) {
    esbuild.onResolve({filter: /^@oclif\/core$/}, () => ({path: 'shared-oclif', namespace: 'shared-oclif'}))
    esbuild.onLoad({filter: /.*/, namespace: 'shared-oclif'}, () => ({contents: "module.exports = require('../start.cjs').oclif", loader: 'js'}))
  },
}
const commandBundle = {
  ...common,
  outdir: runDir,
  outExtension: {'.js': '.cjs'},
  sourcemap: 'external',
  sourcesContent: false,
  banner: {js: "var __faithhFileUrl = (relative) => require('node:url').pathToFileURL(require('node:path').join(__dirname, relative)).href;"},
  external: [...common.external, '../start.cjs'],
}
const groups = await groupCommands(commands)
const groupEntries = {
  name: 'command-groups',
  setup(esbuild) {
    esbuild.onResolve({filter: /^faithh-group:/}, ({path: id}) => ({path: id, namespace: 'faithh-group'}))
    esbuild.onLoad({filter: /.*/, namespace: 'faithh-group'}, ({path: id}) => {
      const members = groups.find((group) => group.name === id.slice('faithh-group:'.length)).members
      const lines = members.map(({id, file}) => `  ${JSON.stringify(id)}: () => require(${JSON.stringify('./' + file.split(path.sep).join('/'))}).default,`)
      return {contents: ['const commands = {', ...lines, '}', 'exports.command = (id) => commands[id]()'].join('\n'), resolveDir: root, loader: 'js'}
    })
  },
}
await build({
  ...commandBundle,
  entryPoints: Object.fromEntries(groups.map(({name}) => [name, `faithh-group:${name}`])),
  plugins: [importMetaUrl, sharedOclif, groupEntries],
})

const bundleOf = new Map(groups.flatMap(({name, members}) => members.map(({id}) => [id, `${name}.cjs`])))
for (const {id, stub} of commands) {
  const target = path.join(out, 'commands', stub)
  await mkdir(path.dirname(target), {recursive: true})
  const startBundle = path.relative(path.dirname(target), path.join(out, 'start.cjs')).split(path.sep).join('/')
  await writeFile(
    target,
    `// The \`faithh ${id.replaceAll(':', ' ')}\` command, from the bundle (scripts/bundle.js).\nmodule.exports = require('./${startBundle}').command(${JSON.stringify(id)}, ${JSON.stringify(bundleOf.get(id))})\n`,
  )
}

await build({
  ...common,
  stdin: {contents: "require('./src/cli/boot.ts').boot(__dirname)", resolveDir: root, sourcefile: 'faithh-boot-entry.js', loader: 'js'},
  outfile: path.join(out, 'boot.cjs'),
})

/** The bundles boot loads, start.cjs first (the command bundles require it). */
const bundleFiles = ['start.cjs', ...groups.map(({name}) => `run/${name}.cjs`)].map((name) => path.join(out, name))

// The bundles as boot loads them, with their source maps (read under DEBUG only).
for (const file of bundleFiles) {
  const {code, map} = finishBundle(await readFile(file, 'utf8'), JSON.parse(await readFile(`${file}.map`, 'utf8')), `${path.basename(file)}.map`)
  await writeFile(file, code)
  await writeFile(`${file}.map`, JSON.stringify(map))
}

// Last: a seed is valid only for the bundle file as it is now (scripts/seed-code-cache.js). Without
// NODE_OPTIONS, whatever runs the build: V8 takes a cache only under the flags it was made with.
const {NODE_OPTIONS: _, ...seedEnv} = process.env
execFileSync(process.execPath, [path.join(root, 'scripts/seed-code-cache.js'), ...bundleFiles], {stdio: 'inherit', env: seedEnv})

const totalBytes = async (files) => (await Promise.all(files.map(async (file) => (await stat(file)).size))).reduce((a, b) => a + b, 0)
const runBytes = await totalBytes(bundleFiles.slice(1))

const kib = async (name) => `${((await stat(path.join(out, name))).size / 1024).toFixed(0)} KiB`
console.log(
  `dist/bundle: start.cjs ${await kib('start.cjs')}; ${commands.length} commands in ${groups.length} bundles, ${(runBytes / 1024 / 1024).toFixed(1)} MiB:`,
)
for (const {name} of groups) console.log(`  run/${name}.cjs ${await kib(`run/${name}.cjs`)}`)
console.log(`  seed code caches (*.cjs.v8cache) ${((await totalBytes(bundleFiles.map(seedFileOf))) / 1024 / 1024).toFixed(1)} MiB`)
