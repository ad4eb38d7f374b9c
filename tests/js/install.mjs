// Installs the packed npm package the way a user gets it: `npm pack` the
// build output (target/npm/baas-order, written by `cargo xtask pack`), then
// `npm install --offline <tgz>` into a fresh project. Cached per process.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
export const ROOT = path.resolve(here, '..', '..')
// Where `cargo xtask pack` wrote the package (xtask passes it; cargo's default otherwise).
export const BUILD_DIR = process.env.BAAS_PACKAGE_DIR || path.join(ROOT, 'target', 'npm', 'baas-order')

let installed = null

function npm(args, cwd) {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'error' },
  })
}

function install() {
  if (!fs.existsSync(path.join(BUILD_DIR, 'package.json'))) {
    throw new Error(`${BUILD_DIR} is missing: run \`cargo xtask pack\` first`)
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'baas-order-install-'))
  process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }))
  const packDir = path.join(tmp, 'pack')
  fs.mkdirSync(packDir)
  const packed = JSON.parse(npm(['pack', BUILD_DIR, '--json', '--pack-destination', packDir], tmp))
  const tgz = path.join(packDir, packed[0].filename)
  const project = path.join(tmp, 'project')
  fs.mkdirSync(project)
  fs.writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'baas-order-user', version: '1.0.0', private: true, type: 'module' }, null, 2),
  )
  npm(['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', tgz], project)
  // A user's ESM module that imports the package by its name.
  fs.writeFileSync(
    path.join(project, 'load.mjs'),
    "export * from 'baas-order'\nexport { default } from 'baas-order'\n",
  )
  return { dir: project, tgz, files: packed[0].files.map(f => f.path) }
}

/** The directory of a fresh project with `baas-order` installed from its tarball. */
export function installDir() {
  installed = installed || install()
  return installed.dir
}

/** What `npm pack` put in the tarball (paths inside the package). */
export function packedFiles() {
  installDir()
  return installed.files
}

/** `import('baas-order')` from inside the user's project (the ESM entry). */
export async function importESM() {
  return import(pathToFileURL(path.join(installDir(), 'load.mjs')).href)
}

/** `require('baas-order')` from inside the user's project (the CommonJS entry). */
export function requireCJS() {
  return createRequire(path.join(installDir(), 'package.json'))('baas-order')
}

/** The installed package's package.json. */
export function installedManifest() {
  return JSON.parse(fs.readFileSync(path.join(installDir(), 'node_modules', 'baas-order', 'package.json'), 'utf8'))
}

let copies = 0
/**
 * A second, separate install of the same package (its own module instances
 * and wasm), for tests that need a never-initialised SDK.
 */
export function freshCopy() {
  const src = installDir()
  const dir = path.join(path.dirname(src), `fresh-${++copies}`)
  fs.cpSync(path.join(src, 'node_modules'), path.join(dir, 'node_modules'), { recursive: true })
  fs.copyFileSync(path.join(src, 'package.json'), path.join(dir, 'package.json'))
  fs.copyFileSync(path.join(src, 'load.mjs'), path.join(dir, 'load.mjs'))
  return {
    dir,
    importESM: () => import(pathToFileURL(path.join(dir, 'load.mjs')).href),
    requireCJS: () => createRequire(path.join(dir, 'package.json'))('baas-order'),
  }
}
