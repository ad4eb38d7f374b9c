// Firefox (SpiderMonkey) and WebKit (JavaScriptCore), the browsers users run
// besides Chromium, from Debian's packages (no browser download):
// - Firefox ESR, driven headless by puppeteer-core over WebDriver BiDi;
// - WebKitGTK's MiniBrowser through WebKitWebDriver (plain WebDriver over
//   HTTP, a few requests written here), under xvfb-run.
// A driver here is { engine, version, goto(url), eval(expression), close() };
// `eval` answers the expression's value (JSON-able) in the page.
//
// The page under test comes from a small server of this file on 127.0.0.1
// (the packed package, installed from its tarball, at /pkg/; suite.js; the
// page) and calls the emulator on its own origin, across origins, as a
// shop's page would. The console walk-through uses xtask's static server
// (BAAS_STATIC_URL).
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { installDir } from '../js/install.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '..', 'package.json'))

export const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr'
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver'
/** WebKitGTK's MiniBrowser (package libwebkit2gtk-4.1-0), which WebKitWebDriver starts. */
export const MINIBROWSER = process.env.MINIBROWSER_PATH || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser'

const TYPES = { '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8', '.json': 'application/json' }

/**
 * Serves the installed package at /pkg/, `files` (URL path -> file) and
 * `pages` (URL path -> HTML text). Answers { origin, close }.
 */
export async function serve({ files = {}, pages = {} } = {}) {
  const pkg = path.join(installDir(), 'node_modules', 'baas-order')
  const server = http.createServer((req, res) => {
    const p = new URL(req.url, 'http://x').pathname
    const send = (type, body) => {
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' })
      res.end(body)
    }
    if (pages[p] !== undefined) return send(TYPES['.html'], pages[p])
    let file = files[p]
    if (!file && p.startsWith('/pkg/') && !p.includes('..')) file = path.join(pkg, p.slice(5))
    if (file && fs.existsSync(file) && fs.statSync(file).isFile()) return send(TYPES[path.extname(file)] || 'application/octet-stream', fs.readFileSync(file))
    res.writeHead(404, { 'Content-Type': 'text/plain' })
    res.end('not found')
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.close()
      server.closeAllConnections()
    },
  }
}

/** A port nothing listens on (bound, then released). */
export async function deadPort() {
  const s = net.createServer()
  await new Promise(resolve => s.listen(0, '127.0.0.1', resolve))
  const port = s.address().port
  await new Promise(resolve => s.close(resolve))
  return port
}

/** Firefox ESR, headless, over WebDriver BiDi. */
export async function firefox() {
  const puppeteer = require('puppeteer-core')
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'baas-firefox-'))
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, userDataDir: profile })
  const page = await browser.newPage()
  const problems = []
  page.on('pageerror', e => problems.push(`uncaught: ${e && e.message}`))
  const version = (await browser.version()).replace(/^firefox\//, 'Firefox ')
  return {
    engine: 'firefox',
    version,
    problems,
    goto: url => page.goto(url),
    eval: expression => page.evaluate(expression),
    close: async () => {
      await browser.close()
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
    },
  }
}

/** WebKitGTK's MiniBrowser through WebKitWebDriver, on a virtual X display. */
export async function webkit() {
  const port = await deadPort()
  // Its own process group: xvfb-run, Xvfb, the driver and the browser go together.
  const child = spawn('xvfb-run', ['-a', WEBKIT_DRIVER, `--port=${port}`], { stdio: ['ignore', 'ignore', 'pipe'], detached: true })
  let stderr = ''
  child.stderr.on('data', d => (stderr += d))
  const base = `http://127.0.0.1:${port}`
  const wd = async (method, p, body) => {
    const res = await fetch(base + p, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) })
    const json = await res.json()
    if (!res.ok) throw new Error(`WebDriver ${method} ${p}: ${res.status} ${JSON.stringify(json.value)}`)
    return json.value
  }
  const kill = () => {
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {}
  }
  for (let i = 0; ; i++) {
    try {
      await wd('GET', '/status')
      break
    } catch (e) {
      if (i > 150 || child.exitCode !== null) {
        kill()
        throw new Error(`WebKitWebDriver did not start: ${e.message}\n${stderr}`)
      }
      await new Promise(r => setTimeout(r, 100))
    }
  }
  let session
  try {
    session = await wd('POST', '/session', {
      capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } },
    })
  } catch (e) {
    kill()
    throw e
  }
  const id = session.sessionId
  return {
    engine: 'webkit',
    version: `WebKitGTK ${session.capabilities.browserVersion} (MiniBrowser)`,
    problems: [],
    goto: url => wd('POST', `/session/${id}/url`, { url }),
    eval: expression => wd('POST', `/session/${id}/execute/sync`, { script: `return (${expression})`, args: [] }),
    close: async () => {
      await wd('DELETE', `/session/${id}`).catch(() => {})
      const exited = child.exitCode !== null ? Promise.resolve() : new Promise(resolve => child.once('exit', resolve))
      kill()
      await exited
    },
  }
}

/** Polls `expression` in the page until it is truthy; fails naming `what` after `ms`. */
export async function until(driver, what, expression, ms = 60000) {
  const end = Date.now() + ms
  let last
  for (;;) {
    try {
      last = await driver.eval(expression)
      if (last) return last
    } catch (e) {
      last = e.message
    }
    if (Date.now() > end) throw new Error(`${driver.engine}: timed out after ${ms} ms waiting for ${what} (last: ${JSON.stringify(last)}; page problems: ${JSON.stringify(driver.problems)})`)
    await new Promise(r => setTimeout(r, 100))
  }
}

/**
 * Runs suite.js in the driver's browser against the emulator with `cfg`
 * (see suite.js); answers its { cases } summary.
 */
export async function runSuite(driver, cfg) {
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>baas-order in ${driver.engine}</title></head><body>
<script type="module">
import { run } from '/suite.js'
window.__cfg = ${JSON.stringify(cfg).replace(/</g, '\\u003c')}
run(window.__cfg).then(r => { window.__results = JSON.stringify(r) }, e => { window.__results = JSON.stringify({ failed: String(e && e.stack || e) }) })
</script></body></html>`
  const server = await serve({ files: { '/suite.js': path.join(here, 'suite.js') }, pages: { '/page.html': page } })
  try {
    await driver.goto(`${server.origin}/page.html`)
    const out = JSON.parse(await until(driver, 'the suite to finish', 'window.__results || null', 120000))
    if (out.failed) throw new Error(`${driver.engine}: the suite did not run: ${out.failed}`)
    return out
  } finally {
    server.close()
  }
}
