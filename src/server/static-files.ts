import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

/** The web UI ships as plain files in the package's web/ folder: no build step, nothing from a CDN. */
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url))

/** Only these are served: a fixed table, so no request path ever reaches the file system. */
const FILES: Record<string, {file: string; type: string}> = {
  '/': {file: 'index.html', type: 'text/html; charset=utf-8'},
  '/index.html': {file: 'index.html', type: 'text/html; charset=utf-8'},
  '/app.js': {file: 'app.js', type: 'text/javascript; charset=utf-8'},
  '/style.css': {file: 'style.css', type: 'text/css; charset=utf-8'},
}

export async function readWebFile(pathname: string): Promise<{body: Buffer; type: string} | undefined> {
  const entry = FILES[pathname]
  if (!entry) return undefined
  return {body: await readFile(path.join(WEB_DIR, entry.file)), type: entry.type}
}
