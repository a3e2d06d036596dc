import {Args, Flags} from '@oclif/core'

import {chooseConfirmer} from '../cli/confirmer.js'
import {ExitCode} from '../cli/exit-codes.js'
import {FaithhCommand} from '../cli/faithh-command.js'
import {agentFlags, configFromFlags} from '../cli/flags.js'
import {openAgentWorkspace} from '../cli/agent-workspace.js'
import {pluginTemplateDirs, warnOnce} from '../cli/plugins.js'
import {driveAgent} from '../cli/run-agent.js'
import {hasTerminal} from '../core/access/confirm.js'
import {openWorkspace} from '../core/agent/workspace.js'
import {FaithhError} from '../core/errors.js'
import {stagedDiff} from '../core/tasks/edit-task.js'
import {completeGeneration, stageGeneration} from '../core/tasks/gen-task.js'
import {listTemplates, templateSources} from '../core/templates/catalog.js'
import {parseVarFlags} from '../core/templates/variables.js'
import {colorDiff} from '../render/diff-view.js'
import {styleFor} from '../render/style.js'
import {formatTemplateList, templateJson} from '../render/template-list.js'
import {terminalRenderer} from '../render/terminal.js'
import {terminalVariablePrompt} from '../render/variable-prompt.js'

export interface GenResult {
  template: string
  applied: boolean
  files: {path: string; action: 'create' | 'change'}[]
  diff: string
  error?: string
}

export default class Gen extends FaithhCommand {
  static override summary = 'Generate code from a template (built-in, project or plugin), review the diff, and write it.'
  static override description =
    'Variables come from --var key=value; missing required ones are asked for at a terminal, and are an error (exit 2) without one. ' +
    'All files are staged and shown as one diff; --yes writes without asking, --dry-run only prints. With --ai the model then completes ' +
    'the generated code as instructed, on the staged files, before the review. Written files can be reverted with `faithh undo`.'

  static override examples = [
    '<%= config.bin %> gen --list',
    '<%= config.bin %> gen api_endpoint --var name=user --var method=post',
    '<%= config.bin %> gen react_component --var name="user card" --out web --dry-run',
    '<%= config.bin %> gen test_function --var name=slugify --ai "cover empty strings and unicode" --yes',
  ]

  static override args = {template: Args.string({description: 'the template to use (see --list)'})}
  static override flags = {
    list: Flags.boolean({char: 'l', description: 'list the templates: name, where each comes from (built-in, project or a plugin), summary'}),
    var: Flags.string({
      description: 'a variable (repeatable); missing required ones are asked for at a terminal, an error without one',
      multiple: true,
      helpValue: 'key=value',
    }),
    out: Flags.string({
      helpValue: 'DIR',
      char: 'o',
      description: "folder the template's paths are relative to, inside the project (default: the project root)",
    }),
    ai: Flags.string({
      helpValue: 'INSTRUCTION',
      description: 'after rendering, have the model complete the code as instructed, on the staged files, before the review',
    }),
    yes: Flags.boolean({char: 'y', description: 'write without asking'}),
    'dry-run': Flags.boolean({description: 'print the diff and write nothing'}),
    ...agentFlags,
    json: Flags.boolean({description: 'print {template, applied, files, diff} as JSON on stdout (with --list: the templates)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Gen)
    if (!flags.list && !args.template)
      throw new FaithhError('usage', 'name a template, e.g. `faithh gen api_endpoint`', {hint: '`faithh gen --list` shows them'})
    const result: GenResult = {template: args.template ?? '', applied: false, files: [], diff: ''}
    const workspace = this.closeWhenDone(
      flags.ai
        ? await openAgentWorkspace(this.config, configFromFlags(flags), {yes: flags.yes})
        : await openWorkspace({cwd: process.cwd(), flags: configFromFlags(flags)}),
    )
    if (flags.list) return this.list(workspace.root, flags.json)

    const confirmer = chooseConfirmer(flags.yes)
    const access = workspace.openAccess({confirmer, command: `gen ${args.template}`, mode: 'staged'})
    const staged = await stageGeneration(workspace, access, {
      template: args.template!,
      vars: parseVarFlags(flags.var ?? []),
      out: flags.out,
      cwd: process.cwd(),
      pluginTemplates: pluginTemplateDirs(this.config),
      ask: hasTerminal() && !flags.json ? terminalVariablePrompt() : undefined,
    })
    if (flags.ai) {
      const instruction = flags.ai
      const run = await driveAgent(
        (signal) => completeGeneration(workspace, access, {staged, instruction, signal}),
        terminalRenderer(process.stderr, process.stderr),
      )
      if (run.exitCode !== ExitCode.ok) {
        result.error = `nothing written: the model did not finish (${run.error ?? run.outcome.status})`
        if (!flags.json) this.logToStderr(`error: ${result.error}`)
        return this.finish(result, flags.json, run.exitCode)
      }
    }

    result.diff = await stagedDiff(access)
    result.files = access.stagedChanges().map((change) => ({path: change.rel, action: change.before ? 'change' : 'create'}))
    if (!flags.json) this.report(result)
    if (result.diff && !flags['dry-run']) {
      const paths = result.files.map((file) => file.path).join(', ')
      const answer = await confirmer.confirm({
        kind: 'write',
        tool: 'gen',
        rel: paths,
        diff: result.diff,
        created: result.files.every((file) => file.action === 'create'),
      })
      if (!answer.approved) {
        result.error = answer.reason ?? 'not written'
        if (!flags.json) this.logToStderr(`not written: ${result.error}`)
        return this.finish(result, flags.json, ExitCode.refused)
      }
      await access.applyStaged()
      result.applied = true
      if (!flags.json) this.logToStderr(`wrote ${paths} — revert with \`faithh undo\``)
    }
    this.finish(result, flags.json, ExitCode.ok)
  }

  private finish(result: GenResult, json: boolean, exitCode: number): void {
    if (json) this.log(JSON.stringify(result))
    if (exitCode !== ExitCode.ok) this.exit(exitCode)
  }

  private async list(root: string, json: boolean): Promise<void> {
    const {templates, warnings} = await listTemplates(templateSources(root, pluginTemplateDirs(this.config)))
    for (const warning of warnings) warnOnce(warning)
    this.log(json ? JSON.stringify({templates: templates.map(templateJson)}) : formatTemplateList(templates, styleFor(process.stdout)))
  }

  /** Which files, then the diff: the list on stderr, the diff on stdout (like `faithh edit`). */
  private report(result: GenResult): void {
    if (result.files.length === 0) {
      this.logToStderr('nothing to write: the files already have this content')
      return
    }

    for (const file of result.files) this.logToStderr(`${file.action === 'create' ? 'create' : 'change'} ${file.path}`)
    this.log(colorDiff(result.diff.trimEnd(), styleFor(process.stdout)))
  }
}
