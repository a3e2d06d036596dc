/**
 * `npm run bench`: what faithh itself costs, so the user's GPU time goes to the model.
 *   1. CLI start-up: `faithh --version` against bare `node -e 0`.
 *   2. First-request fixed overhead: system prompt + tool schemas, in characters and estimated tokens.
 *   3. Agent overhead per tool round-trip with an instant model (fake Ollama on loopback).
 * Targets (issue #2): first request <= 1,500 tokens; < 20 ms per round-trip; --version < 300 ms.
 */
import {execFileSync} from 'node:child_process'
import {mkdtemp, realpath, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {z} from 'zod'

import {runAgent} from '../src/core/agent/loop.js'
import {systemPrompt} from '../src/core/agent/prompt.js'
import {LlmClient} from '../src/core/llm/client.js'
import {builtinTools, readOnlyTools} from '../src/core/tools/index.js'
import {searchCodebaseTool} from '../src/core/tools/search-codebase.js'
import {defaultToolLimits, defineTool, ok, type Tool} from '../src/core/tools/tool.js'
import {startFakeOllama} from '../test/support/fake-ollama.js'
import {testAccess} from '../test/support/access.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = path.join(root, 'bin/run.js')
// qwen2.5's tokenizer averages ~3.5–4 characters per token on English and JSON; 3.5 errs high.
const tokens = (chars: number) => Math.ceil(chars / 3.5)

function timeCommand(args: string[], runs: number): number[] {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    execFileSync('node', args, {cwd: root, stdio: 'ignore'})
    times.push(performance.now() - start)
  }

  return times
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!
const ms = (x: number) => `${x.toFixed(1)} ms`

async function firstRequest(tools: Tool[], model: string, capabilities?: string[], family?: string) {
  const ollama = await startFakeOllama({models: [{name: model, contextLength: 32_768, capabilities, family}], chat: [{content: 'ok'}]})
  const llm = new LlmClient({host: ollama.url, model, numCtx: 16_384})
  const events = runAgent({
    llm,
    tools,
    system: systemPrompt({task: "Answer the user's questions about the code. You can read and search files but not change them."}),
    messages: [{role: 'user', content: ''}],
    toolContext: {root, signal: new AbortController().signal, limits: defaultToolLimits, access: testAccess(root)},
    maxSteps: 1,
  })
  for await (const _ of events);
  const request = ollama.chats()[0]!
  await ollama.close()
  const system = request.messages[0]!.content.length
  const schemas = request.tools ? JSON.stringify(request.tools).length : 0
  return {system, schemas, total: system + schemas}
}

async function roundTrips(steps: number) {
  // An instant tool and an instant model: what is left is faithh's own work per round-trip
  // (HTTP to Ollama, NDJSON parsing, text-call parsing, validation, events).
  const noop = defineTool({name: 'noop', description: 'Does nothing.', readOnly: true, schema: z.object({n: z.number()}), execute: async () => ok('done')})
  const ollama = await startFakeOllama({
    models: [{name: 'bench:1b', contextLength: 32_768}],
    chat: (_request, index) => (index < steps ? {tool_calls: [{name: 'noop', arguments: {n: index}}]} : {content: 'finished'}),
  })
  const dir = await realpath(await mkdtemp(path.join(tmpdir(), 'faithh-bench-')))
  const llm = new LlmClient({host: ollama.url, model: 'bench:1b', numCtx: 16_384})
  const stepTimes: number[] = []
  let last = performance.now()
  const events = runAgent({
    llm,
    tools: [noop],
    system: systemPrompt({task: 'bench'}),
    messages: [{role: 'user', content: 'go'}],
    toolContext: {root: dir, signal: new AbortController().signal, limits: defaultToolLimits, access: testAccess(dir)},
    maxSteps: steps + 1,
  })
  for await (const event of events) {
    if (event.type === 'tool_result') {
      const now = performance.now()
      stepTimes.push(now - last)
      last = now
    }
  }

  await ollama.close()
  await rm(dir, {recursive: true, force: true})
  // The first round-trip includes /api/show and connection set-up: report it apart.
  return {first: stepTimes[0]!, rest: stepTimes.slice(1)}
}

const node = timeCommand(['-e', '0'], 10)
const version = timeCommand([bin, '--version'], 10)
const help = timeCommand([bin, 'ask', '--help'], 5)
console.log('start-up (median of 10)')
console.log(`  node -e 0                ${ms(median(node))}`)
console.log(`  faithh --version         ${ms(median(version))}   target < 300 ms`)
console.log(`  faithh ask --help        ${ms(median(help))}`)

console.log('\nfirst request, fixed overhead (system prompt + tool schemas)')
for (const [label, tools, capabilities, family] of [
  ['ask, native tools (3 tools)', readOnlyTools, undefined, undefined],
  ['ask with an index (+search_codebase)', [...readOnlyTools, searchCodebaseTool], undefined, undefined],
  ['all built-in tools, native (6)', builtinTools, undefined, undefined],
  ['ask, text-described tools (Hermes)', readOnlyTools, ['completion'], undefined],
  ['ask, text-described, Command R dialect', readOnlyTools, ['completion'], 'command-r'],
] as const) {
  const size = await firstRequest([...tools], 'qwen2.5-coder:7b', capabilities ? [...capabilities] : undefined, family)
  console.log(
    `  ${label.padEnd(38)} ${String(size.total).padStart(5)} chars ≈ ${String(tokens(size.total)).padStart(4)} tokens (system ${size.system}, schemas ${size.schemas})   target <= 1500 tokens`,
  )
}

const steps = 200
const trips = await roundTrips(steps)
console.log(`\nagent overhead per tool round-trip, instant model and tool (${steps} round-trips)`)
console.log(`  first (incl. /api/show)  ${ms(trips.first)}`)
console.log(`  p50                      ${ms(median(trips.rest))}   target < 20 ms`)
console.log(`  p95                      ${ms(percentile(trips.rest, 0.95))}`)
console.log(`  mean                     ${ms(trips.rest.reduce((a, b) => a + b, 0) / trips.rest.length)}`)
