import {Args, Command, Flags} from '@oclif/core'

import {runChatTerminal} from '../cli/chat-terminal.js'
import {chooseConfirmer} from '../cli/confirmer.js'
import {handleCommandError} from '../cli/errors.js'
import {ExitCode} from '../cli/exit-codes.js'
import {agentFlags, configFromFlags} from '../cli/flags.js'
import {pluginTools} from '../cli/plugins.js'
import {stderrNotice} from '../cli/notice.js'
import {hasTerminal} from '../core/access/confirm.js'
import {openWorkspace} from '../core/agent/workspace.js'
import {openChatSession} from '../core/session/open-session.js'
import {SessionError, SessionStore} from '../core/session/store.js'
import {chatView} from '../render/chat-view.js'

export default class Chat extends Command {
  static override summary = 'Talk with the agent about this project, turn after turn; it reads, edits and runs with your approval.'
  static override description =
    'An interactive session with the full tool set: answers stream, tool calls show as they happen, writes and commands are confirmed inline. ' +
    'Slash commands: /help, /model [name], /clear, /undo, /diff, /exit. Sessions are saved in .faithh/sessions/<id>.json after every turn; ' +
    '--resume continues one. Without a terminal, turns are read from stdin one per line and confirmations are refused (or approved with --yes).'

  static override examples = [
    '<%= config.bin %> chat',
    '<%= config.bin %> chat --resume',
    '<%= config.bin %> chat --resume 20261125-093012-7f3a',
    'printf "what does src/app.ts do?\\nand where is it tested?\\n" | <%= config.bin %> chat',
  ]

  static override args = {
    // stdin is the conversation, never the id (oclif would otherwise read a piped stdin as the argument).
    id: Args.string({description: 'with --resume: the session to continue (default the most recent)', ignoreStdin: true}),
  }
  static override flags = {
    resume: Flags.boolean({description: 'continue a saved session (the id given, or the most recent)'}),
    list: Flags.boolean({description: 'list saved sessions, newest first'}),
    rag: Flags.boolean({description: 'put the best-matching code from the project index (`faithh index`) in front of each message'}),
    yes: Flags.boolean({char: 'y', description: 'approve every confirmation (the policy\'s denials still hold)'}),
    ...agentFlags,
    json: Flags.boolean({description: 'print the session\'s events as JSON lines on stdout (agent events plus session, compacted, notice)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Chat)
    if (args.id && !flags.resume) this.error(`to continue session ${args.id}, run \`faithh chat --resume ${args.id}\``, {exit: ExitCode.usage})
    try {
      const workspace = await openWorkspace({cwd: process.cwd(), flags: configFromFlags(flags), pluginTools: flags.list ? [] : await pluginTools(this.config), notify: stderrNotice})
      if (flags.list) {
        const sessions = await new SessionStore(workspace.root).list()
        if (flags.json) this.log(JSON.stringify(sessions))
        else chatView(process.stdout).sessions(sessions)
        return
      }

      const session = await openChatSession(workspace, {
        confirmer: chooseConfirmer(flags.yes),
        resume: flags.resume ? (args.id ?? true) : undefined,
        model: flags.model,
      })
      // Fail before the first prompt, not after the user typed a question: Ollama down, model not pulled.
      await session.llm.modelInfo()
      const exitCode = await runChatTerminal(session, {interactive: hasTerminal(), json: flags.json, useRag: flags.rag})
      if (exitCode !== ExitCode.ok) this.exit(exitCode)
    } catch (error) {
      if (error instanceof SessionError) this.error(error.message, {exit: ExitCode.usage})
      handleCommandError(this, error)
    }
  }
}
