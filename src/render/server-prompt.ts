import type {ServerApprover, ServerStartAnswer, ServerStartRequest} from '../core/mcp/admission.js'
import {styleFor} from './style.js'

/**
 * Asks at the terminal before an MCP server that needs consent starts: a project's server not
 * trusted yet (what it runs, and how), or one that would run unsandboxed. On stderr, like every prompt.
 */
export function terminalServerApprover(stderr: NodeJS.WriteStream = process.stderr): ServerApprover {
  const style = styleFor(stderr)
  return {
    async approve(request: ServerStartRequest): Promise<ServerStartAnswer> {
      stderr.write('\n' + describe(request, style) + '\n')
      // Loaded on first use: most runs never ask, and start-up time matters.
      const {select} = await import('@inquirer/prompts')
      try {
        const choice = await select({message: 'Start it?', choices: choices(request)}, {output: stderr, clearPromptOnDone: false})
        return {start: choice.startsWith('yes'), remember: choice.endsWith('remember')}
      } catch {
        // Ctrl-C at the prompt: not started, nothing remembered.
        return {start: false, remember: false}
      }
    },
  }
}

function describe(request: ServerStartRequest, style: ReturnType<typeof styleFor>): string {
  const why = request.untrusted
    ? `${request.file} declares MCP server "${request.name}"${request.untrusted === 'changed' ? ', changed since you decided about it' : ''}: starting it runs what the project chose`
    : `MCP server "${request.name}" would run unsandboxed (${request.unsandboxed})`
  const runs = request.unsandboxed || request.runs.startsWith('not sandboxed') ? style.yellow(request.runs) : style.dim(request.runs)
  return `${style.bold(why)}\n  ${style.cyan(request.launch)}\n  ${runs}`
}

function choices(request: ServerStartRequest): Array<{name: string; value: string}> {
  if (!request.untrusted) {
    return [
      {name: 'Yes, start it unsandboxed for this run', value: 'yes'},
      {name: 'No, run without its tools', value: 'no'},
    ]
  }

  return [
    {name: 'Yes, and trust it in this project (asked again if its entry changes)', value: 'yes-remember'},
    {name: 'Yes, this time only', value: 'yes'},
    {name: 'No, not this time', value: 'no'},
    {name: 'No, and do not ask again about this entry', value: 'no-remember'},
  ]
}
