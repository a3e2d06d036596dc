import {Args, Flags} from '@oclif/core'

import {FaithhCommand} from '../cli/faithh-command.js'
import {ragConfigFromFlags, ragFlags} from '../cli/rag-flags.js'
import {loadConfig} from '../core/config/load.js'
import {createRetriever, type CodeSearchResult} from '../core/rag/retriever.js'
import {formatSearchResults, snippetOf} from '../render/search-results.js'
import {styleFor} from '../render/style.js'

export default class Search extends FaithhCommand {
  static override summary = 'Search the indexed code by meaning and by name; prints ranked path:start-end chunks.'
  static override description =
    'Ranks chunks with BM25 over identifiers and words and, when the index has vectors, by embedding similarity, fused by ' +
    'reciprocal rank. Without vectors (no embedding model yet) the results are lexical only, and faithh says so. ' +
    'Run `faithh index` first (exit code 8 otherwise).'

  static override examples = [
    '<%= config.bin %> search "where are retries configured"',
    '<%= config.bin %> search parseToolCalls -n 5 --ext .ts',
    '<%= config.bin %> search "database connection" --path \'src/**\' --json',
  ]

  static override enableJsonFlag = true
  static override args = {query: Args.string({description: 'what to look for, in quotes', required: true})}
  static override flags = {
    ...ragFlags,
    limit: Flags.integer({helpValue: 'N', char: 'n', description: 'number of results', default: 10, min: 1, max: 100}),
    ext: Flags.string({helpValue: 'EXT', description: 'only files with this extension, e.g. .py (repeatable, or comma-separated)', multiple: true}),
    path: Flags.string({helpValue: 'GLOB', description: 'only paths matching this glob, e.g. \'src/**\' (a glob without / matches file names anywhere)'}),
  }

  async run(): Promise<CodeSearchResult & {query: string}> {
    const {args, flags} = await this.parse(Search)
    const {config, root} = await loadConfig({cwd: process.cwd(), flags: ragConfigFromFlags(flags)})
    const retriever = createRetriever({root, host: config.host, rag: config.rag, keepAlive: config.keepAlive, strictVectors: true})
    let result: CodeSearchResult
    try {
      result = await retriever.search(args.query, {limit: flags.limit, ext: flags.ext, path: flags.path})
    } finally {
      await retriever.close()
    }

    if (!this.jsonEnabled()) {
      const err = styleFor(process.stderr)
      for (const note of result.notes) process.stderr.write(err.yellow(`note: ${note}`) + '\n')
      if (result.hits.length === 0) process.stderr.write(`no results for ${JSON.stringify(args.query)}\n`)
      else this.log(formatSearchResults(result.hits, args.query, styleFor(process.stdout)))
    }

    return {
      query: args.query,
      mode: result.mode,
      notes: result.notes,
      hits: result.hits.map(({text, ...hit}) => ({...hit, snippet: snippetOf({...hit, text}, args.query).map((l) => l.text).join('\n'), text})),
    }
  }
}
