import type {UndoReport} from '../core/changes/undo.js'
import {SLASH_COMMANDS} from '../core/session/slash-commands.js'
import type {SessionSummary} from '../core/session/store.js'
import {colorDiff} from './diff-view.js'
import {styleFor} from './style.js'

/** What `faithh chat` says itself, around the agent's events: on stderr, so stdout stays the answers. */
export function chatView(stderr: NodeJS.WriteStream = process.stderr) {
  const style = styleFor(stderr)
  const say = (text: string): void => {
    stderr.write(text + '\n')
  }
  return {
    say,
    prompt: style.bold('chat> '),
    banner(model: string, id: string, turns: number) {
      const resumed = turns > 0 ? `, resumed after ${turns} turn${turns === 1 ? '' : 's'}` : ''
      say(style.bold(`faithh chat — ${model}`) + style.dim(` (session ${id}${resumed})`))
      say(style.dim('/help lists the commands; /exit or Ctrl-D leaves'))
    },
    help() {
      const width = Math.max(...SLASH_COMMANDS.map((command) => command.usage.length))
      for (const command of SLASH_COMMANDS) say(`  ${style.cyan(command.usage.padEnd(width))}  ${command.summary}`)
      say(style.dim('  anything else is a message; start it with // to send a message that begins with /'))
    },
    notice: (message: string) => say(style.yellow(message)),
    error: (message: string) => say(style.red(`error: ${message}`)),
    models(models: {name: string}[], current: string) {
      say(`model: ${style.bold(current)}`)
      for (const model of models) say(`  ${model.name === current ? style.green('●') : ' '} ${model.name}`)
      say(style.dim('switch with /model <name>'))
    },
    undo(report: UndoReport) {
      if (!report.run) return say('nothing to undo in this session')
      for (const file of report.files) say(`  ${file.action} ${file.rel}${file.reason ? ` — ${file.reason}` : ''}`)
      if (report.files.length === 0) say('  (that turn changed no files)')
    },
    diff(diff: string) {
      say(diff ? colorDiff(diff.trimEnd(), style) : 'this session has changed no files')
    },
    sessions(list: SessionSummary[]) {
      if (list.length === 0) return say('no saved sessions — start one with `faithh chat`')
      for (const session of list)
        say(`${session.id}  ${style.dim(`${session.updatedAt.slice(0, 16).replace('T', ' ')}  ${session.turns} turns  ${session.model}`)}  ${session.title}`)
    },
    saved(id: string) {
      say(style.dim(`session saved — continue it with \`faithh chat --resume ${id}\``))
    },
  }
}

export type ChatView = ReturnType<typeof chatView>
