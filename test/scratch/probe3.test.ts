import {it} from 'vitest'
import {parseToolCalls} from '../../src/core/llm/tool-call-parser.js'
const T = ['get_weather', 'search_web', 'read_file', 'write_file']
const probes: string[] = [
  '[TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}search_web[ARGS]{"query": "x"}',
  '[TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}\n[TOOL_CALLS]search_web[ARGS]{"query": "x"}',
  '[TOOL_CALLS]get_weather{"city": "Paris"} search_web{"query": "x"}',
  '[TOOL_CALLS] get_weather [ARGS] {"city": "Paris"}',
  '<tool_call>\n<function=write_file>\n<parameter=path>\na.md\n</parameter>\n<parameter=content>\n# Title\n\nSome </p> text & more\n</parameter>\n</function>\n</tool_call>',
  '<tool_calls>\n<invoke name="get_weather">\n<parameter name="city">Paris</parameter>\n</invoke>\n</tool_calls>',
  '<function_calls>\n<invoke name="search_web">\n<parameter name="query">x</parameter>\n</invoke>\n</function_calls>',
  '<start_function_call>call:get_weather{city:<escape>Paris<escape>}<end_function_call><start_function_call>call:search_web{query:<escape>a, b<escape>}<end_function_call>',
  '<|tool_call>call:get_weather{city:<|"|>Paris<|"|>}<tool_call|><|tool_call>call:search_web{query:<|"|>x<|"|>}<tool_call|>',
  '>>>get_weather\n{"city": "Paris"}\n>>>search_web\n{"query": "x"}',
  '<|START_ACTION|>{"tool_name": "get_weather", "parameters": {"city": "Paris"}}<|END_ACTION|>',
  'I will call get_weather.\n\n<|tool_call_start|>[get_weather(city="Paris")]<|tool_call_end|>',
  '<|python_tag|>{"name": "get_weather", "parameters": {"city": "Paris"}}; {"name": "search_web", "parameters": {"query": "x"}}',
  '[get_weather(city="Paris"),search_web(query="x")]',
  '{"tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]}',
  '```read_file\n{"path": "a.ts"}\n```',
  '```json\n{"tool_calls": [{"name": "read_file", "arguments": {"path": "a.ts"}}]}\n```',
]
it('probe', () => {
  for (const p of probes) console.log(JSON.stringify(p).slice(0, 80), '=>', JSON.stringify(parseToolCalls(p, T).calls))
})
