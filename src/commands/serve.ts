import {Flags} from '@oclif/core'

import {FaithhCommand} from '../cli/faithh-command.js'
import {openAgentWorkspace} from '../cli/agent-workspace.js'
import {FaithhError} from '../core/errors.js'
import {startChatServer} from '../server/chat-server.js'
import {isLoopback} from '../server/guard.js'
import {styleFor} from '../render/style.js'

export default class Serve extends FaithhCommand {
  static override summary = 'Open the web UI: chat with the agent in a browser, with live tool calls and approve/deny buttons.'
  static override description =
    "Serves a single-page UI and its API (POST /api/agent/chat streams the agent's events as Server-Sent Events) on this machine only. " +
    "Every request needs the random token in the printed URL, and must come from this server's own page (Host and Origin are checked). " +
    'Listening beyond loopback needs --allow-remote.'

  static override examples = ['<%= config.bin %> serve', '<%= config.bin %> serve --port 8080 --model qwen2.5-coder:14b']

  static override flags = {
    port: Flags.integer({helpValue: 'N', char: 'p', description: 'port to listen on (0: any free port)', default: 5557, min: 0, max: 65_535}),
    host: Flags.string({helpValue: 'ADDR', description: 'address to listen on; only loopback unless --allow-remote', default: '127.0.0.1'}),
    'allow-remote': Flags.boolean({description: 'allow a non-loopback --host: anyone who can reach the port and has the token can drive the agent'}),
    'confirm-timeout': Flags.integer({
      helpValue: 'SECONDS',
      description: 'seconds a confirmation waits for an answer in the browser before it is refused',
      default: 300,
      min: 5,
    }),
    model: Flags.string({helpValue: 'NAME', char: 'm', description: 'default Ollama model (the page can pick another)', helpGroup: 'MODEL'}),
    'ollama-host': Flags.string({helpValue: 'URL', description: 'Ollama server URL (env OLLAMA_HOST, config "host")', helpGroup: 'MODEL'}),
    'num-ctx': Flags.integer({
      helpValue: 'N',
      description: 'context window to request from Ollama, capped by the model (config "numCtx")',
      min: 2048,
      helpGroup: 'MODEL',
    }),
    'max-steps': Flags.integer({helpValue: 'N', description: 'maximum model requests per message (config "maxSteps")', min: 1, max: 200}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Serve)
    const style = styleFor(process.stderr)
    if (!isLoopback(flags.host) && !flags['allow-remote']) {
      throw new FaithhError(
        'usage',
        `refusing to listen on ${flags.host}: the agent behind this server reads, changes and runs things in your project. ` +
          'Keep the default 127.0.0.1, or add --allow-remote if other machines really must reach it.',
      )
    }

    const workspace = this.closeWhenDone(
      await openAgentWorkspace(this.config, {model: flags.model, host: flags['ollama-host'], numCtx: flags['num-ctx'], maxSteps: flags['max-steps']}),
    )
    const server = await startChatServer({workspace, host: flags.host, port: flags.port, confirmTimeoutMs: flags['confirm-timeout'] * 1000}).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE')
          throw new FaithhError('usage', `port ${flags.port} is already in use`, {hint: 'pick another with --port', cause: error})
        if (error.code === 'EADDRNOTAVAIL') throw new FaithhError('usage', `${flags.host} is not an address of this machine`, {cause: error})
        throw error
      },
    )
    if (!isLoopback(flags.host)) {
      process.stderr.write(
        style.yellow(
          `warning: listening on ${flags.host}, beyond this machine. Anyone who can reach port ${new URL(server.origin).port} and has the token can read, change and run things in ${workspace.root}; the traffic is not encrypted.\n`,
        ),
      )
    }

    this.log(`faithh web UI for ${workspace.root}: ${server.pageUrl}`)
    this.logToStderr(style.dim('open that URL in a browser (the token in it is needed); Ctrl-C stops the server'))
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    await server.close()
  }
}
