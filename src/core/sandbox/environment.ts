/**
 * The environment a sandboxed command gets: faithh's own, minus what would hand it the user's
 * credentials or a way out. Hiding ~/.aws is pointless if AWS_SECRET_ACCESS_KEY is in the
 * environment, and an ssh-agent or D-Bus socket is a door to everything the user can do.
 */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|COOKIE|(^|_)(AUTH|SESSION)(_|$)/i
const DOORS = new Set([
  'SSH_AUTH_SOCK',
  'SSH_AGENT_PID',
  'GPG_AGENT_INFO',
  'DBUS_SESSION_BUS_ADDRESS',
  'XDG_RUNTIME_DIR',
  'KRB5CCNAME',
  'DISPLAY',
  'WAYLAND_DISPLAY',
  'XAUTHORITY',
  'DOCKER_HOST',
  'KUBECONFIG',
])
/** `postgres://user:password@host/db`: a URL with a password in it. */
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i

export interface SandboxEnvironmentOptions {
  /** Names passed through anyway (config `sandbox.env`, a grant's `env`). */
  passThrough?: readonly string[]
  /** Set on top (TMPDIR, NO_COLOR for the model's commands …). */
  extra?: Record<string, string>
}

export function sandboxEnvironment(env: NodeJS.ProcessEnv, {passThrough = [], extra = {}}: SandboxEnvironmentOptions = {}): Record<string, string> {
  const kept: Record<string, string> = {}
  const allowed = new Set(passThrough)
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue
    if (!allowed.has(name) && isSecret(name, value)) continue
    kept[name] = value
  }

  return {...kept, TMPDIR: '/tmp', ...extra}
}

function isSecret(name: string, value: string): boolean {
  return DOORS.has(name) || SECRET_NAME.test(name) || CREDENTIAL_URL.test(value)
}
