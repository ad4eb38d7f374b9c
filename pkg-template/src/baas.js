// The BaaS namespace: a thin JS shell over the wasm exports (which hold all
// the rules). Each entry (entry.mjs for browsers and ESM, entry.cjs for
// CommonJS, entry.miniprogram.js for WeChat / Alipay mini-programs) says how
// to load the wasm there; xtask pack bundles them with esbuild.

// Written by `cargo xtask pack` from the Rust core: the official default
// texts of the SDK codes, and the init options read here rather than in the wasm.
import { DEFAULT_TEXT, SHELL_OPTIONS } from './tables.js'
import { sharingNamespaces } from './sharing.js'
import { makeSend } from './send.js'
import { makeQuery } from './query.js'
import { payments, withHeader } from './payment.js'

// A short text for anything thrown (which may be a revoked Proxy or a Symbol).
const text = e => {
  try {
    return '' + ((e && (e.errMsg || e.errorMessage || e.message)) || e)
  } catch {
    return '?'
  }
}

// Adapts a wx.request-style function to the SDK's request seam:
// ({url, method, headers, body, timeout}) => Promise<{status, headers, text}>,
// rejecting with { timeout: true } when no answer came in time (whether or not
// the runtime honours its own `timeout` option). Every failure here leaves the
// outcome unknown: the request may have gone out. The function may also be
// async: a rejection fails the call at once, and a resolved wx-style answer
// ({ statusCode, data, header }) is the reply. It settles once, at the first
// of answer, failure or timeout; later callbacks are ignored. Used for the
// `request` option of `BaaS.init` and, in the mini-program entry, for
// `wx.request` itself (miniprogram-request.js); `my.request` has its own.
export const fromWxStyle = api => req =>
  new Promise((resolve, reject) => {
    // A Promise settles once: later callbacks (after an answer, a failure or
    // the timeout) change nothing.
    const fail = (msg, timeout) => {
      clearTimeout(timer)
      reject({ errMsg: msg, timeout })
    }
    const timer = setTimeout(() => fail('request:fail timeout', true), req.timeout)
    // A throw while reading the answer is a failure too.
    const answer = r => {
      try {
        clearTimeout(timer)
        resolve({
          status: r.statusCode || r.status,
          headers: r.header || r.headers || {},
          text: typeof r.data === 'string' ? r.data : JSON.stringify(r.data),
        })
      } catch (e) {
        fail('request:fail ' + text(e))
      }
    }
    try {
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
    } catch (e) {
      fail('request:fail ' + text(e))
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

  /** Every rejection of this SDK is an HError: a real Error with `code`;
   * `field` (a 605's parameter) and `outcomeUnknown` (a money-moving call
   * that may have moved money) and `aborted` (the caller's signal ended the
   * call; its reason is `cause`) when they apply. The wasm makes its errors
   * with this class too (it gets it from `init`). */
  class HError extends Error {
    // `flags` (from the wasm's core, or the shell): 1 the text is "field: why",
    // 2 it is "unknown field <field>"; 4 the outcome is unknown; 8 the caller's signal aborted it.
    constructor(code, text, flags) {
      if (text !== undefined) text = hide('' + text)
      super(code + ': ' + (text === undefined ? DEFAULT_TEXT[code] || 'unknown error' : text))
      this.name = 'HError'
      this.code = code
      if (flags & 3) this.field = flags & 2 ? text.slice(14) : text.slice(0, text.indexOf(': '))
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
  const hide = t => {
    let stored
    try {
      const h = host()
      stored = h && h.token && h.token()
    } catch {}
    for (const s of [...given, stored]) if (typeof s == 'string' && s) t = t.split(s).join('<redacted>')
    return t
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
      // Mini-programs: minapp-sdk's results there also carry `header` (payment.js).
      return withHeader(wasm.reply(ticket, v, kind), platform)
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
          throw new HError(605, 'options.request: must be a function like wx.request', 1)
        }
        if (request) hooks = { ...hooks, request: fromWxStyle(request) }
        options = Object.fromEntries(Object.entries(options).filter(([k]) => !SHELL_OPTIONS.includes(k)))
      }
    } catch (e) {
      // A throwing getter or Proxy trap in the options.
      throw e instanceof HError ? e : new HError(605, 'options: could not be read (' + text(e) + ')', 1)
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
  // with the query state `{ offset, limit, orderBy, … }`; the offset moves on
  // by what each page held until the server says there is no next page. A
  // failing page ends the iteration with its HError. (Any list whose state
  // is kept like BaaS.Order's can use it.)
  async function* pages(state, page) {
    for (let offset = +(state.offset || 0); ; ) {
      const { meta, objects } = (await page({ ...state, offset })).data
      // An offset in the call's params would fix every page at it.
      if (meta.offset != offset) throw new HError(605, 'params.offset: iterate moves the offset, use .offset(n)', 1)
      yield* objects
      offset += objects.length
      if (!objects.length || !meta.next) return
    }
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
      return pages(s, q => later(w => w.getOrderList(q, params, o)))
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
    ...payments(later, HError, Order, platform),
  }
}
