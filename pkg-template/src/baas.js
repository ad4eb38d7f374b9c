// The BaaS namespace: a thin JS shell over the wasm exports (which hold all
// the rules). Each entry (entry.mjs for browsers and ESM, entry.cjs for
// CommonJS, entry.miniprogram.js for WeChat / Alipay mini-programs) says how
// to load the wasm there; xtask pack bundles them with esbuild.

// Written by `cargo xtask pack` from the Rust core: the official default
// texts of the SDK codes, and the init options read here rather than in the wasm.
import { DEFAULT_TEXT, SHELL_OPTIONS } from './tables.js'
import { sharingNamespaces } from './sharing.js'
import { makeSend, withTimer, text } from './send.js'
import { makeQuery } from './query.js'

// Adapts a wx.request-style function to the SDK's request seam (send.js's
// `withTimer`: the SDK's own timer, settled once, the caller's signal clears
// it). The function may also be async: a rejection fails the call at once,
// and a resolved wx-style answer ({ statusCode, data, header }) is the reply.
// Used for the `request` option of `BaaS.init` and, in the mini-program
// entry, for `wx.request` itself (miniprogram-request.js); `my.request` has
// its own.
export const fromWxStyle = api => req =>
  withTimer(req, (answer, fail) => {
    const ret = api({
      url: req.url,
      method: req.method,
      header: req.headers,
      headers: req.headers,
      data: req.body,
      dataType: 'text',
      responseType: 'text',
      timeout: req.timeout,
      success: answer,
      fail: e => {
        const msg = text(e)
        fail(msg, /time ?out|超时/i.test(msg))
      },
    })
    // An async function: a rejection fails at once; a wx-style answer is the reply.
    Promise.resolve(ret)
      .then(r => r && r.statusCode && answer(r))
      .catch(e => fail('request:fail ' + text(e)))
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

  /** Every rejection of this SDK is an HError: a real Error with `code`;
   * `field` (a 605's parameter) and `outcomeUnknown` (a money-moving call
   * that may have moved money) and `aborted` (the caller's signal ended the
   * call; its reason is `cause`) when they apply. The wasm makes its errors
   * with this class too (it gets it from `init`). */
  class HError extends Error {
    // `flags` (from the wasm's core, or the shell): 4 the outcome is unknown,
    // 8 the caller's signal aborted it. `field`: the parameter a 605 names,
    // given as its own value (never cut from the text, which hides tokens).
    constructor(code, text, flags, field) {
      // Read once: the stored one is read from storage.
      const ts = tokens()
      if (text !== undefined) text = hide('' + text, ts)
      super(code + ': ' + (text === undefined ? DEFAULT_TEXT[code] || 'unknown error' : text))
      this.name = 'HError'
      this.code = code
      if (field !== undefined) this.field = hideName('' + field, ts)
      if (flags & 4) this.outcomeUnknown = true
      if (flags & 8) this.aborted = true
    }
  }

  // The tokens this SDK was given (init's `token` and setToken's, the last
  // four, refused ones too) and the one minapp-sdk stored: no HError text
  // shows them, whatever a caller passed where a field name goes (a text
  // names the field) or a hostile value threw. (The wasm also redacts the
  // token it sent from what a server echoed.)
  const given = []
  const keep = t => {
    if (typeof t == 'string' && t && !given.includes(t) && given.unshift(t) > 4) given.pop()
  }
  const tokens = () => {
    let stored
    try {
      const h = host()
      stored = h && h.token && h.token()
    } catch {}
    return [...given, stored].filter(s => typeof s == 'string' && s)
  }
  const hide = (t, ts) => {
    for (const s of ts) t = t.split(s).join('<redacted>')
    return t
  }
  // A field is a path of names (`receivers[0].amount`, a caller's key): a
  // name that is a token is hidden, a name that only contains one is not
  // (the token `amount` leaves `refund_amount` as it is).
  const hideName = (f, ts) => {
    for (const s of ts) f = f.split(s).reduce((a, p) => a + (/(^|[.[\/])$/.test(a) && /^($|[.\]\/])/.test(p) ? '<redacted>' : s) + p)
    return f
  }

  // Any exception of a call as an HError: the wasm's own pass as they are;
  // wasm-bindgen's (e.g. "recursive use of an object": a getter calling the
  // same Order again) and whatever a hostile value throws become a 605.
  // `instanceof` itself may throw (a revoked Proxy), hence the try.
  const guarded = (e, code = 605, what = 'could not run this call: ') => {
    try {
      if (e instanceof HError) return e
    } catch {}
    return new HError(code, what + text(e))
  }
  // A synchronous call whose every failure is an HError.
  const sync = fn => {
    try {
      return fn()
    } catch (e) {
      throw guarded(e)
    }
  }

  const core = () => {
    if (unsupported) throw unsupported
    if (!wasm) throw new HError(602)
    return wasm
  }
  // The last `init` while the wasm is loading (minapp-sdk's `init` is not
  // awaited): calls made meanwhile wait for it and reject with its HError
  // (a runtime without a wasm engine is known at once: 611, nothing waits).
  let ready = null
  const waiting = () => !wasm && !unsupported && ready
  // A call that must answer with a Promise, even when it fails at once.
  const later = fn => {
    if (waiting()) return ready.then(() => later(fn))
    try {
      return Promise.resolve(fn(core()))
    } catch (e) {
      return Promise.reject(guarded(e))
    }
  }
  // A rejection nobody awaits must not end the process (init is not awaited).
  const quiet = p => (p.catch(() => {}), p)

  function init(clientID, options) {
    try {
      keep(options && options.token)
    } catch {}
    return quiet(
      (ready = configure(clientID, options).catch(e => {
        // A refused init clears the token set before (fail closed), like a refused setToken.
        try {
          wasm.clearToken()
        } catch {}
        throw guarded(e)
      })),
    )
  }

  // The wasm's `reply` for send.js: its HErrors pass; anything else it throws
  // (a trap: never expected) is a 600, since the request went out.
  const answered = (ticket, v, kind) => {
    try {
      return wasm.reply(ticket, v, kind)
    } catch (e) {
      throw guarded(e, 600, 'could not read the answer: ')
    }
  }

  async function configure(clientID, options) {
    const given = options
    let hooks = host()
    let plain = false
    try {
      plain = options && typeof options === 'object' && !Array.isArray(options)
      if (plain && SHELL_OPTIONS.some(k => k in options)) {
        const { request } = options
        if (request !== undefined && typeof request !== 'function') {
          throw new HError(605, 'options.request: must be a function like wx.request', 0, 'options.request')
        }
        if (request) hooks = { ...hooks, request: fromWxStyle(request) }
        options = Object.fromEntries(Object.entries(options).filter(([k]) => !SHELL_OPTIONS.includes(k)))
      }
    } catch (e) {
      // A throwing getter or Proxy trap in the options.
      throw e instanceof HError ? e : new HError(605, 'options: could not be read (' + text(e) + ')', 0, 'options')
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
    wasm.init(clientID, options, platform(), { ...hooks, HError, send: makeSend(answered) })
  }

  // Every item of a paged list, page by page: `page(state)` is one list call
  // with the query state `{ offset, limit, orderBy, … }` made as a page of
  // `iterate` (the wasm's `page` argument): it answers `{ objects, next }`,
  // the wasm having checked that the answer is the list page asked for and
  // refused `params.offset` before sending. `next` is the next page's offset,
  // undefined after the last. A failing page ends the iteration with its
  // HError. (Any list whose state is kept like BaaS.Order's can use it.)
  async function* pages(state, page) {
    let offset = state.offset
    do {
      const p = await page({ ...state, offset })
      yield* p.objects
      offset = p.next
    } while (offset !== undefined)
  }

  const { Query, where } = makeQuery(HError, sync)

  class Order {
    constructor() {
      // The query setters' values ({ offset, limit, orderBy, select, expand, setQuery }), as given:
      // the wasm checks each when it is set (HError 605 thrown) and reads
      // them all at the call. A fresh state after every call.
      this._s = {}
      this.wechatPay = {
        profitSharing: (options, o) => later(w => w.sharing('wechatProfitSharing', options, o)),
        multiProfitSharing: (options, o) => later(w => w.sharing('wechatMultiProfitSharing', options, o)),
      }
      this.alipay = {
        profitSharing: (options, o) => later(w => w.sharing('alipayProfitSharing', options, o)),
      }
    }

    // One setter. While the wasm loads, or without a wasm engine (611), the
    // value is only kept: the call checks it (and rejects).
    _set(k, v) {
      if (!waiting() && !unsupported) sync(() => core().checkQuery(k, v))
      this._s[k] = v
      return this
    }

    offset(n) {
      return this._set('offset', n)
    }

    limit(n) {
      return this._set('limit', n)
    }

    orderBy(keys) {
      return this._set('orderBy', keys)
    }

    select(keys) {
      return this._set('select', keys)
    }

    expand(keys) {
      return this._set('expand', keys)
    }

    setQuery(query) {
      return this._set('setQuery', where(query))
    }

    getOrderList(params, o) {
      const s = this._s
      this._s = {}
      return later(w => w.getOrderList(s, params, o))
    }

    // An async iterator of every order from `offset` on, `limit` a page.
    iterate(params, o) {
      const s = this._s
      this._s = {}
      return pages(s, q => later(w => w.getOrderList(q, params, o, true)))
    }

    get(transactionID, o) {
      return later(w => w.getOrder(transactionID, o))
    }
  }

  // While the wasm loads, the token is set once it is there (a refused one
  // makes the waiting calls reject with its 605).
  const token = fn => (waiting() ? void quiet((ready = ready.then(() => fn(core())))) : fn(core()))

  return {
    init,
    setToken: t => (keep(t), token(w => w.setToken(t))),
    clearToken: () => token(w => w.clearToken()),
    refund: (data, o) => later(w => w.refund(data, o)),
    Order,
    Query,
    HError,
    ...sharingNamespaces(later, Order, pages),
  }
}
