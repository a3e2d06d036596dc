/**
 * Joins the text around removed calls. The first piece (text before the first call) is kept as is
 * for the streaming caller. Each gap becomes what the widest whitespace run beside the removed
 * call(s) held, capped at one blank line: a call on its own line between two lines leaves one newline.
 */
export function joinAroundCalls(pieces: string[]): string {
  let out = (pieces[0] ?? '').trimStart()
  let gap = out.slice(out.trimEnd().length)
  let breaks = newlines(gap)
  for (const piece of pieces.slice(1)) {
    const body = piece.trim()
    const lead = piece.slice(0, piece.length - piece.trimStart().length)
    breaks = Math.max(breaks, newlines(lead))
    gap += lead
    if (!body) continue
    const kept = out.slice(out.trimEnd().length) // non-empty only after the verbatim prefix
    const want = Math.min(2, breaks)
    if (want > newlines(kept)) out += '\n'.repeat(want - newlines(kept))
    else if (want === 0 && gap && !kept) out += ' '
    out += body
    gap = piece.slice(lead.length + body.length)
    breaks = newlines(gap)
  }

  return out.trim()
}

function newlines(text: string): number {
  return text.split('\n').length - 1
}

// End-of-turn tokens some templates leave in the content right after a call: they go with the call.
const END_OF_TURN = /[ \t]*(?:<\|(?:eot|eom|eot_id|eom_id|im_end|end|endoftext)\|>|<\/s>|<end_of_turn>|<｜end▁of▁sentence｜>)/y

export function afterEndOfTurn(s: string, end: number): number {
  for (;;) {
    END_OF_TURN.lastIndex = end
    if (!END_OF_TURN.test(s)) return end
    end = END_OF_TURN.lastIndex
  }
}
