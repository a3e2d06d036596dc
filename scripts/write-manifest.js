// Writes oclif.manifest.json after a build, as `oclif manifest` would, without the oclif CLI's
// large dependency tree. With a manifest, `faithh` loads only the command it runs: start-up stays
// close to bare node instead of importing every command on each call.
import {Plugin} from '@oclif/core'
import {writeFile} from 'node:fs/promises'

const plugin = new Plugin({root: process.cwd(), type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true})
await plugin.load()
await writeFile('oclif.manifest.json', JSON.stringify(plugin.manifest, null, 2) + '\n')
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`)
