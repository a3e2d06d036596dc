import {approveAll, type Confirmer} from '../../src/core/access/confirm.js'
import {ProjectAccess} from '../../src/core/access/project-access.js'
import {ChangeJournal} from '../../src/core/changes/journal.js'
import {createPermissionPolicy, permissionsConfigSchema} from '../../src/core/permissions/index.js'
import {sandboxConfigSchema, type SandboxConfig} from '../../src/core/sandbox/config.js'
import {Sandbox} from '../../src/core/sandbox/sandbox.js'

/**
 * The real permission gate with the default policy; every "ask" approved, as with --yes, unless a
 * confirmer is given. Commands run in the default sandbox, or as `sandbox` configures it (SANDBOX_OFF).
 */
export function testAccess(root: string, confirmer: Confirmer = approveAll, sandbox: Partial<SandboxConfig> = {}): ProjectAccess {
  const policy = createPermissionPolicy(root, permissionsConfigSchema.parse({}))
  return new ProjectAccess(root, {
    policy,
    confirmer,
    journal: new ChangeJournal(root, 'test'),
    sandbox: new Sandbox({root, config: sandboxConfigSchema.parse(sandbox)}),
  })
}
