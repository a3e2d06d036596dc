import {createInterface} from 'node:readline'

/** Where `faithh chat` gets the user's turns: undefined means the user is done (EOF, Ctrl-D, Ctrl-C on an empty line). */
export interface LineReader {
  read(prompt: string): Promise<string | undefined>
  close(): void
}

/**
 * At a terminal: a fresh readline for each line, closed before the turn runs, so the inquirer
 * prompts of confirmations own stdin while they ask, and Ctrl-C during a turn reaches the SIGINT
 * handler that cancels it. Up-arrow history is carried from one line to the next.
 */
export function terminalLineReader(input: NodeJS.ReadStream, output: NodeJS.WriteStream): LineReader {
  let history: string[] = []
  return {
    read: (prompt) =>
      new Promise((resolve) => {
        const rl = createInterface({input, output, terminal: true, history, historySize: 200, removeHistoryDuplicates: true})
        let done = false
        const finish = (line: string | undefined) => {
          if (done) return
          done = true
          rl.close()
          resolve(line)
        }

        rl.on('history', (lines: string[]) => {
          history = lines
        })
        rl.on('close', () => finish(undefined))
        rl.on('SIGINT', () => {
          if (!rl.line) return finish(undefined)
          rl.write(null, {ctrl: true, name: 'e'})
          rl.write(null, {ctrl: true, name: 'u'})
        })
        rl.question(prompt, (line) => finish(line))
      }),
    close() {},
  }
}

/** From a pipe or a file: one turn per line, so a script can hold a conversation; EOF ends it. */
export function pipedLineReader(input: NodeJS.ReadableStream): LineReader {
  const rl = createInterface({input, terminal: false, crlfDelay: Infinity})
  const lines = rl[Symbol.asyncIterator]()
  return {
    async read() {
      const next = await lines.next()
      return next.done ? undefined : next.value
    },
    close: () => rl.close(),
  }
}
