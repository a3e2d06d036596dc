import {approveAll, type Confirmer} from '../../src/core/access/confirm.js'
import {ProjectAccess} from '../../src/core/access/project-access.js'
import {ChangeJournal} from '../../src/core/changes/journal.js'
import {createPermissionPolicy, permissionsConfigSchema} from '../../src/core/permissions/index.js'

/** The real permission gate with the default policy; every "ask" approved, as with --yes, unless a confirmer is given. */
export function testAccess(root: string, confirmer: Confirmer = approveAll): ProjectAccess {
  const policy = createPermissionPolicy(root, permissionsConfigSchema.parse({}))
  return new ProjectAccess(root, {policy, confirmer, journal: new ChangeJournal(root, 'test')})
}
