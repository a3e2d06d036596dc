import {Server} from '@modelcontextprotocol/sdk/server/index.js'
import {StdioServerTransport} from '@modelcontextprotocol/sdk/server/stdio.js'
import {CallToolRequestSchema, ListToolsRequestSchema} from '@modelcontextprotocol/sdk/types.js'
import {createRequire} from 'node:module'

import {refuseAll} from '../../access/confirm.js'
import {ProjectAccess} from '../../access/project-access.js'
import type {Workspace} from '../../agent/workspace.js'
import {ChangeJournal} from '../../changes/journal.js'
import {createPermissionPolicy, type PermissionPolicy} from '../../permissions/index.js'
import type {CodeSearchOptions, Retriever} from '../../rag/retriever.js'
import {readFileTool} from '../../tools/read-file.js'
import {searchCodebaseTool} from '../../tools/search-codebase.js'
import {runTool, toJsonSchema, type Tool} from '../../tools/tool.js'
import {indexStatusTool} from './index-status.js'
import {noIndex, searchFilesTool} from './search-files.js'

const {version} = createRequire(import.meta.url)('../../../../package.json') as {version: string}

/** search_codebase as other agents see it: the same search, with a hint that fits them when there is no index. */
const searchCodebase: Tool = {
  ...searchCodebaseTool,
  description: "Search the project's code by meaning and names (hybrid vector + BM25 when the index has vectors). Returns ranked path:start-end chunks.",
  async execute(args, ctx) {
    if (!ctx.retriever || !(await ctx.retriever.hasIndex())) return {ok: false, output: noIndex(ctx.root), kind: 'not_found'}
    return searchCodebaseTool.execute(args as never, ctx)
  },
}

const readFile: Tool = {...readFileTool, description: 'Read a text file of the project with line numbers; start_line/end_line (1-based) for a range.'}

/** What `faithh mcp serve` offers: reads of the project and its index, nothing that changes anything. */
export const INDEX_TOOLS: Tool[] = [searchCodebase, searchFilesTool, readFile, indexStatusTool]

/**
 * The agent's read policy, except that what it would ask about (a path outside the project) is
 * refused: nobody can be asked while stdin carries the protocol.
 */
function insideProjectOnly(policy: PermissionPolicy, root: string): PermissionPolicy {
  return {
    ...policy,
    async checkRead(userPath, options) {
      const decision = await policy.checkRead(userPath, options)
      if (decision.verdict !== 'ask') return decision
      return {...decision, verdict: 'deny', reason: `${userPath} is outside the project ${root}; faithh mcp serve reads only inside it`}
    },
  }
}

/**
 * Search hits only from files the policy lets tools see: the index may hold files that are
 * forbidden to read (one forbidden after it was indexed), and their text must not leave through a
 * search either. Applied while ranking, so a search still returns as many visible files as asked.
 */
function visibleOnly(retriever: Retriever, access: ProjectAccess): Retriever {
  const visible = (options: CodeSearchOptions = {}): CodeSearchOptions => ({
    ...options,
    accept: (file) => access.isVisible(file) && (options.accept?.(file) ?? true),
  })
  return {
    hasIndex: () => retriever.hasIndex(),
    close: () => retriever.close(),
    search: (query, options) => retriever.search(query, visible(options)),
    searchFiles: (query, options) => retriever.searchFiles(query, visible(options)),
  }
}

/**
 * faithh's index as an MCP server on stdin/stdout, for other agents (Claude Code, Codex...): the
 * tools run through the same permission gate as the agent's, read-only, inside the project, with
 * forbidden files (secrets) refused. Resolves when the client goes away (stdin ends).
 */
export async function serveIndex(workspace: Workspace, {stdin = process.stdin, stdout = process.stdout} = {}): Promise<void> {
  const server = new Server(
    {name: 'faithh', version},
    {capabilities: {tools: {}}, instructions: `Search and read the project at ${workspace.root} through faithh's codebase index.`},
  )
  const policy = insideProjectOnly(createPermissionPolicy(workspace.root, workspace.config.permissions), workspace.root)
  // Nothing here writes: the journal is never opened.
  const access = new ProjectAccess(workspace.root, {policy, confirmer: refuseAll, journal: new ChangeJournal(workspace.root, 'mcp serve')})
  const retriever = visibleOnly(workspace.retriever, access)
  const controller = new AbortController()
  const byName = new Map(INDEX_TOOLS.map((tool) => [tool.name, tool]))

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: INDEX_TOOLS.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: toJsonSchema(tool),
      annotations: {readOnlyHint: true, destructiveHint: false, openWorldHint: false},
    })),
  }))
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = byName.get(request.params.name)
    if (!tool) return {content: [{type: 'text', text: `unknown tool "${request.params.name}"; tools: ${[...byName.keys()].join(', ')}`}], isError: true}
    const signal = AbortSignal.any([controller.signal, extra.signal])
    const result = await runTool(tool, request.params.arguments ?? {}, {...workspace.toolContext(signal, access), retriever})
    return {content: [{type: 'text', text: result.output}], isError: !result.ok}
  })

  const closed = new Promise<void>((resolve) => {
    stdin.once('end', resolve)
    stdin.once('close', resolve)
    server.onclose = resolve
  })
  await server.connect(new StdioServerTransport(stdin, stdout))
  await closed
  controller.abort()
  await server.close().catch(() => {})
}
