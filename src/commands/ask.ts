import {Args, Flags} from '@oclif/core'

import {agentFlags, configFromFlags} from '../cli/flags.js'
import {chooseConfirmer} from '../cli/confirmer.js'
import {openAgentWorkspace} from '../cli/agent-workspace.js'
import {ExitCode} from '../cli/exit-codes.js'
import {FaithhCommand} from '../cli/faithh-command.js'
import {driveAgent} from '../cli/run-agent.js'
import {runAgent} from '../core/agent/loop.js'
import {systemPrompt} from '../core/agent/prompt.js'
import {prepareQuestion} from '../core/rag/ask-context.js'
import {readOnlyTools} from '../core/tools/index.js'
import {searchCodebaseTool} from '../core/tools/search-codebase.js'
import {describeRetrieval} from '../render/index-report.js'
import {styleFor} from '../render/style.js'
import {jsonLinesRenderer, terminalRenderer} from '../render/terminal.js'

export default class Ask extends FaithhCommand {
  static override summary = 'Ask a question about this project; the agent reads and searches the code to answer.'
  static override description =
    'Runs the agent with read-only tools (read_file, list_directory, search_code, and search_codebase once `faithh index` has run): it never changes files. ' +
    'With an index, the best-matching code goes in front of the question (--no-rag to turn that off). ' +
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

  static override flags = {
    ...agentFlags,
    'no-rag': Flags.boolean({
      description: 'do not put code retrieved from the index (`faithh index`) in front of the question (search_codebase is still offered)',
    }),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Ask)
    const workspace = this.closeWhenDone(await openAgentWorkspace(this.config, configFromFlags(flags)))
    // Read-only, but a read outside the project still asks; without a terminal that is refused.
    const access = workspace.openAccess({confirmer: chooseConfirmer(false), command: `ask ${args.question}`})
    try {
      const instructions = await workspace.loadInstructions(access, {text: args.question})
      const question = await prepareQuestion(args.question, workspace.retriever, {
        retrieve: !flags['no-rag'],
        contextWindow: () => workspace.llm.contextWindow(),
        share: workspace.config.rag.contextShare,
      })
      if (!flags.json) for (const line of describeRetrieval(question)) process.stderr.write(styleFor(process.stderr).dim(line) + '\n')
      const {exitCode, needsApproval} = await driveAgent(
        (signal) =>
          runAgent({
            llm: workspace.llm,
            tools: [...readOnlyTools, ...(question.indexed ? [searchCodebaseTool] : []), ...workspace.pluginTools.filter((tool) => tool.readOnly)],
            system: systemPrompt({
              task: "Answer the user's questions about the code. You can read and search files but not change them.",
              instructions: instructions.text,
            }),
            instructions: instructions.report,
            messages: [{role: 'user', content: question.message}],
            toolContext: workspace.toolContext(signal, access),
            maxSteps: workspace.config.maxSteps,
          }),
        flags.json ? jsonLinesRenderer() : terminalRenderer(),
      )
      if (exitCode !== 0) this.exit(exitCode)
      // Scripts must notice an answer given without something the model asked to read.
      if (needsApproval) this.exit(ExitCode.refused)
    } finally {
      await workspace.retriever.close()
    }
  }
}
