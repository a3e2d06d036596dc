/**
 * Decides how much of a streaming reply can be shown before we know whether it holds a tool call
 * written as text. Everything before the first thing that could open a call is safe; from there on
 * we hold back until the reply is complete and parsed, so users never see raw call JSON flash by.
 */
const CALL_OPENERS = ['<tool_call', '<function_call', '<tools', '[TOOL_CALLS]', '```', '{"', '{', '[']
// Longest opener minus one: a chunk may end in the middle of "<tool_call".
const HOLD_BACK = Math.max(...CALL_OPENERS.map((o) => o.length)) - 1

export class TextGate {
  private content = ''
  private shown = 0
  private held = false

  /** Adds a delta; returns the part that is safe to show now. */
  push(delta: string): string {
    this.content += delta
    if (this.held) return ''
    const opener = firstOpener(this.content, this.shown)
    if (opener !== -1) {
      this.held = true
      return this.take(opener)
    }

    return this.take(Math.max(this.shown, this.content.length - HOLD_BACK))
  }

  get text(): string {
    return this.content
  }

  /** What has been shown so far. */
  get shownText(): string {
    return this.content.slice(0, this.shown)
  }

  private take(end: number): string {
    const out = this.content.slice(this.shown, end)
    this.shown = end
    return out
  }
}

/** A lone `{` or `[` only counts at the start of a line: inline braces in prose are common and harmless; `{"` is not. */
function firstOpener(text: string, from: number): number {
  let best = -1
  for (const opener of CALL_OPENERS) {
    let index = text.indexOf(opener, from)
    while (index !== -1 && (opener === '{' || opener === '[') && !atLineStart(text, index)) {
      index = text.indexOf(opener, index + 1)
    }

    if (index !== -1 && (best === -1 || index < best)) best = index
  }

  return best
}

function atLineStart(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const ch = text[i]
    if (ch === '\n') return true
    if (ch !== ' ' && ch !== '\t') return false
  }

  return true
}
