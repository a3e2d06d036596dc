import type {Config} from '@oclif/core'

import {hasTerminal} from '../core/access/confirm.js'
import {openWorkspace, type Workspace} from '../core/agent/workspace.js'
import type {ConfigInput} from '../core/config/schema.js'
import {terminalServerApprover} from '../render/server-prompt.js'
import {styleFor} from '../render/style.js'
import {stderrNotice} from './notice.js'
import {pluginTools} from './plugins.js'

/**
 * The workspace of a command that runs the agent: the config, the plugins' tools, and the MCP
 * servers (config `mcpServers`) started for this run, whose problems are warned about on stderr, as
 * is a machine where commands cannot be sandboxed. At a terminal, a project's servers not trusted
 * yet are asked about before they start; `yes` (--yes) never trusts them, it only lets servers run
 * unsandboxed where the user turned the sandbox off.
 * The caller closes it when done (FaithhCommand.closeWhenDone), which stops the servers.
 */
export async function openAgentWorkspace(config: Config, flags: ConfigInput, {yes = false}: {yes?: boolean} = {}): Promise<Workspace> {
  const approver = hasTerminal() ? terminalServerApprover() : undefined
  return openWorkspace({cwd: process.cwd(), flags, pluginTools: await pluginTools(config), mcp: {onWarning: warn, approver, yes}, notify: stderrNotice})
}

function warn(message: string): void {
  process.stderr.write(styleFor(process.stderr).yellow(`warning: ${message}`) + '\n')
}
