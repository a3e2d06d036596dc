import {Command, Flags} from '@oclif/core'

import {handleCommandError} from '../cli/errors.js'
import {ExitCode} from '../cli/exit-codes.js'
import {pluginTools} from '../cli/plugins.js'
import {stderrNotice} from '../cli/notice.js'
import {openWorkspace} from '../core/agent/workspace.js'
import {startChatServer} from '../server/chat-server.js'
import {isLoopback} from '../server/guard.js'
import {styleFor} from '../render/style.js'

export default class Serve extends Command {
  static override summary = 'Open the web UI: chat with the agent in a browser, with live tool calls and approve/deny buttons.'
  static override description =
    'Serves a single-page UI and its API (POST /api/agent/chat streams the agent\'s events as Server-Sent Events) on this machine only. ' +
    'Every request needs the random token in the printed URL, and must come from this server\'s own page (Host and Origin are checked). ' +
    'Listening beyond loopback needs --allow-remote.'

  static override examples = ['<%= config.bin %> serve', '<%= config.bin %> serve --port 8080 --model qwen2.5-coder:14b']

  static override flags = {
    port: Flags.integer({char: 'p', description: 'port to listen on (0: any free port)', default: 5557, min: 0, max: 65_535}),
    host: Flags.string({description: 'address to listen on; only loopback unless --allow-remote', default: '127.0.0.1'}),
    'allow-remote': Flags.boolean({description: 'allow a non-loopback --host: anyone who can reach the port and has the token can drive the agent'}),
    'confirm-timeout': Flags.integer({description: 'seconds a confirmation waits for an answer in the browser before it is refused', default: 300, min: 5}),
    model: Flags.string({char: 'm', description: 'default Ollama model (the page can pick another)', helpGroup: 'MODEL'}),
    'ollama-host': Flags.string({description: 'Ollama server URL (env OLLAMA_HOST, config "host")', helpGroup: 'MODEL'}),
    'num-ctx': Flags.integer({description: 'context window to request from Ollama, capped by the model (config "numCtx")', min: 2048, helpGroup: 'MODEL'}),
    'max-steps': Flags.integer({description: 'maximum model requests per message (config "maxSteps")', min: 1, max: 200}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Serve)
    const style = styleFor(process.stderr)
    if (!isLoopback(flags.host) && !flags['allow-remote']) {
      this.error(
        `refusing to listen on ${flags.host}: the agent behind this server reads, changes and runs things in your project. ` +
          'Keep the default 127.0.0.1, or add --allow-remote if other machines really must reach it.',
        {exit: ExitCode.usage},
      )
    }

    try {
      const workspace = await openWorkspace({
        cwd: process.cwd(),
        flags: {model: flags.model, host: flags['ollama-host'], numCtx: flags['num-ctx'], maxSteps: flags['max-steps']},
        pluginTools: await pluginTools(this.config),
        notify: stderrNotice,
      })
      const server = await startChatServer({workspace, host: flags.host, port: flags.port, confirmTimeoutMs: flags['confirm-timeout'] * 1000}).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') this.error(`port ${flags.port} is already in use — pick another with --port`, {exit: ExitCode.usage})
        if (error.code === 'EADDRNOTAVAIL') this.error(`${flags.host} is not an address of this machine`, {exit: ExitCode.usage})
        throw error
      })
      if (!isLoopback(flags.host)) {
        process.stderr.write(style.yellow(`warning: listening on ${flags.host}, beyond this machine. Anyone who can reach port ${new URL(server.origin).port} and has the token can read, change and run things in ${workspace.root}; the traffic is not encrypted.\n`))
      }

      this.log(`faithh web UI for ${workspace.root}: ${server.pageUrl}`)
      this.logToStderr(style.dim('open that URL in a browser (the token in it is needed); Ctrl-C stops the server'))
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
      await server.close()
    } catch (error) {
      handleCommandError(this, error)
    }
  }
}
