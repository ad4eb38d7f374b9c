// Payment initiation (CONTRACT.md "Payment initiation"): what happens after
// the wasm's one POST that creates the order. The options are checked in the
// core (605 naming the field, 608 for a gateway the call does not take,
// nothing sent); the create goes through the wasm's `call(endpointKey,
// options, callOptions)` like every call with an option table, and is sent
// once, never retried. Here: the buyer's side (WeixinJSBridge on the web,
// wx.requestPayment / my.tradePay in mini-programs), `waitForPayment`'s
// loop (its options are the core's), and minapp-sdk's `BaaS.order` /
// `BaaS.getOrderList`.

import { FLAG_ABORTED } from './tables.js'

// A result in a mini-program also carries minapp-sdk's name for the headers, `header`.
export const withHeader = (r, platform) => {
  const p = platform()
  if (p == 'WECHAT' || p == 'ALIPAY') r.header = r.headers
  return r
}

export function payments(later, HError, Order, platform, buyer) {
  // The order's keys, on every error after it was created (it exists).
  const withOrder = (e, d) => ((e.data = { trade_no: d && d.trade_no, transaction_no: d && d.transaction_no }), e)
  const aborted = signal => {
    const e = new HError(600, "aborted by the caller's signal", FLAG_ABORTED)
    try {
      e.cause = signal.reason
    } catch {}
    return e
  }
  // A Big.js-like `totalCost` is sent as it serialises (its toJSON()), as
  // minapp-sdk sends it; the core then checks that text.
  const cost = options => {
    const c = options && typeof options == 'object' && options.totalCost
    if (!c || typeof c != 'object') return options
    let v
    try {
      v = typeof c.toJSON == 'function' ? c.toJSON() : c
    } catch (e) {
      throw new HError(605, 'totalCost: its toJSON() threw', 0, 'totalCost')
    }
    return { ...options, totalCost: v }
  }
  const create = (key, options, o) => later(w => w.call(key, cost(options), o))

  // The buyer's side, per runtime: WeixinJSBridge (`jsapi`) and `BaaS.pay`
  // from payment-web.js in browsers and Node, from payment-mini.js in
  // mini-programs, so neither load carries the other's code.
  const { jsapi, pay: buy } = buyer({ create, withOrder, aborted, HError, platform })
  // BaaS.pay(params, onCreated?, callOptions?): the call options may come second.
  const pay = (params, onCreated, o) => {
    if (onCreated && typeof onCreated == 'object') (o = onCreated), (onCreated = undefined)
    if (onCreated !== undefined && typeof onCreated != 'function') {
      return Promise.reject(new HError(605, 'onCreated: must be a function', 0, 'onCreated'))
    }
    return buy(params, onCreated, o)
  }
  const isJs = options => {
    try {
      return options.gatewayType === 'weixin_tenpay_js'
    } catch {}
  }
  const payment = {
    payWithWechat: (options, o) => {
      const made = create('payWithWechat', options, o)
      return isJs(options) ? made.then(res => jsapi(res, o)) : made
    },
    payWithAlipay: (options, o) => create('payWithAlipay', options, o),
    payWithQQ: (options, o) => create('payWithQQ', options, o),
  }

  // Waits until the order is paid: `get` every `interval` ms (at least 500,
  // one request at a time) until its status is `success` (resolves with that
  // result), `failed` (608, the order in e.data) or `timeout` ms have passed
  // (601, the last order in e.data). The caller's signal ends it with a 600
  // whose `aborted` is set. A 600/601 of one `get` is tried again at the next
  // tick; any other HError ends the wait. The core checks the options
  // (`checkWait`: 605 naming the field, before anything is sent) and
  // returns what it checked, [timeout, interval, signal] with the defaults:
  // the loop uses those, the options are read once; here is the loop.
  Order.prototype.waitForPayment = function (transactionID, options) {
    const get = this.get.bind(this)
    return later(w => wait(get, transactionID, ...w.checkWait(options)))
  }
  const wait = async (get, transactionID, timeout, interval, signal) => {
    const end = Date.now() + timeout
    let last
    for (;;) {
      const started = Date.now()
      const left = end - started
      try {
        // Each read within what is left of the wait (and at most 10 s): the wait never overruns its timeout.
        last = await get(transactionID, { signal, timeout: Math.max(Math.min(left, 10000), 1) })
        const status = last.data && last.data.status
        if (status == 'success') return last
        if (status == 'failed') throw Object.assign(new HError(608, 'the order failed'), { data: last.data })
      } catch (e) {
        if (e.code == 608 || e.aborted || (e.code != 600 && e.code != 601)) throw e
      }
      const next = started + interval
      const pending = () => Object.assign(new HError(601, 'the order was not paid within ' + timeout + ' ms'), { data: last && last.data })
      if (next > end) {
        await sleep(end - Date.now(), signal)
        throw pending()
      }
      await sleep(next - Date.now(), signal)
    }
  }
  // A signal whose methods throw cannot end the sleep (as in send.js); it
  // never turns into anything but an HError or an uncaught exception.
  const listen = (signal, how, stop) => {
    try {
      signal && signal[how]('abort', stop)
    } catch {}
  }
  const sleep = (ms, signal) =>
    new Promise((resolve, reject) => {
      let was
      try {
        was = signal && signal.aborted
      } catch {}
      if (was) return reject(aborted(signal))
      const stop = () => (clearTimeout(t), reject(aborted(signal)))
      const t = setTimeout(() => (listen(signal, 'removeEventListener', stop), resolve()), Math.max(ms, 0))
      listen(signal, 'addEventListener', stop)
    })

  return {
    payment,
    pay,
    // minapp-sdk's deprecated form of `get`, as tutorials teach it.
    order: (params, o) => {
      let id
      try {
        id = params && params.transactionID
      } catch {
        return Promise.reject(new HError(605, 'params: could not be read', 0, 'params'))
      }
      return new Order().get(id, o)
    },
    // minapp-sdk's top-level list: exactly `params` as the query (no default limit, offset or where).
    getOrderList: (params, o) => later(w => w.getOrderList(null, params, o)),
  }
}
