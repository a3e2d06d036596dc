import {FaithhCommand} from '../../cli/faithh-command.js'
import {configuredServers} from '../../core/mcp/configured.js'
import {configuredServerJson, formatServerList} from '../../render/mcp-view.js'
import {styleFor} from '../../render/style.js'

export default class McpList extends FaithhCommand {
  static override summary = 'List the MCP servers configured for this project (user and project config), without starting them.'
  static override description =
    'Servers come from "mcpServers" in ~/.config/faithh/config.json and .faithh/config.json (the project\'s entry wins for a name in both). ' +
    'Shows how each starts, its permission, and config keys faithh ignores (another agent\'s, or a misspelling). `faithh mcp test` starts them and lists their tools.'

  static override examples = ['<%= config.bin %> mcp list', '<%= config.bin %> mcp list --json | jq -r \'.[].name\'']
  static override enableJsonFlag = true

  async run(): Promise<ReturnType<typeof configuredServerJson>[]> {
    await this.parse(McpList)
    const {servers} = await configuredServers({cwd: process.cwd()})
    if (!this.jsonEnabled()) this.log(formatServerList(servers, styleFor(process.stdout)))
    return servers.map(configuredServerJson)
  }
}
