// `faithh index` lives in commands/index/index.ts: oclif maps a top-level commands/index.js to the
// root command (`faithh` with no arguments), not to a command named "index".
import {stat, realpath} from 'node:fs/promises'
import path from 'node:path'
import {Args, Flags} from '@oclif/core'

import {ExitCode} from '../../cli/exit-codes.js'
import {FaithhCommand} from '../../cli/faithh-command.js'
import {ragConfigFromFlags, ragFlags} from '../../cli/rag-flags.js'
import {loadConfig} from '../../core/config/load.js'
import {FaithhError, isFaithhError, type FaithhErrorCode} from '../../core/errors.js'
import {createPermissionPolicy} from '../../core/permissions/index.js'
import {indexProject, type IndexSummary} from '../../core/rag/indexer.js'
import {formatIndexSummary, indexProgressView} from '../../render/index-report.js'
import {styleFor} from '../../render/style.js'

export default class Index extends FaithhCommand {
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
    if (
      !(await stat(target).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    ) {
      throw new FaithhError('usage', `${target} is not a directory`, {hint: 'give the project folder (or a folder inside it) to index'})
    }

    const controller = new AbortController()
    const onSigint = () => (controller.signal.aborted ? process.exit(ExitCode.cancelled) : controller.abort())
    process.on('SIGINT', onSigint)
    const view = await indexProgressView()
    try {
      const {config, root} = await loadConfig({cwd: target, flags: ragConfigFromFlags(flags)})
      const scope = path
        .relative(root, await realpath(target))
        .split(path.sep)
        .join('/')
      const summary = await indexProject({
        root,
        scope,
        host: config.host,
        rag: config.rag,
        keepAlive: config.keepAlive,
        rebuild: flags.rebuild,
        isForbidden: createPermissionPolicy(root, config.permissions).isForbidden,
        signal: controller.signal,
        onProgress: (progress) => view.update(progress),
      })
      view.stop()
      if (!this.jsonEnabled()) {
        this.log(formatIndexSummary(summary))
        if (summary.vectors.reason) process.stderr.write(styleFor(process.stderr).yellow(`note: ${summary.vectors.reason}`) + '\n')
      }

      return summary
    } finally {
      view.stop()
      process.off('SIGINT', onSigint)
    }
  }

  /** An index run stopped by Ollama or Chroma has kept what it did: say so, and how to finish. */
  protected override async catch(error: Error & {code?: string}): Promise<unknown> {
    if (!isFaithhError(error) || !STOPS_A_RUN.has(error.code)) return super.catch(error)
    if (error.code === 'aborted') {
      return super.catch(new FaithhError('aborted', 'cancelled; the work done so far is saved', {hint: 'run `faithh index` again to finish', cause: error}))
    }

    return super.catch(new FaithhError(error.code, `${error.message} (the work done so far is saved — run \`faithh index\` again to finish)`, {cause: error}))
  }
}

/** Failures of Ollama and Chroma in the middle of a run (not of the flags or the config, before it). */
const STOPS_A_RUN = new Set<FaithhErrorCode>([
  'aborted',
  'unreachable',
  'model_missing',
  'no_tools',
  'ollama_error',
  'chroma_unreachable',
  'chroma_failed',
  'no_index',
  'index_busy',
])
