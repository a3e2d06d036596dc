/**
 * Tool-call outputs as local model families write them, one row per case, written from each
 * family's published chat template, model card or format documentation (not from any inference
 * server's test suite). `calls: []` rows are negatives: text that must stay text.
 */

export interface CorpusCase {
  family: string
  title: string
  content: string
  /** Expected calls, in order: [name, arguments]. Empty for a negative. */
  calls: Array<[string, Record<string, unknown>]>
}

/** The tools offered in every case. */
export const CORPUS_TOOLS = [
  'get_weather',
  'search_web',
  'read_file',
  'write_file',
  'run_command',
  'list_directory',
  'calculate',
  'send_email',
  'create_event',
  'get_stock_price',
  'brave_search',
  'wolfram_alpha',
]

const F = '```'
// DeepSeek's special tokens use U+FF5C (｜) and U+2581 (▁).
const DS = {
  callsBegin: '<｜tool▁calls▁begin｜>',
  callsEnd: '<｜tool▁calls▁end｜>',
  callBegin: '<｜tool▁call▁begin｜>',
  callEnd: '<｜tool▁call▁end｜>',
  sep: '<｜tool▁sep｜>',
  eos: '<｜end▁of▁sentence｜>',
}
const KIMI = {
  begin: '<|tool_calls_section_begin|>',
  end: '<|tool_calls_section_end|>',
  call: '<|tool_call_begin|>',
  args: '<|tool_call_argument_begin|>',
  callEnd: '<|tool_call_end|>',
}
const DSML = '｜DSML｜'
const Q = '<|"|>' // Gemma 4's string delimiter
const E = '<escape>' // FunctionGemma's

const cases: CorpusCase[] = []
const add = (family: string, title: string, content: string, ...calls: Array<[string, Record<string, unknown>]>) => cases.push({family, title, content, calls})

// ─── Hermes / Qwen2.5 / Qwen3 `<tool_call>` ─────────────────────────────────
add('hermes', 'one call, template layout', '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>', [
  'get_weather',
  {city: 'Paris'},
])
add(
  'hermes',
  'prose before the call',
  'I\'ll check the current weather for you.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Lyon", "unit": "celsius"}}\n</tool_call>',
  ['get_weather', {city: 'Lyon', unit: 'celsius'}],
)
add(
  'hermes',
  'two calls in a row',
  '<tool_call>\n{"name": "read_file", "arguments": {"path": "src/app.ts"}}\n</tool_call>\n<tool_call>\n{"name": "read_file", "arguments": {"path": "src/db.ts"}}\n</tool_call>',
  ['read_file', {path: 'src/app.ts'}],
  ['read_file', {path: 'src/db.ts'}],
)
add('hermes', 'closing tag missing at the end', 'Let me look.\n<tool_call>\n{"name": "list_directory", "arguments": {"path": "."}}', [
  'list_directory',
  {path: '.'},
])
add('hermes', 'unicode arguments', '<tool_call>\n{"name": "search_web", "arguments": {"query": "météo à Zürich — 東京の天気 🌤"}}\n</tool_call>', [
  'search_web',
  {query: 'météo à Zürich — 東京の天気 🌤'},
])
add('hermes', 'unicode escapes in JSON', '<tool_call>\n{"name": "search_web", "arguments": {"query": "caf\\u00e9 \\ud83d\\ude00"}}\n</tool_call>', [
  'search_web',
  {query: 'café 😀'},
])
add(
  'hermes',
  'nested arguments',
  '<tool_call>\n{"name": "create_event", "arguments": {"title": "Sprint review", "attendees": ["ana@example.com", "li@example.com"], "time": {"start": "2025-03-03T10:00", "end": "2025-03-03T11:00"}, "remind": true}}\n</tool_call>',
  [
    'create_event',
    {title: 'Sprint review', attendees: ['ana@example.com', 'li@example.com'], time: {start: '2025-03-03T10:00', end: '2025-03-03T11:00'}, remind: true},
  ],
)
add(
  'hermes',
  'escaped quotes, newlines and backslashes',
  '<tool_call>\n{"name": "write_file", "arguments": {"path": "greet.py", "content": "print(\\"hi\\")\\npath = \\"C:\\\\\\\\tmp\\"\\n"}}\n</tool_call>',
  ['write_file', {path: 'greet.py', content: 'print("hi")\npath = "C:\\\\tmp"\n'}],
)
add('hermes', 'end-of-turn token after the call', '<tool_call>\n{"name": "run_command", "arguments": {"command": "npm test"}}\n</tool_call><|im_end|>', [
  'run_command',
  {command: 'npm test'},
])
add('hermes', 'compact, no whitespace', '<tool_call>{"name":"read_file","arguments":{"path":"README.md"}}</tool_call>', ['read_file', {path: 'README.md'}])
add('hermes', 'arguments as a JSON string', '<tool_call>\n{"name": "get_stock_price", "arguments": "{\\"ticker\\": \\"NVDA\\"}"}\n</tool_call>', [
  'get_stock_price',
  {ticker: 'NVDA'},
])
add('hermes', 'a ```json fence inside the tag', `<tool_call>\n${F}json\n{"name": "calculate", "arguments": {"expression": "17 * 23"}}\n${F}\n</tool_call>`, [
  'calculate',
  {expression: '17 * 23'},
])
add(
  'hermes',
  'prose between two calls',
  'First the config:\n<tool_call>\n{"name": "read_file", "arguments": {"path": "tsconfig.json"}}\n</tool_call>\nThen the entry point:\n<tool_call>\n{"name": "read_file", "arguments": {"path": "src/index.ts"}}\n</tool_call>',
  ['read_file', {path: 'tsconfig.json'}],
  ['read_file', {path: 'src/index.ts'}],
)
add(
  'hermes',
  'pretty-printed JSON inside the tag',
  '<tool_call>\n{\n  "name": "send_email",\n  "arguments": {\n    "to": "ops@example.com",\n    "subject": "Deploy done",\n    "body": "All green."\n  }\n}\n</tool_call>',
  ['send_email', {to: 'ops@example.com', subject: 'Deploy done', body: 'All green.'}],
)
add(
  'hermes',
  'two objects inside one tag',
  '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n{"name": "get_weather", "arguments": {"city": "Bergen"}}\n</tool_call>',
  ['get_weather', {city: 'Oslo'}],
  ['get_weather', {city: 'Bergen'}],
)
add(
  'hermes',
  'numbers, null and false',
  '<tool_call>\n{"name": "search_web", "arguments": {"query": "rust 1.80", "max_results": 3, "safe": false, "region": null, "ratio": 0.5}}\n</tool_call>',
  ['search_web', {query: 'rust 1.80', max_results: 3, safe: false, region: null, ratio: 0.5}],
)
add('hermes', 'trailing comma the model left in', '<tool_call>\n{"name": "read_file", "arguments": {"path": "a.ts",}}\n</tool_call>', [
  'read_file',
  {path: 'a.ts'},
])
add('hermes', 'CRLF line endings', '<tool_call>\r\n{"name": "get_weather", "arguments": {"city": "Rome"}}\r\n</tool_call>\r\n', ['get_weather', {city: 'Rome'}])
add('hermes', 'a name with a functions. prefix', '<tool_call>\n{"name": "functions.get_weather", "arguments": {"city": "Madrid"}}\n</tool_call>', [
  'get_weather',
  {city: 'Madrid'},
])
add('hermes', 'a name in another case', '<tool_call>\n{"name": "Get_Weather", "arguments": {"city": "Nice"}}\n</tool_call>', ['get_weather', {city: 'Nice'}])
add('hermes', 'truncated arguments (negative)', '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Par')
add('hermes', 'a tool that is not offered (negative)', '<tool_call>\n{"name": "book_flight", "arguments": {"to": "NYC"}}\n</tool_call>')
add(
  'hermes',
  'the tag quoted inline in an explanation (negative)',
  'Tools are called by writing `<tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}</tool_call>` in the reply; the client runs it and answers.',
)
add(
  'hermes',
  'the format explained, with a tagged example (negative)',
  'The assistant would respond with:\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>\nand then wait for the result.',
)
add('hermes', 'an empty tag (negative)', 'I will check.\n<tool_call>\n</tool_call>')

// ─── <tools> and <function_call> look-alikes ────────────────────────────────
add(
  'hermes-variants',
  '<tools> holding a list',
  '<tools>\n[{"name": "get_weather", "arguments": {"city": "Kyiv"}}, {"name": "get_weather", "arguments": {"city": "Lviv"}}]\n</tools>',
  ['get_weather', {city: 'Kyiv'}],
  ['get_weather', {city: 'Lviv'}],
)
add('hermes-variants', '<function_call> tag', '<function_call>{"name": "calculate", "arguments": {"expression": "2**10"}}</function_call>', [
  'calculate',
  {expression: '2**10'},
])
add('hermes-variants', '<tool_call> with a name and JSON arguments', '<tool_call>get_weather\n{"city": "Porto"}</tool_call>', ['get_weather', {city: 'Porto'}])

// ─── Llama 3.1 / 3.2 / 3.3 JSON ─────────────────────────────────────────────
add('llama3-json', 'bare object with parameters', '{"name": "get_weather", "parameters": {"city": "Tokyo"}}', ['get_weather', {city: 'Tokyo'}])
add('llama3-json', 'python_tag then JSON, eom', '<|python_tag|>{"name": "search_web", "parameters": {"query": "llama 3.1 release date"}}<|eom_id|>', [
  'search_web',
  {query: 'llama 3.1 release date'},
])
add('llama3-json', 'pretty-printed on several lines', '{\n    "name": "read_file",\n    "parameters": {\n        "path": "docs/setup.md"\n    }\n}', [
  'read_file',
  {path: 'docs/setup.md'},
])
add('llama3-json', 'with "type": "function"', '{"type": "function", "name": "get_stock_price", "parameters": {"ticker": "MSFT"}}', [
  'get_stock_price',
  {ticker: 'MSFT'},
])
add('llama3-json', 'eot token after the object', '{"name": "list_directory", "parameters": {"path": "src"}}<|eot_id|>', ['list_directory', {path: 'src'}])
add(
  'llama3-json',
  'two objects separated by a semicolon',
  '{"name": "get_weather", "parameters": {"city": "Lima"}}; {"name": "get_weather", "parameters": {"city": "Quito"}}',
  ['get_weather', {city: 'Lima'}],
  ['get_weather', {city: 'Quito'}],
)
add('llama3-json', 'a sentence then the object', 'To answer that I need the current price.\n\n{"name": "get_stock_price", "parameters": {"ticker": "AMD"}}', [
  'get_stock_price',
  {ticker: 'AMD'},
])
add('llama3-json', 'parameters as a string', '{"name": "calculate", "parameters": "{\\"expression\\": \\"sqrt(2)\\"}"}', ['calculate', {expression: 'sqrt(2)'}])
add('llama3-json', 'empty parameters', '{"name": "list_directory", "parameters": {}}', ['list_directory', {}])
add('llama3-json', 'an answer that has a "name" key (negative)', '{"name": "Paris", "country": "France", "population": 2102650}')
add(
  'llama3-json',
  'an echoed tool definition (negative)',
  '{"name": "get_weather", "description": "Get the weather for a city", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}',
)
add('llama3-json', 'truncated object (negative)', '{"name": "read_file", "parameters": {"path": "src/ma')
add(
  'llama3-json',
  'an example introduced in an explanation (negative)',
  'For example, to look up the weather you would send {"name": "get_weather", "parameters": {"city": "Tokyo"}} and wait for the result.',
)

// ─── Llama 3.1 built-in tools ───────────────────────────────────────────────
add('llama31-builtin', 'brave_search.call', '<|python_tag|>brave_search.call(query="Menlo Park weather today")', [
  'brave_search',
  {query: 'Menlo Park weather today'},
])
add('llama31-builtin', 'wolfram_alpha.call with eom', '<|python_tag|>wolfram_alpha.call(query="solve x^2 + 2x + 1 = 0")<|eom_id|>', [
  'wolfram_alpha',
  {query: 'solve x^2 + 2x + 1 = 0'},
])
add('llama31-builtin', 'single-quoted query', "<|python_tag|>brave_search.call(query='who won the 2022 world cup')<|eom_id|>", [
  'brave_search',
  {query: 'who won the 2022 world cup'},
])
add('llama31-builtin', 'code_interpreter code is not an offered tool (negative)', '<|python_tag|>import math\nprint(math.sqrt(2))<|eom_id|>')

// ─── Pythonic lists (Llama 3.2 / 3.3 prompted, ToolACE, Gemma prompted) ─────
add('pythonic', 'one call', "[get_weather(city='Paris')]", ['get_weather', {city: 'Paris'}])
add(
  'pythonic',
  'two calls',
  '[get_weather(city="Paris"), search_web(query="Paris events this weekend")]',
  ['get_weather', {city: 'Paris'}],
  ['search_web', {query: 'Paris events this weekend'}],
)
add(
  'pythonic',
  'Python literals: True, None, lists, ints',
  "[create_event(title='Standup', recurring=True, reminder=None, attendees=['a@x.com', 'b@x.com'], duration=15)]",
  ['create_event', {title: 'Standup', recurring: true, reminder: null, attendees: ['a@x.com', 'b@x.com'], duration: 15}],
)
add('pythonic', 'a nested dict', "[create_event(title=\"Launch\", time={'start': '2025-03-01T09:00', 'end': '2025-03-01T10:00'})]", [
  'create_event',
  {title: 'Launch', time: {start: '2025-03-01T09:00', end: '2025-03-01T10:00'}},
])
add(
  'pythonic',
  'calls on several lines',
  '[\n    read_file(path="src/a.py"),\n    read_file(path="src/b.py"),\n]',
  ['read_file', {path: 'src/a.py'}],
  ['read_file', {path: 'src/b.py'}],
)
add('pythonic', 'escapes in strings', '[write_file(path="notes.txt", content="line 1\\nline \\"2\\"\\ttab")]', [
  'write_file',
  {path: 'notes.txt', content: 'line 1\nline "2"\ttab'},
])
add('pythonic', 'negative and float numbers', '[calculate(expression="x", precision=2, offset=-1.5, scale=1e3)]', [
  'calculate',
  {expression: 'x', precision: 2, offset: -1.5, scale: 1000},
])
add('pythonic', 'an escaped apostrophe', "[search_web(query='what\\'s new in python 3.13')]", ['search_web', {query: "what's new in python 3.13"}])
add('pythonic', 'a triple-quoted multi-line value', '[write_file(path="hello.py", content="""def hello():\n    return \'hi\'\n""")]', [
  'write_file',
  {path: 'hello.py', content: "def hello():\n    return 'hi'\n"},
])
add('pythonic', 'eot token right after the list', "[get_stock_price(ticker='TSLA')]<|eot|>", ['get_stock_price', {ticker: 'TSLA'}])
add('pythonic', 'closing ] missing at the end', "[get_weather(city='Berlin')", ['get_weather', {city: 'Berlin'}])
add(
  'pythonic',
  'a sentence, then the list on its own line',
  "Sure, let me check both.\n[get_weather(city='Rome'), get_weather(city='Milan')]",
  ['get_weather', {city: 'Rome'}],
  ['get_weather', {city: 'Milan'}],
)
add('pythonic', 'lower-case JSON literals', '[search_web(query="x", safe=false, page=null)]', ['search_web', {query: 'x', safe: false, page: null}])
add('pythonic', 'no arguments', '[list_directory()]', ['list_directory', {}])
add('pythonic', 'a tuple value', '[calculate(expression="a+b", values=(1, 2))]', ['calculate', {expression: 'a+b', values: [1, 2]}])
add('pythonic', 'unicode value', "[search_web(query='ristorante a Firenze, più vicino')]", ['search_web', {query: 'ristorante a Firenze, più vicino'}])
add('pythonic', 'a call after a colon, ending the reply', 'Checking the forecast now: get_weather(city="Nice")', ['get_weather', {city: 'Nice'}])
add('pythonic', 'truncated inside a string (negative)', "[get_weather(city='Par")
add('pythonic', 'truncated before the closing paren (negative)', "[get_weather(city='Paris'")
add('pythonic', 'a positional argument cannot be named (negative)', "[get_weather('Paris')]")
add('pythonic', 'a function that is not offered (negative)', "[book_flight(destination='NYC')]")
add('pythonic', 'a call mentioned inside a sentence (negative)', "You could call get_weather(city='Paris') to find out, but I already know it is sunny there.")
add(
  'pythonic',
  'a fenced python example (negative)',
  `Here is how you'd use it from Python:\n${F}python\nresult = get_weather(city="Paris")\nprint(result)\n${F}`,
)
add('pythonic', 'a Markdown link and a number list (negative)', 'See [get_weather docs](https://example.com/weather) and the values [1, 2, 3].')
add('pythonic', 'an indented call inside code (negative)', 'def refresh():\n    get_weather(city="Paris")\n    return True')

// ─── Llama 4 ────────────────────────────────────────────────────────────────
add('llama4', 'python_start list', '<|python_start|>[get_weather(city="San Francisco")]<|python_end|>', ['get_weather', {city: 'San Francisco'}])
add(
  'llama4',
  'two calls, eom after',
  '<|python_start|>[get_weather(city="Austin"), get_stock_price(ticker="META")]<|python_end|><|eom|>',
  ['get_weather', {city: 'Austin'}],
  ['get_stock_price', {ticker: 'META'}],
)
add('llama4', 'python_end missing at the end', '<|python_start|>[search_web(query="llama 4 scout context length")]', [
  'search_web',
  {query: 'llama 4 scout context length'},
])
add('llama4', 'plain list, as the zero-shot prompt asks', '[read_file(path="main.go")]<|eot|>', ['read_file', {path: 'main.go'}])
add('llama4', 'prose then python_start', 'I need to look at the file first.<|python_start|>[read_file(path="go.mod")]<|python_end|>', [
  'read_file',
  {path: 'go.mod'},
])
add('llama4', 'truncated inside python_start (negative)', '<|python_start|>[get_weather(city="San Fra')

// ─── LFM2 ───────────────────────────────────────────────────────────────────
add('lfm2', 'one call', '<|tool_call_start|>[get_weather(city="Berlin")]<|tool_call_end|>', ['get_weather', {city: 'Berlin'}])
add(
  'lfm2',
  'two calls in the list',
  '<|tool_call_start|>[get_weather(city="Berlin"), get_weather(city="Hamburg")]<|tool_call_end|>',
  ['get_weather', {city: 'Berlin'}],
  ['get_weather', {city: 'Hamburg'}],
)
add('lfm2', 'a sentence after the call', '<|tool_call_start|>[get_stock_price(ticker="SAP")]<|tool_call_end|>Checking the price now.', [
  'get_stock_price',
  {ticker: 'SAP'},
])
add('lfm2', 'JSON inside the markers', '<|tool_call_start|>[{"name": "search_web", "arguments": {"query": "liquid foundation models"}}]<|tool_call_end|>', [
  'search_web',
  {query: 'liquid foundation models'},
])
add('lfm2', 'integer and boolean', '<|tool_call_start|>[search_web(query="gpu prices", max_results=5, safe=True)]<|tool_call_end|>', [
  'search_web',
  {query: 'gpu prices', max_results: 5, safe: true},
])
add('lfm2', 'unclosed parenthesis (negative)', '<|tool_call_start|>[get_weather(city="Berlin"<|tool_call_end|>')

// ─── Qwen3-Coder XML ────────────────────────────────────────────────────────
add('qwen3-coder', 'template layout', '<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/main.rs\n</parameter>\n</function>\n</tool_call>', [
  'read_file',
  {path: 'src/main.rs'},
])
add(
  'qwen3-coder',
  'a multi-line value keeps its lines',
  '<tool_call>\n<function=write_file>\n<parameter=path>\napp.py\n</parameter>\n<parameter=content>\nimport sys\n\ndef main():\n    print(sys.argv)\n</parameter>\n</function>\n</tool_call>',
  ['write_file', {path: 'app.py', content: 'import sys\n\ndef main():\n    print(sys.argv)'}],
)
add(
  'qwen3-coder',
  'a number value',
  '<tool_call>\n<function=search_web>\n<parameter=query>\nvector databases\n</parameter>\n<parameter=max_results>\n5\n</parameter>\n</function>\n</tool_call>',
  ['search_web', {query: 'vector databases', max_results: 5}],
)
add(
  'qwen3-coder',
  'a JSON list value',
  '<tool_call>\n<function=create_event>\n<parameter=title>\nRetro\n</parameter>\n<parameter=attendees>\n["kim@example.com", "bo@example.com"]\n</parameter>\n</function>\n</tool_call>',
  ['create_event', {title: 'Retro', attendees: ['kim@example.com', 'bo@example.com']}],
)
add(
  'qwen3-coder',
  'two calls',
  '<tool_call>\n<function=read_file>\n<parameter=path>\na.go\n</parameter>\n</function>\n</tool_call>\n<tool_call>\n<function=read_file>\n<parameter=path>\nb.go\n</parameter>\n</function>\n</tool_call>',
  ['read_file', {path: 'a.go'}],
  ['read_file', {path: 'b.go'}],
)
add(
  'qwen3-coder',
  'opening <tool_call> missing',
  '<function=run_command>\n<parameter=command>\ncargo build --release\n</parameter>\n</function>\n</tool_call>',
  ['run_command', {command: 'cargo build --release'}],
)
add(
  'qwen3-coder',
  '</parameter> missing before the next parameter',
  '<tool_call>\n<function=send_email>\n<parameter=to>\nme@example.com\n<parameter=subject>\nBuild failed\n</parameter>\n</function>\n</tool_call>',
  ['send_email', {to: 'me@example.com', subject: 'Build failed'}],
)
add('qwen3-coder', '</tool_call> missing at the end', '<tool_call>\n<function=list_directory>\n<parameter=path>\nsrc\n</parameter>\n</function>', [
  'list_directory',
  {path: 'src'},
])
add(
  'qwen3-coder',
  'HTML inside a value',
  '<tool_call>\n<function=write_file>\n<parameter=path>\nindex.html\n</parameter>\n<parameter=content>\n<div class="a"><p>Hi</p></div>\n</parameter>\n</function>\n</tool_call>',
  ['write_file', {path: 'index.html', content: '<div class="a"><p>Hi</p></div>'}],
)
add(
  'qwen3-coder',
  'prose before',
  "I'll run the tests.\n\n<tool_call>\n<function=run_command>\n<parameter=command>\npytest -q\n</parameter>\n</function>\n</tool_call>",
  ['run_command', {command: 'pytest -q'}],
)
add('qwen3-coder', 'one-line parameters', '<tool_call><function=get_weather><parameter=city>Seoul</parameter></function></tool_call>', [
  'get_weather',
  {city: 'Seoul'},
])
add(
  'qwen3-coder',
  'a boolean rendered by Jinja as True',
  '<tool_call>\n<function=search_web>\n<parameter=query>\nqwen3\n</parameter>\n<parameter=safe>\nTrue\n</parameter>\n</function>\n</tool_call>',
  ['search_web', {query: 'qwen3', safe: true}],
)
add('qwen3-coder', 'no parameters', '<tool_call>\n<function=list_directory>\n</function>\n</tool_call>', ['list_directory', {}])
add(
  'qwen3-coder',
  'cut off inside a value (negative)',
  '<tool_call>\n<function=write_file>\n<parameter=path>\nindex.html\n</parameter>\n<parameter=content>\n<html><body>',
)
add(
  'qwen3-coder',
  'a function that is not offered (negative)',
  '<tool_call>\n<function=delete_repo>\n<parameter=name>\nfaithh\n</parameter>\n</function>\n</tool_call>',
)

// ─── <function=…> with JSON, <function name="…"> ────────────────────────────
add('function-tag', 'Llama 3.1 custom-tool format', '<function=get_weather>{"city": "Paris"}</function>', ['get_weather', {city: 'Paris'}])
add('function-tag', 'prose before, eom after', 'Let me search for that.\n<function=search_web>{"query": "ollama tool calling"}</function><|eom_id|>', [
  'search_web',
  {query: 'ollama tool calling'},
])
add('function-tag', 'name attribute with JSON', '<function name="read_file">{"path": "README.md"}</function>', ['read_file', {path: 'README.md'}])
add(
  'function-tag',
  'name attribute with parameter elements',
  '<function name="get_weather">\n<parameter name="city">Vienna</parameter>\n<parameter name="unit">celsius</parameter>\n</function>',
  ['get_weather', {city: 'Vienna', unit: 'celsius'}],
)
add('function-tag', 'closing tag missing at the end', '<function=get_stock_price>{"ticker": "IBM"}', ['get_stock_price', {ticker: 'IBM'}])
add(
  'function-tag',
  'two calls',
  '<function=get_weather>{"city": "Oslo"}</function>\n<function=get_weather>{"city": "Turku"}</function>',
  ['get_weather', {city: 'Oslo'}],
  ['get_weather', {city: 'Turku'}],
)
add('function-tag', 'truncated JSON (negative)', '<function=get_weather>{"city": "Par')
add('function-tag', 'a function that is not offered (negative)', '<function=shutdown>{"now": true}</function>')

// ─── Mistral [TOOL_CALLS] JSON (v3, v7) ─────────────────────────────────────
add('mistral', 'JSON list after the token', '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris"}}]', ['get_weather', {city: 'Paris'}])
add('mistral', 'with a 9-character id', '[TOOL_CALLS][{"name": "get_stock_price", "arguments": {"ticker": "ASML"}, "id": "a1B2c3D4e"}]', [
  'get_stock_price',
  {ticker: 'ASML'},
])
add(
  'mistral',
  'two calls',
  '[TOOL_CALLS] [{"name": "read_file", "arguments": {"path": "a.c"}}, {"name": "read_file", "arguments": {"path": "b.c"}}]',
  ['read_file', {path: 'a.c'}],
  ['read_file', {path: 'b.c'}],
)
add('mistral', 'end of sentence after', '[TOOL_CALLS] [{"name": "calculate", "arguments": {"expression": "3.5 * 4"}}]</s>', [
  'calculate',
  {expression: '3.5 * 4'},
])
add('mistral', 'prose before the token', 'Let me look that up.[TOOL_CALLS] [{"name": "search_web", "arguments": {"query": "mistral small 3.1"}}]', [
  'search_web',
  {query: 'mistral small 3.1'},
])
add('mistral', 'truncated list (negative)', '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Par')
add('mistral', 'a tool that is not offered (negative)', '[TOOL_CALLS] [{"name": "order_pizza", "arguments": {"size": "L"}}]')

// ─── Mistral v11+ (Mistral Small 3.2, Magistral, Devstral, Ministral) ───────
add('mistral-v11', 'name[ARGS]{…}', '[TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}', ['get_weather', {city: 'Paris'}])
add(
  'mistral-v11',
  'two calls in a row',
  '[TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}[TOOL_CALLS]search_web[ARGS]{"query": "Paris museums"}',
  ['get_weather', {city: 'Paris'}],
  ['search_web', {query: 'Paris museums'}],
)
add('mistral-v11', 'name{…} without [ARGS]', '[TOOL_CALLS]read_file{"path": "Cargo.toml"}', ['read_file', {path: 'Cargo.toml'}])
add('mistral-v11', 'with [CALL_ID]', '[TOOL_CALLS]get_stock_price[CALL_ID]k9Xz2pQ1m[ARGS]{"ticker": "ORCL"}', ['get_stock_price', {ticker: 'ORCL'}])
add('mistral-v11', 'prose before', 'I will list the folder first.[TOOL_CALLS]list_directory[ARGS]{"path": "src"}', ['list_directory', {path: 'src'}])
add(
  'mistral-v11',
  'reasoning before (Magistral)',
  '[THINK]The user wants the weather; maybe [TOOL_CALLS]get_weather[ARGS]{"city": "Lille"} is wrong, they said Lyon.[/THINK][TOOL_CALLS]get_weather[ARGS]{"city": "Lyon"}',
  ['get_weather', {city: 'Lyon'}],
)
add(
  'mistral-v11',
  'two name{…} calls',
  '[TOOL_CALLS]read_file{"path": "a.md"}[TOOL_CALLS]read_file{"path": "b.md"}',
  ['read_file', {path: 'a.md'}],
  ['read_file', {path: 'b.md'}],
)
add('mistral-v11', 'nested arguments', '[TOOL_CALLS]create_event[ARGS]{"title": "1:1", "time": {"start": "09:00", "end": "09:30"}}', [
  'create_event',
  {title: '1:1', time: {start: '09:00', end: '09:30'}},
])
add('mistral-v11', 'spaces around the name and [ARGS]', '[TOOL_CALLS] read_file [ARGS] {"path": "Makefile"}', ['read_file', {path: 'Makefile'}])
add('mistral-v11', 'truncated arguments (negative)', '[TOOL_CALLS]get_weather[ARGS]{"city": "Par')
add('mistral-v11', 'a tool that is not offered (negative)', '[TOOL_CALLS]transfer_money[ARGS]{"amount": 100}')

// ─── Granite, Phi-4 ─────────────────────────────────────────────────────────
add('granite', 'tool_call token then a list', '<|tool_call|>[{"arguments": {"city": "Armonk"}, "name": "get_weather"}]', ['get_weather', {city: 'Armonk'}])
add(
  'granite',
  'two calls',
  '<|tool_call|>[{"name": "read_file", "arguments": {"path": "x.py"}}, {"name": "run_command", "arguments": {"command": "python x.py"}}]',
  ['read_file', {path: 'x.py'}],
  ['run_command', {command: 'python x.py'}],
)
add('granite', 'a sentence before the token', 'I can look that up.<|tool_call|>[{"name": "get_stock_price", "arguments": {"ticker": "IBM"}}]', [
  'get_stock_price',
  {ticker: 'IBM'},
])
add('granite', 'truncated (negative)', '<|tool_call|>[{"name": "get_weather", "arguments": {"city": "Arm')
add('phi4', 'functools list', 'functools[{"name": "get_weather", "arguments": {"city": "Redmond"}}]', ['get_weather', {city: 'Redmond'}])
add(
  'phi4',
  'two calls',
  'functools[{"name": "search_web", "arguments": {"query": "phi-4-mini"}}, {"name": "calculate", "arguments": {"expression": "128/4"}}]',
  ['search_web', {query: 'phi-4-mini'}],
  ['calculate', {expression: '128/4'}],
)
add('phi4', 'prose mentioning Python functools (negative)', 'Use functools.lru_cache to memoise get_weather results; functools[0] is not a thing.')

// ─── DeepSeek V3 / R1 / V3.1 ────────────────────────────────────────────────
add(
  'deepseek',
  'V3: function type, name, fenced JSON',
  `${DS.callsBegin}${DS.callBegin}function${DS.sep}get_weather\n${F}json\n{"city": "Tokyo"}\n${F}${DS.callEnd}${DS.callsEnd}`,
  ['get_weather', {city: 'Tokyo'}],
)
add(
  'deepseek',
  'V3: two calls',
  `${DS.callsBegin}${DS.callBegin}function${DS.sep}get_weather\n${F}json\n{"city": "Tokyo"}\n${F}${DS.callEnd}\n${DS.callBegin}function${DS.sep}get_weather\n${F}json\n{"city": "Osaka"}\n${F}${DS.callEnd}${DS.callsEnd}`,
  ['get_weather', {city: 'Tokyo'}],
  ['get_weather', {city: 'Osaka'}],
)
add(
  'deepseek',
  'R1: reasoning, then the calls',
  `<think>\nThe user asks for the NVDA price. I should call get_stock_price.\n</think>\n\n${DS.callsBegin}${DS.callBegin}function${DS.sep}get_stock_price\n${F}json\n{"ticker": "NVDA"}\n${F}${DS.callEnd}${DS.callsEnd}${DS.eos}`,
  ['get_stock_price', {ticker: 'NVDA'}],
)
add('deepseek', 'V3.1: name, separator, bare JSON', `${DS.callsBegin}${DS.callBegin}get_weather${DS.sep}{"city": "Shanghai"}${DS.callEnd}${DS.callsEnd}`, [
  'get_weather',
  {city: 'Shanghai'},
])
add(
  'deepseek',
  'V3.1: two calls',
  `${DS.callsBegin}${DS.callBegin}read_file${DS.sep}{"path": "a.txt"}${DS.callEnd}${DS.callBegin}read_file${DS.sep}{"path": "b.txt"}${DS.callEnd}${DS.callsEnd}`,
  ['read_file', {path: 'a.txt'}],
  ['read_file', {path: 'b.txt'}],
)
add('deepseek', 'section end missing at the end', `Let me check.${DS.callsBegin}${DS.callBegin}get_weather${DS.sep}{"city": "Hangzhou"}${DS.callEnd}`, [
  'get_weather',
  {city: 'Hangzhou'},
])
add(
  'deepseek',
  'ASCII spelling of the tokens',
  '<|tool_calls_begin|><|tool_call_begin|>search_web<|tool_sep|>{"query": "deepseek v3.1"}<|tool_call_end|><|tool_calls_end|>',
  ['search_web', {query: 'deepseek v3.1'}],
)
add(
  'deepseek',
  'nested and unicode arguments',
  `${DS.callsBegin}${DS.callBegin}function${DS.sep}create_event\n${F}json\n{"title": "周会", "attendees": ["王伟"], "time": {"start": "10:00"}}\n${F}${DS.callEnd}${DS.callsEnd}`,
  ['create_event', {title: '周会', attendees: ['王伟'], time: {start: '10:00'}}],
)
add('deepseek', 'truncated JSON (negative)', `${DS.callsBegin}${DS.callBegin}function${DS.sep}get_weather\n${F}json\n{"city": "Tok`)
add('deepseek', 'a tool that is not offered (negative)', `${DS.callsBegin}${DS.callBegin}get_time${DS.sep}{"tz": "UTC"}${DS.callEnd}${DS.callsEnd}`)

// ─── <invoke>: DeepSeek V3.2, MiniMax M2, GigaChat, DSML ────────────────────
add(
  'invoke',
  '<tool_calls> with string="true"',
  '<tool_calls>\n<invoke name="get_weather">\n<parameter name="city" string="true">Paris</parameter>\n</invoke>\n</tool_calls>',
  ['get_weather', {city: 'Paris'}],
)
add(
  'invoke',
  'string="false" number',
  '<tool_calls>\n<invoke name="search_web">\n<parameter name="query" string="true">rust</parameter>\n<parameter name="max_results" string="false">5</parameter>\n</invoke>\n</tool_calls>',
  ['search_web', {query: 'rust', max_results: 5}],
)
add(
  'invoke',
  'string="false" JSON list',
  '<tool_calls>\n<invoke name="create_event">\n<parameter name="title" string="true">Offsite</parameter>\n<parameter name="attendees" string="false">["a@x.io", "b@x.io"]</parameter>\n</invoke>\n</tool_calls>',
  ['create_event', {title: 'Offsite', attendees: ['a@x.io', 'b@x.io']}],
)
add(
  'invoke',
  'string="true" keeps digits a string',
  '<tool_calls>\n<invoke name="get_stock_price">\n<parameter name="ticker" string="true">7203</parameter>\n</invoke>\n</tool_calls>',
  ['get_stock_price', {ticker: '7203'}],
)
add(
  'invoke',
  'two invokes',
  '<tool_calls>\n<invoke name="read_file">\n<parameter name="path" string="true">a.ts</parameter>\n</invoke>\n<invoke name="read_file">\n<parameter name="path" string="true">b.ts</parameter>\n</invoke>\n</tool_calls>',
  ['read_file', {path: 'a.ts'}],
  ['read_file', {path: 'b.ts'}],
)
add(
  'invoke',
  'MiniMax namespace',
  '<minimax:tool_call>\n<invoke name="search_web">\n<parameter name="query">rust async runtimes</parameter>\n</invoke>\n</minimax:tool_call>',
  ['search_web', {query: 'rust async runtimes'}],
)
add(
  'invoke',
  'MiniMax, after its thinking',
  '<think>\nNeed the file list.\n</think>\n\n<minimax:tool_call>\n<invoke name="list_directory">\n<parameter name="path">.</parameter>\n</invoke>\n</minimax:tool_call>',
  ['list_directory', {path: '.'}],
)
add(
  'invoke',
  'DSML function_calls',
  `<${DSML}function_calls>\n<${DSML}invoke name="get_weather">\n<${DSML}parameter name="city" string="true">杭州</${DSML}parameter>\n</${DSML}invoke>\n</${DSML}function_calls>`,
  ['get_weather', {city: '杭州'}],
)
add(
  'invoke',
  'DSML tool_calls with a number',
  `<${DSML}tool_calls>\n<${DSML}invoke name="search_web">\n<${DSML}parameter name="query" string="true">deepseek</${DSML}parameter>\n<${DSML}parameter name="max_results" string="false">3</${DSML}parameter>\n</${DSML}invoke>\n</${DSML}tool_calls>`,
  ['search_web', {query: 'deepseek', max_results: 3}],
)
add(
  'invoke',
  'a multi-line string value',
  '<tool_calls>\n<invoke name="write_file">\n<parameter name="path" string="true">a.sh</parameter>\n<parameter name="content" string="true">#!/bin/sh\necho ok\n</parameter>\n</invoke>\n</tool_calls>',
  ['write_file', {path: 'a.sh', content: '#!/bin/sh\necho ok'}],
)
add(
  'invoke',
  'cut off inside a parameter (negative)',
  '<tool_calls>\n<invoke name="write_file">\n<parameter name="path" string="true">a.sh</parameter>\n<parameter name="content" string="true">#!/bin/sh\necho',
)
add(
  'invoke',
  'an invoke of a tool that is not offered (negative)',
  '<minimax:tool_call>\n<invoke name="drop_table">\n<parameter name="table">users</parameter>\n</invoke>\n</minimax:tool_call>',
)

// ─── Kimi K2 ────────────────────────────────────────────────────────────────
add('kimi', 'one call', `${KIMI.begin}${KIMI.call}functions.get_weather:0${KIMI.args}{"city": "Beijing"}${KIMI.callEnd}${KIMI.end}`, [
  'get_weather',
  {city: 'Beijing'},
])
add(
  'kimi',
  'two calls with indexes',
  `${KIMI.begin}\n${KIMI.call}functions.read_file:0${KIMI.args}{"path": "a.py"}${KIMI.callEnd}\n${KIMI.call}functions.read_file:1${KIMI.args}{"path": "b.py"}${KIMI.callEnd}\n${KIMI.end}`,
  ['read_file', {path: 'a.py'}],
  ['read_file', {path: 'b.py'}],
)
add(
  'kimi',
  'prose before the section',
  `I'll run the linter.${KIMI.begin}${KIMI.call}functions.run_command:0${KIMI.args}{"command": "ruff check ."}${KIMI.callEnd}${KIMI.end}`,
  ['run_command', {command: 'ruff check .'}],
)
add('kimi', 'section end missing at the end', `${KIMI.begin}${KIMI.call}functions.get_stock_price:0${KIMI.args}{"ticker": "BABA"}${KIMI.callEnd}`, [
  'get_stock_price',
  {ticker: 'BABA'},
])
add(
  'kimi',
  'singular section token',
  `<|tool_call_section_begin|>${KIMI.call}functions.list_directory:0${KIMI.args}{"path": "docs"}${KIMI.callEnd}<|tool_call_section_end|>`,
  ['list_directory', {path: 'docs'}],
)
add(
  'kimi',
  'thinking left open, then the section (K2.5)',
  `<think>I need the weather for Chengdu${KIMI.begin}${KIMI.call}functions.get_weather:0${KIMI.args}{"city": "Chengdu"}${KIMI.callEnd}${KIMI.end}`,
  ['get_weather', {city: 'Chengdu'}],
)
add('kimi', 'truncated JSON (negative)', `${KIMI.begin}${KIMI.call}functions.get_weather:0${KIMI.args}{"city": "Bei`)

// ─── Command R / R7B / A ────────────────────────────────────────────────────
add(
  'command-r',
  'START_ACTION list',
  '<|START_ACTION|>[\n    {"tool_call_id": "0", "tool_name": "get_weather", "parameters": {"city": "Toronto"}}\n]<|END_ACTION|>',
  ['get_weather', {city: 'Toronto'}],
)
add(
  'command-r',
  'two calls',
  '<|START_ACTION|>[\n    {"tool_call_id": "0", "tool_name": "search_web", "parameters": {"query": "cohere command a"}},\n    {"tool_call_id": "1", "tool_name": "search_web", "parameters": {"query": "cohere command r7b"}}\n]<|END_ACTION|>',
  ['search_web', {query: 'cohere command a'}],
  ['search_web', {query: 'cohere command r7b'}],
)
add(
  'command-r',
  'thinking before the action',
  '<|START_THINKING|>I will search for the <|START_ACTION|> docs first.<|END_THINKING|><|START_ACTION|>[\n    {"tool_call_id": "0", "tool_name": "read_file", "parameters": {"path": "docs/api.md"}}\n]<|END_ACTION|>',
  ['read_file', {path: 'docs/api.md'}],
)
add('command-r', 'END_ACTION missing at the end', '<|START_ACTION|>[{"tool_call_id": "0", "tool_name": "list_directory", "parameters": {"path": "."}}]', [
  'list_directory',
  {path: '.'},
])
add(
  'command-r',
  'Command R+ "Action:" with a json fence',
  `Action: ${F}json\n[\n    {\n        "tool_name": "search_web",\n        "parameters": {"query": "biggest penguin species"}\n    }\n]\n${F}`,
  ['search_web', {query: 'biggest penguin species'}],
)
add('command-r', 'a plain response (negative)', '<|START_RESPONSE|>The capital of Canada is Ottawa.<|END_RESPONSE|>')
add(
  'command-r',
  'directly_answer is not an offered tool (negative)',
  `Action: ${F}json\n[\n    {\n        "tool_name": "directly_answer",\n        "parameters": {}\n    }\n]\n${F}`,
)

// ─── FunctionGemma ──────────────────────────────────────────────────────────
add('functiongemma', 'one call', `<start_function_call>call:get_weather{city:${E}London${E}}<end_function_call>`, ['get_weather', {city: 'London'}])
add(
  'functiongemma',
  'numbers and booleans are bare',
  `<start_function_call>call:search_web{query:${E}gemma 3${E},max_results:5,safe:true}<end_function_call>`,
  ['search_web', {query: 'gemma 3', max_results: 5, safe: true}],
)
add(
  'functiongemma',
  'two calls',
  `<start_function_call>call:get_weather{city:${E}Tokyo${E}}<end_function_call><start_function_call>call:get_stock_price{ticker:${E}GOOG${E}}<end_function_call>`,
  ['get_weather', {city: 'Tokyo'}],
  ['get_stock_price', {ticker: 'GOOG'}],
)
add(
  'functiongemma',
  'nested object and list',
  `<start_function_call>call:create_event{title:${E}Demo${E},attendees:[${E}a@g.co${E},${E}b@g.co${E}],time:{start:${E}10:00${E},end:${E}11:00${E}}}<end_function_call>`,
  ['create_event', {title: 'Demo', attendees: ['a@g.co', 'b@g.co'], time: {start: '10:00', end: '11:00'}}],
)
add('functiongemma', 'special characters inside escape', `<start_function_call>call:calculate{expression:${E}f(x) = {a, b}: "x"${E}}<end_function_call>`, [
  'calculate',
  {expression: 'f(x) = {a, b}: "x"'},
])
add('functiongemma', 'end marker missing at the end', `<start_function_call>call:list_directory{path:${E}/tmp${E}}`, ['list_directory', {path: '/tmp'}])
add('functiongemma', 'truncated inside a string (negative)', `<start_function_call>call:get_weather{city:${E}Lon`)
add('functiongemma', 'a function that is not offered (negative)', `<start_function_call>call:set_alarm{time:${E}07:00${E}}<end_function_call>`)

// ─── Gemma 4 ────────────────────────────────────────────────────────────────
add('gemma4', 'one call', `<|tool_call>call:get_weather{city:${Q}London${Q}}<tool_call|>`, ['get_weather', {city: 'London'}])
add(
  'gemma4',
  'number, boolean and list',
  `<|tool_call>call:search_web{query:${Q}gemma 4 release${Q},max_results:3,safe:false,sites:[${Q}ai.google.dev${Q}]}<tool_call|>`,
  ['search_web', {query: 'gemma 4 release', max_results: 3, safe: false, sites: ['ai.google.dev']}],
)
add(
  'gemma4',
  'two calls',
  `<|tool_call>call:read_file{path:${Q}a.kt${Q}}<tool_call|><|tool_call>call:read_file{path:${Q}b.kt${Q}}<tool_call|>`,
  ['read_file', {path: 'a.kt'}],
  ['read_file', {path: 'b.kt'}],
)
add('gemma4', 'bare call:name{…}', `call:get_weather{city:${Q}Paris${Q}}`, ['get_weather', {city: 'Paris'}])
add(
  'gemma4',
  'after its thought channel',
  `<|channel>thought\nThe user wants the AAPL price; call:get_stock_price{ticker:${Q}MSFT${Q}} would be wrong.<channel|><|tool_call>call:get_stock_price{ticker:${Q}AAPL${Q}}<tool_call|>`,
  ['get_stock_price', {ticker: 'AAPL'}],
)
add('gemma4', 'plain quotes some templates produce', '<|tool_call>call:get_weather{city: "Madrid", unit: "celsius"}<tool_call|>', [
  'get_weather',
  {city: 'Madrid', unit: 'celsius'},
])
add('gemma4', 'prose, then the call', `Let me check that for you.\n<|tool_call>call:get_weather{city:${Q}Lisbon${Q}}<tool_call|>`, [
  'get_weather',
  {city: 'Lisbon'},
])
add('gemma4', 'truncated (negative)', `<|tool_call>call:get_weather{city:${Q}Lon`)
add('gemma4', '"call:" in a sentence (negative)', 'Next call: get_weather for London, then I will summarise.')

// ─── Functionary v3.2 ───────────────────────────────────────────────────────
add('functionary', 'one call', '>>>get_weather\n{"city": "Paris"}', ['get_weather', {city: 'Paris'}])
add('functionary', 'text to all, then a call', '>>>all\nLet me check the weather.>>>get_weather\n{"city": "Nantes"}', ['get_weather', {city: 'Nantes'}])
add(
  'functionary',
  'two calls',
  '>>>get_weather\n{"city": "Bonn"}>>>get_stock_price\n{"ticker": "SIE"}',
  ['get_weather', {city: 'Bonn'}],
  ['get_stock_price', {ticker: 'SIE'}],
)
add('functionary', "the first recipient's >>> was in the prompt", 'get_weather\n{"city": "Lille"}', ['get_weather', {city: 'Lille'}])
add('functionary', 'text only, to all (negative)', '>>>all\nThe weather in Paris is sunny today.')
add('functionary', 'a Python REPL transcript (negative)', '>>> print("hello")\nhello\n>>> 1 + 1\n2')

// ─── GPT-OSS harmony ────────────────────────────────────────────────────────
add('harmony', 'commentary to=functions.name', '<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{"city": "Tokyo"}<|call|>', [
  'get_weather',
  {city: 'Tokyo'},
])
add(
  'harmony',
  'analysis first, then the call',
  '<|channel|>analysis<|message|>User wants weather in Tokyo. Need to use get_weather tool.<|end|><|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{"city":"Tokyo"}<|call|>',
  ['get_weather', {city: 'Tokyo'}],
)
add(
  'harmony',
  'recipient before the channel',
  '<|start|>assistant to=functions.search_web<|channel|>commentary json<|message|>{"query": "gpt-oss harmony"}<|call|>',
  ['search_web', {query: 'gpt-oss harmony'}],
)
add('harmony', 'call token missing at the end', '<|channel|>commentary to=functions.read_file <|constrain|>json<|message|>{"path": "setup.cfg"}', [
  'read_file',
  {path: 'setup.cfg'},
])
add('harmony', 'special tokens stripped by the server', 'commentary to=functions.get_weather json{"city": "Kyoto"}', ['get_weather', {city: 'Kyoto'}])
add(
  'harmony',
  'analysis mentions a call, final answers (negative)',
  '<|channel|>analysis<|message|>I could do to=functions.get_weather <|message|>{"city": "Oslo"} but I already know.<|end|><|start|>assistant<|channel|>final<|message|>It is snowing in Oslo.<|return|>',
)
add(
  'harmony',
  'a built-in browser tool that is not offered (negative)',
  '<|channel|>analysis to=browser.search <|constrain|>json<|message|>{"query": "oslo weather"}<|call|>',
)

// ─── Fences ─────────────────────────────────────────────────────────────────
add('fences', '```json', `${F}json\n{"name": "get_weather", "arguments": {"city": "Dublin"}}\n${F}`, ['get_weather', {city: 'Dublin'}])
add('fences', '```tool_call', `I'll read it.\n${F}tool_call\n{"name": "read_file", "arguments": {"path": "Makefile"}}\n${F}`, ['read_file', {path: 'Makefile'}])
add('fences', '```xml holding a <tool_call>', `${F}xml\n<tool_call>\n{"name": "list_directory", "arguments": {"path": "lib"}}\n</tool_call>\n${F}`, [
  'list_directory',
  {path: 'lib'},
])
add('fences', 'language is the tool name', `${F}get_stock_price\n{"ticker": "ADBE"}\n${F}`, ['get_stock_price', {ticker: 'ADBE'}])
add('fences', 'a fence without a language', `${F}\n{"name": "calculate", "arguments": {"expression": "9/3"}}\n${F}`, ['calculate', {expression: '9/3'}])
add('fences', '```tool_code with a pythonic call (Gemma 3 prompt)', `${F}tool_code\nget_weather(city="Cork")\n${F}`, ['get_weather', {city: 'Cork'}])
add('fences', '```tool_code printing a default_api call (Gemma prompted)', `${F}tool_code\nprint(default_api.get_stock_price(ticker="GOOG"))\n${F}`, [
  'get_stock_price',
  {ticker: 'GOOG'},
])
add(
  'fences',
  '```json holding a list of calls',
  `${F}json\n[\n  {"name": "read_file", "arguments": {"path": "a.rb"}},\n  {"name": "read_file", "arguments": {"path": "b.rb"}}\n]\n${F}`,
  ['read_file', {path: 'a.rb'}],
  ['read_file', {path: 'b.rb'}],
)
add('fences', 'closing fence missing at the end', `Running it:\n${F}json\n{"name": "run_command", "arguments": {"command": "make test"}}`, [
  'run_command',
  {command: 'make test'},
])
add('fences', '```xml holding Qwen3-Coder XML', `${F}xml\n<function=read_file>\n<parameter=path>\nsrc/lib.rs\n</parameter>\n</function>\n${F}`, [
  'read_file',
  {path: 'src/lib.rs'},
])
add(
  'fences',
  'package.json in a json fence (negative)',
  `Your package.json should look like:\n${F}json\n{"name": "read_file", "version": "1.0.0", "main": "index.js"}\n${F}`,
)
add(
  'fences',
  'an example call in a json fence (negative)',
  `The agent protocol is simple. For example:\n\n${F}json\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n${F}\n\nThe client runs the tool and sends back the result.`,
)
add(
  'fences',
  'a fence under an Example heading (negative)',
  `### Example\n${F}json\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n${F}\nThe client parses this and runs the tool.`,
)
add('fences', 'a python fence calling the tool (negative)', `${F}python\nget_weather(city="Paris")\n${F}`)
add(
  'fences',
  'a json fence with a call plus other data (negative)',
  `${F}json\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n{"status": "ok"}\n${F}`,
)

// ─── JSON variants: wrappers, OpenAI shapes, agent frameworks ───────────────
add('json-variants', '{"tool_calls": [...]}', '{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Perth"}}]}', ['get_weather', {city: 'Perth'}])
add(
  'json-variants',
  'OpenAI tool_calls with string arguments',
  '{"tool_calls": [{"id": "call_abc", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Hobart\\"}"}}]}',
  ['get_weather', {city: 'Hobart'}],
)
add(
  'json-variants',
  'an assistant message with empty content',
  '{"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": {"name": "list_directory", "arguments": {"path": "/srv"}}}]}',
  ['list_directory', {path: '/srv'}],
)
add('json-variants', 'legacy function_call', '{"function_call": {"name": "calculate", "arguments": "{\\"expression\\": \\"2+2\\"}"}}', [
  'calculate',
  {expression: '2+2'},
])
add('json-variants', 'tool and tool_input', '{"tool": "search_web", "tool_input": {"query": "langchain agents"}}', ['search_web', {query: 'langchain agents'}])
add(
  'json-variants',
  'two wrapped calls',
  '{"tool_calls": [{"name": "read_file", "arguments": {"path": "x"}}, {"name": "read_file", "arguments": {"path": "y"}}]}',
  ['read_file', {path: 'x'}],
  ['read_file', {path: 'y'}],
)
add('json-variants', 'a Python dict instead of JSON', "{'name': 'get_weather', 'arguments': {'city': 'Geneva', 'metric': True}}", [
  'get_weather',
  {city: 'Geneva', metric: true},
])
add(
  'json-variants',
  "a tool's parameters described with type names (negative)",
  'The search tool takes:\n{"name": "search_web", "parameters": {"query": "string", "max_results": "integer"}}',
)
add(
  'json-variants',
  'an inline example after "such as" (negative)',
  'Send a JSON object such as {"name": "get_weather", "arguments": {"city": "Paris"}} and the client runs it.',
)
add('json-variants', 'an empty tool_calls list (negative)', '{"tool_calls": []}')
add('json-variants', 'a list of people with names (negative)', '[{"name": "Ada", "role": "engineer"}, {"name": "Linus", "role": "maintainer"}]')
add(
  'json-variants',
  'search results with a tool name in them (negative)',
  'Here is what I found:\n{"name": "read_file", "size": 2048, "modified": "2025-01-02"}',
)
add('json-variants', 'a call nested inside data (negative)', '{"history": [{"name": "get_weather", "arguments": {"city": "Paris"}}], "count": 1}')
add('json-variants', 'a JavaScript object literal (negative)', '{name: "get_weather", arguments: {city: "Paris"}}')

// ─── Reasoning ──────────────────────────────────────────────────────────────
add(
  'reasoning',
  'a call only inside <think> (negative)',
  '<think>\nMaybe <tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}</tool_call>? No, the user only asked for a joke.\n</think>\n\nWhy did the developer go broke? Because he used up all his cache.',
)
add(
  'reasoning',
  'a call after </think>',
  '<think>\nThe user wants the weather in Paris; I should call the tool.\n</think>\n\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>',
  ['get_weather', {city: 'Paris'}],
)
add(
  'reasoning',
  'reasoning opened in the prompt: only </think> in the reply',
  'Okay, the user wants Rome. Something like [get_weather(city="Milan")] is wrong.\n</think>\n\n[get_weather(city="Rome")]',
  ['get_weather', {city: 'Rome'}],
)
add(
  'reasoning',
  'unclosed <think> with a call in it (negative)',
  '<think>\nI will call {"name": "get_weather", "arguments": {"city": "Paris"}} once I know the city',
)
add(
  'reasoning',
  '<thinking> then a pythonic call',
  '<thinking>Need both prices.</thinking>\n[get_stock_price(ticker="AAPL"), get_stock_price(ticker="GOOG")]',
  ['get_stock_price', {ticker: 'AAPL'}],
  ['get_stock_price', {ticker: 'GOOG'}],
)
add(
  'reasoning',
  'a call in reasoning and another after it',
  '<think>First idea: {"name": "read_file", "arguments": {"path": "old.txt"}}. Better: the new file.</think>\n{"name": "read_file", "arguments": {"path": "new.txt"}}',
  ['read_file', {path: 'new.txt'}],
)

// ─── Negatives in plain prose and code ──────────────────────────────────────
add('prose', 'a plain answer (negative)', 'The weather in Paris is 18 °C and sunny.')
add('prose', 'an answer that names the tools (negative)', 'I used read_file and search_web earlier; nothing else is needed.')
add(
  'prose',
  'TypeScript code with braces (negative)',
  `${F}ts\nconst call = {name: 'get_weather', arguments: {city}}\nawait tools[call.name](call.arguments)\n${F}`,
)
add(
  'prose',
  'an explanation with an inline JSON example (negative)',
  'To use a tool, the syntax is {"name": "get_weather", "arguments": {"city": "Paris"}}, sent as the whole message.',
)
add('prose', 'a shell snippet (negative)', `${F}bash\nrun_command --help\nread_file(){ cat "$1"; }\n${F}`)

export const CORPUS: readonly CorpusCase[] = cases
