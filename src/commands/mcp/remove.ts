import {Args, Flags} from '@oclif/core'

import {FaithhCommand} from '../../cli/faithh-command.js'
import {updateConfigFile} from '../../core/config/config-file.js'
import {FaithhError} from '../../core/errors.js'
import {configFiles} from '../../core/mcp/configured.js'

export default class McpRemove extends FaithhCommand {
  static override summary = 'Remove an MCP server from the project config (or, with --user, from your user config).'
  static override examples = ['<%= config.bin %> mcp remove filesystem', '<%= config.bin %> mcp remove github --user']
  static override args = {name: Args.string({description: 'the server to remove', required: true})}
  static override flags = {
    user: Flags.boolean({description: 'remove it from ~/.config/faithh/config.json instead of .faithh/config.json'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(McpRemove)
    const {projectFile, userFile} = await configFiles({cwd: process.cwd()})
    const file = flags.user ? userFile : projectFile
    if (!file) throw new FaithhError('usage', 'no home directory: set HOME or XDG_CONFIG_HOME to use the user config')
    const removed = await updateConfigFile(file, (data) => {
      const servers = data.mcpServers as Record<string, unknown> | undefined
      if (!servers || !Object.hasOwn(servers, args.name)) return false
      delete servers[args.name]
      if (Object.keys(servers).length === 0) delete data.mcpServers
      return true
    })
    if (!removed) {
      const other = flags.user ? 'the project config (drop --user)' : 'your user config (add --user)'
      throw new FaithhError('usage', `no MCP server named "${args.name}" in ${file}`, {
        hint: `it may be in ${other}; \`faithh mcp list\` shows where each comes from`,
      })
    }

    this.logToStderr(`removed MCP server "${args.name}" from ${file}`)
  }
}
