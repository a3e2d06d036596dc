import {stat} from 'node:fs/promises'
import {Flags} from '@oclif/core'

import {FaithhCommand} from '../../cli/faithh-command.js'
import {openWorkspace} from '../../core/agent/workspace.js'
import {FaithhError} from '../../core/errors.js'

export default class McpServe extends FaithhCommand {
  static override summary = "Serve this project's index to other agents over MCP (stdio): search_codebase, search_files, read_file, index_status."
  static override description =
    'For Claude Code, Codex and any MCP client: all tools are read-only, read only inside the project, and refuse secrets (permissions.forbidden). ' +
    'search_codebase is hybrid (vectors + BM25) when `faithh index` made vectors, lexical otherwise. stdout carries only the protocol; logs go to stderr. ' +
    'Add it to Claude Code with `claude mcp add faithh -- faithh mcp serve` (run in the project).'

  static override examples = ['<%= config.bin %> mcp serve', '<%= config.bin %> mcp serve --project ~/code/my-app']
  static override flags = {
    project: Flags.string({description: 'the project to serve (default: the current directory)'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(McpServe)
    if (
      flags.project &&
      !(await stat(flags.project).then(
        (info) => info.isDirectory(),
        () => false,
      ))
    ) {
      throw new FaithhError('usage', `${flags.project} is not a directory`, {hint: 'give --project the folder of the project to serve'})
    }

    const workspace = this.closeWhenDone(await openWorkspace({cwd: flags.project ?? process.cwd()}))
    const {serveIndex} = await import('../../core/mcp/serve/index-server.js')
    process.stderr.write(`faithh mcp serve: serving ${workspace.root} on stdio\n`)
    await serveIndex(workspace)
  }
}
