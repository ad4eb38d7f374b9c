// The toolchain matrix (`cargo xtask test` runs it): the npm package as a
// user gets it, `npm pack`ed and installed from the tarball into this folder's
// node_modules (one install that every app below shares), then
//   - built by Vite, webpack 5, Rollup + @rollup/plugin-node-resolve and
//     esbuild, and loaded as it is by a plain <script type="module"> page,
//     each app run in headless Chromium against the emulator;
//   - run by Node as ESM and as CommonJS;
//   - type-checked by tsc (module nodenext) in an ESM and a CommonJS project;
//   - linted by publint and attw (@arethetypeswrong/cli) from the tarball.
// Every app lists orders and gets an HError 605 (app/check.js); the test
// asserts both against the emulator's own answer. Builds run in parallel,
// the pages are served from disk by Playwright's page routing.
//
// Env (xtask sets it): BAAS_EMULATOR_URL, BAAS_CLIENT_ID, BAAS_ADMIN_TOKEN,
// BAAS_PACKAGE_DIR (the built package, default target/npm/baas-order),
// BAAS_TOOLCHAINS_OUT (where tarball and builds go, default target/toolchains).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(HERE, '..', '..')
const PKG_DIR = process.env.BAAS_PACKAGE_DIR || path.join(ROOT, 'target', 'npm', 'baas-order')
const OUT = process.env.BAAS_TOOLCHAINS_OUT || path.join(ROOT, 'target', 'toolchains')
const EMULATOR = (process.env.BAAS_EMULATOR_URL || '').replace(/\/$/, '')
const CLIENT_ID = process.env.BAAS_CLIENT_ID || 'demo-client-id'
const TOKEN = process.env.BAAS_ADMIN_TOKEN || 'demo-admin-token'
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync']
assert.ok(EMULATOR, 'BAAS_EMULATOR_URL must point at a running baas-emulator (cargo xtask test sets it)')
const CONFIG = { emulator: EMULATOR, clientID: CLIENT_ID, token: TOKEN }
const INSTALLED = path.join(HERE, 'node_modules', 'baas-order')
const WASM = 'baas_order_bg.wasm'

const bin = name => path.join(HERE, 'node_modules', '.bin', name)
const version = name => JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', name, 'package.json'), 'utf8')).version
const TSC = {
  [version('typescript')]: path.join(HERE, 'node_modules', 'typescript', 'bin', 'tsc'),
  [version('typescript-5')]: path.join(HERE, 'node_modules', 'typescript-5', 'bin', 'tsc'),
}

/** Runs a command in this folder; resolves with its output and time, rejects with both outputs. */
function sh(cmd, args, env = {}) {
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: HERE, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300_000, env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        const ms = Math.round(performance.now() - t0)
        if (err) reject(new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${err.code ?? err.signal}):\n${stdout}\n${stderr}`))
        else resolve({ stdout, stderr, ms })
      })
  })
}

// At most as many builds at once as there are cores (BAAS_TOOLCHAINS_JOBS overrides).
const slots = Number(process.env.BAAS_TOOLCHAINS_JOBS) || Math.max(1, Math.min(os.availableParallelism(), 4))
let running = 0
const waiting = []
function limited(fn) {
  const p = new Promise((resolve, reject) => waiting.push(() => fn().then(resolve, reject)))
  pump()
  p.catch(() => {}) // reported by the test that awaits it
  return p
}
function pump() {
  while (running < slots && waiting.length) {
    running++
    waiting.shift()().finally(() => {
      running--
      pump()
    })
  }
}

/** A build's output: nothing that reads as a warning (e.g. Vite's "doesn't exist at build time"). */
function assertQuiet(name, { stdout, stderr }) {
  const text = `${stdout}\n${stderr}`
  const bad = text.split('\n').filter(l => /warn|\(!\)|doesn't exist|can't resolve|not found/i.test(l))
  assert.deepEqual(bad, [], `${name} printed warnings:\n${text}`)
}

const copyWasmNextToBundle = dir => fs.copyFileSync(path.join(INSTALLED, WASM), path.join(dir, WASM))
const copyPage = (from, dir) => fs.copyFileSync(path.join(HERE, from, 'index.html'), path.join(dir, 'index.html'))

// name -> () => Promise<{ ms, stdout, stderr }>, started in parallel once the package is installed.
const BUILDS = {
  vite: async () => {
    const dir = path.join(OUT, 'vite')
    const r = await sh(bin('vite'), ['build', 'vite', '--outDir', dir, '--emptyOutDir', '--logLevel', 'info'])
    return { ...r, dir }
  },
  webpack: async () => {
    const dir = path.join(OUT, 'webpack')
    const r = await sh(bin('webpack'), ['build', '--mode=production', '--entry=./app/main.js', `--output-path=${dir}`,
      '--output-filename=main.js'])
    copyPage('webpack', dir)
    return { ...r, dir }
  },
  rollup: async () => {
    const dir = path.join(OUT, 'rollup')
    const r = await sh(bin('rollup'), ['-c', 'rollup/rollup.config.mjs', '--dir', dir])
    copyWasmNextToBundle(dir)
    copyPage('rollup', dir)
    return { ...r, dir }
  },
  esbuild: async () => {
    const dir = path.join(OUT, 'esbuild')
    const r = await sh(bin('esbuild'), ['app/main.js', '--bundle', '--format=esm', `--outdir=${dir}`, '--log-level=info'])
    copyWasmNextToBundle(dir)
    copyPage('esbuild', dir)
    return { ...r, dir }
  },
}
for (const ts of Object.keys(TSC)) {
  for (const kind of ['esm', 'cjs']) {
    // --explainFiles names the declaration file tsc took; on failure keep only the errors and that.
    BUILDS[`tsc ${ts} ${kind}`] = () =>
      sh('node', [TSC[ts], '-p', `ts-${kind}`, '--noEmit', '--strict', '--explainFiles']).catch(e => {
        throw new Error(e.message.split('\n').filter(l => / failed \(|error TS|node_modules\/baas-order\//.test(l)).join('\n'))
      })
  }
}

let tgz
let browser
const jobs = {}
const report = [] // [toolchain, version, ms, what the app printed]

before(async () => {
  fs.rmSync(OUT, { recursive: true, force: true })
  fs.mkdirSync(OUT, { recursive: true })
  const npm = (args, cwd) => execFileSync('npm', args, {
    cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'error' },
  })
  const t0 = performance.now()
  const packed = JSON.parse(npm(['pack', PKG_DIR, '--json', '--pack-destination', OUT], OUT))[0]
  tgz = path.join(OUT, packed.filename)
  fs.rmSync(INSTALLED, { recursive: true, force: true })
  npm(['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', tgz], HERE)
  assert.ok(!fs.lstatSync(INSTALLED).isSymbolicLink(), 'installed from the tarball, not linked')
  assert.equal(version('baas-order'), packed.version)
  console.log(`packed ${packed.filename} (${packed.size} B, ${packed.entryCount} files) and installed it in ${Math.round(performance.now() - t0)} ms; ` +
    `${slots} builds at a time`)
  for (const [name, build] of Object.entries(BUILDS)) jobs[name] = limited(build)
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
})

after(async () => {
  await browser?.close()
  if (report.length) {
    console.log('\ntoolchain            version   build ms  what the app printed')
    for (const [name, v, ms, line] of report) console.log(`${name.padEnd(20)} ${String(v).padEnd(9)} ${String(ms ?? '').padStart(8)}  ${line}`)
  }
})

// ---- the emulator's own answer, to hold the apps' against --------------

async function expectedTotal() {
  const res = await fetch(`${EMULATOR}/hserve/v2.2/idp/pay/order/?limit=1`, {
    headers: { 'X-Hydrogen-Client-ID': CLIENT_ID, Authorization: `Hydrogen-r1 ${TOKEN}` },
  })
  assert.equal(res.status, 200)
  return (await res.json()).meta.total_count
}

/** What every app must have seen: a list of five orders, then a 605 naming refund_amount. */
async function assertResult(result) {
  assert.ok(!result.failed, `the app failed: ${result.failed}`)
  const total = await expectedTotal()
  assert.ok(total > 5, `the emulator holds orders (${total})`)
  assert.equal(result.status, 200)
  assert.equal(result.total, total, 'total_count as the emulator reports it')
  assert.equal(result.listed, 5, 'limit(5) gave five orders')
  assert.equal(new Set(result.ids).size, 5)
  assert.ok(result.refused, 'refund_amount -1 was refused')
  assert.equal(result.refused.code, 605)
  assert.ok(result.refused.isHError, 'the rejection is a BaaS.HError')
  assert.match(result.refused.message, /^605: .*refund_amount/)
}

// ---- the browser: each app on its own origin, served from disk ----------

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' }

/**
 * Opens `http://<name>.localhost/` with the files of `mounts` ([url prefix,
 * folder], longest prefix wins) and waits for the app's result.
 */
async function runPage(name, mounts) {
  const origin = `http://${name}.localhost`
  // A page served by page.route has no server address, so Chromium counts it
  // as public and asks permission before it may call the emulator on
  // loopback (Local Network Access); grant it, as a user would.
  const context = await browser.newContext({ permissions: ['local-network-access'] })
  const served = []
  const problems = []
  let closing = false
  const serve = async route => {
    const urlPath = decodeURIComponent(new URL(route.request().url()).pathname)
    if (urlPath === '/config.json') return route.fulfill({ json: CONFIG })
    const [prefix, dir] = mounts.filter(([p]) => urlPath.startsWith(p)).sort((a, b) => b[0].length - a[0].length)[0]
    let rest = urlPath.slice(prefix.length)
    if (rest === '' || rest.endsWith('/')) rest += 'index.html'
    const parts = rest.split('/')
    const file = parts.some(p => p === '' || p === '.' || p === '..') ? null : path.join(dir, ...parts)
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      served.push(`404 ${urlPath}`)
      return route.fulfill({ status: 404, body: 'not found' })
    }
    served.push(`200 ${urlPath}`)
    return route.fulfill({ status: 200, contentType: TYPES[path.extname(file)] || 'application/octet-stream', body: fs.readFileSync(file) })
  }
  // A request still being answered when the context closes (the page may
  // fetch on after its result) must not fail the run: its routes are removed
  // first with their errors ignored (below), and a fulfil cut short by the
  // close ends quietly.
  await context.route(`${origin}/**`, route =>
    serve(route).catch(e => {
      if (!closing) throw e
    }),
  )
  try {
    const page = await context.newPage()
    page.on('pageerror', e => problems.push(`uncaught: ${e.message}`))
    page.on('console', m => m.type() === 'error' && problems.push(`console: ${m.text()}`))
    await page.goto(`${origin}/`)
    const result = await page.waitForFunction(() => window.__result, null, { timeout: 30_000 })
      .then(h => h.jsonValue())
      .catch(e => ({ failed: `no result: ${e.message}; served ${served.join(', ')}; ${problems.join('; ')}` }))
    const printed = await page.textContent('#out')
    assert.deepEqual(served.filter(s => s.startsWith('404')), [], `requests that found nothing: ${served.join(', ')}`)
    assert.deepEqual(problems, [], 'no errors in the page')
    const wasm = served.filter(s => s.endsWith('.wasm'))
    assert.equal(wasm.length, 1, `the page fetched one wasm: ${served.join(', ')}`)
    return { result, printed, wasm: wasm[0].slice(4) }
  } finally {
    closing = true
    await context.unrouteAll({ behavior: 'ignoreErrors' })
    await context.close()
  }
}

async function browserCase(t, label, v, name, mounts, build) {
  const built = build ? await jobs[name] : null
  if (built) assertQuiet(label, built)
  const { result, printed, wasm } = await runPage(name, mounts(built))
  await assertResult(result)
  t.diagnostic(`${printed} [wasm from ${wasm}]`)
  report.push([label, v, built?.ms, `${printed} [wasm ${wasm}]`])
}

// ---- the cases -------------------------------------------------------------

test('the package JS holds one way to find the wasm: index.js, new URL("./baas_order_bg.wasm", import.meta.url)', () => {
  const js = []
  const walk = dir => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.(m|c)?js$/.test(e.name)) js.push([path.relative(INSTALLED, p), fs.readFileSync(p, 'utf8')])
    }
  }
  walk(INSTALLED)
  const refs = js.flatMap(([f, text]) => (text.match(/new URL\([^)]*\)|import\.meta\.url/g) || []).map(m => `${f}: ${m}`))
  assert.deepEqual(refs, ['index.js: new URL("./baas_order_bg.wasm",import.meta.url)'])
  assert.ok(fs.statSync(path.join(INSTALLED, WASM)).size > 0, `${WASM} sits at the package root, next to index.js`)
})

test('plain <script type="module"> page, no build (import map to node_modules/baas-order/index.js)', async t => {
  await browserCase(t, 'plain page', 'none', 'plain', () => [
    ['/', path.join(HERE, 'plain')],
    ['/app/', path.join(HERE, 'app')],
    ['/node_modules/', path.join(HERE, 'node_modules')],
  ])
})

for (const [kind, file, entry] of [['ESM', 'node/app.mjs', 'index.js'], ['CJS', 'node/app.cjs', 'index.cjs']]) {
  test(`Node ${process.versions.node} ${kind} (${file})`, async t => {
    const r = await sh('node', [file], { APP_CONFIG: JSON.stringify(CONFIG) })
    const out = JSON.parse(r.stdout.trim().split('\n').pop())
    assert.ok(out.entry.endsWith(`node_modules/baas-order/${entry}`), `resolved ${out.entry}`)
    await assertResult(out.result)
    t.diagnostic(out.line)
    report.push([`Node ${kind}`, process.versions.node, null, out.line])
  })
}

test(`esbuild ${version('esbuild')} (--bundle --format=esm, wasm copied next to the bundle)`, async t => {
  await browserCase(t, 'esbuild', version('esbuild'), 'esbuild', b => [['/', b.dir]], true)
})

test(`Rollup ${version('rollup')} + @rollup/plugin-node-resolve ${version('@rollup/plugin-node-resolve')} (wasm copied next to the bundle)`, async t => {
  await browserCase(t, 'Rollup', version('rollup'), 'rollup', b => [['/', b.dir]], true)
})

test(`Vite ${version('vite')} (vite build, no configuration)`, async t => {
  await browserCase(t, 'Vite', version('vite'), 'vite', b => [['/', b.dir]], true)
})

test(`webpack ${version('webpack')} (webpack-cli ${version('webpack-cli')}, no configuration)`, async t => {
  await browserCase(t, 'webpack', version('webpack'), 'webpack', b => [['/', b.dir]], true)
})

test('the Alipay instructions\' require(\'baas-order/miniprogram/index.js\') resolves and loads as CommonJS in Node, esbuild and webpack', async t => {
  const expectLoaded = (how, stdout) => {
    const out = JSON.parse(stdout.trim().split('\n').pop())
    assert.equal(out.code, 611, `${how}: ${stdout}`)
    assert.match(out.message, /no mini-program runtime/, how)
    assert.deepEqual(out.api, ['function', 'function', 'function'], how)
  }
  const entry = 'miniprogram/entry.cjs'
  expectLoaded('Node', (await sh('node', [entry])).stdout)
  const resolved = (await sh('node', ['-p', "require.resolve('baas-order/miniprogram/index.js')"])).stdout.trim()
  assert.ok(resolved.endsWith('node_modules/baas-order/miniprogram/index.js'), resolved)
  const esb = path.join(OUT, 'mp-esbuild.cjs')
  await limited(() => sh(bin('esbuild'), [entry, '--bundle', '--platform=node', '--format=cjs', `--outfile=${esb}`, '--log-level=warning']))
  expectLoaded('esbuild', (await sh('node', [esb])).stdout)
  const wp = path.join(OUT, 'mp-webpack')
  await limited(() => sh(bin('webpack'), ['build', '--mode=production', '--target=node', `--entry=./${entry}`, `--output-path=${wp}`, '--output-filename=main.js']))
  expectLoaded('webpack', (await sh('node', [path.join(wp, 'main.js')])).stdout)
  t.diagnostic('Node, esbuild and webpack: loaded as CommonJS, BaaS.init 611 outside a mini-program')
  report.push(['miniprogram path', '', null, 'Node, esbuild, webpack resolve and load it'])
})

for (const ts of Object.keys(TSC)) {
  for (const [kind, types, other] of [['esm', 'index.d.ts', 'index.d.cts'], ['cjs', 'index.d.cts', 'index.d.ts']]) {
    test(`TypeScript ${ts}, module nodenext, ${kind.toUpperCase()} project: tsc --noEmit --strict takes ${types}`, async t => {
      const r = await jobs[`tsc ${ts} ${kind}`]
      const files = r.stdout.split('\n').filter(l => l.includes('node_modules/baas-order/'))
      assert.ok(files.some(l => l.trim().endsWith(`node_modules/baas-order/${types}`)), `tsc read ${types}:\n${r.stdout}`)
      assert.ok(!files.some(l => l.trim().endsWith(`node_modules/baas-order/${other}`)), `tsc did not read ${other}:\n${r.stdout}`)
      const line = `no errors; types from ${types}`
      t.diagnostic(line)
      report.push([`tsc ${kind.toUpperCase()}`, ts, r.ms, line])
    })
  }
}

test(`attw ${version('@arethetypeswrong/cli')} on the tarball: no problem in node10, node16 (CJS and ESM), bundler`, async t => {
  const r = await limited(() => sh(bin('attw'), [tgz, '--format', 'table-flipped'], { FORCE_COLOR: '0' }))
  const text = r.stdout + r.stderr
  for (const mode of ['node10', 'node16 (from CJS)', 'node16 (from ESM)', 'bundler']) {
    assert.ok(text.includes(mode), `attw reports ${mode}:\n${text}`)
  }
  assert.match(text, /No problems found/, text)
  t.diagnostic(text.trim())
  report.push(['attw', version('@arethetypeswrong/cli'), r.ms, 'No problems found (node10, node16 CJS, node16 ESM, bundler)'])
})

test(`publint ${version('publint')} on the tarball (strict, every suggestion counts)`, async t => {
  const t0 = performance.now()
  const bytes = fs.readFileSync(tgz)
  const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true })
  const lines = messages.map(m => `${m.type}: ${formatMessage(m, pkg)}`)
  assert.deepEqual(lines, [], 'publint found nothing')
  t.diagnostic('no messages')
  report.push(['publint', version('publint'), Math.round(performance.now() - t0), 'no errors, warnings or suggestions'])
})
