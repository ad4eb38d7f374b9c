// The BaaS namespace: a thin JS shell over the wasm exports (which hold all
// the rules). Each entry (entry.mjs for browsers and ESM, entry.cjs for
// CommonJS, entry.miniprogram.js for WeChat / Alipay mini-programs) says how
// to load the wasm there; xtask pack bundles them with esbuild.

// Written by `cargo xtask pack` from the Rust core: the official default
// texts of the SDK codes, and the init options read here rather than in the wasm.
import { DEFAULT_TEXT, SHELL_OPTIONS } from './tables.js'

// Adapts a wx.request-style function (also my.request) to the SDK's request
// seam: ({url, method, headers, body, timeout}) => Promise<{status, headers, text}>,
// rejecting with { timeout: true } when no answer came in time (whether or not
// the runtime honours its own `timeout` option). Every failure here leaves the
// outcome unknown: the request may have gone out.
export const fromWxStyle = api => req =>
  new Promise((resolve, reject) => {
    const fail = msg => reject({ errMsg: msg, timeout: /time ?out|超时/i.test(msg) })
    const timer = setTimeout(() => fail('request:fail timeout'), req.timeout)
    // Runs a callback's body once the answer (or failure) is in; a throw in it is a failure too.
    const settle = body => r => {
      clearTimeout(timer)
      try {
        body(r)
      } catch (e) {
        fail('request:fail ' + ((e && e.message) || e))
      }
    }
    try {
      api({
        url: req.url,
        method: req.method,
        header: req.headers,
        headers: req.headers,
        data: req.body,
        dataType: 'text',
        responseType: 'text',
        timeout: req.timeout,
        success: settle(r =>
          resolve({
            status: r.statusCode || r.status,
            headers: r.header || r.headers || {},
            text: typeof r.data === 'string' ? r.data : JSON.stringify(r.data),
          }),
        ),
        fail: settle(e => fail((e && (e.errMsg || e.errorMessage)) || 'request:fail')),
      })
    } catch (e) {
      clearTimeout(timer)
      throw e
    }
  })

/**
 * @param loadWasm (options) => Promise<the wasm-bindgen exports>, called once
 * @param platform () => 'WEB' | 'NODE' | 'WECHAT' | 'ALIPAY'
 * @param host () => undefined | { request?, token? } for runtimes without fetch/localStorage
 */
export function createBaaS(loadWasm, platform, host = () => undefined) {
  let wasm = null
  let loading = null
  // Set when the runtime cannot run the wasm at all (611): every later call rejects with it.
  let unsupported = null

  /** Every rejection of this SDK is an HError: a real Error with `code`.
   * The wasm makes its errors with this class too (it gets it from `init`). */
  class HError extends Error {
    constructor(code, text) {
      super(code + ': ' + (text === undefined ? DEFAULT_TEXT[code] || 'unknown error' : text))
      this.name = 'HError'
      this.code = code
    }
  }

  const core = () => {
    if (unsupported) throw unsupported
    if (!wasm) throw new HError(602, 'uninitialized: call BaaS.init(clientID) first')
    return wasm
  }
  // A call that must answer with a Promise, even when it fails at once.
  const later = fn => {
    try {
      return Promise.resolve(fn(core()))
    } catch (e) {
      return Promise.reject(e)
    }
  }

  async function init(clientID, options) {
    const given = options
    let hooks = host()
    const plain = options && typeof options === 'object' && !Array.isArray(options)
    try {
      if (plain && SHELL_OPTIONS.some(k => k in options)) {
        const { request } = options
        if (request !== undefined && typeof request !== 'function') {
          throw new HError(605, 'options.request: must be a function like wx.request')
        }
        if (request) hooks = { ...hooks, request: fromWxStyle(request) }
        options = Object.fromEntries(Object.entries(options).filter(([k]) => !SHELL_OPTIONS.includes(k)))
      }
    } catch (e) {
      // A throwing getter or Proxy trap in the options.
      throw e instanceof HError ? e : new HError(605, 'options: could not be read (' + ((e && e.message) || e) + ')')
    }
    if (unsupported) throw unsupported
    if (!wasm) {
      loading = loading || loadWasm(plain ? given : {}).catch(e => {
        loading = null
        if (e && e.code === 611) throw (unsupported = new HError(611, e.message))
        throw new HError(600, 'could not load the baas-order wasm module: ' + ((e && (e.message || e.errMsg)) || e))
      })
      wasm = await loading
    }
    wasm.init(clientID, options, platform(), { ...hooks, HError })
  }

  class Order {
    constructor() {
      this._query = null
      this.wechatPay = {
        profitSharing: options => later(w => w.wechatProfitSharing(options)),
        multiProfitSharing: options => later(w => w.wechatMultiProfitSharing(options)),
      }
      this.alipay = {
        profitSharing: options => later(w => w.alipayProfitSharing(options)),
      }
    }

    _q() {
      return this._query || (this._query = new (core().OrderQuery)())
    }

    offset(n) {
      // Without a wasm engine (611) the chain goes on and the call at its end rejects.
      if (!unsupported) this._q().setOffset(n)
      return this
    }

    limit(n) {
      if (!unsupported) this._q().setLimit(n)
      return this
    }

    orderBy(keys) {
      if (!unsupported) this._q().setOrderBy(keys)
      return this
    }

    getOrderList(params) {
      return later(() => this._q().getOrderList(params))
    }

    get(transactionID) {
      return later(w => w.getOrder(transactionID))
    }
  }

  return {
    init,
    setToken: token => core().setToken(token),
    clearToken: () => core().clearToken(),
    refund: data => later(w => w.refund(data)),
    Order,
    HError,
  }
}
