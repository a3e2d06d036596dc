/** What the policy says about one action. The reason is shown to the model and to the user as is. */
export interface PermissionDecision {
  verdict: 'allow' | 'ask' | 'deny'
  reason: string
}

export type Verdict = PermissionDecision['verdict']

/** A path decision also says where the path really leads, when that could be worked out. */
export interface PathDecision extends PermissionDecision {
  /** Real absolute path (symlinks resolved; for a path that does not exist yet, through its nearest existing parent). */
  abs?: string
  /** `abs` relative to the project root, with "/" separators; only for paths inside the root. */
  rel?: string
}

export interface CommandDecision extends PermissionDecision {
  /** The argv of every simple command found in the line, as far as it is known statically. */
  commands: string[][]
}

const rank: Record<Verdict, number> = {allow: 0, ask: 1, deny: 2}

export const allow = (reason: string): PermissionDecision => ({verdict: 'allow', reason})
export const ask = (reason: string): PermissionDecision => ({verdict: 'ask', reason})
export const deny = (reason: string): PermissionDecision => ({verdict: 'deny', reason})

/**
 * deny > ask > allow. The first decision of the strictest kind wins, so its reason names the part
 * of a line that caused it. With nothing to judge, `fallback`.
 */
export function strictest(decisions: readonly PermissionDecision[], fallback: PermissionDecision): PermissionDecision {
  let worst: PermissionDecision | undefined
  for (const decision of decisions) {
    if (!worst || rank[decision.verdict] > rank[worst.verdict]) worst = decision
  }

  return worst ?? fallback
}
