// `cargo xtask bench`, third part: the per-call table of browser.mjs in
// Firefox ESR (SpiderMonkey) and WebKitGTK's MiniBrowser (JavaScriptCore),
// driven as tests/engines drives them. Not a test: it prints medians with
// their spread (p25-p75) and asserts nothing about time.
//
// Fewer rounds than Chromium's table (see ROUNDS), no DevTools-free second
// table and no marks or profile: the question here is how the same calls
// compare across engines. The page comes from a server of this file on
// 127.0.0.1 and calls the emulator across origins, as a shop's page does, in
// a browser no DevTools client is stepping through (the driver only polls a
// variable between runs). Each round makes each call once each way, in a
// shuffled order: a raw `fetch` + `JSON.parse`, an XHR + `JSON.parse` (both
// replaying the exact request the SDK sent, headers included), minapp-sdk
// (lib/web.js by a <script> tag) and baas-order (the packed package,
// `import`ed). Init: a new page load each round, from import() (or adding
// minapp-sdk's <script>) to init done, under URLs the browser has not seen.
// Then the wasm memory after 2,000 calls.
//
// Env as browser.mjs; BAAS_BENCH_QUICK=1 runs 10 rounds a call.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { firefox, webkit, until } from '../engines/browsers.mjs'
import { PKG, MINAPP_JS, EMU, CLIENT_ID, TOKEN, QUICK, TX, REFUND, control, stats, fmt, cell } from './common.mjs'

const INIT_ROUNDS = QUICK ? 2 : 6
const CALLS = [
  { name: 'getOrderList, 1 order', kind: 'list', limit: 1, expect: 1, rounds: QUICK ? 10 : 150 },
  { name: 'getOrderList, 100 orders', kind: 'list', limit: 100, expect: 100, rounds: QUICK ? 10 : 100 },
  { name: 'get(transactionID)', kind: 'get', id: TX, expect: TX, rounds: QUICK ? 10 : 150 },
  { name: 'refund (0.01, sent)', kind: 'refund', data: REFUND, expect: 'succeed', rounds: QUICK ? 10 : 80 },
]


// ---- in the page ------------------------------------------------------------

/** The page's script (a module): init timing, or the table's calls and memory. */
function pageMain() {
  const cfg = window.__cfg
  const settle = async f => {
    try {
      window.__results = JSON.stringify(await f())
    } catch (e) {
      window.__results = JSON.stringify({ failed: String((e && e.stack) || e) })
    }
  }
  const loadMinapp = src =>
    new Promise((resolve, reject) => {
      const s = document.createElement('script')
      s.src = src
      s.onload = resolve
      s.onerror = reject
      document.head.appendChild(s)
    })
  localStorage.setItem('ifx_baas_auth_token', JSON.stringify({ value: cfg.token }))
  if (cfg.mode === 'init') {
    return settle(async () => {
      let t = performance.now()
      const { BaaS } = await import(`/${cfg.tag}/pkg/index.js`)
      await BaaS.init(cfg.clientID, { host: cfg.emu })
      const baas = performance.now() - t
      t = performance.now()
      await loadMinapp(`/${cfg.tag}/minapp.js`)
      window.BaaS.init(cfg.clientID, { host: cfg.emu })
      return { baas, minapp: performance.now() - t }
    })
  }
  return settle(async () => {
    await loadMinapp('/minapp.js')
    const minapp = window.BaaS
    minapp.init(cfg.clientID, { host: cfg.emu })
    // The package exports nothing of its wasm: its memory is read from the
    // instance WebAssembly makes when the package loads it (as browser.mjs does).
    let exportsOf = null
    for (const k of ['instantiate', 'instantiateStreaming']) {
      const made = WebAssembly[k]
      WebAssembly[k] = async (...args) => {
        const r = await made.apply(WebAssembly, args)
        exportsOf ||= (r.instance || r).exports
        return r
      }
    }
    const mod = await import('/pkg/index.js')
    const baas = mod.BaaS
    await baas.init(cfg.clientID, { host: cfg.emu })
    const viaFetch = async (url, init) => JSON.parse(await (await fetch(url, init)).text())
    const viaXhr = (c, r) =>
      new Promise((resolve, reject) => {
        const x = new XMLHttpRequest()
        x.open(r.method, r.url)
        for (const k in r.headers) x.setRequestHeader(k, r.headers[k])
        x.onload = () => resolve(JSON.parse(x.responseText))
        x.onerror = () => reject(new Error('xhr failed'))
        x.send(r.body === undefined ? null : r.body)
      })
    const sdkWays = c => {
      if (c.kind === 'list') return { minapp: async () => (await new minapp.Order().limit(c.limit).getOrderList()).data, baas: async () => (await new baas.Order().limit(c.limit).getOrderList()).data }
      if (c.kind === 'get') return { minapp: async () => (await new minapp.Order().get(c.id)).data, baas: async () => (await new baas.Order().get(c.id)).data }
      return { baas: async () => (await baas.refund(c.data)).data }
    }
    let seed = 0x9e3779b9
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    const shuffled = a => {
      a = [...a]
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1))
        ;[a[i], a[j]] = [a[j], a[i]]
      }
      return a
    }
    const check = (c, d) => (c.kind === 'list' ? d.objects.length : c.kind === 'get' ? d.transaction_no : d.status)
    const rows = []
    for (const c of cfg.calls) {
      const sdk = sdkWays(c)
      // The request the SDK sent, as the emulator recorded it (asked through this page's server).
      await fetch('/clear', { method: 'POST' })
      await sdk.baas()
      const r = await (await fetch('/recorded')).json()
      const ways = { raw: () => viaFetch(r.url, { method: r.method, headers: r.headers, body: r.body }), xhr: () => viaXhr(c, r), ...sdk }
      const times = Object.fromEntries(Object.keys(ways).map(n => [n, []]))
      const got = {}
      for (let i = -5; i < c.rounds; i++) {
        for (const n of shuffled(Object.keys(ways))) {
          const t = performance.now()
          const d = await ways[n]()
          const dt = performance.now() - t
          if (i >= 0) times[n].push(dt)
          else got[n] = check(c, d)
        }
      }
      await fetch('/clear', { method: 'POST' })
      rows.push({ times, got })
    }
    let memory = null
    if (exportsOf) {
      const one = sdkWays({ kind: 'list', limit: 1 }).baas
      const before = exportsOf.memory.buffer.byteLength
      for (let i = 0; i < cfg.memoryCalls; i++) await one()
      memory = { before, after: exportsOf.memory.buffer.byteLength }
      await fetch('/clear', { method: 'POST' })
    }
    // The timer's resolution: the smallest step performance.now() takes.
    let step = Infinity
    for (let i = 0, last = performance.now(); i < 1e5 && step > 0.001; i++) {
      const t = performance.now()
      if (t > last) step = Math.min(step, t - last)
      last = t
    }
    return { rows, memory, isolated: self.crossOriginIsolated, step }
  })
}

// ---- Node side ----------------------------------------------------------------

const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm' }

async function server(cfgFor) {
  const s = http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x')
    // `/t<n>/...`: the same files under a URL the browser has not seen (cold init).
    const p = u.pathname.replace(/^\/t\d+\//, '/')
    const send = (type, body, status = 200) => {
      // Cross-origin isolated (as browser.mjs's pages): finer `performance.now()` where the engine allows it.
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' })
      res.end(body)
    }
    try {
      if (p === '/page.html') {
        const cfg = cfgFor(u.searchParams)
        return send('text/html; charset=utf-8', `<!doctype html><meta charset="utf-8"><title>bench</title><script>window.__cfg = ${JSON.stringify(cfg)}</script><script type="module">(${pageMain.toString()})()</script>`)
      }
      if (p === '/minapp.js') return send(TYPES['.js'], fs.readFileSync(MINAPP_JS))
      if (p === '/clear') return send('text/plain', JSON.stringify(await control('DELETE', 'requests')))
      if (p === '/recorded') {
        const { requests } = await control('GET', 'requests')
        const r = requests.filter(x => x.path.startsWith('/hserve/')).pop()
        const headers = Object.fromEntries(Object.entries(r.headers).filter(([k]) => k.startsWith('x-hydrogen-') || k === 'authorization' || k === 'content-type'))
        return send('application/json', JSON.stringify({ method: r.method, url: EMU + r.path + (r.query ? '?' + r.query : ''), headers, body: r.body || undefined }))
      }
      if (p.startsWith('/pkg/') && !p.includes('..')) {
        const file = path.join(PKG, p.slice(5))
        if (fs.existsSync(file)) return send(TYPES[path.extname(file)] || 'application/octet-stream', fs.readFileSync(file))
      }
      send('text/plain', 'not found', 404)
    } catch (e) {
      send('text/plain', String(e), 500)
    }
  })
  await new Promise(resolve => s.listen(0, '127.0.0.1', resolve))
  return { origin: `http://127.0.0.1:${s.address().port}`, close: () => (s.close(), s.closeAllConnections()) }
}

const widths = [26, 7, 24, 24, 24, 24, 7, 9]
const line = cols => [String(cols[0]).padEnd(widths[0]), ...cols.slice(1).map((c, i) => String(c).padStart(widths[i + 1]))].join('  ')

async function bench(launch) {
  let mode = 'init'
  let tag = 0
  const srv = await server(q => ({ mode: q.get('mode'), tag: q.get('tag'), clientID: CLIENT_ID, emu: EMU, token: TOKEN, calls: CALLS, memoryCalls: QUICK ? 200 : 2000 }))
  const driver = await launch()
  try {
    const run = async url => {
      await driver.goto(url)
      const out = JSON.parse(await until(driver, 'the bench page', 'window.__results || null', 20 * 60 * 1000))
      if (out.failed) throw new Error(`${driver.engine}: ${out.failed}`)
      return out
    }
    const init = { baas: [], minapp: [] }
    for (let i = 0; i < INIT_ROUNDS; i++) {
      const r = await run(`${srv.origin}/page.html?mode=${mode}&tag=t${++tag}`)
      init.baas.push(r.baas)
      init.minapp.push(r.minapp)
    }
    mode = 'table'
    await control('POST', 'reset')
    const { rows, memory, isolated, step } = await run(`${srv.origin}/page.html?mode=table`)
    await control('POST', 'reset')
    console.log(`\nIn ${driver.version}, headless (${srv.origin} calling ${EMU} across origins)`)
    console.log(`median ms (p25–p75), interleaved; "x raw" = baas-order median / raw fetch median; performance.now() steps ${(step * 1000).toFixed(0)} µs here (${isolated ? '' : 'not '}cross-origin isolated)`)
    console.log(line(['', 'rounds', 'raw fetch + JSON.parse', 'XHR + JSON.parse', 'minapp-sdk', 'baas-order', 'x raw', 'x minapp']))
    const iS = { baas: stats(init.baas), minapp: stats(init.minapp) }
    console.log(line(['init, cold cache', INIT_ROUNDS, '', '', cell(iS.minapp), cell(iS.baas), '', (iS.baas.median / iS.minapp.median).toFixed(2)]))
    CALLS.forEach((c, i) => {
      const s = Object.fromEntries(Object.entries(rows[i].times).map(([k, v]) => [k, stats(v)]))
      for (const [way, got] of Object.entries(rows[i].got)) if (got !== c.expect) console.log(`  !! ${c.name}: ${way} answered ${JSON.stringify(got)}, expected ${JSON.stringify(c.expect)}`)
      console.log(line([c.name, c.rounds, cell(s.raw), cell(s.xhr), cell(s.minapp), cell(s.baas), (s.baas.median / s.raw.median).toFixed(3), s.minapp ? (s.baas.median / s.minapp.median).toFixed(2) : '']))
    })
    if (memory) {
      const kb = b => `${(b / 1024).toFixed(0)} KiB`
      console.log(`wasm memory over ${(QUICK ? 200 : 2000).toLocaleString('en')} getOrderList calls: ${memory.before / 65536} -> ${memory.after / 65536} pages (${kb(memory.before)} -> ${kb(memory.after)})`)
    } else console.log('wasm memory: not read (no instance was seen being made)')
  } finally {
    await driver.close()
    srv.close()
  }
}

console.log(`\nFirefox and WebKit: ${QUICK ? 'quick run, 10 rounds a call' : 'fewer rounds than Chromium\'s table (150/100/150/80)'}, init over ${INIT_ROUNDS} page loads`)
for (const launch of [firefox, webkit]) {
  try {
    await bench(launch)
  } catch (e) {
    console.log(`\n(${launch.name}: the bench did not finish: ${e.message})`)
    process.exitCode = 1
  }
}
