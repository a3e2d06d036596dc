import type {ConfirmAnswer, Confirmer, ConfirmRequest} from '../core/access/confirm.js'
import {colorDiff} from './diff-view.js'
import {styleFor} from './style.js'

/**
 * Asks at the terminal with inquirer, drawing on stderr so stdout stays the command's output.
 * Writes show the exact diff; commands show the line and where it runs; MCP tool calls their arguments.
 */
export function terminalConfirmer(stderr: NodeJS.WriteStream = process.stderr): Confirmer {
  const style = styleFor(stderr)
  return {
    interactive: true,
    async confirm(request: ConfirmRequest): Promise<ConfirmAnswer> {
      stderr.write('\n' + describe(request, style) + '\n')
      // Loaded on first use: most runs never ask, and start-up time matters.
      const {select, input} = await import('@inquirer/prompts')
      const context = {output: stderr, clearPromptOnDone: false}
      try {
        const choice = await select(
          {
            message: question(request),
            choices: [
              {name: 'Yes', value: 'yes'},
              {name: rememberLabel(request), value: 'always'},
              {name: 'No, and tell the model why', value: 'no'},
              // After "No": a habit of pressing down twice to refuse must never grant the network.
              ...networkChoices(request),
            ],
          },
          context,
        )
        if (choice === 'yes') return {approved: true, remember: false}
        if (choice === 'always') return {approved: true, remember: true}
        if (choice === 'loopback' || choice === 'full') return {approved: true, remember: false, network: choice}
        const reason = await input({message: 'Why not? (sent to the model; Enter to skip)'}, context)
        return {approved: false, reason: reason.trim() || undefined}
      } catch {
        // Ctrl-C at the prompt: a refusal, never an approval.
        return {approved: false, reason: 'the user cancelled the prompt'}
      }
    },
  }
}

function describe(request: ConfirmRequest, style: ReturnType<typeof styleFor>): string {
  switch (request.kind) {
    case 'write':
      return `${style.bold(request.created ? `${request.tool} wants to create ${request.rel}` : `${request.tool} wants to change ${request.rel}`)}\n${colorDiff(request.diff, style)}`
    case 'command': {
      const sandbox = request.sandbox ? `\n  ${request.sandbox.sandboxed ? style.dim(request.sandbox.summary) : style.yellow(request.sandbox.summary)}` : ''
      return `${style.bold(`${request.tool} wants to run`)}\n  ${style.cyan(request.command)}\n  ${style.dim(`in ${request.cwd} — ${request.reason}`)}${sandbox}`
    }
    case 'read':
      return `${style.bold(`${request.tool} wants to read ${request.path}`)}\n  ${style.dim(request.reason)}`
    case 'tool':
      return `${style.bold(`the agent wants to call ${request.tool}`)}\n${indent(callArguments(request.arguments))}\n  ${style.dim(request.reason)}`
  }
}

/** Arguments as indented JSON, cut when long: enough to judge the call, never a screenful of base64. */
export function callArguments(args: Record<string, unknown>, maxLines = 30, maxChars = 2000): string {
  if (Object.keys(args).length === 0) return '(no arguments)'
  let text = JSON.stringify(
    args,
    (_key, value: unknown) => (typeof value === 'string' && value.length > 500 ? `${value.slice(0, 500)}… (${value.length} characters)` : value),
    2,
  )
  const lines = text.split('\n')
  if (lines.length > maxLines) text = `${lines.slice(0, maxLines).join('\n')}\n… (${lines.length - maxLines} more lines)`
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text
}

function indent(text: string): string {
  return text.replaceAll(/^/gm, '  ')
}

function question(request: ConfirmRequest): string {
  return request.kind === 'write' ? 'Apply this change?' : request.kind === 'command' ? 'Run it?' : request.kind === 'tool' ? 'Call it?' : 'Allow?'
}

/** A sandboxed command can be granted more network here, once: the choice says exactly what it grants. */
function networkChoices(request: ConfirmRequest): Array<{name: string; value: string}> {
  if (request.kind !== 'command' || !request.sandbox?.sandboxed) return []
  const choices: Array<{name: string; value: string}> = []
  if (request.sandbox.network === 'none') choices.push({name: "Yes, and let it reach this machine's loopback services (still sandboxed)", value: 'loopback'})
  if (request.sandbox.network !== 'full') choices.push({name: 'Yes, with full network access (still sandboxed otherwise)', value: 'full'})
  return choices
}

function rememberLabel(request: ConfirmRequest): string {
  if (request.kind === 'command') return 'Yes, and allow this command for the rest of this run'
  if (request.kind === 'tool') return `Yes, and allow calls to ${request.tool} for the rest of this run`
  return `Yes, and allow ${request.tool} for the rest of this run`
}
