/**
 * The places the sandbox layout knows by name: where systems keep their programs, where toolchains
 * live under a home folder, and where secrets do. Everything else is unknown, and stays out.
 */

/** Looked at in this order; what exists is shown read-only. */
export const SYSTEM_PATHS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt', '/nix', '/gnu', '/snap', '/sys']
/** macOS keeps its system in other places; Seatbelt matches real paths (/etc is /private/etc). */
export const MACOS_SYSTEM_PATHS = [
  '/System',
  '/Library',
  '/Applications',
  '/usr',
  '/bin',
  '/sbin',
  '/opt',
  '/nix',
  '/private/etc',
  '/private/var/db/timezone',
  '/private/var/select',
]

/** Readable by root, and of no use to a build: host keys, password hashes, Wi-Fi passwords. */
export const SYSTEM_SECRETS = [
  '/etc/shadow',
  '/etc/shadow-',
  '/etc/gshadow',
  '/etc/gshadow-',
  '/etc/sudoers',
  '/etc/sudoers.d',
  '/etc/ssl/private',
  '/etc/security/opasswd',
  '/etc/NetworkManager/system-connections',
  '/etc/wpa_supplicant',
  '/etc/ppp',
  '/etc/docker',
  '/etc/kubernetes',
  '/etc/rancher',
  '/etc/letsencrypt',
  '/etc/master.passwd',
]

/**
 * Where toolchains live under a home folder: re-exposed read-only so `node`, `python`, `cargo`, `go`
 * … installed per user keep working. Only folders of programs and package caches, never their
 * config files (which is where registry tokens live).
 */
export const HOME_TOOLCHAINS = [
  '.gitconfig',
  '.config/git',
  '.nvm',
  '.volta',
  '.fnm',
  '.local/share/fnm',
  '.bun/bin',
  '.deno/bin',
  '.cache/ms-playwright',
  '.pyenv',
  '.local/bin',
  '.local/lib',
  '.local/pipx',
  '.rustup',
  '.cargo/bin',
  '.cargo/registry',
  '.cargo/git',
  'go/pkg/mod',
  'go/bin',
  '.sdkman/candidates',
  '.m2/repository',
  '.gradle/caches',
  '.gradle/wrapper',
]

/**
 * Secrets under a home folder, hidden even where a visible folder contains them (a project that is
 * the home folder, a granted path): keys, cloud and registry credentials, browser profiles,
 * password stores and shell histories.
 */
export const HOME_SECRETS = [
  '.ssh',
  '.aws',
  '.gnupg',
  '.azure',
  '.kube',
  '.docker',
  '.config/gh',
  '.config/hub',
  '.config/gcloud',
  '.config/op',
  '.netrc',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pypirc',
  '.git-credentials',
  '.pgpass',
  '.my.cnf',
  '.vault-token',
  '.terraform.d',
  '.cargo/credentials',
  '.cargo/credentials.toml',
  '.m2/settings.xml',
  '.gradle/gradle.properties',
  '.password-store',
  '.local/share/keyrings',
  '.mozilla',
  '.thunderbird',
  '.config/google-chrome',
  '.config/chromium',
  '.config/BraveSoftware',
  '.config/microsoft-edge',
  '.config/vivaldi',
  '.bash_history',
  '.zsh_history',
  '.python_history',
  '.node_repl_history',
  '.psql_history',
  '.mysql_history',
  '.lesshst',
  '.viminfo',
  'Library/Keychains',
  'Library/Cookies',
  'Library/Safari',
  'Library/Application Support/Google/Chrome',
  'Library/Application Support/Firefox',
  'Library/Application Support/BraveSoftware',
]
