import {Args} from '@oclif/core'

import {ExitCode} from '../../cli/exit-codes.js'
import {FaithhCommand} from '../../cli/faithh-command.js'
import {hasTerminal} from '../../core/access/confirm.js'
import {FaithhError} from '../../core/errors.js'
import {configuredServers} from '../../core/mcp/configured.js'
import {McpServers, type McpServerStatus} from '../../core/mcp/servers.js'
import {trustStore} from '../../core/mcp/trust.js'
import {Sandbox} from '../../core/sandbox/sandbox.js'
import {terminalServerApprover} from '../../render/server-prompt.js'
import {formatServerStatuses} from '../../render/mcp-view.js'
import {styleFor} from '../../render/style.js'

export default class McpTest extends FaithhCommand {
  static override summary = 'Start the configured MCP servers (or one), list their tools and what a call to each does, then stop them.'
  static override description =
    'Each tool is shown as the model sees it (<server>__<tool>) with what a call does: confirm each call (permission "ask"), run without asking ("allow"), or not offered ("deny"); ' +
    'read-only tools that `faithh ask` offers too are marked. ' +
    "A project's server not trusted yet is asked about at a terminal, and not started without one. Exit codes: 0 every server started, 1 one did not (the message says why), 2 no server of that name."

  static override examples = ['<%= config.bin %> mcp test', '<%= config.bin %> mcp test filesystem --json']
  static override enableJsonFlag = true
  static override args = {name: Args.string({description: 'the server to test (default: all)'})}

  async run(): Promise<McpServerStatus[]> {
    const {args} = await this.parse(McpTest)
    const {servers: configured, root, config} = await configuredServers({cwd: process.cwd()})
    const servers = configured.filter(({spec}) => !args.name || spec.name === args.name)
    if (args.name && servers.length === 0) {
      throw new FaithhError('usage', `no MCP server named "${args.name}" is configured`, {hint: `\`faithh mcp list\` shows the configured ones`})
    }

    const warnings: string[] = []
    // At a terminal, a project's server not trusted yet is asked about (and remembered if trusted); without one it stays blocked.
    const approver = hasTerminal() ? terminalServerApprover() : undefined
    const sandbox = new Sandbox({root, config: config.sandbox})
    const running = this.closeWhenDone(
      await McpServers.start(servers, {sandbox, trust: trustStore(), approver, onWarning: (message) => warnings.push(message)}),
    )
    const statuses = running.statuses()
    await running.close()
    if (!this.jsonEnabled()) {
      const lines = formatServerStatuses(statuses, styleFor(process.stdout))
      this.log(lines.length > 0 ? lines.join('\n') : 'no MCP servers configured — add one with `faithh mcp add <name> -- <command> [args...]`')
    }

    if (statuses.some((status) => ['failed', 'invalid', 'blocked'].includes(status.state))) process.exitCode = ExitCode.failure
    return statuses
  }
}
