import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import type {ChatRequestBody} from '../support/fake-ollama.js'

/**
 * The first /api/chat request of each agent command, as sent: the system prompt and the tool specs
 * are what every request pays for (and what Ollama's prompt cache keys on), so any change to them
 * shows up here as a diff of a committed file, reviewed like code. `npx vitest run -u` rewrites
 * the files after an intended change.
 */
const MODELS = {native: 'qwen2.5-coder:7b', text: 'notools:7b'} as const

/**
 * What the fixed part (system prompt and tool specs) may cost, in estimated tokens (characters / 3.5):
 * about 15% above what it costs today (ask 401/295, edit 626/423, chat 689/441), well inside the
 * 1,500 tokens a whole first request is allowed. Raising one is a decision, not a snapshot update.
 */
const FIXED_BUDGET: Record<string, Record<keyof typeof MODELS, number>> = {
  ask: {native: 460, text: 340},
  edit: {native: 720, text: 490},
  chat: {native: 790, text: 510},
}

const {ollama, run} = await cliFixture({
  ollama: {
    models: [
      {name: MODELS.native, contextLength: 32_768},
      {name: MODELS.text, capabilities: ['completion'], contextLength: 32_768},
    ],
  },
  files: {'src/math.js': 'export const add = (a, b) => a + b\n'},
})

const COMMANDS: [name: string, args: string[], input?: string][] = [
  ['ask', ['ask', 'what does src/math.js do?']],
  ['edit', ['edit', 'src/math.js', '--instruction', 'add a subtract function', '--dry-run']],
  ['chat', ['chat'], 'what does src/math.js do?\n'],
]

/** The request as a reviewer reads it: the prompt's text as text, the tool specs as JSON. */
function describeRequest(body: ChatRequestBody): string {
  const {messages, tools, ...rest} = body
  const parts = [`POST /api/chat ${JSON.stringify(rest)}`]
  for (const message of messages) parts.push(`--- ${message.role} ---\n${message.content}`)
  parts.push(`--- tools ---\n${tools ? JSON.stringify(tools, null, 2) : '(none: described in the system prompt)'}`)
  return parts.join('\n\n') + '\n'
}

describe('the opening request', () => {
  for (const mode of ['native', 'text'] as const) {
    it.each(COMMANDS)(`of faithh %s, ${mode} tool calls`, async (name, args, input) => {
      ollama.script([{content: 'Done.'}])
      await run([...args, '--model', MODELS[mode]], {input})
      const [first] = ollama.chats()
      expect(first, 'no request reached Ollama').toBeDefined()
      await expect(describeRequest(first!)).toMatchFileSnapshot(`./__snapshots__/opening-request/${name}.${mode}.txt`)

      expect(first!.tools === undefined).toBe(mode === 'text')
      const fixed = first!.messages[0]!.content.length + JSON.stringify(first!.tools ?? []).length
      expect(Math.round(fixed / 3.5)).toBeLessThanOrEqual(FIXED_BUDGET[name]![mode])
    })
  }
})
