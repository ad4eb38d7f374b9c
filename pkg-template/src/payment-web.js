// BaaS.payment's buyer side in browsers and Node (payment.js has the rest):
// `weixin_tenpay_js` runs WeixinJSBridge's getBrandWCPayRequest in WeChat's
// browser; the other gateways resolve with the created order (the page shows
// `code_url` as a QR code or opens `mweb_url` / `payment_url`). `BaaS.pay`
// is for mini-programs: here the core refuses it (611).
export function webBuyer({ create, withOrder, aborted, HError }) {
  // WeixinJSBridge, or a rejection when none appears within 10 s (at once
  // where there is no document to announce it: 615), or the caller's abort
  // (600, aborted), checked before the payment sheet can open.
  const bridge = signal =>
    new Promise((resolve, reject) => {
      let d, timer
      const stopped = () => {
        try {
          return signal && signal.aborted
        } catch {}
      }
      const end = (v, e) => {
        clearTimeout(timer)
        try {
          d.removeEventListener('WeixinJSBridgeReady', ready)
          signal && signal.removeEventListener('abort', stop)
        } catch {}
        v && !stopped() ? resolve(v) : reject(stopped() ? aborted(signal) : e)
      }
      const ready = () => end(globalThis.WeixinJSBridge)
      const stop = () => end()
      try {
        d = globalThis.document
        if (globalThis.WeixinJSBridge || stopped()) return end(globalThis.WeixinJSBridge)
        if (!d || typeof d.addEventListener != 'function') return end()
        timer = setTimeout(end, 10000)
        d.addEventListener('WeixinJSBridgeReady', ready, false)
        signal && signal.addEventListener('abort', stop)
      } catch {}
    })

  const jsapi = (res, o) =>
    bridge(o && o.signal).then(
      b =>
        new Promise((resolve, reject) => {
          const d = res.data || {}
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

  return { jsapi, pay: (params, onCreated, o) => create('pay', params, o) }
}
