import {describe, expect, it} from 'vitest'

import {errorJson, FaithhError, isFaithhError} from '../../src/core/errors.js'
import {ConfigError} from '../../src/core/config/load.js'
import {LlmError, toLlmError} from '../../src/core/llm/errors.js'
import {PlanError} from '../../src/core/plan/plan-error.js'
import {RagError} from '../../src/core/rag/rag-error.js'
import {SessionError} from '../../src/core/session/store.js'
import {EditTaskError} from '../../src/core/tasks/edit-task.js'
import {TemplateError} from '../../src/core/templates/template-error.js'

describe('FaithhError', () => {
  it('reads as one line, problem then hint, and keeps both apart for --json', () => {
    const cause = new Error('socket hang up')
    const error = new FaithhError('no_index', 'no index for /p', {hint: 'run `faithh index` first', cause})
    expect(error.message).toBe('no index for /p — run `faithh index` first')
    expect(error.cause).toBe(cause)
    expect(errorJson(error)).toEqual({error: {code: 'no_index', message: 'no index for /p', hint: 'run `faithh index` first'}})
    expect(errorJson(new FaithhError('usage', 'bad'))).toEqual({error: {code: 'usage', message: 'bad'}})
  })

  it.each([
    ['LlmError', new LlmError('unreachable', 'x'), 'unreachable'],
    ['RagError', new RagError('chroma_unreachable', 'x'), 'chroma_unreachable'],
    ['PlanError', new PlanError('dirty', 'x'), 'dirty'],
    ['ConfigError', new ConfigError('x'), 'config'],
    ['SessionError', new SessionError('x'), 'session'],
    ['EditTaskError', new EditTaskError('x'), 'usage'],
    ['TemplateError', new TemplateError('x'), 'usage'],
    ['TemplateError (refused)', new TemplateError('x', 'refused'), 'refused'],
  ])('%s is a FaithhError with code %s', (_name, error, code) => {
    expect(isFaithhError(error)).toBe(true)
    expect(error.code).toBe(code)
  })

  it('is not fooled by a plain error', () => {
    expect(isFaithhError(new Error('x'))).toBe(false)
    expect(isFaithhError({code: 'usage', message: 'x'})).toBe(false)
  })
})

describe('toLlmError', () => {
  it('keeps what fetch threw as the cause, and says how to fix it', () => {
    const refused = Object.assign(new TypeError('fetch failed'), {cause: {code: 'ECONNREFUSED'}})
    const error = toLlmError(refused, 'http://127.0.0.1:1', 'm')
    expect(error.code).toBe('unreachable')
    expect(error.cause).toBe(refused)
    expect(error.message).toBe('cannot reach Ollama at http://127.0.0.1:1 — start it with `ollama serve`, or set OLLAMA_HOST (ECONNREFUSED)')
    expect(error.hint).toContain('ollama serve')
  })

  it('names the pull command for a missing model', () => {
    const notFound = Object.assign(new Error("model 'nope:1b' not found"), {name: 'ResponseError', status_code: 404, error: "model 'nope:1b' not found"})
    const error = toLlmError(notFound, 'http://h', 'nope:1b')
    expect(error).toMatchObject({code: 'model_missing', problem: 'model nope:1b is not pulled', cause: notFound})
    expect(error.message).toContain('model nope:1b is not pulled — run `ollama pull nope:1b`')
  })
})
