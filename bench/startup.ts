/**
 * `npm run bench:startup`: what faithh costs a script that calls it, next to the floors of the same run.
 *   Floors: `node -e 0`, and bench/bare-agent.mjs (a bare Node script doing the task's two model requests).
 *   faithh: `--version`; `ask` on the task (a read_file tool call, then the answer) against the fake
 *   Ollama; `search` cold on a generated 5,000-file tree indexed lexically (a fresh process per query);
 *   peak RSS of `ask` and of a first `index` of that tree (lexical, and with vectors in the embedded Chroma).
 *   Also, without a target: `--help`, the whole of oclif's start, which `--version` skips; and `ask`
 *   as a first start, in a new cache folder each round (a CI container, a new HOME): no code cache of
 *   its own, only the seed the build made (src/cli/code-cache.ts).
 * Every command is a whole process; the rounds run the commands in turn (A B C … A B C …) and each
 * ratio is the median of the per-round ratios, so a machine that slows down mid-run slows floors and
 * faithh alike. Targets (issue #12): --version <= 1.3x node -e 0; ask <= 1.5x the bare script; cold
 * search <= 2x node -e 0 + 100 ms; peak RSS of ask <= 100 MiB, of a first index <= 300 MiB.
 * Flags: --runs N (default 15), --files N (default 5000), --no-vectors (skip the index with vectors),
 * --env-as-is (keep NODE_EXTRA_CA_CERTS: see extraCaNote).
 */
import {cpus, loadavg, tmpdir} from 'node:os'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {startFakeOllama, type ChatRequestBody, type FakeReply} from '../test/support/fake-ollama.js'
import {writeGeneratedTree} from './generated-tree.js'
import {canMeasureRss, median, runProcess, wallMs, withPeakRss, type ProcessSpec} from './whole-process.js'

const {values: options} = parseArgs({
  options: {
    runs: {type: 'string', default: '15'},
    files: {type: 'string', default: '5000'},
    'no-vectors': {type: 'boolean', default: false},
    'env-as-is': {type: 'boolean', default: false},
  },
})
const RUNS = Number(options.runs)
const FILES = Number(options.files)
const repo = fileURLToPath(new URL('..', import.meta.url))
const bin = path.join(repo, 'bin/run.js')
const node = process.execPath
const MODEL = 'qwen2.5-coder:7b'
const QUESTION = 'what does this project do?'
const ANSWER = 'It adds two numbers (src/math.ts) and says so in its README.'
const QUERIES = ['parse config value', 'retry backoff timeout', 'render template layout', 'cursor page offset', 'verify token signature', 'flush queue worker']

/** The task: the model asks for README.md, then answers from it. Decided per request, so any number of runs can share one server. */
function task(request: ChatRequestBody): FakeReply {
  const answered = request.messages.some((message) => message.role === 'tool')
  return answered ? {content: ANSWER} : {tool_calls: [{name: 'read_file', arguments: {path: 'README.md'}}]}
}

/**
 * NODE_EXTRA_CA_CERTS makes every Node process parse that certificate bundle before running a line
 * (tens of ms with a system bundle), floors included: it shrinks every ratio and is not what a user's
 * machine does. Removed unless --env-as-is.
 */
function benchEnv(home: string): {env: NodeJS.ProcessEnv; extraCaNote?: string} {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    NO_COLOR: '1',
    FAITHH_MODEL: MODEL,
  }
  for (const name of Object.keys(env)) if (name.startsWith('FAITHH_') && name !== 'FAITHH_MODEL') delete env[name]
  delete env.CHROMA_URL
  // vite-node sets NODE_ENV=development, which puts oclif in its development mode (it reads
  // tsconfig.json with TypeScript to find sources): a user's shell has no reason to.
  delete env.NODE_ENV
  if (!process.env.NODE_EXTRA_CA_CERTS) return {env}
  if (options['env-as-is']) return {env, extraCaNote: 'NODE_EXTRA_CA_CERTS is set and kept (--env-as-is): every process, floors included, pays for it'}
  delete env.NODE_EXTRA_CA_CERTS
  return {env, extraCaNote: "NODE_EXTRA_CA_CERTS removed from every command's environment (--env-as-is keeps it)"}
}

const work = await mkdtemp(path.join(tmpdir(), 'faithh-bench-startup-'))
const chatOnly = await startFakeOllama({models: [{name: MODEL, contextLength: 32_768}], chat: task})
const withEmbeddings = await startFakeOllama()
try {
  const home = path.join(work, 'home')
  await mkdir(home)
  const {env, extraCaNote} = benchEnv(home)
  const project = path.join(work, 'project')
  await mkdir(path.join(project, 'src'), {recursive: true})
  await writeFile(path.join(project, 'README.md'), '# demo\n\nA demo project: src/math.ts adds two numbers.\n')
  await writeFile(path.join(project, 'src/math.ts'), 'export function add(a: number, b: number): number {\n  return a + b\n}\n')
  const lexicalTree = path.join(work, 'tree-lexical')
  await writeGeneratedTree(lexicalTree, FILES)

  const faithh = (args: string[], cwd: string, host: string, check?: ProcessSpec['check']): ProcessSpec => ({
    command: node,
    args: [bin, ...args],
    cwd,
    env: {...env, OLLAMA_HOST: host},
    check,
  })
  const expectOutput = (text: string) => (run: {exitCode: number | null; stdout: string}) =>
    run.exitCode !== 0 ? `exit code ${run.exitCode}` : run.stdout.includes(text) ? undefined : `expected ${JSON.stringify(text)} in stdout`

  // The first index of each tree: its peak RSS is a target; the lexical one is what `search` reads.
  // Without GNU time the index is still needed (search reads it); the RSS is then NaN.
  const firstIndex = async (tree: string, host: string) => {
    const spec = faithh(['index', '--json'], tree, host)
    const run = canMeasureRss ? await withPeakRss(spec) : {...(await runProcess(spec)), rssMiB: NaN}
    const {files, chunks} = JSON.parse(run.stdout) as {files: {total: number}; chunks: {total: number}}
    return {rssMiB: run.rssMiB, seconds: run.wallMs / 1000, files: files.total, chunks: chunks.total}
  }
  const lexical = await firstIndex(lexicalTree, chatOnly.url)
  let vectors: Awaited<ReturnType<typeof firstIndex>> | undefined
  if (!options['no-vectors']) {
    const vectorTree = path.join(work, 'tree-vectors')
    await writeGeneratedTree(vectorTree, FILES)
    vectors = await firstIndex(vectorTree, withEmbeddings.url)
  }

  const ask = faithh(['ask', QUESTION], project, chatOnly.url, expectOutput(ANSWER))
  const cases = {
    node: {command: node, args: ['-e', '0'], cwd: project, env},
    bare: {
      command: node,
      args: [path.join(repo, 'bench/bare-agent.mjs'), QUESTION],
      cwd: project,
      env: {...env, OLLAMA_HOST: chatOnly.url},
      check: expectOutput(ANSWER),
    },
    version: faithh(['--version'], project, chatOnly.url, expectOutput('faithh/')),
    help: faithh(['--help'], project, chatOnly.url, expectOutput('COMMANDS')),
    ask,
    askFirst: (round: number): ProcessSpec => ({...ask, env: {...ask.env, XDG_CACHE_HOME: path.join(work, `first-start-cache-${round}`)}}),
    search: (query: string) => faithh(['search', query, '-n', '5'], lexicalTree, chatOnly.url, expectOutput(':')),
  }

  const walls = {
    node: [] as number[],
    bare: [] as number[],
    version: [] as number[],
    help: [] as number[],
    ask: [] as number[],
    askFirst: [] as number[],
    search: [] as number[],
  }
  for (let round = -1; round < RUNS; round++) {
    const times = {
      node: await wallMs(cases.node),
      bare: await wallMs(cases.bare),
      version: await wallMs(cases.version),
      help: await wallMs(cases.help),
      ask: await wallMs(cases.ask),
      askFirst: await wallMs(cases.askFirst(round)),
      search: await wallMs(cases.search(QUERIES[(round + QUERIES.length) % QUERIES.length]!)),
    }
    // Round -1 warms the file cache and is not counted.
    if (round >= 0) for (const [name, ms] of Object.entries(times)) walls[name as keyof typeof walls].push(ms)
  }

  const rssOf = async (spec: ProcessSpec) =>
    canMeasureRss ? median([(await withPeakRss(spec)).rssMiB, (await withPeakRss(spec)).rssMiB, (await withPeakRss(spec)).rssMiB]) : NaN
  const askRss = await rssOf(cases.ask)
  const bareRss = await rssOf(cases.bare)
  const perRound = (f: (i: number) => number) => median(walls.node.map((_, i) => f(i)))
  const ratios = {
    version: perRound((i) => walls.version[i]! / walls.node[i]!),
    help: perRound((i) => walls.help[i]! / walls.node[i]!),
    ask: perRound((i) => walls.ask[i]! / walls.bare[i]!),
    askFirst: perRound((i) => walls.askFirst[i]! / walls.bare[i]!),
    search: perRound((i) => walls.search[i]! / (2 * walls.node[i]! + 100)),
  }

  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED')
  const rssVerdict = (x: number) => (Number.isNaN(x) ? 'n/a' : verdict(x <= 300))
  const describeIndex = (run: {files: number; chunks: number; seconds: number}) =>
    `${run.files.toLocaleString('en-US')} files, ${run.chunks.toLocaleString('en-US')} chunks, ${run.seconds.toFixed(1)} s`
  const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms`
  const mib = (x: number) => (Number.isNaN(x) ? 'n/a' : `${x.toFixed(0)} MiB`)
  const rows: [string, string, string, string, string][] = [
    ['', 'median', 'ratio to the floors of this run', 'target', ''],
    ['node -e 0', ms(walls.node), 'floor', '', ''],
    ['bare agent script (2 requests)', ms(walls.bare), 'floor', '', ''],
    ['faithh --version', ms(walls.version), `${ratios.version.toFixed(2)}x node -e 0`, '<= 1.3x', verdict(ratios.version <= 1.3)],
    ['faithh --help (all of oclif)', ms(walls.help), `${ratios.help.toFixed(2)}x node -e 0`, '', ''],
    ['faithh ask (2 requests)', ms(walls.ask), `${ratios.ask.toFixed(2)}x bare script`, '<= 1.5x', verdict(ratios.ask <= 1.5)],
    ['faithh ask, first start', ms(walls.askFirst), `${ratios.askFirst.toFixed(2)}x bare script (new cache folder: the build's seed cache)`, '', ''],
    ['faithh search (cold, lexical)', ms(walls.search), `${ratios.search.toFixed(2)}x (2x node -e 0 + 100 ms)`, '<= 1.0x', verdict(ratios.search <= 1)],
    ['peak RSS: ask', mib(askRss), `bare script ${mib(bareRss)}`, '<= 100 MiB', Number.isNaN(askRss) ? 'n/a' : verdict(askRss <= 100)],
    ['peak RSS: first index, lexical', mib(lexical.rssMiB), describeIndex(lexical), '<= 300 MiB', rssVerdict(lexical.rssMiB)],
    [
      'peak RSS: first index, vectors',
      mib(vectors?.rssMiB ?? NaN),
      vectors ? `${describeIndex(vectors)}, fake embedder, embedded Chroma` : 'skipped (--no-vectors)',
      '<= 300 MiB',
      rssVerdict(vectors?.rssMiB ?? NaN),
    ],
  ]

  console.log(`faithh start-up: whole processes, medians of ${RUNS} interleaved rounds; each ratio is the median of per-round ratios`)
  console.log(`machine: ${cpus().length} CPUs, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at the end`)
  if (extraCaNote) console.log(`note: ${extraCaNote}`)
  if (!canMeasureRss) console.log('note: no GNU time at /usr/bin/time: peak RSS not measured')
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length)))
  for (const row of rows)
    console.log(
      row
        .map((cell, column) => (column === 1 ? cell.padStart(widths[1]!) : cell.padEnd(widths[column] ?? 0)))
        .join('   ')
        .trimEnd(),
    )
} finally {
  await Promise.all([chatOnly.close(), withEmbeddings.close()])
  await rm(work, {recursive: true, force: true})
}
