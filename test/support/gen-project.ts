import {existsSync} from 'node:fs'
import {readdir} from 'node:fs/promises'
import path from 'node:path'

const SLUGIFY = 'export function slugify(text: string): string {\n  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-")\n}\n'

/** The project the `faithh gen` tests generate into, with two project templates of its own. */
export const GEN_PROJECT = {
  'package.json': JSON.stringify({name: 'demo', type: 'module', oclif: {bin: 'demo'}}),
  'src/slugify.ts': SLUGIFY,
  // by_dir: a project template whose output folder is a variable, for the path-escape tests.
  '.faithh/templates/by_dir/template.json': JSON.stringify({
    summary: 'a note in a folder of your choice',
    variables: {dir: {type: 'string', description: 'folder', required: true}},
    files: [{from: 'note.mustache', to: '{{dir}}/note.txt'}],
  }),
  '.faithh/templates/by_dir/note.mustache': 'note\n',
  '.faithh/templates/climber/template.json': JSON.stringify({summary: 'escapes', files: [{from: 'x.mustache', to: '../escaped.txt'}]}),
  '.faithh/templates/climber/x.mustache': 'x\n',
}

/** Every file of the project but .git and .faithh, and anything beside it: proves what a run wrote. */
export async function projectFiles(root: string): Promise<string[]> {
  const inside = (await readdir(root, {recursive: true})).map(String).filter((f) => !/^\.(git|faithh)(\/|$)/.test(f))
  const beside = ['escaped.txt', 'note.txt', 'test'].filter((name) => existsSync(path.join(root, '..', name)))
  return [...inside.sort(), ...beside.map((name) => `../${name}`)]
}
