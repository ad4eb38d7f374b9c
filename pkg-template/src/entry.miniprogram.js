// Mini-program entry (WeChat, Alipay): no fetch, no TextDecoder, no
// WebAssembly global. The runtime is recognised when BaaS.init runs: WeChat
// (`wx`) instantiates the wasm with WXWebAssembly, Alipay (`my`) with
// MyWebAssembly, each from an absolute path inside the code package; requests
// go through wx.request / my.request (./miniprogram-request.js). xtask pack
// injects ./miniprogram-shims.js for TextEncoder, TextDecoder and the
// `WebAssembly.instantiate` the glue calls.
import { createBaaS } from './baas.js'
import { miniBuyer } from './payment-mini.js'
import { initWasm, glue } from './wasm.js'
import { fromWechat, fromAlipay, wechatToken, alipayToken } from './miniprogram-request.js'

const FILE = 'baas_order_bg.wasm.br'

// Where each IDE puts this package's `miniprogram` folder in the code package:
// WeChat's "build npm" copies it to miniprogram_npm/baas-order/; Alipay's IDE
// keeps node_modules/ as installed. `wasmPath` overrides either.
const WECHAT = {
  platform: 'WECHAT',
  engine: () => (typeof WXWebAssembly === 'object' && WXWebAssembly) || undefined,
  wasmPath: '/miniprogram_npm/baas-order/' + FILE,
  requirement:
    'WeChat base library >= 2.14.0 (WXWebAssembly, which loads the brotli .wasm.br this package ships; ' +
    'below 2.13.0 there is no wasm engine at all)',
}
const ALIPAY = {
  platform: 'ALIPAY',
  engine: () => (typeof MyWebAssembly === 'object' && MyWebAssembly) || undefined,
  wasmPath: '/node_modules/baas-order/miniprogram/' + FILE,
  requirement:
    'Alipay base library >= 2.9.7 and client >= 10.5.60 (MyWebAssembly, in the worker thread; ' +
    'on iOS with the experimental worker turned on)',
}

const runtime = () => {
  if (typeof wx === 'object' && wx) return { ...WECHAT, api: wx, request: fromWechat, token: wechatToken }
  if (typeof my === 'object' && my) return { ...ALIPAY, api: my, request: fromAlipay, token: alipayToken }
  return null
}

// 'x.y.z' < 'a.b.c', for the base library version WeChat reports.
const older = (v, than) => {
  const a = String(v).split('.').map(Number)
  const b = than.split('.').map(Number)
  for (let i = 0; i < b.length; i++) if ((a[i] || 0) !== b[i]) return (a[i] || 0) < b[i]
  return false
}

function wechatBaseLibrary(api) {
  try {
    const info = typeof api.getAppBaseInfo === 'function' ? api.getAppBaseInfo() : api.getSystemInfoSync()
    return info && typeof info.SDKVersion === 'string' ? info.SDKVersion : undefined
  } catch (e) {
    return undefined
  }
}

// The runtime has no engine that can load the wasm: HError 611 naming what it needs.
const unsupported = text => Object.assign(new Error(text), { code: 611 })

export const BaaS = createBaaS(
  async options => {
    const r = runtime()
    if (!r) throw unsupported('unsupported function: no mini-program runtime (wx or my) here; use the package\'s main entry')
    const engine = r.engine()
    const path = options.wasmPath || r.wasmPath
    if (!engine) throw unsupported(`unsupported function: no wasm engine in this runtime; baas-order needs ${r.requirement}`)
    if (r.platform === 'WECHAT' && /\.br$/.test(path)) {
      const version = wechatBaseLibrary(r.api)
      if (version && older(version, '2.14.0')) {
        throw unsupported(`unsupported function: base library ${version} cannot load ${FILE}; baas-order needs ${r.requirement}`)
      }
    }
    // The injected WebAssembly shim receives this object and calls engine.instantiate(path, imports).
    await initWasm({ module_or_path: { path, engine } })
    return glue
  },
  () => (runtime() || WECHAT).platform,
  () => {
    const r = runtime()
    return r ? { request: r.request(o => r.api.request(o)), token: r.token(r.api) } : undefined
  },
  miniBuyer,
)

export const { Order, HError } = BaaS
export default BaaS
