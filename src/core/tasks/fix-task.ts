import type {ProjectAccess} from '../access/project-access.js'
import type {AgentEvent} from '../agent/events.js'
import {runAgent} from '../agent/loop.js'
import {systemPrompt} from '../agent/prompt.js'
import type {Workspace} from '../agent/workspace.js'
import type {FittedInstructions} from '../instructions/fit.js'
import type {ChatMessage} from '../llm/client.js'
import {editFileTool} from '../tools/edit-file.js'
import {listDirectoryTool} from '../tools/list-directory.js'
import {readFileTool} from '../tools/read-file.js'
import {searchCodeTool} from '../tools/search-code.js'
import {capOutput} from '../tools/tool.js'
import {writeFileTool} from '../tools/write-file.js'
import type {ShellResult} from './shell.js'

// No run_command: the loop re-runs the command itself, and a model that runs it too only burns time.
const FIX_TOOLS = [readFileTool, searchCodeTool, listDirectoryTool, editFileTool, writeFileTool]

export type FixEvent =
  | AgentEvent
  | {type: 'attempt'; attempt: number; command: string}
  | {type: 'command_result'; attempt: number; exitCode: number; failure?: string}

export interface FixOutcome {
  passed: boolean
  exitCode: number
  /** Runs of the command, the first included. */
  runs: number
  changed: string[]
}

export interface FixOptions {
  workspace: Workspace
  access: ProjectAccess
  command: string
  /** Fix attempts after the first failure (0: just run it). */
  maxAttempts: number
  signal: AbortSignal
  execute: (command: string) => Promise<ShellResult>
}

/** `faithh run --fix`: run; on failure let the agent fix the code from the output; re-run; repeat. */
export async function* runWithFixes(options: FixOptions): AsyncGenerator<FixEvent, FixOutcome> {
  const {workspace, access, command, maxAttempts, signal, execute} = options
  // One conversation across attempts: the model sees what it already tried, and the prompt cache holds.
  const messages: ChatMessage[] = []
  // Read on the first failure, then kept: every attempt's prompt must be the same for Ollama's cache.
  let instructions: FittedInstructions | undefined
  let result: ShellResult | undefined
  for (let attempt = 0; ; attempt++) {
    yield {type: 'attempt', attempt, command}
    result = await execute(command)
    yield {type: 'command_result', attempt, exitCode: result.exitCode, failure: result.failure}
    const done = result.exitCode === 0 || attempt >= maxAttempts || signal.aborted || result.failure === 'cancelled'
    if (done) return {passed: result.exitCode === 0, exitCode: result.exitCode, runs: attempt + 1, changed: [...access.written]}

    const output = capOutput(result.output, Math.floor(workspace.config.tools.outputChars * 1.5))
    messages.push({
      role: 'user',
      content:
        `${attempt === 0 ? '' : 'Still failing after your changes. '}\`${command}\` exited with code ${result.exitCode}. Output:\n` +
        `\`\`\`\n${output}\n\`\`\`\nFind the cause and fix the code. Do not run the command: it is re-run after you finish.`,
    })
    instructions ??= await workspace.loadInstructions(access, {text: command})
    const outcome = yield* runAgent({
      llm: workspace.llm,
      tools: [...FIX_TOOLS, ...workspace.pluginTools],
      system: systemPrompt({
        task: 'Make a failing command pass by fixing the code. Read the failing code first; make the smallest correct change; never weaken or delete tests to make them pass.',
        instructions: instructions.text,
      }),
      instructions: instructions.report,
      messages,
      toolContext: workspace.toolContext(signal, access),
      maxSteps: workspace.config.maxSteps,
    })
    if (outcome.status === 'error' || outcome.status === 'aborted') {
      return {passed: false, exitCode: result.exitCode, runs: attempt + 1, changed: [...access.written]}
    }
  }
}
