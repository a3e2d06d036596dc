// `faithh index` lives in commands/index/index.ts: oclif maps a top-level commands/index.js to the
// root command (`faithh` with no arguments), not to a command named "index".
import {stat, realpath} from 'node:fs/promises'
import path from 'node:path'
import {Args, Command, Flags} from '@oclif/core'

import {handleCommandError} from '../../cli/errors.js'
import {ExitCode, exitCodeForError} from '../../cli/exit-codes.js'
import {ragConfigFromFlags, ragFlags} from '../../cli/rag-flags.js'
import {loadConfig} from '../../core/config/load.js'
import {LlmError} from '../../core/llm/errors.js'
import {indexProject, type IndexSummary} from '../../core/rag/indexer.js'
import {RagError} from '../../core/rag/rag-error.js'
import {formatIndexSummary, indexProgressView} from '../../render/index-report.js'
import {styleFor} from '../../render/style.js'

export default class Index extends Command {
  static override summary = 'Index the project for `faithh search` and for retrieval in `ask`.'
  static override description =
    'Splits code into chunks at top-level declarations, keeps a lexical (BM25) index under .faithh/index, and stores embeddings ' +
    'from Ollama (rag.embedModel, default nomic-embed-text) in Chroma. Incremental: only new and changed chunks are embedded, and ' +
    'chunks of deleted files are dropped. Respects .gitignore and rag.ignore. Without the embedding model it indexes lexically. ' +
    'Safe to interrupt: run it again to finish. Exit codes: 3 Ollama failed mid-run, 7 Chroma unreachable, 130 cancelled.'

  static override examples = [
    '<%= config.bin %> index',
    '<%= config.bin %> index src',
    '<%= config.bin %> index --rebuild --chroma-url http://127.0.0.1:8000',
    '<%= config.bin %> index --json | jq .chunks',
  ]

  static override enableJsonFlag = true
  static override args = {
    path: Args.string({description: 'the project, or a folder inside it to index alone (default: the current directory)'}),
  }

  static override flags = {
    ...ragFlags,
    rebuild: Flags.boolean({description: 'forget the existing index (chunks and vectors) and index everything again'}),
  }

  async run(): Promise<IndexSummary> {
    const {args, flags} = await this.parse(Index)
    const target = path.resolve(args.path ?? '.')
    if (!(await stat(target).then((s) => s.isDirectory(), () => false))) {
      this.error(`${target} is not a directory; give the project folder (or a folder inside it) to index`, {exit: ExitCode.usage})
    }

    const controller = new AbortController()
    const onSigint = () => (controller.signal.aborted ? process.exit(ExitCode.cancelled) : controller.abort())
    process.on('SIGINT', onSigint)
    const view = indexProgressView()
    try {
      const {config, root} = await loadConfig({cwd: target, flags: ragConfigFromFlags(flags)})
      const scope = path.relative(root, await realpath(target)).split(path.sep).join('/')
      const summary = await indexProject({
        root,
        scope,
        host: config.host,
        rag: config.rag,
        keepAlive: config.keepAlive,
        rebuild: flags.rebuild,
        signal: controller.signal,
        onProgress: (progress) => view.update(progress),
      })
      view.stop()
      if (!this.jsonEnabled()) {
        this.log(formatIndexSummary(summary))
        if (summary.vectors.reason) process.stderr.write(styleFor(process.stderr).yellow(`note: ${summary.vectors.reason}`) + '\n')
      }

      return summary
    } catch (error) {
      view.stop()
      if (error instanceof LlmError && error.code === 'aborted') {
        this.error('cancelled; the work done so far is saved — run `faithh index` again to finish', {exit: ExitCode.cancelled})
      }

      const resume = ' (the work done so far is saved — run `faithh index` again to finish)'
      if (error instanceof RagError) this.error(error.message + resume, {exit: exitCodeForError(error.code)})
      if (error instanceof LlmError) this.error(error.message + resume, {exit: exitCodeForError(error.code)})
      handleCommandError(this, error)
    } finally {
      process.off('SIGINT', onSigint)
    }
  }
}
