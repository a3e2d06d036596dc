import {Args, Command} from '@oclif/core'

import {agentFlags, configFromFlags} from '../cli/flags.js'
import {handleCommandError} from '../cli/errors.js'
import {chooseConfirmer} from '../cli/confirmer.js'
import {driveAgent} from '../cli/run-agent.js'
import {runAgent} from '../core/agent/loop.js'
import {systemPrompt} from '../core/agent/prompt.js'
import {openWorkspace} from '../core/agent/workspace.js'
import {readOnlyTools} from '../core/tools/index.js'
import {jsonLinesRenderer, terminalRenderer} from '../render/terminal.js'

export default class Ask extends Command {
  static override summary = 'Ask a question about this project; the agent reads and searches the code to answer.'
  static override description =
    'Runs the agent with read-only tools (read_file, list_directory, search_code): it never changes files. ' +
    'The answer streams to stdout; tool activity goes to stderr. With --json, every agent event is printed as one JSON object per line ' +
    '(types: start, text, tool_call, tool_result, usage, final, error); the last line is "final" or "error".'

  static override examples = [
    '<%= config.bin %> ask "what does src/server.ts do?"',
    '<%= config.bin %> ask "where is the retry logic?" --model qwen2.5-coder:14b',
    '<%= config.bin %> ask "list the HTTP routes" --json | jq -r \'select(.type=="final").text\'',
  ]

  static override args = {
    question: Args.string({description: 'the question, in quotes', required: true}),
  }

  static override flags = agentFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Ask)
    try {
      const workspace = await openWorkspace({cwd: process.cwd(), flags: configFromFlags(flags)})
      // Read-only, but a read outside the project still asks; without a terminal that is refused.
      const access = workspace.openAccess({confirmer: chooseConfirmer(false), command: `ask ${args.question}`})
      const {exitCode} = await driveAgent(
        (signal) =>
          runAgent({
            llm: workspace.llm,
            tools: readOnlyTools,
            system: systemPrompt({task: 'Answer the user\'s questions about the code. You can read and search files but not change them.'}),
            messages: [{role: 'user', content: args.question}],
            toolContext: workspace.toolContext(signal, access),
            maxSteps: workspace.config.maxSteps,
          }),
        flags.json ? jsonLinesRenderer() : terminalRenderer(),
      )
      if (exitCode !== 0) this.exit(exitCode)
    } catch (error) {
      handleCommandError(this, error)
    }
  }
}
