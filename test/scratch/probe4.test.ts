import {it} from 'vitest'
import {parseToolCalls} from '../../src/core/llm/tool-call-parser.js'
const T = ['get_weather', 'search_web', 'read_file', 'write_file']
const probes: string[] = [
  'To call a tool, respond with JSON like {"name": "get_weather", "arguments": {"city": "Paris"}}.',
  'Use a JSON object such as {"name": "get_weather", "arguments": {"city": "Paris"}} to ask for it.',
  'Here is what a call looks like:\n```json\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n```',
  '{"name": "search_web", "parameters": {"query": "string", "max_results": "integer"}}',
  "I'll check the weather in cities like Paris.\n<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}</tool_call>",
  "Let me look, for example at Paris:\n<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}</tool_call>",
]
it('probe', () => {
  for (const p of probes) console.log(JSON.stringify(p).slice(0, 80), '=>', JSON.stringify(parseToolCalls(p, T).calls))
})
