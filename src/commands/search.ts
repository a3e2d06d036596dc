import {Args, Flags} from '@oclif/core'

import {FaithhCommand} from '../cli/faithh-command.js'
import {ragConfigFromFlags, ragFlags} from '../cli/rag-flags.js'
import {loadConfig} from '../core/config/load.js'
import {createRetriever, type CodeSearchResult, type FileSearchResult} from '../core/rag/retriever.js'
import {formatFileResults, formatSearchResults, snippetsOf} from '../render/search-results.js'
import {styleFor} from '../render/style.js'

type SearchOutput = {query: string} & (FileSearchResult | (Omit<CodeSearchResult, 'hits'> & {hits: (CodeSearchResult['hits'][number] & {snippet: string})[]}))

export default class Search extends FaithhCommand {
  static override summary = 'Search the indexed code by meaning and by name; prints ranked path:start-end chunks, or files with --files.'
  static override description =
    'Reads the query as an engineer would (names in backticks, Class.method, paths, traceback frames weigh more than prose), ' +
    'ranks files by BM25F over their chunks, paths and defined names, with tests, docs and generated files below source ' +
    'unless asked for, and, when the index has vectors, fuses in embedding similarity. Without vectors (no embedding model ' +
    'yet) the results are lexical only, and faithh says so. Run `faithh index` first (exit code 8 otherwise).'

  static override examples = [
    '<%= config.bin %> search "where are retries configured"',
    '<%= config.bin %> search parseToolCalls -n 5 --ext .ts',
    '<%= config.bin %> search --files "$(cat issue.md)" -n 5',
    '<%= config.bin %> search "database connection" --path \'src/**\' --json',
  ]

  static override enableJsonFlag = true
  static override args = {query: Args.string({description: 'what to look for, in quotes (a bug report works too)', required: true})}
  static override flags = {
    ...ragFlags,
    files: Flags.boolean({description: 'rank files: each with its best chunk and the lines that match best'}),
    limit: Flags.integer({helpValue: 'N', char: 'n', description: 'number of results', default: 10, min: 1, max: 100}),
    ext: Flags.string({helpValue: 'EXT', description: 'only files with this extension, e.g. .py (repeatable, or comma-separated)', multiple: true}),
    path: Flags.string({helpValue: 'GLOB', description: "only paths matching this glob, e.g. 'src/**' (a glob without / matches file names anywhere)"}),
  }

  async run(): Promise<SearchOutput> {
    const {args, flags} = await this.parse(Search)
    const {config, root} = await loadConfig({cwd: process.cwd(), flags: ragConfigFromFlags(flags)})
    const retriever = createRetriever({root, host: config.host, rag: config.rag, keepAlive: config.keepAlive, strictVectors: true})
    const options = {limit: flags.limit, ext: flags.ext, path: flags.path}
    let result: CodeSearchResult | FileSearchResult
    try {
      result = flags.files ? await retriever.searchFiles(args.query, options) : await retriever.search(args.query, options)
    } finally {
      await retriever.close()
    }

    const found = 'files' in result ? result.files.length : result.hits.length
    // Once per hit, for the terminal and for --json alike.
    const snippets = 'files' in result ? [] : snippetsOf(result.hits, args.query)
    if (!this.jsonEnabled()) {
      const err = styleFor(process.stderr)
      for (const note of result.notes) process.stderr.write(err.yellow(`note: ${note}`) + '\n')
      if (found === 0) process.stderr.write(`no results for ${JSON.stringify(args.query.length > 80 ? `${args.query.slice(0, 80)}…` : args.query)}\n`)
      else if ('files' in result) this.log(formatFileResults(result.files, styleFor(process.stdout)))
      else this.log(formatSearchResults(result.hits, snippets, styleFor(process.stdout)))
    }

    if ('files' in result) return {query: args.query, mode: result.mode, notes: result.notes, files: result.files}
    return {
      query: args.query,
      mode: result.mode,
      notes: result.notes,
      hits: result.hits.map(({text, ...hit}, i) => ({
        ...hit,
        snippet: snippets[i]!.map((l) => l.text).join('\n'),
        text,
      })),
    }
  }
}
