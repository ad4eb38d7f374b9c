// Lists paid orders and refunds the one tapped. The token is the one
// minapp-sdk stored at login (wx.getStorageSync('ifx_baas_auth_token')).
const { BaaS } = require('baas-order')
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

  async onRefund(event) {
    const id = Number(event.currentTarget.dataset.id)
    try {
      const { data } = await BaaS.refund({ order_id: id, memo: 'refund from the example page' })
      this.setData({ refunded: { id, status: data.status, refund_amount: data.refund_amount }, error: '' })
    } catch (e) {
      this.setData({ error: e.message, code: e.code })
    }
  },
})
