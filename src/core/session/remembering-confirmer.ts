import type {ConfirmAnswer, Confirmer, ConfirmRequest} from '../access/confirm.js'

/**
 * "Yes for the rest of this run" lasts the whole chat session, not one turn: each turn gets its own
 * ProjectAccess (one undo run per turn), so the session remembers the answers and replays them.
 */
export function rememberingConfirmer(inner: () => Confirmer): Confirmer & {forget(): void} {
  const remembered = new Set<string>()
  return {
    get interactive() {
      return inner().interactive
    },
    async confirm(request: ConfirmRequest): Promise<ConfirmAnswer> {
      const key = keyOf(request)
      if (key && remembered.has(key)) return {approved: true, remember: true}
      const answer = await inner().confirm(request)
      if (answer.approved && answer.remember && key) remembered.add(key)
      return answer
    },
    forget: () => remembered.clear(),
  }
}

/** The same scope ProjectAccess gives a remembered answer: a tool's writes or calls, or one exact command. */
function keyOf(request: ConfirmRequest): string | undefined {
  if (request.kind === 'write') return `write\0${request.tool}`
  if (request.kind === 'command') return `command\0${request.command}`
  if (request.kind === 'tool') return `tool\0${request.tool}`
  return undefined
}
