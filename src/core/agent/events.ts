import type {DialectId} from '../llm/dialects.js'

/**
 * Everything a run reports, in order. The terminal renderer, `--json` output and any other front end
 * consume these same events; none of them re-implements the loop.
 */
export type AgentEvent =
  | {type: 'start'; model: string; numCtx: number; toolMode: ToolMode; dialect?: DialectId; tools: string[]}
  | {type: 'text'; delta: string}
  | {type: 'tool_call'; id: string; name: string; arguments: Record<string, unknown>; repairs?: string[]}
  | {type: 'tool_result'; id: string; name: string; ok: boolean; output: string; durationMs: number}
  | {type: 'usage'; step: number; promptTokens: number; completionTokens: number; numCtx: number}
  | {type: 'final'; text: string; steps: number}
  | {type: 'error'; code: AgentErrorCode; message: string}

/**
 * native: Ollama's `tools` field; text: tools described in the prompt (in the model's dialect, named
 * by `start.dialect`) and parsed from the reply. `tool_call.repairs` lists what had to be fixed to
 * read a call (a name variant, arguments sent as a JSON string…).
 */
export type ToolMode = 'native' | 'text'

/** repeated_call: the model kept making the same call with nothing changing; ends like max_steps (exit 5). */
export type AgentErrorCode = 'max_steps' | 'repeated_call' | 'aborted' | 'unreachable' | 'model_missing' | 'no_tools' | 'ollama_error'

export interface AgentOutcome {
  status: 'done' | 'max_steps' | 'aborted' | 'error'
  /** The final answer (empty unless status is done). */
  text: string
  steps: number
}
