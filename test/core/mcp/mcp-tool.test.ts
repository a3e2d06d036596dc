import {describe, expect, it} from 'vitest'

import {compactInputSchema, shorten} from '../../../src/core/mcp/input-schema.js'
import {offeredName} from '../../../src/core/mcp/mcp-tool.js'
import {resultText} from '../../../src/core/mcp/result-text.js'
import {toolPermission, trustedReadOnly} from '../../../src/core/mcp/tool-permission.js'
import type {McpServerSettings} from '../../../src/core/mcp/server-config.js'

const settings = (overrides: Partial<McpServerSettings> = {}): McpServerSettings => ({
  permission: 'ask',
  tools: {},
  trustReadOnlyHints: false,
  startTimeoutMs: 15_000,
  callTimeoutMs: 60_000,
  ...overrides,
})

describe('offered tool names', () => {
  it.each([
    ['github', 'create_issue', 'github__create_issue'],
    ['everything', 'get-sum', 'everything__get-sum'],
    ['My Server', 'do.thing', 'My_Server__do_thing'],
    ['srv', 'ünïcode tool', 'srv___n_code_tool'],
    ['a'.repeat(40), 'b'.repeat(40), `${'a'.repeat(40)}__${'b'.repeat(22)}`],
  ])('%s + %s -> %s (letters, digits, _ and -; at most 64)', (server, tool, expected) => {
    expect(offeredName(server, tool)).toBe(expected)
    expect(offeredName(server, tool)).toMatch(/^[A-Za-z0-9_-]{1,64}$/)
  })
})

describe('descriptions cut for the prompt', () => {
  it.each([
    ['short text unchanged', 'Reads a file.', 40, 'Reads a file.'],
    ['whitespace collapsed', 'Reads\n   a\tfile.', 40, 'Reads a file.'],
    ['cut at a sentence end', 'Reads a file from disk. Use it when you need the whole content of a file.', 40, 'Reads a file from disk.'],
    ['cut at a word, marked', 'Reads a file from the disk and returns the content of it', 30, 'Reads a file from the disk…'],
  ])('%s', (_name, text, max, expected) => {
    expect(shorten(text, max)).toBe(expected)
    expect(shorten(text, max).length).toBeLessThanOrEqual(max)
  })
})

describe('input schemas passed through compactly', () => {
  it('drops $schema, titles, examples and additionalProperties, keeps what the call needs, and cuts long argument descriptions', () => {
    const schema = compactInputSchema({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      title: 'Args',
      additionalProperties: false,
      properties: {
        // An argument may be called "title": it is a name here, not a keyword.
        title: {type: 'string', title: 'Title', description: 'x'.repeat(300), examples: ['a']},
        mode: {type: 'string', enum: ['a', 'b'], default: 'a'},
        items: {type: 'array', items: {type: 'object', properties: {n: {type: 'integer', minimum: 0}}, required: ['n']}},
      },
      required: ['title'],
    })
    expect(schema).toEqual({
      type: 'object',
      properties: {
        title: {type: 'string', description: `${'x'.repeat(119)}…`},
        mode: {type: 'string', enum: ['a', 'b'], default: 'a'},
        items: {type: 'array', items: {type: 'object', properties: {n: {type: 'integer', minimum: 0}}, required: ['n']}},
      },
      required: ['title'],
    })
  })
})

describe('tool results as text', () => {
  it.each([
    [
      'text parts, joined',
      {
        content: [
          {type: 'text', text: 'a'},
          {type: 'text', text: 'b'},
        ],
      },
      'a\nb',
    ],
    ['an image, as a placeholder', {content: [{type: 'image', data: 'aGVsbG8gd29ybGQ=', mimeType: 'image/png'}]}, '[image: image/png, 11 bytes — not shown]'],
    ['audio, as a placeholder', {content: [{type: 'audio', data: 'AAAA', mimeType: 'audio/wav'}]}, '[audio: audio/wav, 3 bytes — not shown]'],
    [
      'an embedded text resource, with its uri',
      {content: [{type: 'resource', resource: {uri: 'file:///a.txt', text: 'hello'}}]},
      '[resource file:///a.txt]\nhello',
    ],
    [
      'an embedded binary resource',
      {content: [{type: 'resource', resource: {uri: 'file:///a.bin', blob: 'AAAA', mimeType: 'application/zip'}}]},
      '[resource file:///a.bin: application/zip, 3 bytes — not shown]',
    ],
    ['a resource link', {content: [{type: 'resource_link', uri: 'file:///r', name: 'r', description: 'the r'}]}, '[resource link: r file:///r — the r]'],
    ['structured content when there is no text', {content: [], structuredContent: {sum: 3}}, '{\n "sum": 3\n}'],
    ['nothing at all', {content: []}, '(the tool returned nothing)'],
  ])('%s', (_name, result, expected) => {
    expect(resultText(result as never)).toBe(expected)
  })
})

describe('what the config says about a call', () => {
  it.each([
    ['nothing set: ask', settings(), 'echo', 'ask'],
    ['server allow', settings({permission: 'allow'}), 'echo', 'allow'],
    ['server deny', settings({permission: 'deny'}), 'echo', 'deny'],
    ['a tool entry wins over the server', settings({permission: 'allow', tools: {echo: 'deny'}}), 'echo', 'deny'],
    ["a tool entry by faithh's name", settings({tools: {srv__echo: 'allow'}}), 'echo', 'allow'],
    ["another tool's entry does not apply", settings({tools: {other: 'allow'}}), 'echo', 'ask'],
  ])('%s', (_name, config, tool, verdict) => {
    expect(toolPermission('srv', tool, `srv__${tool}`, config).verdict).toBe(verdict)
  })

  it.each([
    ['hint and trust', {readOnlyHint: true}, true, true],
    ['hint without trust', {readOnlyHint: true}, false, false],
    ['trust without hint', {}, true, false],
    ['read-only but destructive: contradictory, not trusted', {readOnlyHint: true, destructiveHint: true}, true, false],
    ['no annotations', undefined, true, false],
  ])('read-only for `ask`: %s', (_name, annotations, trust, expected) => {
    expect(trustedReadOnly(annotations, settings({trustReadOnlyHints: trust}))).toBe(expected)
  })
})
