import {chooseDialect, type DialectId} from './dialects.js'
import type {LlmClient} from './client.js'
import {LlmError} from './errors.js'

export interface DoctorReport {
  ok: boolean
  host: string
  model: string
  ollamaVersion?: string
  models: string[]
  pulled: boolean
  toolMode?: 'native' | 'text'
  /** In text mode, the call format faithh will ask the model for (see llm/dialects.ts). */
  dialect?: DialectId
  contextLength?: number
  numCtx?: number
  /** Actionable problems; empty when ok. */
  problems: {code: string; message: string}[]
}

/** Everything `faithh doctor` checks, as data: reachability, the model, its tools and context window. */
export async function diagnose(llm: LlmClient, host: string): Promise<DoctorReport> {
  const report: DoctorReport = {ok: false, host, model: llm.model, models: [], pulled: false, problems: []}
  try {
    report.ollamaVersion = await llm.version()
    report.models = (await llm.listModels()).map((m) => m.name)
  } catch (error) {
    report.problems.push(problemOf(error))
    return report
  }

  const wanted = llm.model.includes(':') ? llm.model : `${llm.model}:latest`
  report.pulled = report.models.includes(wanted)
  if (!report.pulled) {
    report.problems.push({code: 'model_missing', message: `model ${llm.model} is not pulled — run \`ollama pull ${llm.model}\``})
    return report
  }

  try {
    const info = await llm.modelInfo()
    report.toolMode = info.supportsTools ? 'native' : 'text'
    if (report.toolMode === 'text') report.dialect = chooseDialect(info).id
    report.contextLength = info.contextLength
    report.numCtx = await llm.contextWindow()
  } catch (error) {
    report.problems.push(problemOf(error))
    return report
  }

  report.ok = true
  return report
}

function problemOf(error: unknown): {code: string; message: string} {
  if (error instanceof LlmError) return {code: error.code, message: error.message}
  return {code: 'ollama_error', message: (error as Error)?.message ?? String(error)}
}
