// The BaaS namespace: a thin JS shell over the wasm exports (which hold all
// the rules). Each entry (entry.mjs for browsers and ESM, entry.cjs for
// CommonJS, entry.miniprogram.js for WeChat / Alipay mini-programs) says how
// to load the wasm there; xtask pack bundles them with esbuild.

// Written by `cargo xtask pack` from the Rust core: the official default
// texts of the SDK codes and the HError constructor's flag bits.
import { DEFAULT_TEXT, FLAG_OUTCOME_UNKNOWN, FLAG_ABORTED, MAX_STRING_TOTAL } from './tables.js'
import { sharingNamespaces } from './sharing.js'
import { makeSend, withTimer, text } from './send.js'
import { makeQuery } from './query.js'
import { payments, withHeader } from './payment.js'

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
 * @param buyer the buyer's side of a payment for this runtime (payment-web.js or payment-mini.js)
 */
export function createBaaS(loadWasm, platform, host, buyer) {
  let wasm = null
  // Set when the runtime cannot run the wasm at all (611): every later call rejects with it.
  let unsupported = null

  /** Every rejection of this SDK is an HError: a real Error with `code`;
   * `field` (a 605's parameter) and `outcomeUnknown` (a money-moving call
   * that may have moved money) and `aborted` (the caller's signal ended the
   * call; its reason is `cause`) when they apply. The wasm makes its errors
   * with this class too (it gets it from `init`). */
  class HError extends Error {
    // `flags` (from the wasm's core, or the shell; bits named in the core):
    // FLAG_OUTCOME_UNKNOWN the outcome is unknown, FLAG_ABORTED the caller's
    // signal aborted it.
    // `field`: the parameter a 605 names, given as its own value (never cut
    // from the text, which hides tokens).
    constructor(code, text, flags, field) {
      if (text !== undefined) text = hide(text)
      super(code + ': ' + (text === undefined ? DEFAULT_TEXT[code] || 'unknown error' : text))
      this.name = 'HError'
      this.code = code
      if (field !== undefined) this.field = hide(field, true)
      if (flags & FLAG_OUTCOME_UNKNOWN) this.outcomeUnknown = true
      if (flags & FLAG_ABORTED) this.aborted = true
    }
  }
  // No HError's text or field shows a token the SDK was given, sent with or
  // finds stored: the core keeps them and hides them (its `redact`; `name`:
  // the field, a path of which only a whole name is hidden), for the shell's
  // errors and the wasm's alike, all made here. Before the wasm is there it
  // hides nothing: the HErrors made then are 602 and the load's failure (a
  // call, a setter's value or a BaaS.Query call made then waits for the
  // wasm; docs/architecture.md). A text longer than any the core reads
  // (MAX_STRING_TOTAL), or one the core could not take or give back, is
  // none: the code's default text then, never the raw one.
  const hide = (s, name) => {
    try {
      s = '' + s
      return !wasm ? s : s.length > MAX_STRING_TOTAL ? undefined : wasm.redact(s, name)
    } catch {}
  }

  // Any exception of a call as an HError: the wasm's own pass as they are;
  // wasm-bindgen's (e.g. "recursive use of an object": a getter calling the
  // same Order again) and whatever a hostile value throws become a 605.
  // `instanceof` itself may throw (a revoked Proxy), hence the try.
  const guarded = (e, code = 605, what = 'could not run this call: ') => {
    try {
      if (e instanceof HError) return e
    } catch {}
    // A text too long to join is none (the code's default text).
    try {
      what += text(e)
    } catch {
      what = undefined
    }
    return new HError(code, what)
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

  // The configuration is applied in program order, whatever the loading
  // State: each init / setToken / clearToken and each call takes
  // effect against the last of them issued before it. Once the wasm is
  // there, each runs at once (a call builds its request from the
  // configuration of that moment); while it loads (minapp-sdk's `init` is
  // not awaited) they wait in `queue`, in the order they were made, and run
  // one after the other as soon as it is there.
  let queue = null
  // Whether an init succeeded; if not, the HError of the last one refused
  // (or of the failed load): the calls reject with it rather than with 602.
  let configured = false
  let refused = null
  // A setToken refused while the wasm loaded could not throw to its caller:
  // the calls after it reject with its HError until init, setToken or
  // clearToken succeeds (its token is cleared all the same: fail closed).
  let poison = null
  // Runs `op` now, or after those waiting before it.
  const apply = op => (queue ? queue.push(op) : op())

  // A call, made now against the configuration in force; a Promise even
  // when it fails at once.
  const call = fn => {
    try {
      if (!configured || unsupported) throw unsupported || refused || new HError(602)
      if (poison) throw poison
      return Promise.resolve(fn(wasm))
    } catch (e) {
      return Promise.reject(guarded(e))
    }
  }
  const later = fn => (queue ? new Promise((resolve, reject) => queue.push(() => call(fn).then(resolve, reject))) : call(fn))
  // A rejection nobody awaits must not end the process (init is not awaited).
  const quiet = p => (p.catch(() => {}), p)

  // setToken / clearToken: throws at once (602, 605, 611) unless it waits for the wasm.
  const token = fn => {
    const run = () => {
      try {
        if (!configured) throw unsupported || new HError(602)
        fn(wasm)
        poison = null
      } catch (e) {
        throw guarded(e)
      }
    }
    if (!queue) return void run()
    queue.push(() => {
      try {
        run()
      } catch (e) {
        poison = e
      }
    })
  }

  function init(clientID, options) {
    // Read now, as the configuration of this moment: `request` (a
    // wx.request-style function; the core refuses anything else) becomes the
    // transport; `plain`: an object, whose `wasmPath` the mini-program entry
    // reads. The core reads the rest, and keeps the token before it checks it.
    let hooks, plain
    try {
      hooks = host()
      plain = options && typeof options == 'object' && !Array.isArray(options)
      const request = plain && options.request
      if (typeof request == 'function') hooks = { ...hooks, request: fromWxStyle(request) }
    } catch {}
    return quiet(
      new Promise((resolve, reject) => {
        const run = () => {
          try {
            if (!wasm) throw unsupported || refused || new HError(602)
            wasm.init(clientID, options, platform(), { ...hooks, HError, send })
            configured = true
            refused = poison = null
            resolve()
          } catch (e) {
            const h = guarded(e)
            // A refused init clears the token set before at once (fail closed), like a refused setToken.
            try {
              if (configured) wasm.clearToken()
              else refused = h
            } catch {}
            reject(h)
          }
        }
        if (queue || wasm || unsupported) return apply(run)
        // The first init loads the wasm; what is made meanwhile waits, in order.
        queue = [run]
        loadWasm(plain ? options : {})
          .then(
            w => (wasm = w),
            e => {
              if (e && e.code === 611) unsupported = new HError(611, e.message)
              else refused = new HError(600, 'could not load the baas-order wasm module: ' + ((e && (e.message || e.errMsg)) || e))
            },
          )
          .then(() => {
            // The BaaS.Query calls recorded meanwhile run first (a refused one waits for its query's
            // use); after a failed load the list is only dropped.
            settle()
            // What runs may add more (a getter calling the SDK): it goes last, as it was made last.
            for (let op; (op = queue.shift()); ) {
              try {
                op()
              } catch {}
            }
            queue = null
          })
      }),
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
  const send = makeSend(answered)

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

  // (Queries are recorded for the wasm only while it may still come: not after a failed load or a 611.)
  const { Query, where, settle } = makeQuery(sync, () => wasm, () => unsupported || (refused && !queue))
  // A call's query state, with the query of a setQuery made while the wasm loaded read now (its
  // recorded calls checked by the core: a refused one rejects the call).
  const ready = s => (typeof s.setQuery == 'function' ? { ...s, setQuery: s.setQuery() } : s)

  class Order {
    constructor() {
      // The query setters' values ({ offset, limit, orderBy, select, expand }) as given, and
      // setQuery's copy of its query: the wasm checks each when it is set (HError 605 thrown)
      // and reads them all at the call. A fresh state after every call.
      this._s = {}
      this.wechatPay = {
        profitSharing: (options, o) => later(w => w.call('wechatProfitSharing', options, o)),
        multiProfitSharing: (options, o) => later(w => w.call('wechatMultiProfitSharing', options, o)),
      }
      this.alipay = {
        profitSharing: (options, o) => later(w => w.call('alipayProfitSharing', options, o)),
      }
    }

    // One setter: keeps what the wasm's check returns (the value, or for
    // setQuery the core's copy of the query). While the wasm loads, or
    // without a wasm engine (611), or after a refused init, the value is only
    // kept: the call checks it (and rejects).
    _set(k, v) {
      if (wasm || !(queue || unsupported || refused)) v = sync(() => core().checkQuery(k, v))
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
      return later(w => w.getOrderList(ready(s), params, o))
    }

    // An async iterator of every order from `offset` on, `limit` a page.
    iterate(params, o) {
      const s = this._s
      this._s = {}
      return pages(s, q => later(w => w.getOrderList(ready(q), params, o, true)))
    }

    get(transactionID, o) {
      return later(w => w.getOrder(transactionID, o))
    }
  }

  return {
    init,
    setToken: t => token(w => w.setToken(t)),
    clearToken: () => token(w => w.clearToken()),
    refund: (data, o) => later(w => w.refund(data, o)),
    Order,
    Query,
    HError,
    ...sharingNamespaces(later, Order, pages),
    ...payments(later, HError, Order, platform, buyer),
  }
}
