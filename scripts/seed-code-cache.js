// The last step of scripts/bundle.js, in a process of its own: the seed code cache of each bundle
// (see src/cli/code-cache.ts), what a first start uses before it has a cache of its own. A seed holds
// what every run of the bundle compiles, whatever its command: the bundle's top level. Not the
// initialisation of its commands' modules: a run's cache would keep the other commands' share of it
// (a bundle holds several), and so would its memory at every start after.
// Made in a plain `node` with no options, as `faithh` runs: V8 refuses a cache made under other
// flags (then a start only compiles, as without a seed).
//
// Usage: node scripts/seed-code-cache.js <bundle file> … (start.cjs first: the command bundles
// require it, and as boot loads it, it is registered under its path)
import {loadBundle, seedFileOf} from '../dist/cli/code-cache.js'

const loaded = process.argv.slice(2).map((file) => loadBundle(file, {cacheFile: seedFileOf(file)}))
for (const bundle of loaded) bundle.save()
