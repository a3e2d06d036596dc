import {FaithhCommand} from '../../cli/faithh-command.js'
import {configuredServers} from '../../core/mcp/configured.js'
import {trustStore} from '../../core/mcp/trust.js'
import {configuredServerJson, formatServerList, trustLabel, type ListedServer} from '../../render/mcp-view.js'
import {styleFor} from '../../render/style.js'

export default class McpList extends FaithhCommand {
  static override summary = 'List the MCP servers configured for this project (user and project config), without starting them.'
  static override description =
    'Servers come from "mcpServers" in ~/.config/faithh/config.json and .faithh/config.json (the project\'s entry wins for a name in both). ' +
    "Shows how each starts, whether it runs sandboxed, its permission, whether you trust it (a project's servers start only once trusted: `faithh mcp trust`), " +
    "and config keys faithh ignores (another agent's, or a misspelling). `faithh mcp test` starts them and lists their tools."

  static override examples = ['<%= config.bin %> mcp list', "<%= config.bin %> mcp list --json | jq -r '.[].name'"]
  static override enableJsonFlag = true

  async run(): Promise<ReturnType<typeof configuredServerJson>[]> {
    await this.parse(McpList)
    const {servers, root} = await configuredServers({cwd: process.cwd()})
    const trust = trustStore()
    const listed: ListedServer[] = await Promise.all(
      servers.map(async (server) =>
        server.source === 'project' ? {...server, trust: trustLabel(await trust.lookup(root, server.spec.name, server.entry))} : server,
      ),
    )
    if (!this.jsonEnabled()) this.log(formatServerList(listed, styleFor(process.stdout)))
    return listed.map(configuredServerJson)
  }
}
