/**
 * faithh as a library: the agent loop, its tools and the parser for tool calls that local models
 * write as text. The CLI (`faithh`) is built on exactly these exports.
 */
export {parseToolCalls, type ParsedToolCall, type ParseOptions} from './core/llm/tool-call-parser.js'
export {runAgent, type AgentRunOptions} from './core/agent/loop.js'
export type {AgentEvent, AgentOutcome, ToolMode} from './core/agent/events.js'
export {systemPrompt} from './core/agent/prompt.js'
export {openWorkspace, type Workspace} from './core/agent/workspace.js'
export {LlmClient, type ChatMessage, type ModelInfo} from './core/llm/client.js'
export {LlmError} from './core/llm/errors.js'
export {loadConfig, ConfigError} from './core/config/load.js'
export type {FaithhConfig} from './core/config/schema.js'
export {defineTool, ok, fail, runTool, type Tool, type ToolContext, type ToolResult} from './core/tools/tool.js'
export {builtinTools, readOnlyTools} from './core/tools/index.js'
export {indexProject, type IndexRequest, type IndexSummary} from './core/rag/indexer.js'
export {createRetriever, type Retriever, type CodeHit, type CodeSearchResult} from './core/rag/retriever.js'
export {searchCodebaseTool} from './core/tools/search-codebase.js'
export {pluginApi, type FaithhPluginApi, type ToolFactory, type PluginToolsExport} from './core/plugins/api.js'
export {ChatSession, type TurnOptions} from './core/session/chat-session.js'
export {openChatSession} from './core/session/open-session.js'
export type {SessionEvent} from './core/session/events.js'
