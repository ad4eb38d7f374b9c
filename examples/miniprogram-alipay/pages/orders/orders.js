// Lists paid orders and refunds the one tapped. The token is the one
// minapp-sdk stored at login (my.getStorageSync({ key: 'ifx_baas_auth_token' }).data).
// Alipay's IDE resolves packages from node_modules/: require the mini-program build by its path.
const { BaaS } = require('baas-order/miniprogram/index.js')
const config = require('../../config.js')

const row = o => ({ id: o.id, trade_no: o.trade_no, total_cost: o.total_cost, refund_status: o.refund_status || '' })

Page({
  data: { orders: [], refunded: null, error: '' },

  async onLoad() {
    try {
      await BaaS.init(config.clientID, config.host ? { host: config.host } : undefined)
      const { data } = await new BaaS.Order().orderBy('-created_at').limit(20).getOrderList({ status: 'success' })
      this.setData({ orders: data.objects.map(row), error: '' })
    } catch (e) {
      this.setData({ error: e.message, code: e.code })
    }
  },

  // Pays 0.01 yuan with BaaS.pay (it creates the order, then opens the payment
  // sheet), then waits for the server's word that it is paid.
  async onPay() {
    try {
      const res = await BaaS.pay({ totalCost: 0.01, merchandiseDescription: 'example item' })
      const { data } = await new BaaS.Order().waitForPayment(res.transaction_no, { timeout: 60000 })
      this.setData({ paid: { trade_no: data.trade_no, status: data.status }, error: '' })
    } catch (e) {
      // 607: the buyer cancelled; 608: the payment failed (e.data has the order's trade_no).
      this.setData({ error: e.message, code: e.code })
    }
  },

  async onRefund(event) {
    const id = Number((event.currentTarget || event.target).dataset.id)
    try {
      const { data } = await BaaS.refund({ order_id: id, memo: 'refund from the example page' })
      this.setData({ refunded: { id, status: data.status, refund_amount: data.refund_amount }, error: '' })
    } catch (e) {
      this.setData({ error: e.message, code: e.code })
    }
  },
})
