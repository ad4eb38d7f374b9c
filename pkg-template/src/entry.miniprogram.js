// Mini-program entry (WeChat first, Alipay alike): no fetch, no TextDecoder,
// no WebAssembly. Requests go through wx.request / my.request, the wasm is
// instantiated from the code package with WXWebAssembly.instantiate(path),
// and xtask pack injects ./miniprogram-shims.js for TextEncoder, TextDecoder
// and WebAssembly into the glue before it runs.
import { createBaaS, fromWxStyle } from './baas.js'
import { initWasm, glue } from './wasm.js'

const TOKEN_KEY = 'ifx_baas_auth_token'
/** Where WeChat's "build npm" puts this package's files in the code package. */
const DEFAULT_WASM_PATH = '/miniprogram_npm/baas-order/baas_order_bg.wasm'

const runtime = () =>
  typeof wx === 'object' && wx ? { api: wx, platform: 'WECHAT' } : typeof my === 'object' && my ? { api: my, platform: 'ALIPAY' } : null

// minapp-sdk stores the token raw: wx.getStorageSync(key) / my.getStorageSync({ key }).data
function storedToken() {
  const r = runtime()
  if (!r) return undefined
  try {
    const v = r.platform === 'ALIPAY' ? (r.api.getStorageSync({ key: TOKEN_KEY }) || {}).data : r.api.getStorageSync(TOKEN_KEY)
    return typeof v === 'string' && v ? v : undefined
  } catch (e) {
    return undefined
  }
}

export const BaaS = createBaaS(
  async options => {
    await initWasm({ module_or_path: { path: options.wasmPath || DEFAULT_WASM_PATH } })
    return glue
  },
  () => (runtime() || { platform: 'WECHAT' }).platform,
  () => {
    const r = runtime()
    return r ? { request: fromWxStyle(o => r.api.request(o)), token: storedToken } : undefined
  },
)

export const { Order, HError } = BaaS
export default BaaS
