import {createReadStream, existsSync} from 'node:fs'
import {access, constants, mkdir, mkdtemp, readFile, rename, rm, writeFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {createBrotliDecompress} from 'node:zlib'
import {execa} from 'execa'

/** Where Debian, Ubuntu and Google install a Chromium or Chrome. */
const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']
const REPO = fileURLToPath(new URL('../..', import.meta.url))

export interface TestBrowser {
  executablePath: string
  /** Where it came from, for failure messages: "system" or "npm (@sparticuz/chromium 143.0.4)". */
  source: string
  /** The browser process's environment: the npm build needs its own libraries and fonts. */
  env: Record<string, string>
}

/**
 * A Chromium for the browser tests, with nothing to install by hand: FAITHH_CHROMIUM when set, else
 * a working system Chromium, else the one the `@sparticuz/chromium` devDependency ships inside its
 * npm package (brotli archives in its bin/ folder, unpacked here on first use; nothing is downloaded).
 */
export async function findChromium(): Promise<TestBrowser> {
  const env = process.env as Record<string, string>
  const chosen = process.env.FAITHH_CHROMIUM
  if (chosen) return {executablePath: chosen, source: 'FAITHH_CHROMIUM', env}
  for (const candidate of SYSTEM_CHROMIUMS) if (await runs(candidate)) return {executablePath: candidate, source: 'system', env}
  return unpackNpmChromium()
}

/** Ubuntu's /usr/bin/chromium-browser can be a stub that only asks for the snap: it must answer --version. */
async function runs(executable: string): Promise<boolean> {
  try {
    await access(executable, constants.X_OK)
  } catch {
    return false
  }

  const result = await execa(executable, ['--version'], {reject: false, timeout: 15_000, stdin: 'ignore'})
  return result.exitCode === 0
}

/**
 * The package unpacks into os.tmpdir() itself, in place, and reuses whatever `chromium` it finds
 * there, complete or not and of whichever version. So it unpacks in a child process whose TMPDIR is
 * a fresh folder, which is renamed into place only when complete: a cache per version that an
 * interrupted run cannot corrupt.
 */
async function unpackNpmChromium(): Promise<TestBrowser> {
  const require = createRequire(import.meta.url)
  // Its exports hide package.json: go up from its entry point, build/cjs/index.cjs.
  const packageDir = path.resolve(path.dirname(require.resolve('@sparticuz/chromium', {paths: [REPO]})), '..', '..')
  const {version} = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as {version: string}
  const cache = path.join(tmpdir(), `faithh-npm-chromium-${version}`)
  const browser = (): TestBrowser => ({
    executablePath: path.join(cache, 'chromium'),
    source: `npm (@sparticuz/chromium ${version}, unpacked in ${cache})`,
    env: {
      ...(process.env as Record<string, string>),
      // Built for Amazon Linux: it brings NSS and expat for machines that lack them, and fonts for machines without any.
      LD_LIBRARY_PATH: [path.join(cache, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_FILE: path.join(cache, 'fonts.conf'),
    },
  })
  if (existsSync(cache)) return browser()

  const staging = await mkdtemp(path.join(tmpdir(), `faithh-npm-chromium-${version}-unpacking-`))
  try {
    const unpacked = await execa(
      'node',
      ['--input-type=module', '-e', 'const {default: c} = await import("@sparticuz/chromium"); process.stdout.write(await c.executablePath())'],
      {
        cwd: REPO,
        env: {TMPDIR: staging},
        stdin: 'ignore',
      },
    )
    if (unpacked.stdout !== path.join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${unpacked.stdout}, not into ${staging}`)
    // Only Amazon Linux gets these from the package itself; tar is on every Debian and Ubuntu.
    await mkdir(path.join(staging, 'al2023'))
    await execa('tar', ['-x', '-C', path.join(staging, 'al2023')], {
      input: createReadStream(path.join(packageDir, 'bin', 'al2023.tar.br')).pipe(createBrotliDecompress()),
    })
    // The package's own fonts.conf names /tmp/fonts. This one takes the system's fonts where there are
    // any (monospace, ✓), and the package's Open Sans on a machine without a single font.
    const fontsConf = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
      `  <dir>${path.join(cache, 'fonts', 'fonts')}</dir>`,
      `  <cachedir>${path.join(cache, 'fonts-cache')}</cachedir>`,
      '</fontconfig>',
    ]
    await writeFile(path.join(staging, 'fonts.conf'), fontsConf.join('\n') + '\n')
    await rename(staging, cache)
  } catch (error) {
    await rm(staging, {recursive: true, force: true})
    // Another test run finished unpacking first: use its copy.
    if (existsSync(cache)) return browser()
    throw error
  }

  return browser()
}
