import type {InstructionsReport} from '../instructions/fit.js'
import type {DialectId} from '../llm/dialects.js'
import type {ToolFailureKind} from '../tools/tool.js'
import type {SandboxReport} from '../sandbox/sandbox.js'

/**
 * Everything a run reports, in order. The terminal renderer, `--json` output and any other front end
 * consume these same events; none of them re-implements the loop.
 */
export type AgentEvent =
  /**
   * dialect: in text mode, the call format the tools were described in (the model's own).
   * instructions: the project instruction files in the system prompt, when there are any (and whether they were cut).
   * sandbox: whether the commands this run may run are sandboxed (and if not, why).
   */
  | {
      type: 'start'
      model: string
      numCtx: number
      toolMode: ToolMode
      dialect?: DialectId
      tools: string[]
      instructions?: InstructionsReport
      sandbox: SandboxReport
    }
  | {type: 'text'; delta: string}
  /** repairs: what was fixed in a call the model wrote almost right (a name variant, arguments as a JSON string, …). */
  | {type: 'tool_call'; id: string; name: string; arguments: Record<string, unknown>; repairs?: string[]}
  /** kind: why it failed (absent when ok); summary: one line for people, when the tool gave one (else show the output's first line). */
  | {type: 'tool_result'; id: string; name: string; ok: boolean; kind?: ToolFailureKind; summary?: string; output: string; durationMs: number}
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
