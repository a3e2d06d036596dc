import {Args, Flags} from '@oclif/core'
import path from 'node:path'

import {FaithhCommand} from '../../cli/faithh-command.js'
import {updateConfigFile} from '../../core/config/config-file.js'
import {FaithhError} from '../../core/errors.js'
import {configFiles} from '../../core/mcp/configured.js'
import {trustStore} from '../../core/mcp/trust.js'
import {mcpPermissionSchema} from '../../core/mcp/server-config.js'
import {NETWORK_ACCESS} from '../../core/sandbox/config.js'

export default class McpAdd extends FaithhCommand {
  static override summary = 'Add an MCP server to the project config (or, with --user, to your user config for every project).'
  static override description =
    'A program faithh starts: `faithh mcp add NAME -- COMMAND [ARGS...]` (everything after -- is the command line). ' +
    'A running server: `faithh mcp add NAME --url URL`. The config file is written atomically; an existing server of that name is kept unless --force. ' +
    'Values may use ${VAR} to read secrets from the environment when the server starts. ' +
    "A command runs sandboxed like faithh's commands (writes only in the project, home folder hidden, no network): --network, --read and --write grant it more, --no-sandbox runs it unsandboxed. " +
    "A server you add to the project is trusted there (a project's servers start only once trusted). Then `faithh mcp test NAME` checks it starts."

  static override examples = [
    '<%= config.bin %> mcp add filesystem --write ~/.npm --network full -- npx -y @modelcontextprotocol/server-filesystem .',
    "<%= config.bin %> mcp add github --user --env GITHUB_PERSONAL_ACCESS_TOKEN='${GITHUB_TOKEN}' -- npx -y @modelcontextprotocol/server-github",
    '<%= config.bin %> mcp add docs --url https://mcp.example.com/mcp --header "Authorization: Bearer ${DOCS_TOKEN}" --permission allow',
  ]

  // Everything after the name (and after --) is the server's command line.
  static override strict = false
  static override args = {name: Args.string({description: "the server's name; its tools are offered as <name>__<tool>", required: true})}
  static override flags = {
    user: Flags.boolean({description: 'write ~/.config/faithh/config.json (every project) instead of .faithh/config.json'}),
    url: Flags.string({description: 'address of a running server (streamable HTTP, or SSE with --transport sse) instead of a command'}),
    transport: Flags.string({description: 'how to talk to it (default: stdio for a command, http for --url)', options: ['stdio', 'http', 'sse']}),
    env: Flags.string({description: "KEY=value for the server's environment (repeatable)", multiple: true}),
    header: Flags.string({description: '"Name: value" HTTP header for a --url server (repeatable)', multiple: true}),
    cwd: Flags.string({description: 'working directory of the command (default: the project root)'}),
    permission: Flags.string({
      description: 'calls to its tools: ask each time (default), allow without asking, or deny',
      options: [...mcpPermissionSchema.options],
    }),
    'trust-read-only-hints': Flags.boolean({description: 'believe its readOnlyHint annotations: `faithh ask` may offer those tools'}),
    network: Flags.string({
      description: "network of a sandboxed command: none (default), loopback (this machine's services), full",
      options: [...NETWORK_ACCESS],
    }),
    read: Flags.string({description: 'a host path the sandboxed command may also read, e.g. ~/data (repeatable)', multiple: true}),
    write: Flags.string({description: 'a host path the sandboxed command may also write, e.g. ~/.npm for npx (repeatable)', multiple: true}),
    sandbox: Flags.boolean({
      description: 'run the command sandboxed (default); --no-sandbox writes "sandbox": false: it runs with all your rights',
      allowNo: true,
    }),
    force: Flags.boolean({description: 'replace a server of the same name'}),
  }

  async run(): Promise<void> {
    const {args, argv, flags} = await this.parse(McpAdd)
    const commandLine = (argv as string[]).slice(1)
    if (flags.url && commandLine.length > 0) throw new FaithhError('usage', 'give either --url or a command after --, not both')
    if (!flags.url && commandLine.length === 0) {
      throw new FaithhError('usage', `say how to reach "${args.name}"`, {
        hint: `faithh mcp add ${args.name} -- <command> [args...], or faithh mcp add ${args.name} --url <url>`,
      })
    }

    const entry: Record<string, unknown> = flags.url ? {url: flags.url} : {command: commandLine[0], args: commandLine.slice(1)}
    if (flags.transport) entry.type = flags.transport
    if (flags.env?.length) entry.env = pairs(flags.env, '=', '--env KEY=value')
    if (flags.header?.length) entry.headers = pairs(flags.header, ':', '--header "Name: value"')
    if (flags.cwd) entry.cwd = flags.cwd
    if (flags.permission) entry.permission = flags.permission
    if (flags['trust-read-only-hints']) entry.trustReadOnlyHints = true
    const grants = flags.network || flags.read?.length || flags.write?.length
    if (grants && (flags.url || flags.sandbox === false)) throw new FaithhError('usage', '--network, --read and --write are for a command that runs sandboxed')
    if (flags.sandbox === false) entry.sandbox = false
    if (grants)
      entry.sandbox = {
        ...(flags.network ? {network: flags.network} : {}),
        ...(flags.read?.length ? {read: flags.read} : {}),
        ...(flags.write?.length ? {write: flags.write} : {}),
      }

    const {projectFile, userFile} = await configFiles({cwd: process.cwd()})
    const file = flags.user ? userFile : projectFile
    if (!file) throw new FaithhError('usage', 'no home directory: set HOME or XDG_CONFIG_HOME to use the user config')
    let existed = false
    await updateConfigFile(file, (data) => {
      const servers = (data.mcpServers ??= {}) as Record<string, unknown>
      existed = Object.hasOwn(servers, args.name)
      if (existed && !flags.force)
        throw new FaithhError('usage', `an MCP server named "${args.name}" is already in ${file}`, {hint: 'pick another name, or add --force to replace it'})
      servers[args.name] = entry
      return true
    })
    // You typed its command line: a server you add to the project is one you trust there.
    if (!flags.user) await trustStore().remember(path.dirname(path.dirname(projectFile)), args.name, entry, 'trusted')
    const trusted = flags.user ? '' : ' (trusted in this project)'
    this.logToStderr(`${existed ? 'replaced' : 'added'} MCP server "${args.name}" in ${file}${trusted} — check it with \`faithh mcp test ${args.name}\``)
  }
}

function pairs(items: string[], separator: string, form: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of items) {
    const at = item.indexOf(separator)
    if (at <= 0) throw new FaithhError('usage', `"${item}" is not ${form}`)
    out[item.slice(0, at).trim()] = item.slice(at + 1).trim()
  }

  return out
}
