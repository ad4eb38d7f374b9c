// ESM entry: browsers, bundlers and Node's `import`.
import { createBaaS } from './baas.js'
import { webBuyer } from './payment-web.js'
import { initWasm, glue } from './wasm.js'

const isNode = typeof process === 'object' && !!(process.versions && process.versions.node)

// The package's one reference to its wasm, in the form webpack 5 and Vite
// take as an asset (Rollup and esbuild keep it as it is: the wasm must then
// be copied next to the bundle). The glue has no default of its own (xtask
// pack generates it with --omit-default-module-path).
const url = new URL('./baas_order_bg.wasm', import.meta.url)
// One BaaS per copy of the package in a process, whichever entry loads first:
// `import` (here) and `require` (index.cjs) share it, keyed by where the wasm
// is. The BaaS holds the one wasm instance (the glue of the entry that made
// it); nothing exports the glue (its `reply` would answer a live request).
const key = Symbol.for('baas-order ' + url)

/** The BaaS namespace: `await BaaS.init(clientID)`, then `new BaaS.Order()`, `BaaS.refund(...)`. */
export const BaaS = (globalThis[key] ||= createBaaS(
  async () => {
    // Node (>= 20.16) has no fetch for file: URLs; read the bytes instead.
    const source = isNode ? process.getBuiltinModule('fs').readFileSync(url) : url
    await initWasm({ module_or_path: source })
    return glue
  },
  () => (isNode ? 'NODE' : 'WEB'),
  () => ({ token: storedToken }),
  webBuyer,
))

// The token minapp-sdk stores after login: localStorage, `{"value": "<token>"}`.
// Read on every call (a login may change it at any time), parsed again only
// when the stored text changed. Where there is no localStorage with a
// `getItem` (Node up to 24; Node 25.0 and 25.1 without --localstorage-file
// have an empty object) nothing is called: an exception thrown and caught on
// every read made each HError (whose text is checked for the token) 1.6
// times as slow in Node. (Where reading `localStorage` itself throws, each
// read still pays for that.)
let seen, stored
function storedToken() {
  try {
    const store = globalThis.localStorage
    if (typeof (store && store.getItem) != 'function') return
    const text = store.getItem('ifx_baas_auth_token')
    if (text !== seen) {
      stored = undefined
      seen = text
      stored = JSON.parse(text).value
    }
    return stored
  } catch (e) {
    return undefined
  }
}

export const { Order, HError } = BaaS
export default BaaS
