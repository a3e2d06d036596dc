// The floor for a one-shot agent task (`npm run bench:startup`): the least a Node program can do
// for the same two model requests as `faithh ask`, a read_file tool call and then the answer, on
// Ollama's native streaming /api/chat. No framework, no config, no checks: usage
// `node bench/bare-agent.mjs "question"` in the project, with OLLAMA_HOST and FAITHH_MODEL set.
import {readFile} from 'node:fs/promises'

const host = process.env.OLLAMA_HOST ?? 'http://127.0.0.1:11434'
const model = process.env.FAITHH_MODEL ?? 'qwen2.5-coder:7b'
const tools = [
  {
    type: 'function',
    function: {
      name: 'read_file',
      description: 'Read a text file of the project.',
      parameters: {type: 'object', properties: {path: {type: 'string'}}, required: ['path']},
    },
  },
]
const messages = [
  {role: 'system', content: 'Answer questions about the code in this folder. Use read_file to read files.'},
  {role: 'user', content: process.argv[2] ?? 'what is this project?'},
]

async function chat() {
  const response = await fetch(`${host}/api/chat`, {
    method: 'POST',
    body: JSON.stringify({model, messages, tools, stream: true, options: {num_ctx: 8192}}),
  })
  if (!response.ok) throw new Error(`ollama: ${response.status} ${await response.text()}`)
  const reply = {role: 'assistant', content: '', tool_calls: []}
  let pending = ''
  for await (const bytes of response.body.pipeThrough(new TextDecoderStream())) {
    const lines = (pending + bytes).split('\n')
    pending = lines.pop()
    for (const line of lines.filter(Boolean)) {
      const {message} = JSON.parse(line)
      reply.content += message?.content ?? ''
      reply.tool_calls.push(...(message?.tool_calls ?? []))
    }
  }

  return reply
}

for (let step = 0; step < 4; step++) {
  const reply = await chat()
  messages.push(reply)
  if (reply.tool_calls.length === 0) {
    process.stdout.write(reply.content + '\n')
    break
  }

  for (const call of reply.tool_calls) {
    const content = await readFile(call.function.arguments.path, 'utf8').catch((error) => `error: ${error.message}`)
    messages.push({role: 'tool', tool_name: call.function.name, content})
  }
}
