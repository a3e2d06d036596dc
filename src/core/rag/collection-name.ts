import {createHash} from 'node:crypto'
import path from 'node:path'

/**
 * The Chroma collection for a project: readable (the folder name) and unique (a hash of the root
 * path), in Chroma's rules: 3–512 characters of [a-zA-Z0-9._-], starting and ending alphanumeric.
 * Its own module so that indexing without vectors does not load the Chroma client.
 */
export function collectionNameFor(root: string): string {
  const hash = createHash('sha256').update(root).digest('hex').slice(0, 10)
  const base = path
    .basename(root)
    .replace(/[^a-zA-Z0-9._-]+/g, '-')
    .replace(/^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$/g, '')
    .slice(0, 48)
    .replace(/[^a-zA-Z0-9]+$/, '')
  return `faithh-${base || 'project'}-${hash}`
}
