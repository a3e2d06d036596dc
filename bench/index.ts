/**
 * `npm run bench:index`: what the codebase index costs on a large real tree.
 *   Tree: the text files of this repository's node_modules (real JavaScript, TypeScript, d.ts,
 *   JSON and Markdown from dozens of packages), copied until it has at least 5,000 files.
 *   1. First index with the fake embedder (Ollama's wire protocol on loopback) into the embedded
 *      Chroma: files/s and chunks/s.
 *   2. Re-index with nothing changed, in-process and as a CLI run.
 *   3. Search latency p50/p95: hybrid (query embedding + Chroma + BM25, fused) and lexical only,
 *      with the index loaded; and a cold `faithh search` process, hybrid and lexical, next to `node -e 0`.
 *   4. Peak RSS of a whole first `faithh index` process (--rebuild), with vectors and without.
 * Targets (issue #4): no-change re-index of 5,000 files < 2 s; search p50 < 100 ms; (issue #12) a first
 * index peaks under 300 MiB.
 */
import {execFile, spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {cp, mkdtemp, readdir, realpath, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

import {configSchema} from '../src/core/config/schema.js'
import {acquireEmbeddedChroma} from '../src/core/rag/chroma-server.js'
import {indexProject} from '../src/core/rag/indexer.js'
import {CHROMA_DIR} from '../src/core/rag/manifest.js'
import {createRetriever} from '../src/core/rag/retriever.js'
import {walkProject} from '../src/core/tools/project-files.js'
import {startFakeOllama} from '../test/support/fake-ollama.js'

const repo = fileURLToPath(new URL('..', import.meta.url))
const bin = path.join(repo, 'bin/run.js')
// Some are then skipped (binary, over rag.maxFileBytes, source maps, lockfiles): aim above the 5,000 of the target.
const MIN_FILES = 5400
const QUERIES = [
  'parse command line arguments',
  'compare semantic versions',
  'escape a regular expression',
  'schema validation error message',
  'glob pattern matching',
  'ansi color escape codes',
  'spawn a child process and wait',
  'read and parse a json file',
  'compiler diagnostics',
  'string width of unicode text',
  'stream pipeline error handling',
  'deep equality of objects',
  'format a duration',
  'source map mappings',
  'normalize windows paths',
  'terminal spinner frames',
  'isBinary',
  'parseArgs',
  'SourceMapConsumer',
  'createRequire',
]

// Async: the fake Ollama answering the CLI lives in this process, so its event loop must keep running.
const run = promisify(execFile)
const ms = (x: number) => `${x.toFixed(1)} ms`
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!

/**
 * Runs a command to its end and returns its peak resident memory in MiB (VmHWM of that process, read
 * from /proc while it runs; Linux only, undefined elsewhere).
 */
async function peakRss(args: string[], env: NodeJS.ProcessEnv): Promise<number | undefined> {
  const child = spawn('node', args, {env, stdio: 'ignore'})
  let peak: number | undefined
  const poll = setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1])
      if (kb) peak = Math.max(peak ?? 0, kb / 1024)
    } catch {
      // gone, or no /proc
    }
  }, 20)
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  clearInterval(poll)
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}`)
  return peak
}

/** Files faithh would consider: what the project walker yields (nested node_modules are skipped). */
async function countFiles(dir: string): Promise<number> {
  let n = 0
  for await (const entry of walkProject(dir, {filesOnly: true})) if (entry.type === 'file') n++
  return n
}

const work = await mkdtemp(path.join(tmpdir(), 'faithh-bench-index-'))
const root = path.join(work, 'tree')
try {
  // Real code, copied so the index (.faithh/) lands in a temp folder; nested node_modules are skipped
  // by the walker as in any project.
  // The whole node_modules once, then single packages of a second copy until the tree is big enough.
  const source = await realpath(path.join(repo, 'node_modules'))
  await cp(source, path.join(root, 'copy-1'), {recursive: true, verbatimSymlinks: true})
  let files = await countFiles(root)
  const packages = (await readdir(source, {withFileTypes: true})).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name)
  for (const name of packages) {
    if (files >= MIN_FILES) break
    await cp(path.join(source, name), path.join(root, 'copy-2', name), {recursive: true, verbatimSymlinks: true})
    files = await countFiles(root)
  }

  const ollama = await startFakeOllama()
  const rag = configSchema.parse({}).rag
  const request = {root, host: ollama.url, rag}

  console.log(`tree: ${root} (this repository's node_modules and part of a second copy: ${files.toLocaleString('en-US')} files after .gitignore)`)
  const t0 = performance.now()
  const first = await indexProject(request)
  const firstSeconds = (performance.now() - t0) / 1000
  const embedRequests = ollama.requests.filter((r) => r.path === '/api/embed').length
  console.log(
    `first index: ${first.files.total.toLocaleString('en-US')} files, ${first.chunks.total.toLocaleString('en-US')} chunks in ${firstSeconds.toFixed(1)} s — ` +
      `${Math.round(first.files.total / firstSeconds)} files/s, ${Math.round(first.chunks.total / firstSeconds)} chunks/s ` +
      `(${embedRequests} /api/embed requests of ${rag.batchSize}; skipped ${first.files.skippedBinary} binary, ${first.files.skippedLarge} large)`,
  )

  const noChange: number[] = []
  for (let i = 0; i < 3; i++) {
    const started = performance.now()
    const again = await indexProject(request)
    noChange.push(performance.now() - started)
    if (again.chunks.embedded !== 0 || again.files.unchanged !== first.files.total) throw new Error('re-index with no change did work')
  }

  const cliNoChange: number[] = []
  for (let i = 0; i < 3; i++) {
    const started = performance.now()
    await run('node', [bin, 'index', root, '--json'], {env: {...process.env, OLLAMA_HOST: ollama.url, CHROMA_URL: ''}})
    cliNoChange.push(performance.now() - started)
  }

  console.log(
    `no-change re-index of ${first.files.total.toLocaleString('en-US')} files: ${ms(percentile(noChange, 0.5))} in-process, ${ms(percentile(cliNoChange, 0.5))} as \`faithh index\` (whole process) — target < 2000 ms`,
  )

  for (const [label, settings] of [
    ['hybrid', {root, host: ollama.url, rag}],
    ['lexical', {root, host: 'http://127.0.0.1:9', rag}],
  ] as const) {
    const retriever = createRetriever(settings)
    const coldStart = performance.now()
    const first = await retriever.search(QUERIES[0]!, {limit: 10})
    const cold = performance.now() - coldStart
    const times: number[] = []
    for (let round = 0; round < 3; round++) {
      for (const query of QUERIES) {
        const started = performance.now()
        await retriever.search(query, {limit: 10})
        times.push(performance.now() - started)
      }
    }

    await retriever.close()
    console.log(
      `search (${label}, mode=${first.mode}, ${times.length} queries, index loaded): p50 ${ms(percentile(times, 0.5))}, p95 ${ms(percentile(times, 0.95))}; ` +
        `first query ${ms(cold)} (loads the index${label === 'hybrid' ? ', starts Chroma' : ''}) — target p50 < 100 ms`,
    )
  }

  // What the embedded server's lifecycle costs with this index (README: why faithh stops it after each command).
  const starts: number[] = []
  for (let i = 0; i < 3; i++) {
    const started = performance.now()
    const server = await acquireEmbeddedChroma(path.join(root, CHROMA_DIR))
    starts.push(performance.now() - started)
    await server.release()
  }

  console.log(`embedded Chroma start (${first.chunks.total.toLocaleString('en-US')} vectors, until heartbeat): p50 ${ms(percentile(starts, 0.5))}`)

  const cliSearch: number[] = []
  for (const query of QUERIES.slice(0, 5)) {
    const started = performance.now()
    await run('node', [bin, 'search', query, '--json'], {cwd: root, env: {...process.env, OLLAMA_HOST: ollama.url, CHROMA_URL: ''}})
    cliSearch.push(performance.now() - started)
  }

  console.log(`\`faithh search\` as a new process (hybrid, embedded Chroma started and stopped): p50 ${ms(percentile(cliSearch, 0.5))}`)

  // Cold and lexical: Ollama unreachable, so no query embedding and no Chroma; what a user without the model pays.
  const lexicalEnv = {...process.env, OLLAMA_HOST: 'http://127.0.0.1:9', CHROMA_URL: ''}
  const cliLexical: number[] = []
  const bare: number[] = []
  for (const query of QUERIES.slice(0, 5)) {
    let started = performance.now()
    await run('node', ['-e', '0'])
    bare.push(performance.now() - started)
    started = performance.now()
    await run('node', [bin, 'search', query, '--json'], {cwd: root, env: lexicalEnv})
    cliLexical.push(performance.now() - started)
  }

  console.log(`\`faithh search\` as a new process (lexical, no Ollama): p50 ${ms(percentile(cliLexical, 0.5))}; \`node -e 0\` p50 ${ms(percentile(bare, 0.5))}`)

  const withVectors = await peakRss([bin, 'index', root, '--rebuild', '--json'], {...process.env, OLLAMA_HOST: ollama.url, CHROMA_URL: ''})
  const lexicalOnly = await peakRss([bin, 'index', root, '--rebuild', '--json'], lexicalEnv)
  const mib = (x: number | undefined) => (x === undefined ? 'n/a (no /proc)' : `${x.toFixed(0)} MiB`)
  console.log(`first \`faithh index\` (--rebuild) peak RSS: ${mib(withVectors)} with vectors, ${mib(lexicalOnly)} without — target < 300 MiB`)
  await ollama.close()
} finally {
  await rm(work, {recursive: true, force: true})
}
