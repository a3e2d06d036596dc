import {ExitCode, exitCodeForError} from '../cli/exit-codes.js'
import {FaithhCommand} from '../cli/faithh-command.js'
import {configFromFlags, modelFlags} from '../cli/flags.js'
import {openWorkspace} from '../core/agent/workspace.js'
import {diagnose, type DoctorReport} from '../core/llm/diagnose.js'
import {checkMcpServers} from '../core/mcp/check.js'
import {serversOf} from '../core/mcp/configured.js'
import type {McpServerStatus} from '../core/mcp/servers.js'
import {diagnoseSandbox, type SandboxDiagnosis} from '../core/sandbox/diagnose.js'
import {formatServerStatuses} from '../render/mcp-view.js'
import {formatSandboxDiagnosis} from '../render/sandbox-report.js'
import {styleFor} from '../render/style.js'

type DoctorOutput = DoctorReport & {mcpServers: McpServerStatus[]; sandbox: SandboxDiagnosis}

export default class Doctor extends FaithhCommand {
  static override summary = 'Check that Ollama is reachable, the configured model is ready for faithh, and commands are sandboxed.'
  static override description =
    'Checks the Ollama server, lists its models, checks the configured model is pulled and supports tools, and shows the context window faithh will request. ' +
    'Starts each configured MCP server (5 s at most) and counts its tools. ' +
    'Then starts a sandbox and tries to escape it (a read and a write outside the project, a connection to this machine), and says what it isolates. ' +
    'Exit codes: 0 ready, 3 Ollama unreachable, 4 model not pulled, 1 other problems (an MCP server that does not start, too).'

  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --model llama3.1:8b --json']
  static override enableJsonFlag = true
  static override flags = modelFlags

  async run(): Promise<DoctorOutput> {
    const {flags} = await this.parse(Doctor)
    const workspace = await openWorkspace({cwd: process.cwd(), flags: configFromFlags(flags)})
    const [ollama, mcpServers, sandbox] = await Promise.all([
      diagnose(workspace.llm, workspace.config.host),
      serversOf(workspace).then(({servers}) => checkMcpServers(servers, {sandbox: workspace.sandbox, startTimeoutMs: 5000})),
      diagnoseSandbox(workspace.sandbox),
    ])
    // The servers' own lines show their failures; the problem list (JSON, exit code) has them too.
    const serverProblems = mcpServers
      .filter((status) => status.state === 'failed' || status.state === 'invalid')
      .map((status) => ({code: 'failure' as const, message: `MCP server ${status.name}: ${status.message}`}))
    const report: DoctorOutput = {...ollama, problems: [...ollama.problems, ...serverProblems], mcpServers, sandbox}
    report.ok = report.problems.length === 0
    if (!this.jsonEnabled()) this.log(renderReport(report, ollama.problems, workspace.configFile))

    if (!report.ok) {
      process.exitCode = exitCodeForError(report.problems[0]?.code ?? 'failure')
      if (!this.jsonEnabled()) this.exit(process.exitCode || ExitCode.failure)
    }

    return report
  }
}

/** `problems`: those not shown elsewhere in the report (Ollama's). */
function renderReport(report: DoctorOutput, problems: DoctorOutput['problems'], configFile?: string): string {
  const s = styleFor(process.stdout)
  const good = (text: string) => `${s.green('✓')} ${text}`
  const bad = (text: string) => `${s.red('✗')} ${text}`
  const lines = [s.dim(`config: ${configFile ?? 'defaults (no .faithh/config.json)'}`)]
  if (report.ollamaVersion) lines.push(good(`Ollama ${report.ollamaVersion} at ${report.host}`))
  if (report.models.length > 0) lines.push(s.dim(`  models: ${report.models.join(', ')}`))
  if (report.pulled) lines.push(good(`model ${report.model} is pulled`))
  if (report.toolMode === 'native') lines.push(good('native tool calls supported'))
  if (report.toolMode === 'text') {
    lines.push(`${s.yellow('!')} no native tool support: faithh will describe tools in the prompt (${report.dialect} format) and parse them from text`)
  }
  if (report.numCtx) {
    const max = report.contextLength ? ` (model maximum ${report.contextLength})` : ''
    lines.push(good(`context window: ${report.numCtx} tokens${max}`))
  }

  lines.push(...formatServerStatuses(report.mcpServers, s, {tools: false}))
  for (const problem of problems) lines.push(bad(problem.message))
  lines.push(...formatSandboxDiagnosis(report.sandbox, s))
  return lines.join('\n')
}
