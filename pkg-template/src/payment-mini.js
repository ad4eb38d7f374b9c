// BaaS.pay in WeChat and Alipay mini-programs (payment.js has the rest):
// the created order is paid with wx.requestPayment / my.tradePay. BaaS.payment's
// calls create their orders here too, but `weixin_tenpay_js` needs
// WeChat's browser (WeixinJSBridge): in a mini-program it is minapp-sdk's 615
// once the order is created.

import { FLAG_OUTCOME_UNKNOWN } from './tables.js'

// minapp-sdk's Alipay build's texts for my.tradePay's resultCode (its PayError).
const ALIPAY_TEXT = {
  4000: '订单支付失败',
  6001: '用户中途取消',
  6002: '网络连接出错',
  6004: '支付结果未知（有可能已经支付成功），请查询商户订单列表中订单的支付状态',
  99: '用户点击忘记密码导致快捷界面退出',
}

export function miniBuyer({ create, withOrder, HError, platform }) {
  // No WeixinJSBridge outside WeChat's browser: the order exists, its keys in e.data.
  const jsapi = res => Promise.reject(withOrder(new HError(615), res.data))

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
        // 6004 (result unknown) and 6002 (network error): the buyer may have paid;
        // the order's status decides (waitForPayment), never a second payment.
        const e = new HError(code == 6001 ? 607 : 608, ALIPAY_TEXT[code] || '未知错误', code == 6004 || code == 6002 ? FLAG_OUTCOME_UNKNOWN : 0)
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

  // `onCreated` is a function or undefined (payment.js checked it).
  const pay = (params, onCreated, o) =>
    create('pay', params, o).then(res => {
      const d = res.data || {}
      const order = { transaction_no: d.transaction_no, trade_no: d.trade_no }
      try {
        onCreated && onCreated({ ...order })
      } catch {}
      return (platform() == 'ALIPAY' ? alipayPay : wechatPay)(d, order)
    })

  return { jsapi, pay }
}
