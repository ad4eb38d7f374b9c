// The BaaS namespace: a thin JS shell over the wasm exports (which hold all
// the rules). xtask pack joins this file with src/entry.mjs (ESM) or
// src/entry.cjs (CommonJS); each entry says how to load the wasm there.
function createBaaS(loadWasm, platform) {
  let wasm = null
  let loading = null

  /** Every rejection of this SDK is an HError: a real Error with `code`. */
  class HError extends Error {
    constructor(code, text) {
      super(code + ': ' + (text === undefined ? 'unknown error' : text))
      this.name = 'HError'
      this.code = code
    }

    // Errors made inside the wasm are plain Errors named HError with a code.
    static [Symbol.hasInstance](e) {
      return e instanceof Error && e.name === 'HError' && typeof e.code === 'number'
    }
  }

  const core = () => {
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
    if (!wasm) {
      loading = loading || loadWasm().catch(e => {
        loading = null
        throw new HError(600, 'could not load the baas-order wasm module: ' + (e && e.message))
      })
      wasm = await loading
    }
    wasm.init(clientID, options, platform())
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
      this._q().setOffset(n)
      return this
    }

    limit(n) {
      this._q().setLimit(n)
      return this
    }

    orderBy(keys) {
      this._q().setOrderBy(keys)
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
