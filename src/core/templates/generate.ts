import {stat} from 'node:fs/promises'
import path from 'node:path'

import type {ProjectAccess} from '../access/project-access.js'
import type {Template} from './catalog.js'
import {renderText, type TemplateView} from './render.js'
import {TemplateError} from './template-error.js'

export interface GeneratedFile {
  /** Project-relative path. */
  rel: string
  action: 'create' | 'change' | 'unchanged'
}

/**
 * `--out`, resolved against the working directory, as a project-relative folder ('' for the root).
 * Generated files go nowhere but inside the project, whatever the policy's write roots say.
 */
export function resolveOutDir(root: string, cwd: string, out: string | undefined): string {
  if (out === undefined) return ''
  if (out.includes('\0')) throw new TemplateError('--out contains a NUL byte')
  const rel = path.relative(root, path.resolve(cwd, out))
  if (rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
    throw new TemplateError(`--out ${out} is outside the project (${root}); generated files go inside it`)
  }
  return rel.split(path.sep).join('/')
}

/**
 * An output path pattern rendered with the variables. The rendered path must stay a plain relative
 * path: a variable may add folders but never climb out with "..", start at "/", or be empty.
 */
export function renderOutputPath(pattern: string, view: TemplateView): string {
  const rendered = renderText(pattern, view)
  const problem = pathProblem(rendered)
  if (problem) throw new TemplateError(`output path ${pattern} renders to "${rendered}", which ${problem}`)
  return rendered
}

function pathProblem(rendered: string): string | undefined {
  if (/[\u0000-\u001F\u007F]/.test(rendered)) return 'contains control characters'
  if (rendered.startsWith('/') || /^[A-Za-z]:/.test(rendered)) return 'is absolute'
  if (rendered.includes('\\')) return 'contains a backslash'
  const parts = rendered.split('/')
  if (parts.some((part) => part === '..' || part === '.')) return 'contains "." or ".." (paths may not climb out of the output folder)'
  if (parts.some((part) => part === '')) return 'has an empty part (a variable used in it is empty?)'
  if (parts.some((part) => part.length > 255)) return 'has a name longer than 255 characters'
  return undefined
}

/**
 * Renders every file of the template into `access`, which is in staged mode: nothing touches the
 * disk until the caller has shown the diff and applied it. The policy still judges every path.
 */
export async function stageTemplate(
  template: Template,
  view: TemplateView,
  {access, outDir}: {access: ProjectAccess; outDir: string},
): Promise<GeneratedFile[]> {
  if (access.mode !== 'staged') throw new Error('stageTemplate needs a staged ProjectAccess')
  const planned = template.files.map((file) => ({file, rel: path.posix.join(outDir || '.', renderOutputPath(file.to, view))}))
  const seen = new Set<string>()
  for (const {rel} of planned) {
    if (seen.has(rel)) throw new TemplateError(`template ${template.name} writes ${rel} twice; give its files distinct output paths`)
    seen.add(rel)
  }

  const generated: GeneratedFile[] = []
  for (const {file, rel} of planned) {
    const target = await access.resolveWrite(rel)
    if (!target.ok) throw new TemplateError(`cannot write ${rel}: ${target.reason}`, 'refused')
    const info = await stat(target.abs).catch(() => undefined)
    if (info && !info.isFile()) throw new TemplateError(`cannot write ${target.rel}: it exists and is not a regular file`)

    const content = renderText(file.text, view)
    const before = await access.readBytes(target.abs)
    const written = await access.write(target, content, 'gen')
    if (!written.ok) throw new TemplateError(`cannot write ${target.rel}: ${written.reason}`, 'refused')
    const action = before === undefined ? 'create' : before.toString('utf8') === content ? 'unchanged' : 'change'
    generated.push({rel: target.rel, action})
  }
  return generated
}
