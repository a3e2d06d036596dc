import {approveAll, hasTerminal, refuseAll, type Confirmer} from '../core/access/confirm.js'
import {terminalConfirmer} from '../render/confirm-prompt.js'

/** --yes approves every ask; a terminal asks; anything else (pipes, Makefiles, CI) refuses with a hint. */
export function chooseConfirmer(yes: boolean): Confirmer {
  if (yes) return approveAll
  return hasTerminal() ? terminalConfirmer() : refuseAll
}
