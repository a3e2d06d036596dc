#!/usr/bin/env node
// CommonJS (see bin/package.json): an ES module entry would start Node's ES module loader first,
// which alone costs a fifth of `node -e 0`. The CLI itself is the bundle that `npm run build` makes.
const {existsSync} = require('node:fs')
const boot = require('node:path').join(__dirname, '../dist/bundle/boot.cjs')
if (!existsSync(boot)) {
  process.stderr.write('error: faithh is not built (dist/bundle is missing) — run `npm run build` in its folder\n')
  process.exit(1)
}

require(boot)
