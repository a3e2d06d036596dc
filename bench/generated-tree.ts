/**
 * A synthetic source tree for start-up benchmarks: `files` files of TypeScript, Python and Markdown
 * in nested folders, each a handful of top-level functions made of a shared vocabulary, so the
 * index has realistic chunk counts and term statistics. Deterministic: the same seed gives the same
 * tree, so runs compare.
 */
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

const WORDS = (
  'parse config value token stream buffer request response client server cache entry index chunk query vector ' +
  'retry timeout backoff error message handler route session user account order invoice payment schema field ' +
  'record table column row batch queue worker task job schedule event listener render template layout widget ' +
  'file path folder reader writer encoder decoder format json yaml csv header body status code limit offset ' +
  'page cursor filter sort merge split join map reduce count total average metric gauge counter histogram ' +
  'lock mutex channel signal abort cancel close open start stop flush sync hash digest sign verify token secret'
).split(' ')

/** A small deterministic PRNG (mulberry32): the tree must not depend on Math.random. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export async function writeGeneratedTree(root: string, files: number, seed = 12): Promise<void> {
  const next = random(seed)
  const pick = () => WORDS[Math.floor(next() * WORDS.length)]!
  const camel = (n: number) => Array.from({length: n}, (_, i) => (i === 0 ? pick() : capitalize(pick()))).join('')
  const snake = (n: number) => Array.from({length: n}, pick).join('_')
  const sentence = (n: number) => capitalize(Array.from({length: n}, pick).join(' ')) + '.'

  for (let i = 0; i < files; i++) {
    const folder = path.join(root, `pkg-${i % 40}`, `mod-${Math.floor(i / 40) % 25}`)
    const kind = i % 10 < 5 ? 'ts' : i % 10 < 9 ? 'py' : 'md'
    const functions = 4 + Math.floor(next() * 9)
    let text = ''
    for (let f = 0; f < functions; f++) {
      const lines = 4 + Math.floor(next() * 18)
      if (kind === 'ts') {
        const name = camel(3)
        text += `/** ${sentence(8)} */\nexport function ${name}(${camel(2)}: string, ${camel(1)}: number): string {\n`
        for (let l = 0; l < lines; l++) text += `  const ${camel(2)} = ${camel(2)}(${camel(1)}, '${pick()} ${pick()}', ${Math.floor(next() * 1000)})\n`
        text += `  return ${camel(2)}\n}\n\n`
      } else if (kind === 'py') {
        text += `def ${snake(3)}(${snake(2)}, ${snake(1)}=None):\n    """${sentence(8)}"""\n`
        for (let l = 0; l < lines; l++) text += `    ${snake(2)} = ${snake(2)}(${snake(1)}, "${pick()} ${pick()}", ${Math.floor(next() * 1000)})\n`
        text += `    return ${snake(2)}\n\n\n`
      } else {
        text += `## ${capitalize(pick())} ${pick()}\n\n`
        for (let l = 0; l < lines; l++) text += sentence(12) + '\n'
        text += '\n'
      }
    }

    await mkdir(folder, {recursive: true})
    await writeFile(path.join(folder, `${camel(2)}-${i}.${kind}`), text)
  }
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}
