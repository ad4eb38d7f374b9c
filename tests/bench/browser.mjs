// `cargo xtask bench`, second part: the same calls in headless Chromium, the
// runtime users run the SDK in. Not a test: it asserts nothing about time and
// prints medians with their spread (p25-p75).
//
// One page times five ways of making the same call, interleaved round by
// round (in an order shuffled each round, so drift on a busy machine hits all
// alike and no way always runs after the same other way, whose garbage it
// would collect: with a fixed rotation baas-order always followed
// minapp-sdk): a raw `fetch` + `JSON.parse`; the same with the `fetch`
// options the SDK passes (no redirect, a timeout signal), which
// separates what those options do from what the SDK's own code costs; an XHR
// + `JSON.parse`; minapp-sdk (lib/web.js, loaded by a <script> tag) and
// baas-order (the packed package, `import`ed). Besides the medians it prints
// the median of each round's baas-order time minus raw fetch's in the same
// round (paired: a slow stretch of the machine hits both).
//
// Then the SDK's own work with `fetch` stubbed (a canned reply, no network):
// back to back, and one call at a time after a pass over 64 MiB, which
// leaves the CPU's data caches cold as the ~2 ms network wait between two
// real calls does (on this project's machine: its L3 is 32 MiB; the JIT's
// inline caches and the branch predictors stay warm). Last, V8's sampling
// profiler names the functions of the stubbed loop.
//
// Two tables. The first page is driven by playwright, on the emulator's
// origin, so its API calls are same-origin (the section at the end says what
// a cross-origin page adds); the page and the package files come from disk
// through playwright's `page.route`, and the routes are removed before any
// call is timed, so API calls go straight from Chromium to the emulator. The
// second runs the same harness in a Chromium no DevTools client drives, on a
// page of a small server of its own calling the emulator across origins
// (`tableWithoutDevtools`). Both pages are cross-origin isolated (COOP +
// COEP), so `performance.now()` has 5 µs
// resolution instead of 100 µs.
//
// Env: BAAS_EMULATOR_URL, BAAS_CLIENT_ID, BAAS_ADMIN_TOKEN, BAAS_PACKAGE_DIR
// (set by xtask); BAAS_EMULATOR_CONTROL_TOKEN is sent as X-Emulator-Token to
// the emulator's controls when set; BAAS_BENCH_QUICK=1 runs fewer rounds;
// BAAS_BENCH_ONLY=profile runs only the last part (fetch stubbed: hot, then
// each call with cold CPU caches; the profile).
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { PKG, MINAPP_JS, EMU, CLIENT_ID, TOKEN, QUICK, TX, REFUND, control, stats, fmt, cell } from './common.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '..', 'package.json'))
const { chromium } = require('playwright-core')
const PROFILE_ONLY = process.env.BAAS_BENCH_ONLY === 'profile' // skip the tables and memory: only the profile
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

// ---- files served to Chromium from disk ----------------------------------

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8' }
const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
const PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>baas-order bench</title></head><body></body></html>'

/**
 * Routes `${EMU}/__bench/<anything>/page.html`, `.../minapp.js` and
 * `.../pkg/<file>` to disk. The `<anything>` segment lets each cold start use
 * URLs Chromium has never seen (no HTTP or code cache).
 */
async function routeFiles(page) {
  await page.route(`${EMU}/__bench/**`, route => {
    const rest = new URL(route.request().url()).pathname.split('/').slice(3).join('/')
    let body
    if (rest === 'page.html') body = PAGE
    else if (rest === 'minapp.js') body = fs.readFileSync(MINAPP_JS)
    else if (rest.startsWith('pkg/') && !rest.includes('..')) {
      const file = path.join(PKG, rest.slice(4))
      if (fs.existsSync(file)) body = fs.readFileSync(file)
    }
    if (body === undefined) return route.fulfill({ status: 404, body: '' })
    const type = TYPES[path.extname(rest)] || 'application/octet-stream'
    return route.fulfill({ status: 200, body, headers: { 'Content-Type': type, 'Cache-Control': 'no-store', ...ISOLATED } })
  })
}

// ---- statistics and printing ----------------------------------------------


/** Prints the table of `rows` ({ c, s, d }), after an optional first line. */
function printTable(rows, first) {
  const head = ['', 'rounds', 'raw fetch + JSON.parse', "same, SDK's options", 'XHR + JSON.parse', 'minapp-sdk', 'baas-order', 'x raw', 'x minapp', 'paired µs']
  const widths = [30, 7, 24, 22, 22, 22, 22, 7, 9, 11]
  const lineL = cols => [String(cols[0]).padEnd(widths[0]), ...cols.slice(1).map((c, i) => String(c).padStart(widths[i + 1]))].join('  ')
  console.log(lineL(head))
  if (first) console.log(lineL(first))
  const us = ms => (ms * 1000).toFixed(0)
  for (const { c, s, d } of rows) {
    const xRaw = (s.baas.median / s.raw.median).toFixed(3)
    const xMin = s.minapp ? (s.baas.median / s.minapp.median).toFixed(2) : ''
    console.log(lineL([c.name, c.rounds, cell(s.raw), cell(s.rawSdk), cell(s.xhr), cell(s.minapp), cell(s.baas), xRaw, xMin, `${us(d.raw.median)} / ${us(d.rawSdk.median)}`]))
  }
}

// ---- in-page harness --------------------------------------------------------

/** Runs in the page: the four ways of making each call, and the timed loop. */
function harness() {
  const H = (window.__bench = {})
  H.setup = async ({ clientID, host, token, pkg }) => {
    // What minapp-sdk stores after a login; both SDKs read their token from it.
    localStorage.setItem('ifx_baas_auth_token', JSON.stringify({ value: token }))
    window.BaaS.init(clientID, { host })
    H.minapp = window.BaaS
    // The package exports nothing of its wasm: its memory is read from the
    // instance WebAssembly makes when the package loads it.
    for (const k of ['instantiate', 'instantiateStreaming']) {
      const made = WebAssembly[k]
      WebAssembly[k] = async (...args) => {
        const r = await made.apply(WebAssembly, args)
        H.wasmExports ||= (r.instance || r).exports
        return r
      }
    }
    const mod = await import(pkg)
    await mod.BaaS.init(clientID, { host })
    H.baas = mod.BaaS
  }
  /** Points both SDKs at `host` (the 5,000-order row of the page with no DevTools client). */
  H.host = async ({ clientID, host }) => {
    H.minapp.init(clientID, { host })
    await H.baas.init(clientID, { host })
  }
  const viaFetch = async (url, init) => JSON.parse(await (await fetch(url, init)).text())
  const viaXhr = (url, method, headers, body) =>
    new Promise((resolve, reject) => {
      const x = new XMLHttpRequest()
      x.open(method, url)
      for (const k in headers) x.setRequestHeader(k, headers[k])
      x.onload = () => resolve(JSON.parse(x.responseText))
      x.onerror = () => reject(new Error('xhr failed'))
      x.send(body === undefined ? null : body)
    })
  // The SDK's `fetch` options (pkg-template/src/send.js), its timeout signal shared likewise.
  const sdkInit = () => ({ redirect: 'manual', signal: (H.signal ||= AbortSignal.timeout(3.6e6)) })
  /** `{ raw, rawSdk, xhr, minapp?, baas }`: functions making call `c` and answering the parsed body. */
  H.ways = c => {
    const headers = c.headers
    const ways = {
      raw: () => viaFetch(c.url, { method: c.method, headers, body: c.body }),
      rawSdk: () => viaFetch(c.url, { method: c.method, headers: { ...headers }, body: c.body, ...sdkInit() }),
      xhr: () => viaXhr(c.url, c.method, headers, c.body),
    }
    if (c.kind === 'list') {
      ways.minapp = async () => (await new H.minapp.Order().limit(c.limit).getOrderList()).data
      ways.baas = async () => (await new H.baas.Order().limit(c.limit).getOrderList()).data
    } else if (c.kind === 'get') {
      ways.minapp = async () => (await new H.minapp.Order().get(c.id)).data
      ways.baas = async () => (await new H.baas.Order().get(c.id)).data
    } else {
      ways.baas = async () => (await H.baas.refund(c.data)).data
    }
    return ways
  }
  // Each round's order of the ways: a seeded shuffle (mulberry32), the same every run.
  let seed = 0x9e3779b9
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const shuffled = names => {
    const a = [...names]
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[a[i], a[j]] = [a[j], a[i]]
    }
    return a
  }
  /** Each round makes the call once each way, in a shuffled order. */
  H.run = async (c, rounds, warmup) => {
    const ways = H.ways(c)
    const names = Object.keys(ways)
    const times = Object.fromEntries(names.map(n => [n, []]))
    const check = {}
    // Per round: baas-order's time minus raw fetch's, and minus raw fetch's with the SDK's options.
    const paired = { raw: [], rawSdk: [] }
    for (let r = -warmup; r < rounds; r++) {
      const round = {}
      for (const name of shuffled(names)) {
        const t = performance.now()
        const data = await ways[name]()
        const dt = performance.now() - t
        if (r >= 0) times[name].push((round[name] = dt))
        else check[name] = c.kind === 'list' ? data.objects.length : c.kind === 'get' ? data.transaction_no : data.status
      }
      if (r >= 0) for (const k in paired) paired[k].push(round.baas - round[k])
    }
    return { times, check, paired }
  }
  /**
   * Each way of `ways` `rounds` times, shuffled each round, with `fetch` wrapped to
   * mark when it is called, when it returned, when the call itself returned
   * its Promise, when the headers are in and when the body is: per way, the
   * medians (ms) of the time before `fetch`, inside the `fetch()` call, on
   * the way back to the caller, waiting for the headers, reading the body,
   * and after it until the call resolved; `paired`, the median of each
   * round's baas-order time minus raw fetch's; and `unmarked`, how many calls
   * were left out because their marks were out of order.
   */
  H.marks = async (c, ways, rounds) => {
    const all = H.ways(c)
    const real = window.fetch
    let m
    window.fetch = (u, i) => {
      m.f = performance.now()
      const got = real(u, i)
      m.fr = performance.now()
      return got.then(r => {
        m.h = performance.now()
        const text = r.text.bind(r)
        r.text = () => text().then(x => ((m.b = performance.now()), x))
        return r
      })
    }
    const parts = Object.fromEntries(ways.map(w => [w, { before: [], inFetch: [], back: [], wait: [], body: [], after: [] }]))
    const paired = []
    let unmarked = 0
    try {
      for (let r = -10; r < rounds; r++) {
        const round = {}
        for (const w of shuffled(ways)) {
          m = {}
          const t = performance.now()
          const call = all[w]()
          m.ret = performance.now()
          await call
          const e = performance.now()
          if (r < 0) continue
          round[w] = e - t
          // A way that did not call fetch synchronously, or read the body otherwise, has no marks.
          if (!(t <= m.f && m.f <= m.fr && m.fr <= m.ret && m.ret <= m.h && m.h <= m.b && m.b <= e)) {
            unmarked++
            continue
          }
          const p = parts[w]
          p.before.push(m.f - t)
          p.inFetch.push(m.fr - m.f)
          p.back.push(m.ret - m.fr)
          p.wait.push(m.h - m.ret)
          p.body.push(m.b - m.h)
          p.after.push(e - m.b)
        }
        if (r >= 0) paired.push(round.baas - round.raw)
      }
    } finally {
      window.fetch = real
    }
    const median = a => a.sort((x, y) => x - y)[a.length >> 1]
    return {
      ...Object.fromEntries(ways.map(w => [w, Object.fromEntries(Object.entries(parts[w]).map(([k, v]) => [k, median(v)]))])),
      paired: median(paired),
      unmarked,
    }
  }
  /** `n` calls one way, untimed (for the memory and profile runs). */
  H.loop = async (c, way, n) => {
    const f = H.ways(c)[way]
    for (let i = 0; i < n; i++) await f()
  }
  /**
   * `n` calls one way with `fetch` replaced by a stub that answers `body` at
   * once: no network, so what is left is the caller's own work (for raw: the
   * Response's text and JSON.parse). Answers ms for the `n` calls.
   */
  H.stubbed = async (c, way, n, body) => {
    const f = H.ways(c)[way]
    const real = window.fetch
    window.fetch = () => Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }))
    try {
      const t = performance.now()
      for (let i = 0; i < n; i++) await f()
      return performance.now() - t
    } finally {
      window.fetch = real
    }
  }
  /**
   * Calls one way at a time with `fetch` stubbed as in `stubbed`, each after
   * a pass over `evict` bytes that pushes code and data out of the CPU
   * caches, as the network wait between two real calls does (the emulator
   * and Chromium's network process run on the same cores meanwhile). `ways`
   * interleaved, `n` calls each; answers the per-call times (ms) by way.
   */
  H.stubbedCold = async (c, ways, n, body, evict) => {
    const all = H.ways(c)
    const real = window.fetch
    const junk = new Uint8Array(evict)
    window.fetch = () => Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }))
    const out = Object.fromEntries(ways.map(w => [w, []]))
    try {
      for (let i = -20; i < n; i++) {
        for (const w of shuffled(ways)) {
          for (let j = 0; j < evict; j += 64) junk[j]++
          const t = performance.now()
          await all[w]()
          const dt = performance.now() - t
          if (i >= 0) out[w].push(dt)
        }
      }
    } finally {
      window.fetch = real
    }
    return out
  }
  H.wasmBytes = () => H.wasmExports.memory.buffer.byteLength
}

// ---- the same table with no DevTools client ------------------------------------

/**
 * The table's calls again in a Chromium that playwright does not drive: with
 * a DevTools client attached (playwright enables CDP's Network domain),
 * Chromium records a stack trace for every request it starts, and the deeper
 * the stack at `fetch` (baas-order calls it from inside a wasm call), the
 * more that costs. Users run with no DevTools client. The page comes from a
 * small server here (another origin than the emulator's: API calls are
 * cross-origin, as from a shop's page), runs the same harness and posts the
 * results back. Answers `{ origin, rows, marks }`, or null when Chromium did not
 * answer in time.
 */
async function tableWithoutDevtools(rows) {
  let done
  const result = new Promise(resolve => (done = resolve))
  const big = new Map()
  for (const { call } of rows) if (call.limit > 1000) big.set(call.limit, await bigBody(call))
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>baas-order bench</title>
<script src="/minapp.js"></script><script>(${harness.toString()})()</script>
<script type="module">
const cfg = await (await fetch('/cfg')).json()
const H = window.__bench
await H.setup({ clientID: cfg.clientID, host: cfg.emu, token: cfg.token, pkg: '/pkg/index.js' })
const out = []
for (const c of cfg.calls) {
  await H.host({ clientID: cfg.clientID, host: c.host })
  const r = await H.run(c, c.rounds, 10)
  out.push({ times: r.times, paired: r.paired, check: r.check })
}
const one = cfg.calls.find(c => c.kind === 'list' && c.limit === 1)
let marks = null
try {
  await H.host({ clientID: cfg.clientID, host: one.host })
  marks = await H.marks(one, ['raw', 'rawSdk', 'baas'], cfg.markRounds)
} catch (e) {
  console.error(e)
}
await fetch('/result', { method: 'POST', body: JSON.stringify({ rows: out, marks }) })
</script></head><body></body></html>`
  let origin
  const calls = () =>
    rows.map(({ c, call }) => {
      if (!(call.limit > 1000)) return { ...call, host: EMU, rounds: c.rounds }
      const u = new URL(call.url)
      return { ...call, host: origin, url: origin + u.pathname + u.search, rounds: c.rounds }
    })
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x')
    const send = (type, body) => {
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', ...ISOLATED, 'Cross-Origin-Resource-Policy': 'same-origin' })
      res.end(body)
    }
    if (u.pathname === '/page.html') return send(TYPES['.html'], page)
    if (u.pathname === '/minapp.js') return send(TYPES['.js'], fs.readFileSync(MINAPP_JS))
    if (u.pathname === '/cfg') return send('application/json', JSON.stringify({ clientID: CLIENT_ID, emu: EMU, token: TOKEN, calls: calls(), markRounds: MARK_ROUNDS }))
    if (u.pathname.startsWith('/pkg/') && !u.pathname.includes('..')) {
      const file = path.join(PKG, u.pathname.slice(5))
      if (fs.existsSync(file)) return send(TYPES[path.extname(file)] || 'application/octet-stream', fs.readFileSync(file))
    }
    if (u.pathname === '/result' && req.method === 'POST') {
      let body = ''
      req.on('data', d => (body += d))
      req.on('end', () => (send('text/plain', 'ok'), done(JSON.parse(body))))
      return
    }
    const limit = +u.searchParams.get('limit')
    if (u.pathname.startsWith('/hserve/') && big.has(limit)) return send('application/json', big.get(limit))
    res.writeHead(404)
    res.end()
  })
  server.keepAliveTimeout = 120000
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${server.address().port}`
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'baas-bench-'))
  // Its own process group, so that its helpers go with it.
  const chromium = spawn('/usr/bin/chromium', [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, `${origin}/page.html`], { stdio: 'ignore', detached: true })
  let timer
  const timeout = new Promise(resolve => (timer = setTimeout(() => resolve(null), 10 * 60 * 1000)))
  const out = await Promise.race([result, timeout])
  clearTimeout(timer)
  const exited = chromium.exitCode !== null ? Promise.resolve() : new Promise(resolve => chromium.once('exit', resolve))
  try {
    process.kill(-chromium.pid)
  } catch {}
  await exited
  server.close()
  server.closeAllConnections()
  try {
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 })
  } catch (e) {
    console.log(`(could not remove ${profile}: ${e.code})`)
  }
  if (!out) {
    console.log('\n(the page with no DevTools client did not answer within 10 minutes)')
    return null
  }
  return {
    origin,
    marks: out.marks,
    rows: rows.map(({ c }, i) => {
      for (const [way, got] of Object.entries(out.rows[i].check)) {
        if (got !== c.expect) console.log(`  !! ${c.name} (no DevTools): ${way} answered ${JSON.stringify(got)}, expected ${JSON.stringify(c.expect)}`)
      }
      return { c, ...rowOf(out.rows[i]) }
    }),
  }
}

// ---- the bench ----------------------------------------------------------------

const MARK_ROUNDS = QUICK ? 100 : 400
let freeMarks = null
/** Prints what `H.marks` answered. */
function printMarks(marks, where) {
  const us = ms => `${(ms * 1000).toFixed(0)} µs`
  console.log(`\nmarks around a wrapped fetch (${where}), getOrderList 1 order, ${MARK_ROUNDS} rounds in shuffled order, medians:`)
  for (const way of ['raw', 'rawSdk', 'baas']) {
    const p = marks[way]
    console.log(
      `  ${way.padEnd(6)} before fetch ${us(p.before)}, inside fetch() ${us(p.inFetch)}, back to the caller ${us(p.back)}, ` +
        `waiting for the headers ${us(p.wait)}, body ${us(p.body)}, after the body ${us(p.after)}`,
    )
  }
  console.log(`  paired (baas-order minus raw fetch, median over rounds) ${us(marks.paired)}`)
  if (marks.unmarked) console.log(`  !! ${marks.unmarked} calls left out: their marks were out of order`)
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
const version = browser.version()
console.log(`\nIn headless Chromium ${version} (${EMU}, the page on the emulator's origin)`)

/** A fresh context and page on `${EMU}/__bench/<tag>/page.html`, files routed. */
async function freshPage(tag) {
  const context = await browser.newContext()
  const page = await context.newPage()
  await routeFiles(page)
  await page.goto(`${EMU}/__bench/${tag}/page.html`)
  return { context, page }
}

// Init, cold: a new context (empty HTTP and code cache) and URLs never loaded.
const INIT_ROUNDS = PROFILE_ONLY ? 0 : QUICK ? 4 : 12
const init = { minapp: [], baas: [] }
for (let r = 0; r < INIT_ROUNDS; r++) {
  for (const way of r % 2 ? ['baas', 'minapp'] : ['minapp', 'baas']) {
    const { context, page } = await freshPage(`cold${r}${way}`)
    const args = { clientID: CLIENT_ID, host: EMU, tag: `cold${r}${way}` }
    const ms =
      way === 'baas'
        ? await page.evaluate(async ({ clientID, host, tag }) => {
            const t = performance.now()
            const { BaaS } = await import(`/__bench/${tag}/pkg/index.js`)
            await BaaS.init(clientID, { host })
            return performance.now() - t
          }, args)
        : await page.evaluate(async ({ clientID, host, tag }) => {
            const t = performance.now()
            await new Promise((resolve, reject) => {
              const s = document.createElement('script')
              s.src = `/__bench/${tag}/minapp.js`
              s.onload = resolve
              s.onerror = reject
              document.head.appendChild(s)
            })
            window.BaaS.init(clientID, { host })
            return performance.now() - t
          }, args)
    init[way].push(ms)
    await context.close()
  }
}

// The call page: minapp-sdk by <script>, baas-order by import, then no routes.
const { context, page } = await freshPage('main')
if (!(await page.evaluate(() => self.crossOriginIsolated))) console.log('(page not cross-origin isolated: timer resolution 100 µs)')
await page.addScriptTag({ url: `/__bench/main/minapp.js` })
await page.addScriptTag({ content: `(${harness.toString()})()` })
await page.evaluate(a => window.__bench.setup(a), { clientID: CLIENT_ID, host: EMU, token: TOKEN, pkg: '/__bench/main/pkg/index.js' })
await page.unrouteAll()

// The exact requests baas-order sends (URL, headers, body), read back from the
// emulator, so the raw fetch and the XHR send the very same ones.
async function recordedCall(c) {
  await control('DELETE', 'requests')
  await page.evaluate(c => window.__bench.ways(c).baas(), c)
  const { requests } = await control('GET', 'requests')
  const req = requests.filter(r => r.path.startsWith('/hserve/')).pop()
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([k]) => k.startsWith('x-hydrogen-') || k === 'authorization' || k === 'content-type'),
  )
  const url = EMU + req.path + (req.query ? '?' + req.query : '')
  return { ...c, method: req.method, url, headers, body: req.body || undefined }
}

/** One reply of `call.limit` orders, built from the emulator's 1,000-order pages (made once). */
const bigBodies = new Map()
async function bigBody(call) {
  if (bigBodies.has(call.limit)) return bigBodies.get(call.limit)
  const objects = []
  for (let offset = 0; objects.length < call.limit; offset += 1000) {
    const u = new URL(call.url)
    u.searchParams.set('limit', '1000')
    u.searchParams.set('offset', String(offset))
    const page1000 = await (await fetch(u, { headers: call.headers })).json()
    if (!page1000.objects.length) break
    objects.push(...page1000.objects)
  }
  const body = JSON.stringify({ meta: { limit: call.limit, offset: 0, next: null, previous: null, total_count: objects.length }, objects: objects.slice(0, call.limit) })
  bigBodies.set(call.limit, body)
  return body
}

/** Routes `call`'s URL to one reply of `call.limit` orders. */
async function routeBigList(call) {
  const body = await bigBody(call)
  await page.route(
    u => u.href === call.url,
    route => route.fulfill({ status: 200, body, headers: { 'Content-Type': 'application/json' } }),
  )
}

const calls = PROFILE_ONLY ? [] : [
  ...[1, 100, 1000, 5000].map(n => ({
    name: `getOrderList, ${n.toLocaleString('en')} order${n > 1 ? 's' : ''}${n > 1000 ? ' *' : ''}`,
    kind: 'list',
    limit: n,
    expect: n,
    rounds: QUICK ? 10 : { 1: 400, 100: 300, 1000: 60, 5000: 24 }[n],
  })),
  { name: 'get(transactionID)', kind: 'get', id: TX, expect: TX, rounds: QUICK ? 10 : 400 },
  { name: 'refund (0.01, sent)', kind: 'refund', data: REFUND, expect: 'succeed', rounds: QUICK ? 10 : 200 },
]

/** A table row's statistics from what `H.run` answered. */
const rowOf = ({ times, paired }) => ({
  s: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)])),
  d: { raw: stats(paired.raw), rawSdk: stats(paired.rawSdk) },
})

await control('POST', 'reset')
const rows = []
for (const c of calls) {
  const call = await recordedCall(c)
  // The API answers at most 1,000 orders a page (the emulator clamps larger
  // limits): the 5,000-order reply is the emulator's first five pages joined,
  // fulfilled by page.route for all four ways alike (so it also carries
  // playwright's round trip through Node).
  if (c.limit > 1000) await routeBigList(call)
  const { times, check, paired } = await page.evaluate(([c, rounds]) => window.__bench.run(c, rounds, 5), [call, c.rounds])
  for (const [way, got] of Object.entries(check)) {
    if (got !== c.expect) console.log(`  !! ${c.name}: ${way} answered ${JSON.stringify(got)}, expected ${JSON.stringify(c.expect)}`)
  }
  if (c.limit > 1000) await page.unrouteAll()
  rows.push({ c, call, ...rowOf({ times, paired }) })
  await control('DELETE', 'requests') // the emulator keeps a record of every request
}
await control('POST', 'reset')

const cdp = await context.newCDPSession(page)
const one = await recordedCall({ kind: 'list', limit: 1 })
if (!PROFILE_ONLY) {
  console.log(
    `\nmedian ms (p25–p75), interleaved; "x raw" = baas-order median / raw fetch median; ` +
      `"paired" = median over rounds of baas-order minus raw fetch in the same round, µs (plain fetch / fetch with the SDK's options)`,
  )
  const initS = { minapp: stats(init.minapp), baas: stats(init.baas) }
  printTable(rows, ['init, cold cache', INIT_ROUNDS, '', '', '', cell(initS.minapp), cell(initS.baas), '', (initS.baas.median / initS.minapp.median).toFixed(2), ''])
  console.log('* the API gives at most 1,000 a page: this reply is five emulator pages joined, served by page.route')
  const free = await tableWithoutDevtools(rows)
  freeMarks = free && free.marks
  if (free) {
    console.log(
      `\nthe same calls in a Chromium with no DevTools client attached (no playwright: a page of another origin, ${free.origin}, ` +
        `calling the emulator across origins, as a shop's page calls the API; preflights cached after the warm-up), same columns:`,
    )
    printTable(free.rows)
    console.log('* here the joined reply is served by the page\'s own server (same origin), to all five ways alike')
  }
  console.log('init: baas-order from import() to init resolved; minapp-sdk from adding its <script> to init returned; each in a new context, files through page.route')

  // Memory: wasm memory and JS heap (after a full GC) around 10,000 calls.
  const gcHeap = async () => {
    await cdp.send('HeapProfiler.collectGarbage')
    return (await cdp.send('Runtime.getHeapUsage')).usedSize
  }
  await page.evaluate(c => window.__bench.loop(c, 'baas', 200), one)
  const before = { wasm: await page.evaluate(() => window.__bench.wasmBytes()), heap: await gcHeap() }
  const CALLS = QUICK ? 2000 : 10000
  let t = Date.now()
  await page.evaluate(([c, n]) => window.__bench.loop(c, 'baas', n), [one, CALLS])
  const loopMs = Date.now() - t
  const after = { wasm: await page.evaluate(() => window.__bench.wasmBytes()), heap: await gcHeap() }
  await control('DELETE', 'requests')
  const kb = b => `${(b / 1024).toFixed(0)} KiB`
  console.log(
    `\nmemory over ${CALLS.toLocaleString('en')} baas-order getOrderList calls (${(loopMs / CALLS).toFixed(3)} ms a call): ` +
      `wasm ${before.wasm / 65536} -> ${after.wasm / 65536} pages (${kb(before.wasm)} -> ${kb(after.wasm)}), ` +
      `JS heap after GC ${kb(before.heap)} -> ${kb(after.heap)}`,
  )
}

// Where the network call's time goes, raw fetch against baas-order (1 order):
// marks around a wrapped `fetch` split each call into before `fetch`, the
// `fetch()` call itself, the way back to the caller, the wait for the
// headers, the body, and after it. Printed for this page and, when it ran,
// for the page with no DevTools client.
if (!PROFILE_ONLY) {
  const marks = await page.evaluate(([c, n]) => window.__bench.marks(c, ['raw', 'rawSdk', 'baas'], n), [one, MARK_ROUNDS])
  await control('DELETE', 'requests')
  printMarks(marks, 'playwright attached, same origin')
  if (freeMarks) printMarks(freeMarks, 'no DevTools client, another origin')
}

// Where a call's time goes. With the network in, a call is mostly waiting
// (and the machine's noise); so the SDK's own work is measured with `fetch`
// stubbed to answer a canned 1-order reply at once: raw (text + JSON.parse)
// vs baas-order, alternating blocks, then V8's sampling profiler (CDP
// `Profiler`) over the stubbed baas-order loop names the functions.
const cannedBody = await page.evaluate(async c => (await fetch(c.url, { headers: c.headers })).text(), one)
const STUB_CALLS = QUICK ? 2000 : 5000
const stubTimes = { raw: [], baas: [] }
for (let r = 0; r < (QUICK ? 3 : 7); r++) {
  for (const way of ['raw', 'baas']) {
    const ms = await page.evaluate(([c, way, n, body]) => window.__bench.stubbed(c, way, n, body), [one, way, STUB_CALLS, cannedBody])
    stubTimes[way].push((ms / STUB_CALLS) * 1000)
  }
}
const stubRaw = stats(stubTimes.raw)
const stubBaas = stats(stubTimes.baas)
console.log(
  `\nfetch stubbed (a canned 1-order Response, no network), ${STUB_CALLS} calls a block, median of ${stubTimes.raw.length} blocks, µs a call:` +
    `\n  raw text + JSON.parse ${fmt(stubRaw.median)} (${fmt(stubRaw.p25)}–${fmt(stubRaw.p75)}), ` +
    `baas-order ${fmt(stubBaas.median)} (${fmt(stubBaas.p25)}–${fmt(stubBaas.p75)}): baas-order's own work ${fmt(stubBaas.median - stubRaw.median)} µs a call`,
)

// The same stubbed calls one at a time, each after a pass over 64 MiB (twice
// the L3 of this project's machine), so each starts with cold CPU caches as a
// real call does: a call on the network waits ~2 ms while the emulator and
// Chromium's network process run on the same cores.
const COLD_CALLS = QUICK ? 200 : 600
const cold = await page.evaluate(([c, n, body]) => window.__bench.stubbedCold(c, ['raw', 'baas'], n, body, 64 << 20), [one, COLD_CALLS, cannedBody])
const coldRaw = stats(cold.raw.map(ms => ms * 1000))
const coldBaas = stats(cold.baas.map(ms => ms * 1000))
const coldPaired = stats(cold.baas.map((ms, i) => (ms - cold.raw[i]) * 1000))
console.log(
  `\nfetch stubbed, each call after a 64 MiB pass (cold caches), ${COLD_CALLS} calls each, interleaved, median µs a call:` +
    `\n  raw text + JSON.parse ${fmt(coldRaw.median)} (${fmt(coldRaw.p25)}–${fmt(coldRaw.p75)}), ` +
    `baas-order ${fmt(coldBaas.median)} (${fmt(coldBaas.p25)}–${fmt(coldBaas.p75)}): baas-order's own work ${fmt(coldBaas.median - coldRaw.median)} µs a call ` +
    `(paired ${fmt(coldPaired.median)})`,
)

await cdp.send('Profiler.enable')
await cdp.send('Profiler.setSamplingInterval', { interval: 25 })
await cdp.send('Profiler.start')
const PROFILE_CALLS = QUICK ? 3000 : 10000
await page.evaluate(([c, n, body]) => window.__bench.stubbed(c, 'baas', n, body), [one, PROFILE_CALLS, cannedBody])
const { profile: prof } = await cdp.send('Profiler.stop')
const nodes = new Map(prof.nodes.map(nd => [nd.id, nd]))
const hits = new Map()
for (let i = 0; i < prof.samples.length; i++) {
  const f = nodes.get(prof.samples[i]).callFrame
  const file = f.url ? f.url.split('/').pop() : ''
  // Minified glue: the column tells the function apart.
  const at = file === 'index.js' ? `:${f.columnNumber}` : ''
  const key = f.functionName || f.url ? `${f.functionName || '(anonymous)'} ${file}${at}`.trim() : '(root)'
  hits.set(key, (hits.get(key) || 0) + (prof.timeDeltas[i + 1] ?? 0))
}
const top = [...hits].filter(([k]) => k !== '(idle)' && k !== '(root)').sort((a, b) => b[1] - a[1])
const busyUs = top.reduce((a, [, v]) => a + v, 0) / PROFILE_CALLS
console.log(`CDP Profiler over ${PROFILE_CALLS} stubbed baas-order calls: ${fmt(busyUs)} µs a call sampled; the largest self times, µs a call:`)
for (const [k, v] of top.slice(0, 22)) console.log(`  ${fmt(v / PROFILE_CALLS).padStart(7)}  ${k}`)
await control('DELETE', 'requests')

await browser.close()
