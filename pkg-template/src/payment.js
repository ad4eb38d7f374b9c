// Payment initiation (CONTRACT.md "Payment initiation"): what happens after
// the wasm's one POST that creates the order. The options are checked in the
// core (605 naming the field, 608 for a gateway the call does not take,
// nothing sent); the create goes through the wasm's `sharing(endpointKey,
// options, callOptions)` like every call with an option table, and is sent
// once, never retried. Here: the buyer's side (WeixinJSBridge on the web,
// wx.requestPayment / my.tradePay in mini-programs), `waitForPayment`, and
// minapp-sdk's `BaaS.order` / `BaaS.getOrderList`.

// minapp-sdk's Alipay build's texts for my.tradePay's resultCode (its PayError).
const ALIPAY_TEXT = {
  4000: '订单支付失败',
  6001: '用户中途取消',
  6002: '网络连接出错',
  6004: '支付结果未知（有可能已经支付成功），请查询商户订单列表中订单的支付状态',
  99: '用户点击忘记密码导致快捷界面退出',
}
const MAX_MS = 2147483647

// A result in a mini-program also carries minapp-sdk's name for the headers, `header`.
export const withHeader = (r, platform) => {
  const p = platform()
  if (p == 'WECHAT' || p == 'ALIPAY') r.header = r.headers
  return r
}

export function payments(later, HError, Order, platform) {
  // The order's keys, on every error after it was created (it exists).
  const withOrder = (e, d) => ((e.data = { trade_no: d && d.trade_no, transaction_no: d && d.transaction_no }), e)
  const aborted = signal => {
    const e = new HError(600, "aborted by the caller's signal", 8)
    e.cause = signal.reason
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
  const create = (key, options, o) => later(w => w.sharing(key, cost(options), o))

  // WeixinJSBridge, or a rejection when none appears within 10 s (at once
  // where there is no document to announce it), or the caller's abort.
  const bridge = signal =>
    new Promise((resolve, reject) => {
      const g = globalThis
      const d = g.document
      if (g.WeixinJSBridge) return resolve(g.WeixinJSBridge)
      if (!d || typeof d.addEventListener != 'function') return reject()
      const end = v => {
        clearTimeout(timer)
        d.removeEventListener('WeixinJSBridgeReady', ready)
        signal && signal.removeEventListener('abort', stop)
        v ? resolve(v) : reject()
      }
      const ready = () => end(g.WeixinJSBridge)
      const stop = () => (end(), reject(aborted(signal)))
      const timer = setTimeout(end, 10000)
      d.addEventListener('WeixinJSBridgeReady', ready, false)
      signal && signal.addEventListener('abort', stop)
    })

  const jsapi = (res, o) =>
    bridge(o && o.signal).then(
      b =>
        new Promise((resolve, reject) => {
          const d = res.data
          const fail = e => reject(withOrder(e, d))
          try {
            b.invoke('getBrandWCPayRequest', d, r => {
              const m = r && r.err_msg
              if (m == 'get_brand_wcpay_request:ok') resolve(Object.assign(r, { transaction_no: d.transaction_no, trade_no: d.trade_no }))
              else fail(m == 'get_brand_wcpay_request:cancel' ? new HError(607) : new HError(608, m || 'payment failed'))
            })
          } catch (e) {
            fail(new HError(608, 'WeixinJSBridge.invoke threw: ' + ((e && e.message) || e)))
          }
        }),
      e => {
        throw withOrder(e || new HError(615), res.data)
      },
    )

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

  // BaaS.pay in a mini-program: wx.requestPayment / my.tradePay with the created order.
  const wechatPay = (d, order) =>
    new Promise((resolve, reject) => {
      const fail = r => {
        const m = r && r.errMsg
        reject(withOrder(m == 'requestPayment:fail cancel' ? new HError(607) : new HError(608, m || 'requestPayment:fail'), order))
      }
      try {
        wx.requestPayment({
          timeStamp: d.timeStamp,
          nonceStr: d.nonceStr,
          package: d.package,
          signType: d.signType || 'MD5',
          paySign: d.paySign,
          success: r => resolve(Object.assign(r || {}, order)),
          fail,
        })
      } catch (e) {
        fail({ errMsg: 'requestPayment:fail ' + ((e && e.message) || e) })
      }
    })
  const alipayPay = (d, order) =>
    new Promise((resolve, reject) => {
      const settle = (r, code) => {
        if (code == 9000 || code == 8000) return resolve(Object.assign(r, order, { resultCode: code }))
        const e = new HError(code == 6001 ? 607 : 608, ALIPAY_TEXT[code] || '未知错误')
        e.resultCode = code
        reject(withOrder(e, order))
      }
      try {
        my.tradePay({
          tradeNO: d.trade_no,
          success: r => settle(r || {}, r && r.resultCode),
          fail: r => settle(r || {}, (r && r.resultCode) || '4000'),
        })
      } catch (e) {
        settle({}, '4000')
      }
    })

  const pay = (params, onCreated, o) => {
    if (onCreated && typeof onCreated == 'object') (o = onCreated), (onCreated = undefined)
    if (onCreated !== undefined && typeof onCreated != 'function') {
      return Promise.reject(new HError(605, 'onCreated: must be a function', 0, 'onCreated'))
    }
    return create('pay', params, o).then(res => {
      const d = res.data || {}
      const order = { transaction_no: d.transaction_no, trade_no: d.trade_no }
      try {
        onCreated && onCreated({ ...order })
      } catch {}
      return (platform() == 'ALIPAY' ? alipayPay : wechatPay)(d, order)
    })
  }

  // Waits until the order is paid: `get` every `interval` ms (at least 500,
  // one request at a time) until its status is `success` (resolves with that
  // result), `failed` (608, the order in e.data) or `timeout` ms have passed
  // (601, the last order in e.data). The caller's signal ends it with a 600
  // whose `aborted` is set. A 600/601 of one `get` is tried again at the next
  // tick; any other HError ends the wait.
  Order.prototype.waitForPayment = function (transactionID, options) {
    const get = this.get.bind(this)
    return later(async () => {
      const bad = (k, why) => new HError(605, 'options.' + k + ': ' + why, 0, 'options.' + k)
      if (options !== undefined && (options === null || typeof options != 'object')) throw new HError(605, 'options: must be an object', 0, 'options')
      const { timeout = 300000, interval = 2000, signal, ...rest } = options || {}
      for (const k in rest) throw new HError(605, 'unknown field options.' + k, 0, 'options.' + k)
      if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_MS) throw bad('timeout', 'must be an integer from 1 to 2147483647 (ms)')
      if (!Number.isInteger(interval) || interval < 500 || interval > MAX_MS) throw bad('interval', 'must be an integer from 500 to 2147483647 (ms)')
      if (signal !== undefined && !(signal && typeof signal.aborted == 'boolean' && typeof signal.addEventListener == 'function')) {
        throw bad('signal', 'must be an AbortSignal')
      }
      const end = Date.now() + timeout
      let last
      for (;;) {
        const started = Date.now()
        const left = end - started
        try {
          last = await get(transactionID, { signal, timeout: left < 10000 ? Math.max(left, 1) : undefined })
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
    })
  }
  const sleep = (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal && signal.aborted) return reject(aborted(signal))
      const stop = () => (clearTimeout(t), reject(aborted(signal)))
      const t = setTimeout(() => (signal && signal.removeEventListener('abort', stop), resolve()), Math.max(ms, 0))
      signal && signal.addEventListener('abort', stop)
    })

  return {
    payment,
    pay,
    // minapp-sdk's deprecated form of `get`, as tutorials teach it.
    order: (params, o) => new Order().get(params && params.transactionID, o),
    // minapp-sdk's top-level list: exactly `params` as the query (no default limit, offset or where).
    getOrderList: (params, o) => later(w => w.getOrderList(null, params, o)),
  }
}
