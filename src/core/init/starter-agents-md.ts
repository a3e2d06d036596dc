import type {ProjectFacts} from './detect.js'
import type {CommandKind} from './toolchain.js'

const LABELS: Record<CommandKind, string> = {install: 'Install', test: 'Test', build: 'Build', lint: 'Lint', typecheck: 'Type check', format: 'Format'}
const MAX_LANGUAGES = 4
const MAX_FOLDERS = 12

/**
 * The starter AGENTS.md: only what was found, in a few lines, since every line is paid for in every
 * prompt. Deterministic (no dates, sorted lists), so a second `faithh init --force` changes nothing.
 */
export function renderAgentsMd(facts: ProjectFacts): string {
  const lines = ['# AGENTS.md', '', 'How to work on this project, for coding agents. faithh puts this file in every prompt: keep it short and true.']

  const commands = (Object.entries(facts.commands) as [CommandKind, string[]][]).map(
    ([kind, [first, ...others]]) =>
      `- ${LABELS[kind]}: \`${first}\`${others.length > 0 ? ` (or ${others.map((command) => `\`${command}\``).join(', ')})` : ''}`,
  )
  if (commands.length > 0) lines.push('', '## Commands', ...commands)

  const project: string[] = []
  if (facts.languages.length > 0) {
    project.push(
      `- Languages: ${facts.languages
        .slice(0, MAX_LANGUAGES)
        .map((language) => `${language.name} (${plural(language.files, 'file')})`)
        .join(', ')}`,
    )
  }

  if (facts.toolchains.length > 0) project.push(`- Tools: ${facts.toolchains.map((toolchain) => `${toolchain.name} (${toolchain.evidence})`).join(', ')}`)
  for (const toolchain of facts.toolchains) for (const note of toolchain.notes ?? []) project.push(`- ${note}`)
  if (facts.layout.length > 0) {
    const shown = facts.layout.slice(0, MAX_FOLDERS).map((folder) => `\`${folder.dir}/\` (${plural(folder.files, 'file')})`)
    const more = facts.layout.length > MAX_FOLDERS ? `, and ${facts.layout.length - MAX_FOLDERS} more` : ''
    project.push(`- Layout: ${shown.join(', ')}${more}`)
  }

  if (facts.generated.length > 0) project.push(`- Generated, do not edit: ${facts.generated.map((found) => `\`${found.dir}/\``).join(', ')}`)
  if (project.length > 0) lines.push('', '## Project', ...project)

  const test = facts.commands.test?.[0]
  lines.push('', '## Working here', '- Make the smallest change that does the job, in the style of the code around it.')
  if (test) lines.push(`- Run \`${test}\` after a change; add or update tests when behaviour changes.`)
  if (facts.gitignore) lines.push('- Files that .gitignore leaves out are generated or local: do not edit them.')
  return lines.join('\n') + '\n'
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}
