/**
 * `npm run bench:retrieval`: how well `faithh search --files` finds the files a real bug report is
 * about, next to a plain BM25 computed in the same run (the retrieval-dev set: tasks.jsonl, score.mjs,
 * prepare.sh; see its README).
 *   1. Indexes every checkout with the built CLI, lexically: Ollama is pointed at a closed port, as for
 *      a user who has not pulled an embedding model. Index state goes to each checkout's .faithh/.
 *   2. Ranks files for every task with `faithh search --files --json -n 100` (a new process per task),
 *      and times the same search in this process with the index loaded.
 *   3. Runs score.mjs on the rankings with --baseline, and prints R@1/R@5/R@10/MRR per repository, per
 *      language and overall next to BM25's, the paired bootstrap intervals, the targets, and the times.
 * Usage: npm run bench:retrieval -- [--checkouts DIR] [--dev-set DIR] [--repo owner/name ...] [--reuse-index] [--out DIR]
 *   --checkouts  the folder prepare.sh filled (or env RETRIEVAL_CHECKOUTS)
 *   --dev-set    the folder with tasks.jsonl and score.mjs (or env RETRIEVAL_DEV; default ../shared/retrieval-dev
 *                next to this repository or its parent)
 *   --reuse-index  keep indexes a previous run made (faster; index times are then not measured)
 */
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

import {configSchema} from '../src/core/config/schema.js'
import {createRetriever} from '../src/core/rag/retriever.js'

const run = promisify(execFile)
const repo = fileURLToPath(new URL('..', import.meta.url))
const bin = path.join(repo, 'bin/run.js')

interface Task {
  id: string
  repo: string
  base_commit: string
  query: string
  language: string
  gold_files: string[]
  query_source?: string
}

interface TaskResult {
  id: string
  repo: string
  language: string
  'R@1': number
  'R@5': number
  'R@10': number
  MRR: number
  'Acc@5': number
}

const args = parseArgs(process.argv.slice(2))
const devSet =
  args.devSet ??
  process.env.RETRIEVAL_DEV ??
  [path.join(repo, '../shared/retrieval-dev'), path.join(repo, '../../shared/retrieval-dev')].find((dir) => existsSync(dir))
if (!devSet || !existsSync(path.join(devSet, 'tasks.jsonl'))) {
  fail('cannot find the retrieval-dev set (tasks.jsonl, score.mjs, prepare.sh): pass --dev-set DIR or set RETRIEVAL_DEV')
}

const checkouts = args.checkouts ?? process.env.RETRIEVAL_CHECKOUTS
if (!checkouts || !existsSync(checkouts)) {
  fail(
    `no checkouts${checkouts ? ` at ${checkouts}` : ''}. Make them once (about 25 s, 1.4 GB) from git mirrors of the eleven repositories:\n` +
      `  RETRIEVAL_MIRROR=/path/to/mirrors ${path.join(devSet, 'prepare.sh')} /path/to/checkouts\n` +
      `(RETRIEVAL_MIRROR holds one bare git directory per repository, <owner>+<name>/repo; prepare.sh names the ones missing), then\n` +
      `  npm run bench:retrieval -- --checkouts /path/to/checkouts     (or set RETRIEVAL_CHECKOUTS)`,
  )
}

const allTasks = (await readFile(path.join(devSet, 'tasks.jsonl'), 'utf8'))
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as Task)
const tasks = args.repos.length > 0 ? allTasks.filter((task) => args.repos.includes(task.repo)) : allTasks
if (tasks.length === 0) fail(`no task of ${args.repos.join(', ')} in ${devSet}/tasks.jsonl`)
const treeOf = (task: Task) => path.join(checkouts, `${task.repo.replace('/', '+')}@${task.base_commit}`)
const missing = [...new Set(tasks.map(treeOf))].filter((tree) => !existsSync(path.join(tree, '.prepared')))
if (missing.length > 0) {
  fail(
    `${missing.length} checkouts are missing or unfinished (e.g. ${missing[0]}); run:\n  RETRIEVAL_MIRROR=/path/to/mirrors ${path.join(devSet, 'prepare.sh')} ${checkouts}`,
  )
}

const out = args.out ?? (await mkdtemp(path.join(tmpdir(), 'faithh-bench-retrieval-')))
await mkdir(out, {recursive: true})
// No Ollama: a port nobody listens on, so indexing and search run lexically, as before `ollama pull nomic-embed-text`.
const closedPort = await freePort()
const home = await mkdtemp(path.join(tmpdir(), 'faithh-bench-home-'))
const env: NodeJS.ProcessEnv = {...process.env, OLLAMA_HOST: `http://127.0.0.1:${closedPort}`, HOME: home, NO_COLOR: '1'}
delete env.CHROMA_URL

const byTree = new Map<string, Task[]>()
for (const task of tasks) byTree.set(treeOf(task), [...(byTree.get(treeOf(task)) ?? []), task])

const indexSeconds = new Map<string, number[]>()
const cliMs: number[] = []
const inProcessMs: number[] = []
const coldLoadMs: number[] = []
const rankings: string[] = []
let treesDone = 0
for (const [tree, treeTasks] of byTree) {
  const name = treeTasks[0]!.repo
  if (!args.reuseIndex || !existsSync(path.join(tree, '.faithh/index/manifest.json'))) {
    const started = performance.now()
    await run('node', [bin, 'index', tree, '--rebuild', '--json'], {env, maxBuffer: 1 << 26})
    indexSeconds.set(name, [...(indexSeconds.get(name) ?? []), (performance.now() - started) / 1000])
  }

  for (const task of treeTasks) {
    const started = performance.now()
    const {stdout} = await run('node', [bin, 'search', '--files', '--json', '-n', '100', '--', task.query], {cwd: tree, env, maxBuffer: 1 << 26})
    cliMs.push(performance.now() - started)
    const files = (JSON.parse(stdout) as {files: {path: string}[]}).files.map((file) => file.path)
    rankings.push(JSON.stringify({id: task.id, files}))
  }

  // The same search in this process, index loaded: what `ask` and the search_codebase tool pay per query.
  const retriever = createRetriever({root: tree, host: env.OLLAMA_HOST!, rag: configSchema.parse({}).rag})
  const coldStart = performance.now()
  await retriever.searchFiles(treeTasks[0]!.query, {limit: 100})
  coldLoadMs.push(performance.now() - coldStart)
  for (const task of treeTasks) {
    const started = performance.now()
    await retriever.searchFiles(task.query, {limit: 100})
    inProcessMs.push(performance.now() - started)
  }

  await retriever.close()
  process.stderr.write(`\r${++treesDone}/${byTree.size} checkouts indexed and searched`)
}

process.stderr.write('\n')
const rankingsFile = path.join(out, 'faithh.jsonl')
const tasksFile = path.join(out, 'tasks.jsonl')
const resultsFile = path.join(out, 'results.json')
await writeFile(rankingsFile, rankings.join('\n') + '\n')
await writeFile(tasksFile, tasks.map((task) => JSON.stringify(task)).join('\n') + '\n')
const score = await run(
  'node',
  [path.join(devSet, 'score.mjs'), '--rankings', `faithh=${rankingsFile}`, '--baseline', '--checkouts', checkouts, '--tasks', tasksFile, '--out', resultsFile],
  {
    maxBuffer: 1 << 26,
  },
)
const results = JSON.parse(await readFile(resultsFile, 'utf8')) as {faithh: TaskResult[]; bm25: TaskResult[]}

console.log(sideBySide(results.faithh, results.bm25, tasks))
console.log()
for (const line of score.stdout.split('\n')) if (/^(R@5|MRR): /.test(line)) console.log(line)
console.log()
console.log(targets(results.faithh, results.bm25))
console.log()
console.log(timings())
console.log(`\nrankings, per-task results and score.mjs's full output: ${out}`)
await writeFile(path.join(out, 'score.txt'), score.stdout)

function sideBySide(faithh: TaskResult[], bm25: TaskResult[], all: Task[]): string {
  const metrics = ['R@1', 'R@5', 'R@10', 'MRR'] as const
  const baseline = new Map(bm25.map((result) => [result.id, result]))
  const head = `| group | tasks | ${metrics.map((m) => `${m} faithh | ${m} bm25`).join(' | ')} |`
  const lines = [head, `|---|---|${metrics.map(() => '---|---').join('|')}|`]
  const row = (label: string, group: TaskResult[]) => {
    const cells = metrics.map(
      (m) =>
        `${mean(group, m).toFixed(3)} | ${mean(
          group.map((r) => baseline.get(r.id)!),
          m,
        ).toFixed(3)}`,
    )
    lines.push(`| ${label} | ${group.length} | ${cells.join(' | ')} |`)
  }

  const languageOf = (result: TaskResult) => result.language
  const repos = groupBy(faithh, (result) => result.repo).sort(
    ([a, x], [b, y]) => languageOf(x[0]!).localeCompare(languageOf(y[0]!)) || a.toLowerCase().localeCompare(b.toLowerCase()),
  )
  for (const [name, group] of repos) row(name, group)
  for (const [language, group] of groupBy(faithh, languageOf).sort(([a], [b]) => a.localeCompare(b))) row(`**${language}**`, group)
  const jsTs = faithh.filter((result) => result.language !== 'python')
  if (jsTs.length > 0 && jsTs.length < faithh.length) row('**javascript + typescript**', jsTs)
  const source = new Map(all.map((task) => [task.id, task.query_source]))
  for (const kind of ['github issue', 'commit message']) {
    const group = faithh.filter((result) => source.get(result.id) === kind)
    if (group.length > 0) row(`js/ts, query = ${kind}`, group)
  }

  row('**all (micro)**', faithh)
  return lines.join('\n')
}

function targets(faithh: TaskResult[], bm25: TaskResult[]): string {
  const baseline = new Map(bm25.map((result) => [result.id, result]))
  const r5 = (group: TaskResult[]) => mean(group, 'R@5')
  const gain = (group: TaskResult[]) => r5(group) - r5(group.map((result) => baseline.get(result.id)!))
  const python = faithh.filter((result) => result.language === 'python')
  const jsTs = faithh.filter((result) => result.language !== 'python')
  const check = (ok: boolean) => (ok ? 'met' : 'NOT met')
  const lines = [`targets (lexical): overall R@5 ${r5(faithh).toFixed(3)} >= 0.75: ${check(r5(faithh) >= 0.75)}`]
  if (python.length > 0) lines.push(`  python R@5 ${r5(python).toFixed(3)}, ${signed(gain(python))} over BM25 (>= +0.10): ${check(gain(python) >= 0.1)}`)
  if (jsTs.length > 0)
    lines.push(`  javascript + typescript R@5 ${r5(jsTs).toFixed(3)}, ${signed(gain(jsTs))} over BM25 (>= +0.10): ${check(gain(jsTs) >= 0.1)}`)
  return lines.join('\n')
}

function timings(): string {
  const lines = ['| repository | checkouts indexed | first index (s, mean) |', '|---|---|---|']
  for (const [name, seconds] of indexSeconds)
    lines.push(`| ${name} | ${seconds.length} | ${(seconds.reduce((sum, s) => sum + s, 0) / seconds.length).toFixed(1)} |`)
  if (indexSeconds.size === 0) lines.push('| (indexes reused: --reuse-index) | | |')
  const ms = (values: number[], p: number) => `${percentile(values, p).toFixed(0)} ms`
  lines.push(
    '',
    `query, \`faithh search --files --json -n 100\` as a new process: p50 ${ms(cliMs, 0.5)}, p95 ${ms(cliMs, 0.95)}`,
    `query in process, index loaded (searchFiles, 100 files): p50 ${ms(inProcessMs, 0.5)}, p95 ${ms(inProcessMs, 0.95)}; first query of a checkout (loads its index) p50 ${ms(coldLoadMs, 0.5)}`,
    'times are wall-clock on a shared machine: compare them within a run, not across machines',
  )
  return lines.join('\n')
}

function mean<T>(items: T[], key: keyof T): number {
  return items.length === 0 ? 0 : items.reduce((sum, item) => sum + (item[key] as number), 0) / items.length
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>()
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item])
  return [...groups]
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(3)}`
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise((resolve) => server.close(resolve))
  return port
}

function parseArgs(argv: string[]): {checkouts?: string; devSet?: string; repos: string[]; reuseIndex: boolean; out?: string} {
  const parsed: ReturnType<typeof parseArgs> = {repos: [], reuseIndex: false}
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const value = () => argv[++i] ?? fail(`${flag} needs a value`)
    if (flag === '--') continue
    else if (flag === '--checkouts') parsed.checkouts = value()
    else if (flag === '--dev-set') parsed.devSet = value()
    else if (flag === '--repo') parsed.repos.push(value())
    else if (flag === '--out') parsed.out = value()
    else if (flag === '--reuse-index') parsed.reuseIndex = true
    else fail(`unknown argument ${flag}; see the comment at the top of bench/retrieval.ts`)
  }

  return parsed
}

function fail(message: string): never {
  console.error(`bench:retrieval: ${message}`)
  process.exit(2)
}
