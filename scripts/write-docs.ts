// `npm run docs`: rewrites the generated files (see scripts/docs.ts) after a build has refreshed oclif.manifest.json.
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {generateDocs} from './docs.js'

const root = fileURLToPath(new URL('..', import.meta.url))
for (const file of await generateDocs(root)) {
  const target = path.join(root, file.path)
  if ((await readFile(target, 'utf8').catch(() => '')) === file.content) continue
  await mkdir(path.dirname(target), {recursive: true})
  await writeFile(target, file.content)
  console.log(`wrote ${file.path}`)
}
