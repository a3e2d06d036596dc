// The last step of scripts/bundle.js, in a process of its own: the seed code cache of each bundle
// (see src/cli/code-cache.ts), what a first start uses before it has a cache of its own. A seed holds
// what every run of the bundle compiles, whatever its command: the bundle's top level. Not the
// initialisation of its commands' modules: a run's cache would keep the other commands' share of it
// (a bundle holds several), and so would its memory at every start after.
// Made in a plain `node` with no options, as `faithh` runs: V8 refuses a cache made under other
// flags (then a start only compiles, as without a seed).
//
// Usage: node scripts/seed-code-cache.js <dist/bundle>
import {readdirSync} from 'node:fs'
import path from 'node:path'

import {loadBundle, seedFileOf} from '../dist/cli/code-cache.js'

const [bundleDir] = process.argv.slice(2)
// start.cjs first: the command bundles require it (as boot loads them, it is registered under its path).
const names = ['start.cjs', ...readdirSync(path.join(bundleDir, 'run')).flatMap((name) => (name.endsWith('.cjs') ? [path.join('run', name)] : []))]
const loaded = names.map((name) => {
  const file = path.join(bundleDir, name)
  return loadBundle(file, {cacheFile: seedFileOf(file)})
})
for (const bundle of loaded) bundle.save()
