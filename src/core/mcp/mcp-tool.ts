import {z} from 'zod'

import {defineTool, fail, ok, type Tool, type ToolFailureKind} from '../tools/tool.js'
import type {McpConnection, McpToolInfo} from './connection.js'
import {compactInputSchema, MAX_TOOL_DESCRIPTION, shorten} from './input-schema.js'
import {resultText} from './result-text.js'
import type {McpServerSettings} from './server-config.js'
import {toolPermission, trustedReadOnly} from './tool-permission.js'

/** What Ollama (and the OpenAI-style APIs models are trained on) accept as a function name. */
const MAX_NAME = 64

/** `server__tool`, in the characters a function name may have: how faithh offers an MCP tool to the model. */
export function offeredName(server: string, tool: string): string {
  return `${server}__${tool}`.replaceAll(/[^A-Za-z0-9_-]/g, '_').slice(0, MAX_NAME)
}

/** The tools of one server that the config does not deny, as faithh tools. */
export function mcpTools(connection: McpConnection, settings: McpServerSettings): Tool[] {
  return connection.tools.flatMap((info) => {
    const name = offeredName(connection.name, info.name)
    return toolPermission(connection.name, info.name, name, settings).verdict === 'deny' ? [] : [mcpTool(connection, info, settings)]
  })
}

/**
 * One MCP tool in faithh's tool pattern. Every call goes through the permission gate (the server's
 * `permission`, or a confirmation showing the arguments), and its result is text like any tool's,
 * capped by runTool. A server that has stopped answers at once, saying so, instead of hanging.
 */
function mcpTool(connection: McpConnection, info: McpToolInfo, settings: McpServerSettings): Tool {
  const server = connection.name
  const name = offeredName(server, info.name)
  const decision = toolPermission(server, info.name, name, settings)
  return defineTool({
    name,
    description: shorten(info.description || info.annotations?.title || info.title || `${info.name} (MCP server ${server})`, MAX_TOOL_DESCRIPTION),
    // The server validates arguments against its own schema; this only insists on an object.
    schema: z.looseObject({}),
    parameters: compactInputSchema(info.inputSchema as Record<string, unknown>),
    readOnly: trustedReadOnly(info.annotations, settings),
    async execute(args, ctx) {
      if (!connection.alive)
        return fail(`${name}: MCP server "${server}" ${connection.failure ?? 'has stopped'}; its tools are unavailable for the rest of this run`)
      const approval = await ctx.access.approveToolCall({tool: name, server, arguments: args, decision})
      if (!approval.ok) return fail(`${name}: ${approval.reason}`)

      const outcome = await connection.call(info.name, args, {signal: ctx.signal, timeoutMs: settings.callTimeoutMs})
      if (!outcome.ok) {
        if (outcome.kind === 'cancelled') throw new Error('cancelled')
        const gone = outcome.kind === 'timeout' || outcome.kind === 'stopped' ? '; its tools are unavailable for the rest of this run' : ''
        return fail(`${name}: MCP server "${server}" ${outcome.message}${gone}`, failureKind[outcome.kind])
      }

      const text = resultText(outcome.result)
      return outcome.result.isError ? fail(`${name} failed: ${text}`) : ok(text)
    },
  })
}

const failureKind: Record<'timeout' | 'stopped' | 'invalid_arguments' | 'failed', ToolFailureKind> = {
  timeout: 'timeout',
  stopped: 'failed',
  invalid_arguments: 'invalid_arguments',
  failed: 'failed',
}
