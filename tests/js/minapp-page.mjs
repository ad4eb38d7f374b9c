// A page with minapp-sdk beside the installed baas-order, for the tests that
// run both SDKs in one headless Chromium page (compat.test.mjs,
// payment-compat.test.mjs): the page's origin is served by playwright's
// routing, and closing a context never lets a route callback in flight fail
// the run.
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { installDir, ROOT } from './install.mjs'
import { EMULATOR } from './emulator.mjs'

const WEB_JS = createRequire(path.join(ROOT, 'tests', 'package.json')).resolve('minapp-sdk/lib/web.js')
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/**
 * Routes the page's origin: `/` is a page loading minapp-sdk with a <script>
 * tag, `/pkg/*` the installed baas-order files, anything else is forwarded
 * unchanged (raw path and query) to the emulator, so the page's API calls are
 * same-origin. Answers `{ forwarding, settled }`: a promise of the next
 * request being forwarded, and one of every callback in flight having ended.
 */
export async function routeOrigin(context, origin) {
  const pkgDir = path.join(installDir(), 'node_modules', 'baas-order')
  const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' }
  const inFlight = new Set()
  let forwarded = () => {}
  await context.route(`${origin}/**`, route => {
    const p = handle(route)
    inFlight.add(p)
    const done = () => inFlight.delete(p)
    p.then(done, done)
    return p
  })
  return {
    forwarding: () => new Promise(r => (forwarded = r)),
    settled: () => Promise.allSettled([...inFlight]),
  }

  async function handle(route) {
    const url = new URL(route.request().url())
    if (url.pathname === '/') {
      const body = '<!doctype html><html><head><meta charset="utf-8"><script src="/minapp-sdk/web.js"></script></head><body></body></html>'
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body })
    }
    if (url.pathname === '/minapp-sdk/web.js') return route.fulfill({ status: 200, contentType: 'text/javascript', path: WEB_JS })
    if (url.pathname === '/favicon.ico') return route.fulfill({ status: 204 })
    if (url.pathname.startsWith('/pkg/')) {
      const rel = path.normalize(decodeURIComponent(url.pathname.slice(5)))
      const file = path.join(pkgDir, rel.startsWith('..') ? 'nope' : rel)
      if (!fs.existsSync(file)) return route.fulfill({ status: 404 })
      return route.fulfill({ status: 200, contentType: types[path.extname(file)] || 'application/octet-stream', path: file })
    }
    forwarded()
    try {
      const response = await route.fetch({ url: EMULATOR + url.pathname + url.search })
      return await route.fulfill({ response })
    } catch (e) {
      // The context closed while this request was forwarded: nobody waits for it.
      if (!closing.has(context)) throw e
    }
  }
}

const closing = new WeakSet()
/**
 * Closes `context` so that no route callback still in flight can fail the
 * run: its routes are removed first, their errors ignored, and a forward cut
 * short by the close ends quietly (routeOrigin).
 */
export async function close(context) {
  closing.add(context)
  await context.unrouteAll({ behavior: 'ignoreErrors' })
  await context.close()
}


/**
 * A headless Chromium with one context whose `origin` is routed as above and
 * a page on it, logged in as minapp-sdk stores a login (`token` in
 * localStorage) and with minapp-sdk's `BaaS.init(clientID, { host: origin })`
 * called. A *.localhost origin counts as loopback; the permission covers
 * Chromium's Local Network Access check for pages of another origin.
 * Answers `{ browser, context, page }`.
 */
export async function openPage(chromium, origin, clientID, token) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  const context = await browser.newContext({ permissions: ['local-network-access'] })
  await routeOrigin(context, origin)
  const page = await context.newPage()
  await page.goto(origin + '/')
  await page.evaluate(([clientID, token, host]) => {
    localStorage.setItem('ifx_baas_auth_token', JSON.stringify({ value: token }))
    window.BaaS.init(clientID, { host })
  }, [clientID, token, origin])
  return { browser, context, page }
}
