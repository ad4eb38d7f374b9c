// BaaS.wechat.profitSharing and BaaS.alipay.profitSharing: receivers, sharing
// orders, finish and return, as the official cloud-function SDK names them.
// Each call is the wasm's `call(endpointKey, options, callOptions)` or, for
// a list, `getSharingList(endpointKey, state, params, callOptions, page)` (the rules
// are in the core); `callOptions` is `{ signal, timeout }` as for every call.
// A sharing `Order` keeps its query state as BaaS.Order does: plain JS, each
// setter checked by the wasm (`Order.prototype._set`), a fresh state after
// every call, `iterate` through the shell's `pages`.
export function sharingNamespaces(later, Order, pages) {
  const call = key => (options, o) => later(w => w.call(key, options, o))
  const order = (key, methods) => {
    class SharingOrder {
      constructor() {
        this._s = {}
      }
      offset(n) {
        return this._set('offset', n)
      }
      limit(n) {
        return this._set('limit', n)
      }
      getOrderList(params, o) {
        const s = this._s
        this._s = {}
        return later(w => w.getSharingList(key, s, params, o))
      }
      iterate(params, o) {
        const s = this._s
        this._s = {}
        return pages(s, q => later(w => w.getSharingList(key, q, params, o, true)))
      }
    }
    Object.assign(SharingOrder.prototype, methods, { _set: Order.prototype._set })
    return SharingOrder
  }
  return {
    wechat: {
      profitSharing: {
        addReceiver: call('wechatAddReceiver'),
        removeReceiver: call('wechatRemoveReceiver'),
        Order: order('wechatSharingOrders', {
          finish: call('wechatFinish'),
          refund: call('wechatSharingReturn'),
          getRefundmentOrder: call('wechatSharingReturnQuery'),
        }),
      },
    },
    alipay: {
      profitSharing: {
        addReceiver: call('alipayAddReceiver'),
        removeReceiver: call('alipayRemoveReceiver'),
        receiverQuery: call('alipayReceiverQuery'),
        Order: order('alipaySharingOrders', {}),
      },
    },
  }
}
