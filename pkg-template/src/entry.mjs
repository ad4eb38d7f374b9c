// ESM entry: browsers, bundlers and Node's `import`.
import { createBaaS } from './baas.js'
import { initWasm, glue } from './wasm.js'

const isNode = typeof process === 'object' && !!(process.versions && process.versions.node)

/** The BaaS namespace: `await BaaS.init(clientID)`, then `new BaaS.Order()`, `BaaS.refund(...)`. */
export const BaaS = createBaaS(
  async () => {
    const url = new URL('./baas_order_bg.wasm', import.meta.url)
    // One wasm file serves every runtime; it lives in miniprogram/ because
    // WeChat's "build npm" copies only that folder into the code package.
    // Node (>= 20.16) has no fetch for file: URLs; read the bytes instead.
    const source = isNode ? process.getBuiltinModule('fs').readFileSync(url) : url
    await initWasm({ module_or_path: source })
    return glue
  },
  () => (isNode ? 'NODE' : 'WEB'),
  () => ({ token: storedToken }),
)

// The token minapp-sdk stores after login: localStorage, `{"value": "<token>"}`.
function storedToken() {
  try {
    return JSON.parse(localStorage.getItem('ifx_baas_auth_token')).value
  } catch (e) {
    return undefined
  }
}

export const { Order, HError } = BaaS
export default BaaS

// For index.cjs only: the one wasm instance is shared with CommonJS callers.
export const _wasm = { ...glue, default: initWasm }
