/**
 * `npm run bench:parser`: parseToolCalls on 1 MB replies, the worst a model or a file can send.
 * Target (issue #11): every shape parses in < 50 ms; the parser is linear, so hostile text full of
 * unclosed openers must cost no more than prose.
 */
import {parseToolCalls} from '../src/core/llm/tool-call-parser.js'

const MB = 1024 * 1024
const TOOLS = ['read_file', 'write_file', 'get_weather', 'search_web', 'run_command']
const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB)

const shapes: Record<string, string> = {
  'prose with inline braces': fill('The read_file tool returns {lines} and [ranges]; see `notes` (below). '),
  'code with braces and quotes': fill('function f(a) { return {"k": "v{", read_file: [a], s: \'x\'} }\n'),
  'one real call, 1 MB of file content': `<tool_call>{"name": "write_file", "arguments": {"path": "big.txt", "content": "${fill('line of text \\n').slice(0, MB - 100)}"}}</tool_call>`,
  '5,000 real calls': Array.from({length: 5000}, (_, i) => `<tool_call>{"name": "read_file", "arguments": {"path": "f${i}.ts"}}</tool_call>\n`)
    .join('')
    .padEnd(MB, ' '),
  'unclosed {" openers': fill('{"read_file": "'),
  'unclosed <tool_call> openers': fill('<tool_call>{"name": "read_file", "arguments": {'),
  'unclosed pythonic lists': fill("[get_weather(city='"),
  'unclosed pythonic lists, one per line': fill("\n[get_weather(city='"),
  'unclosed Qwen3-Coder parameters': fill('<function=get_weather><parameter=city>'),
  'unclosed Gemma calls': fill('call:get_weather{city:<escape>'),
  'unclosed special tokens': fill('<|tool_call_begin|>functions.read_file:0<|tool_call_argument_begin|>{'),
  'harmony headers without a message': fill('<|start|>assistant<|channel|>commentary to=functions.read_file '),
  'unclosed <think>': `<think>${fill('maybe <tool_call>{"name": "read_file"} ')}`,
  'nested brackets': fill('[[[[{{{{'),
}

// The best of several runs, in wall time and in CPU time: on a shared machine the wall clock also
// measures the neighbours; the CPU time this process spent is what the parser costs.
const RUNS = 9
const cpuMs = () => {
  const {user, system} = process.cpuUsage()
  return (user + system) / 1000
}

console.log(`parseToolCalls on 1 MB: best of ${RUNS} runs (target < 50 ms)\n`)
console.log(`${'input'.padEnd(40)} ${'wall'.padStart(8)} ${'cpu'.padStart(8)}   calls`)
let worst = 0
for (const [name, content] of Object.entries(shapes)) {
  parseToolCalls(content, TOOLS) // warm-up
  let wall = Infinity
  let cpu = Infinity
  let calls = 0
  for (let run = 0; run < RUNS; run++) {
    const [startedWall, startedCpu] = [performance.now(), cpuMs()]
    calls = parseToolCalls(content, TOOLS).calls.length
    wall = Math.min(wall, performance.now() - startedWall)
    cpu = Math.min(cpu, cpuMs() - startedCpu)
  }

  worst = Math.max(worst, Math.min(wall, cpu))
  console.log(`${name.padEnd(40)} ${wall.toFixed(1).padStart(5)} ms ${cpu.toFixed(1).padStart(5)} ms   ${String(calls).padStart(5)}`)
}

console.log(
  `\nslowest input: ${worst.toFixed(1)} ms — ${worst < 50 ? 'OK' : 'OVER the 50 ms target'} (load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)} on ${(await import('node:os')).cpus().length} cores)`,
)
if (worst >= 50) process.exitCode = 1
