import {Args, Flags} from '@oclif/core'

import {runChatTerminal} from '../cli/chat-terminal.js'
import {chooseConfirmer} from '../cli/confirmer.js'
import {ExitCode} from '../cli/exit-codes.js'
import {FaithhCommand} from '../cli/faithh-command.js'
import {agentFlags, configFromFlags} from '../cli/flags.js'
import {openAgentWorkspace} from '../cli/agent-workspace.js'
import {hasTerminal} from '../core/access/confirm.js'
import {openWorkspace} from '../core/agent/workspace.js'
import {FaithhError} from '../core/errors.js'
import {openChatSession} from '../core/session/open-session.js'
import {SessionStore} from '../core/session/store.js'
import {chatView} from '../render/chat-view.js'

export default class Chat extends FaithhCommand {
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
    resume: Flags.boolean({
      description: 'continue a saved session (the id given, or the most recent): its messages are sent again, and its model used unless --model',
    }),
    list: Flags.boolean({description: 'list saved sessions, newest first (with --json: as JSON)'}),
    rag: Flags.boolean({
      description: 'put the best-matching code from the project index (`faithh index`) in front of each message (search_codebase is offered either way)',
    }),
    yes: Flags.boolean({char: 'y', description: "approve every confirmation (the policy's denials still hold)"}),
    ...agentFlags,
    json: Flags.boolean({description: "print the session's events as JSON lines on stdout (agent events plus session, compacted, notice)"}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Chat)
    if (args.id && !flags.resume) throw new FaithhError('usage', `to continue session ${args.id}, run \`faithh chat --resume ${args.id}\``)
    const workspace = this.closeWhenDone(
      flags.list
        ? await openWorkspace({cwd: process.cwd(), flags: configFromFlags(flags)})
        : await openAgentWorkspace(this.config, configFromFlags(flags), {yes: flags.yes}),
    )
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
  }
}
