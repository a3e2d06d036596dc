import {mkdir, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {refuseAll} from '../../src/core/access/confirm.js'
import {openWorkspace} from '../../src/core/agent/workspace.js'
import {openChatSession} from '../../src/core/session/open-session.js'
import {startChatServer} from '../../src/server/chat-server.js'
import {cliFixture} from '../support/cli-fixture.js'
import type {ChatRequestBody, FakeReply} from '../support/fake-ollama.js'
import {streamChat} from '../support/serve.js'
import {UNSANDBOXED_COMMANDS} from '../support/requirements.js'

const HANDLER = 'export function handle() {\n  return "broken"\n}\n'
const {ollama, project, run} = await cliFixture({
  fresh: true,
  files: {
    'AGENTS.md': '# Project\nROOT-RULE: use pnpm; run `pnpm test`.\n',
    'src/api/AGENTS.md': 'API-RULE: handlers return Result, never throw.\n',
    'src/api/v2/handler.ts': HANDLER,
    'web/FAITHH.md': 'WEB-FAITHH-RULE: keep components small.\n',
    'web/AGENTS.md': 'WEB-AGENTS-RULE: a long text written for big models.\n',
    'web/app.ts': 'export const app = 1\n',
    'docs/AGENTS.md': 'DOCS-RULE\n',
    'test/AGENTS.md': 'TEST-RULE: one behaviour per test.\n',
    'check.js':
      'const fs = require("node:fs")\nif (!fs.readFileSync("src/api/v2/handler.ts", "utf8").includes("fixed")) { console.error("handler is broken"); process.exit(1) }\n',
  },
})

const system = (chat: ChatRequestBody | undefined) => (chat?.messages[0]?.role === 'system' ? chat.messages[0].content : '')
const write = (rel: string, content: string | Buffer) => writeFile(path.join(project.root, rel), content)
const fixHandler: FakeReply = {tool_calls: [{name: 'edit_file', arguments: {path: 'src/api/v2/handler.ts', old_text: '"broken"', new_text: '"fixed"'}}]}

describe('project instructions in the system prompt', () => {
  it('ask: the root AGENTS.md and those down to the files the question names, root first, and says so on stderr', async () => {
    ollama.script([{content: 'It returns "broken".'}])
    const result = await run(['ask', 'what does src/api/v2/handler.ts return?'])

    expect(result.exitCode, result.stderr).toBe(0)
    const prompt = system(ollama.chats()[0])
    expect(prompt).toMatch(
      /Be concise\.\n\nProject instructions \(where two disagree, the file in the deeper folder wins\):\n--- AGENTS\.md\n# Project\nROOT-RULE[^\n]*\n--- src\/api\/AGENTS\.md\nAPI-RULE/,
    )
    expect(prompt).not.toMatch(/WEB-|DOCS-RULE/)
    expect(result.stderr).toMatch(/^project instructions: AGENTS\.md, src\/api\/AGENTS\.md \(~\d+ tokens\)$/m)
  })

  it('ask --json: the start event lists the files', async () => {
    ollama.script([{content: 'ok'}])
    const result = await run(['ask', 'hi', '--json'])
    const start = JSON.parse(result.stdout.split('\n')[0]!)
    expect(start).toMatchObject({
      type: 'start',
      instructions: {files: [{path: 'AGENTS.md', truncated: false}], omitted: [], skipped: [], truncated: false, budget: 1000},
    })
  })

  it('is read once per run: every request carries the same bytes, even when the file changes mid-run', async () => {
    ollama.script((_request, index) => {
      if (index === 0) void write('AGENTS.md', 'CHANGED-MID-RUN\n')
      return [{tool_calls: [{name: 'list_directory', arguments: {}}]}, {tool_calls: [{name: 'read_file', arguments: {path: 'AGENTS.md'}}]}, {content: 'done'}][
        index
      ]!
    })
    const result = await run(['ask', 'overview'])

    expect(result.exitCode, result.stderr).toBe(0)
    const chats = ollama.chats()
    expect(chats).toHaveLength(3)
    expect(system(chats[0])).toContain('ROOT-RULE')
    for (const chat of chats) expect(system(chat)).toBe(system(chats[0]))
    expect(chats[2]!.messages.find((m) => m.role === 'tool' && m.tool_name === 'read_file')!.content).toContain('CHANGED-MID-RUN') // the file really changed
  })

  it('without AGENTS.md the opening request is exactly what it is with instructions turned off, and AGENTS.md only appends to the system prompt', async () => {
    for (const rel of ['AGENTS.md', 'src/api/AGENTS.md', 'web/FAITHH.md', 'web/AGENTS.md', 'docs/AGENTS.md']) await rm(path.join(project.root, rel))
    const opening = async () => {
      ollama.requests.length = 0
      ollama.script([{content: 'ok'}])
      expect((await run(['ask', 'what does src/api/v2/handler.ts do?'])).exitCode).toBe(0)
      return ollama.chats()[0]!
    }

    const without = await opening()
    expect(system(without)).not.toContain('Project instructions')
    expect(system(without).endsWith('Be concise.')).toBe(true)

    await write('AGENTS.md', 'ROOT-RULE\n')
    await mkdir(path.join(project.root, '.faithh'), {recursive: true})
    await write('.faithh/config.json', '{"instructions": {"maxTokens": 0}}')
    expect(await opening()).toEqual(without)

    await rm(path.join(project.root, '.faithh/config.json'))
    const withFile = await opening()
    expect(system(withFile)).toBe(
      `${system(without)}\n\nProject instructions (where two disagree, the file in the deeper folder wins):\n--- AGENTS.md\nROOT-RULE`,
    )
    expect({...withFile, messages: withFile.messages.slice(1)}).toEqual({...without, messages: without.messages.slice(1)})
  })

  it("edit: the file's own folders count, and FAITHH.md wins over AGENTS.md in its folder", async () => {
    ollama.script([{tool_calls: [{name: 'edit_file', arguments: {path: 'web/app.ts', old_text: '= 1', new_text: '= 2'}}]}, {content: 'Changed.'}])
    const result = await run(['edit', 'web/app.ts', '-i', 'set app to 2', '--yes'])

    expect(result.exitCode, result.stderr).toBe(0)
    const prompt = system(ollama.chats()[0])
    expect(prompt).toContain('--- AGENTS.md\n# Project\nROOT-RULE')
    expect(prompt).toContain('--- web/FAITHH.md\nWEB-FAITHH-RULE')
    expect(prompt).not.toMatch(/WEB-AGENTS-RULE|API-RULE/)
  })

  it('cuts an oversized AGENTS.md to the budget, with a note in the prompt and a warning on stderr', async () => {
    await write('AGENTS.md', `# Huge\n${'- a rule that says something long enough to matter\n'.repeat(20_000)}`)
    ollama.script([{content: 'ok'}])
    const result = await run(['ask', 'hi'])

    expect(result.exitCode, result.stderr).toBe(0)
    const prompt = system(ollama.chats()[0])
    const block = prompt.slice(prompt.indexOf('Project instructions'))
    expect(block.length).toBeLessThanOrEqual(1000 * 3.5)
    expect(block).toContain('[… AGENTS.md is longer: read the file for the rest]')
    expect(result.stderr).toContain('warning: project instructions cut to the 1000-token budget (instructions.maxTokens): AGENTS.md truncated')
  })

  it('skips a binary FAITHH.md with a warning and uses the AGENTS.md beside it', async () => {
    await write('FAITHH.md', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]))
    ollama.script([{content: 'ok'}])
    const result = await run(['ask', 'hi'])

    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr).toContain('warning: project instructions FAITHH.md skipped: it is a binary file')
    expect(system(ollama.chats()[0])).toContain('--- AGENTS.md\n# Project\nROOT-RULE')
  })

  it('run --fix: the same instructions in every fix attempt, for the folders the command line names', async () => {
    ollama.script((request, index) => {
      if (index === 0) void write('AGENTS.md', 'CHANGED-MID-RUN\n')
      const turn = request.messages.filter((m) => m.role === 'assistant').length
      // Attempt 1 changes nothing; attempt 2 fixes the handler.
      return turn === 0 ? {content: 'Nothing to change.'} : turn === 1 ? fixHandler : {content: 'Fixed.'}
    })
    const result = await run(['run', 'node check.js src/api/v2/handler.ts', '--fix', '--yes'], {env: UNSANDBOXED_COMMANDS})

    expect(result.exitCode, result.stderr).toBe(0)
    const chats = ollama.chats()
    expect(chats.length).toBeGreaterThanOrEqual(3)
    expect(system(chats[0])).toContain('--- src/api/AGENTS.md\nAPI-RULE')
    for (const chat of chats) expect(system(chat)).toBe(system(chats[0]))
  })

  it('plan: the planner and each step get the instructions', async () => {
    const plan = {steps: [{title: 'Fix the handler', change: 'Return "fixed".', files: ['src/api/v2/handler.ts']}]}
    ollama.script((request) => {
      if (request.format) return {content: JSON.stringify(plan)}
      return request.messages.some((m) => m.role === 'assistant') ? {content: 'Done.'} : fixHandler
    })
    const result = await run(['plan', 'fix src/api/v2/handler.ts', '--yes'])

    expect(result.exitCode, result.stderr).toBe(0)
    const [planning, step] = ollama.chats()
    expect(planning!.format).toBeDefined()
    expect(system(planning)).toContain('--- src/api/AGENTS.md\nAPI-RULE')
    expect(system(step)).toContain('--- src/api/AGENTS.md\nAPI-RULE')
    expect(result.stderr).toMatch(/^project instructions: AGENTS\.md, src\/api\/AGENTS\.md \(~\d+ tokens\)$/m)
    expect(result.stderr.match(/project instructions:/g)).toHaveLength(1) // not again at each step
  })

  it("gen --ai: the generated files' folders count", async () => {
    ollama.script([{content: 'Nothing to add.'}])
    const result = await run(['gen', 'test_function', '--var', 'name=handle', '--ai', 'add a case for empty input', '--yes'])

    expect(result.exitCode, result.stderr).toBe(0)
    expect(system(ollama.chats()[0])).toContain('--- AGENTS.md\n# Project\nROOT-RULE')
    expect(system(ollama.chats()[0])).toContain('--- test/AGENTS.md\nTEST-RULE')
  })

  it('chat: read on the first turn and kept for the session; plain chat (agent mode off) has none', async () => {
    ollama.script([{content: 'one'}, {content: 'two'}, {content: 'three'}])
    const workspace = await openWorkspace({cwd: project.root, flags: {host: ollama.url}})
    const session = await openChatSession(workspace, {confirmer: refuseAll})
    const turn = async (text: string, agentMode = true) => {
      for await (const _event of session.turn(text, {signal: new AbortController().signal, agentMode}));
    }

    await turn('first')
    await write('AGENTS.md', 'CHANGED-BETWEEN-TURNS\n')
    await turn('second')
    await turn('third', false)
    await session.close()

    const [first, second, third] = ollama.chats()
    expect(system(first)).toContain('ROOT-RULE')
    expect(system(second)).toBe(system(first))
    expect(system(third)).not.toMatch(/ROOT-RULE|CHANGED|Project instructions/)
  })

  it("serve: the web UI's sessions get them too, and the start event reports them", async () => {
    ollama.script([{content: 'hello'}])
    const workspace = await openWorkspace({cwd: project.root, flags: {host: ollama.url}})
    const server = await startChatServer({workspace, host: '127.0.0.1', port: 0, confirmTimeoutMs: 5000})
    try {
      const {status, events} = await streamChat(server, {message: 'hi', agent_mode: true, use_rag: false})
      expect(status).toBe(200)
      expect(events.find((e) => e.type === 'start')).toMatchObject({instructions: {files: [{path: 'AGENTS.md'}]}})
      expect(system(ollama.chats()[0])).toContain('--- AGENTS.md\n# Project\nROOT-RULE')
    } finally {
      await server.close()
    }
  })
})
