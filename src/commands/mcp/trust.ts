import {Flags} from '@oclif/core'

import {FaithhCommand} from '../../cli/faithh-command.js'
import {FaithhError} from '../../core/errors.js'
import {describeLaunch} from '../../core/mcp/admission.js'
import {configuredServers} from '../../core/mcp/configured.js'
import {trustStore} from '../../core/mcp/trust.js'
import {sandboxLine} from '../../render/mcp-view.js'
import {styleFor} from '../../render/style.js'

interface TrustResult {
  name: string
  trust: 'trusted' | 'forgotten'
  launch?: string
}

export default class McpTrust extends FaithhCommand {
  static override summary = "Trust the MCP servers this project's .faithh/config.json declares (all, or those named), so that they start; --revoke forgets."
  static override description =
    "A project's .faithh/config.json can declare MCP servers, and a cloned repository can ship one: starting it runs the program it names. " +
    "faithh starts a project's server only once you trust it: at a terminal it asks before the first start; without one (scripts, CI) it warns and runs without it, until you run this. " +
    "Shows what each server runs and how. The decision is kept outside the project (trusted-mcp-servers.json beside your user config), by the project's real path and " +
    "the entry's content: an entry that changes is asked about again. --yes never trusts a server. Servers of your user config need no trust. " +
    'Exit codes: 0 done, 2 a name that is not a server of this project.'

  static override examples = [
    '<%= config.bin %> mcp list',
    '<%= config.bin %> mcp trust',
    '<%= config.bin %> mcp trust docs --json',
    '<%= config.bin %> mcp trust --revoke',
  ]
  static override enableJsonFlag = true
  // The servers to trust: any number of names.
  static override strict = false
  static override flags = {
    revoke: Flags.boolean({description: "forget the decisions about these servers (all of the project's without names): they are asked about again"}),
  }

  async run(): Promise<TrustResult[]> {
    const {argv, flags} = await this.parse(McpTrust)
    const names = argv as string[]
    const {servers, root, projectFile} = await configuredServers({cwd: process.cwd()})
    const own = servers.filter((server) => server.source === 'project')
    const unknown = names.filter((name) => !own.some((server) => server.spec.name === name))
    if (unknown.length > 0) {
      const user = unknown.filter((name) => servers.some((server) => server.spec.name === name))
      const hint =
        user.length > 0
          ? `${user.join(', ')} ${user.length > 1 ? 'come' : 'comes'} from your user config, which needs no trust`
          : '`faithh mcp list` shows the configured ones'
      throw new FaithhError('usage', `not a server of ${projectFile}: ${unknown.join(', ')}`, {hint})
    }

    const store = trustStore()
    const chosen = own.filter((server) => names.length === 0 || names.includes(server.spec.name))
    const s = styleFor(process.stdout)
    if (flags.revoke) {
      const dropped = await store.forget(root, names.length > 0 ? names : undefined)
      if (!this.jsonEnabled())
        this.log(
          dropped.length > 0 ? `forgot your decisions about ${dropped.map((name) => `"${name}"`).join(', ')}: asked about again` : 'no decisions to forget',
        )
      return dropped.map((name) => ({name, trust: 'forgotten'}))
    }

    if (chosen.length === 0 && !this.jsonEnabled()) this.log(s.dim(`${projectFile} declares no MCP servers`))
    const results: TrustResult[] = []
    for (const {spec, entry} of chosen) {
      await store.remember(root, spec.name, entry, 'trusted')
      const launch = spec.state === 'ready' ? describeLaunch(spec.launch) : undefined
      results.push({name: spec.name, trust: 'trusted', ...(launch ? {launch} : {})})
      if (this.jsonEnabled()) continue
      this.log(`${s.green('✓')} trusted MCP server ${s.bold(spec.name)}${launch ? `: ${launch}` : ` (${spec.state})`}`)
      if (spec.state === 'ready' && spec.launch.transport === 'stdio') this.log(`    ${sandboxLine(spec.launch.sandbox, s)}`)
    }

    return results
  }
}
