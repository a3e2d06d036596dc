import {build, type Metafile} from 'esbuild'
import {readdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {beforeAll, describe, expect, it} from 'vitest'

/**
 * What a command loads before it runs is its static import graph: everything imported with `import
 * ... from`, transitively. The heavy modules (issue #12) must stay out of it, behind an `import()`
 * where they are used, or every start pays for them. Read from esbuild's view of the sources, the
 * way scripts/bundle.js bundles them.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))

const HEAVY: Array<{what: string; path: RegExp; allowedIn?: RegExp}> = [
  {what: 'tree-sitter (the shell grammar)', path: /^(web-tree-sitter|tree-sitter-bash)(\/|$)|node_modules\/(web-tree-sitter|tree-sitter-bash)\//},
  {what: 'the Chroma client', path: /^chromadb(\/|$)|src\/core\/rag\/chroma-(store|server)\.ts$/},
  {what: 'inquirer', path: /^@inquirer\/|node_modules\/@inquirer\//},
  {what: 'ora', path: /node_modules\/ora\//},
  {what: 'the diff package', path: /node_modules\/diff\//},
  {what: 'the plugin tool loader', path: /src\/core\/plugins\/load-tools\.ts$/},
  {what: 'the web server', path: /src\/server\//, allowedIn: /^serve$/},
  {what: 'the MCP SDK', path: /node_modules\/@modelcontextprotocol\//, allowedIn: /^mcp:/},
]

function commandFiles(): Array<{id: string; file: string}> {
  const dir = path.join(root, 'src/commands')
  return readdirSync(dir, {recursive: true, encoding: 'utf8'})
    .filter((file) => file.endsWith('.ts'))
    .map((file) => {
      const parts = file.replace(/\.ts$/, '').split(path.sep)
      if (parts.at(-1) === 'index' && parts.length > 1) parts.pop()
      return {id: parts.join(':'), file: path.join('src/commands', file)}
    })
}

/** Every module `entry` imports statically, and through which module each was first reached. */
function staticGraph(metafile: Metafile, entry: string): Map<string, string | undefined> {
  const reached = new Map<string, string | undefined>([[entry, undefined]])
  const queue = [entry]
  while (queue.length > 0) {
    const from = queue.shift()!
    for (const imported of metafile.inputs[from]?.imports ?? []) {
      if (imported.kind === 'dynamic-import' || reached.has(imported.path)) continue
      reached.set(imported.path, from)
      queue.push(imported.path)
    }
  }

  return reached
}

function chain(graph: Map<string, string | undefined>, module: string): string {
  const links = [module]
  for (let at = graph.get(module); at !== undefined; at = graph.get(at)) links.unshift(at)
  return links.join(' -> ')
}

describe('start-up imports', () => {
  const commands = commandFiles()
  let metafile: Metafile

  beforeAll(async () => {
    const result = await build({
      absWorkingDir: root,
      entryPoints: commands.map(({file}) => file),
      bundle: true,
      platform: 'node',
      format: 'esm',
      outdir: 'dist/lazy-imports-check',
      write: false,
      metafile: true,
      logLevel: 'silent',
      external: ['chromadb', 'web-tree-sitter', 'tree-sitter-bash', '@oclif/core', '@oclif/plugin-plugins', 'typescript'],
    })
    metafile = result.metafile
  })

  it('finds the commands', () => {
    expect(commands.map(({id}) => id)).toEqual(expect.arrayContaining(['ask', 'search', 'index', 'chat', 'serve', 'mcp:serve']))
  })

  it.each(commandFiles())('$id loads no heavy module before it runs', ({id, file}) => {
    const graph = staticGraph(metafile, file)
    const loaded = HEAVY.filter((heavy) => !heavy.allowedIn?.test(id)).flatMap((heavy) =>
      [...graph.keys()].filter((module) => heavy.path.test(module)).map((module) => `${heavy.what}: ${chain(graph, module)}`),
    )
    expect(loaded).toEqual([])
  })
})
