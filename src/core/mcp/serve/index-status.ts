import {stat} from 'node:fs/promises'
import path from 'node:path'
import {z} from 'zod'

import {readManifest} from '../../rag/manifest.js'
import {defineTool, ok} from '../../tools/tool.js'

/** What the index covers and how fresh it is, so a client knows whether to trust a search. */
export const indexStatusTool = defineTool({
  name: 'index_status',
  description: 'Whether the project has a faithh index, how many files and chunks it covers, whether it has vectors (hybrid search), and when it was updated.',
  schema: z.object({}),
  readOnly: true,
  async execute(_args, ctx) {
    const manifest = await readManifest(ctx.root)
    if (!manifest) return ok(JSON.stringify({root: ctx.root, indexed: false, hint: 'run `faithh index` in the project'}, null, 1))
    const files = Object.values(manifest.files)
    // Same test as search's "file changed since indexing" mark: size or mtime differ (or the file is gone).
    const changed = await Promise.all(
      Object.entries(manifest.files).map(([file, entry]) =>
        stat(path.join(ctx.root, file)).then(
          (info) => info.size !== entry.size || info.mtimeMs !== entry.mtimeMs,
          () => true,
        ),
      ),
    )
    const status = {
      root: ctx.root,
      indexed: true,
      files: files.length,
      chunks: files.reduce((sum, file) => sum + file.chunks.length, 0),
      embeddedFiles: files.filter((file) => file.embedded).length,
      search: manifest.vectorStore && files.some((file) => file.embedded) ? 'hybrid' : 'lexical',
      ...(manifest.embedModel ? {embedModel: manifest.embedModel} : {}),
      ...(manifest.vectorStore ? {vectorStore: manifest.vectorStore} : {}),
      changedSinceIndexed: changed.filter(Boolean).length,
      updatedAt: manifest.updatedAt,
    }
    return ok(JSON.stringify(status, null, 1))
  },
})
