// Every call and type of baas-order's index.d.ts (as packed in
// target/npm/baas-order), compiled with `tsc --noEmit --strict`; the
// `@ts-expect-error` lines prove that wrong shapes are rejected.
import DefaultBaaS, {
  BaaS,
  HError,
  Order,
  type AlipayProfitSharingOptions,
  type AlipayProfitSharingResult,
  type AlipayReceiverType,
  type BaaSNamespace,
  type CallOptions,
  type Endpoints,
  type GatewayType,
  type GetOrderListParams,
  type InitOptions,
  type OrderList,
  type OrderListMeta,
  type OrderStatus,
  type PaymentOrder,
  type CompareOperator,
  type Query,
  type QueryConstructor,
  type QueryValue,
  type Receiver,
  type RefundParams,
  type RefundResult,
  type RefundStatus,
  type Response,
  type WechatProfitSharingOptions,
  type WechatProfitSharingResult,
  type WechatReceiverType,
  type WechatResponse,
  type AlipayReceiversResult,
  type AlipayReceiverQueryResult,
  type AlipaySharingOrder,
  type ReceiverRelationType,
  type SharingOrder,
  type SharingOrderList,
  type SharingOrderType,
  type SharingStatus,
  type WechatReceiverResult,
  type WechatReturnOptions,
  type WechatReturnResult,
  type WechatSharingOrder,
} from 'baas-order'

/** Keeps values used. */
function use(..._values: unknown[]): void {}

const ns: BaaSNamespace = BaaS
const same: BaaSNamespace = DefaultBaaS
const OrderClass: typeof Order = BaaS.Order
const HErrorClass: typeof HError = BaaS.HError

const endpoints: Endpoints = {
  orderList: '/hserve/v2.2/idp/pay/order/',
  order: '/hserve/v2.0/idp/pay/order/:transactionID/',
  refund: '/hserve/v2.0/idp/pay/refund/',
  wechatProfitSharing: '/hserve/v2.0/idp/pay/wechat/profit-sharing/',
  wechatMultiProfitSharing: '/hserve/v2.0/idp/pay/wechat/multi-profit-sharing/',
  alipayProfitSharing: '/hserve/v2.0/idp/pay/alipay/profit-sharing/',
  wechatAddReceiver: '/a/',
  wechatRemoveReceiver: '/b/',
  wechatSharingOrders: '/c/',
  wechatFinish: '/d/',
  wechatSharingReturn: '/e/',
  wechatSharingReturnQuery: '/f/',
  alipayAddReceiver: '/g/',
  alipayRemoveReceiver: '/h/',
  alipayReceiverQuery: '/i/',
  alipaySharingOrders: '/j/',
  payWithWechat: '/hserve/v2.2/idp/pay/order/',
  payWithAlipay: '/hserve/v2.2/idp/pay/order/',
  payWithQQ: '/hserve/v2.2/idp/pay/order/',
  pay: '/hserve/v2.2/idp/pay/order/',
}
const options: InitOptions = { host: 'http://127.0.0.1:8787', env: 'env-id', token: 'token', timeout: 5000, endpoints }
const partial: InitOptions = { endpoints: { refund: '/custom/refund/' } }

function describeOrder(o: PaymentOrder): string {
  const gateway: GatewayType = o.gateway_type
  const status: OrderStatus = o.status
  const refund: RefundStatus | '' | null = o.refund_status
  const paid: number | null = o.paid_at
  const shared: boolean | undefined = o.profit_sharing
  const refunded: string | undefined = o.refund_amount
  let wechat: WechatResponse | undefined
  if (o.gateway_extra_info !== null && typeof o.gateway_extra_info === 'object') wechat = o.gateway_extra_info.wechat_response
  const fee: string | undefined = wechat?.total_fee
  const fields: (string | number | null)[] = [
    o.id, o.created_at, o.updated_at, o.created_by_id, o.created_by_name, o.ip_address,
    o.merchandise_description, o.merchandise_record_id, o.merchandise_schema_id, o.merchandise_snapshot,
    o.total_cost, o.trade_no, o.transaction_no,
  ]
  if (wechat) {
    const w: string[] = [
      wechat.appid, wechat.bank_type, wechat.cash_fee, wechat.fee_type, wechat.is_subscribe, wechat.mch_id,
      wechat.nonce_str, wechat.openid, wechat.out_trade_no, wechat.result_code, wechat.return_code, wechat.sign,
      wechat.time_end, wechat.total_fee, wechat.trade_type, wechat.transaction_id,
    ]
    fields.push(...w)
  }
  return [gateway, status, refund, paid, shared, refunded, fee, ...fields].join(' ')
}

async function main(): Promise<void> {
  await BaaS.init('client-id')
  const nothing: void = await same.init('client-id', options)
  await ns.init('client-id', partial)
  BaaS.setToken('token')
  BaaS.clearToken()

  const order: Order = new BaaS.Order()
  const chained: Order = order.offset(20).limit(20).orderBy('-created_at').orderBy(['-paid_at', 'id'])
  const params: GetOrderListParams = {
    gateway_type: 'weixin_tenpay', created_at: 1539335891, created_by_id: 1, created_by_name: '张三', id: 29973,
    ip_address: '183.61.109.211', merchandise_description: '一条支付描述', merchandise_record_id: 'r1',
    merchandise_schema_id: 7, merchandise_snapshot: '{}', paid_at: 1539335891, refund_amount: '1.00',
    refund_status: 'partial', status: 'success', total_cost: 398, trade_no: 't', transaction_no: 'x',
    updated_at: '2018-10-12T17:18:11', paid_at__gte: 0, paid_at__lte: 1, anything_else: true,
  }
  const list: Response<OrderList> = await chained.getOrderList(params)
  await order.getOrderList()
  const meta: OrderListMeta = list.data.meta
  const next: string | null = meta.next
  const counts: number[] = [meta.limit, meta.offset, meta.total_count, list.status, list.statusCode]
  const previous: string | null = meta.previous
  const header: string | undefined = list.headers['content-type']
  const lines: string[] = list.data.objects.map(describeOrder)

  const one: Response<PaymentOrder> = await order.get('v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw')
  describeOrder(one.data)

  const refundParams: RefundParams[] = [
    { order_id: 29973, memo: '测试退款' },
    { trade_no: '1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA', refund_amount: 12.5 },
    { transaction_no: '1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA' },
  ]
  const refunded: Response<RefundResult> = await BaaS.refund(refundParams[0])
  const r: RefundResult = refunded.data
  const rStatus: 'succeed' | 'failed' = r.status
  const rFields: (string | number | null)[] = [r.id, r.order_id, r.refund_amount, r.refund_no, r.memo, r.error_msg]

  const wxTypes: WechatReceiverType[] = ['MERCHANT_ID', 'PERSONAL_OPENID']
  const aliTypes: AlipayReceiverType[] = ['userId', 'loginName']
  const wxReceiver: Receiver<WechatReceiverType> = { type: 'MERCHANT_ID', account: '1900000109', amount: 10, description: '分账' }
  const aliReceiver: Receiver<AlipayReceiverType> = { type: 'loginName', account: 'receiver@example.com', amount: 10, description: '分账' }
  const wx: WechatProfitSharingOptions = { trade_no: 't', appid: 'wx3b040d33346exxxx', receivers: [wxReceiver] }
  const ali: AlipayProfitSharingOptions = { trade_no: 't', receivers: [aliReceiver] }
  const single: Response<WechatProfitSharingResult> = await order.wechatPay.profitSharing(wx)
  const multi: Response<WechatProfitSharingResult> = await order.wechatPay.multiProfitSharing(wx)
  const alipay: Response<AlipayProfitSharingResult> = await order.alipay.profitSharing(ali)
  const wxFields: string[] = [single.data.return_code, single.data.appid, single.data.mch_id, single.data.trade_no, multi.data.wechat_order_no]
  const aliFields: string[] = [alipay.data.return_code, alipay.data.trade_no]

  try {
    await BaaS.refund({})
  } catch (e) {
    if (e instanceof BaaS.HError) {
      const code: number = e.code
      const message: string = e.message
      const name: 'HError' = e.name
      const data: unknown = e.data
      use(code, message, name, data)
    }
  }
  // What a program acts on.
  try {
    await BaaS.refund({ order_id: 1 })
  } catch (e) {
    if (e instanceof HError) {
      const field: string | undefined = e.field
      const unknown: true | undefined = e.outcomeUnknown
      use(field, unknown)
    }
  }
  // Every real value of the platform is typed.
  const gateways: GatewayType[] = [
    'weixin_tenpay', 'weixin_tenpay_js', 'weixin_tenpay_native', 'weixin_tenpay_app', 'weixin_tenpay_wap',
    'alipay', 'alipay_wap', 'alipay_page', 'alipay_app', 'qpay', 'qpay_native',
    'baidu_miniapp_pay', 'bytedance_miniapp_pay',
  ]
  const statuses: OrderStatus[] = ['pending', 'success', 'failed']
  const refundStatuses: PaymentOrder['refund_status'][] = ['complete', 'partial', 'failed', null, '']
  const times: PaymentOrder['created_at'][] = ['2018-10-12T17:18:10.992125', 1539335890]
  const updated: PaymentOrder['updated_at'][] = ['2018-10-12T17:18:11.317089', 1539335891]
  const paidAt: PaymentOrder['paid_at'][] = [1539335891, null]
  await order.getOrderList({ gateway_type: 'weixin_tenpay_js', status: 'failed', refund_status: 'failed' })
  // minapp-sdk's select and expand.
  const picked: Order = new BaaS.Order().select(['id', 'trade_no']).expand('created_by').select('id')
  use(picked)
  // @ts-expect-error select takes field names
  new BaaS.Order().select(1)
  // minapp-sdk's BaaS.Query and setQuery.
  const Q: QueryConstructor = BaaS.Query
  const ops: CompareOperator[] = ['=', '!=', '<', '<=', '>', '>=']
  const values: QueryValue[] = ['success', 1.5, true, null]
  const q: Query = new Q().compare('status', ops[0], 'success').contains('trade_no', 'A').in('gateway_type', ['alipay']).notIn('id', values)
  const flags: Query = new BaaS.Query().isNull('paid_at').isNotNull(['refund_status']).exists('paid_at').notExists(['merchandise_record_id'])
  const joined: Query = BaaS.Query.or(BaaS.Query.and(q, flags), new BaaS.Query())
  const where: { [key: string]: unknown } = joined.queryObject
  const filtered: Order = new BaaS.Order().setQuery(joined).select('id')
  const isQuery: boolean = (joined as unknown) instanceof BaaS.Query
  use(where, filtered, isQuery)
  // @ts-expect-error no such operator
  new BaaS.Query().compare('status', '==', 'success')
  // @ts-expect-error compare takes a value an order field holds
  new BaaS.Query().compare('status', '=', { $ne: 1 })
  // @ts-expect-error in takes an array
  new BaaS.Query().in('status', 'success')
  // @ts-expect-error matches does not apply to orders (it throws HError 611)
  new BaaS.Query().matches('trade_no', /x/)
  // @ts-expect-error setQuery takes a BaaS.Query
  new BaaS.Order().setQuery({ status: 'success' })
  // @ts-expect-error Query.and takes queries
  BaaS.Query.and(new BaaS.Query(), 'status')
  // Auto-pagination.
  for await (const o of new BaaS.Order().limit(100).orderBy('id').iterate({ status: 'success' })) {
    const one: PaymentOrder = o
    use(one)
  }
  const it: AsyncIterableIterator<PaymentOrder> = order.iterate()
  use(it)
  // Per-call options on every call that sends.
  // (This check has no DOM library: a signal-shaped object stands in for `new AbortController().signal`.)
  const ctl = { signal: { aborted: false, reason: undefined, addEventListener() {}, removeEventListener() {} } }
  const callOptions: CallOptions = { signal: ctl.signal, timeout: 2000 }
  await order.getOrderList({ status: 'success' }, callOptions)
  await order.get('v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw', { timeout: 2000 })
  // @ts-expect-error a signal has `aborted`
  await order.get('x', { signal: {} })
  await BaaS.refund({ order_id: 1 }, { timeout: 5000 })
  use(order.iterate({}, { signal: ctl.signal }))
  // @ts-expect-error timeout is a number of ms
  await BaaS.refund({ order_id: 1 }, { timeout: '5s' })
  try {
    await order.get('x', { signal: ctl.signal })
  } catch (e) {
    if (e instanceof HError && e.aborted) use(e.cause)
  }
  // minapp-sdk's init options, and init not awaited.
  void BaaS.init('client-id', { autoLogin: true, logLevel: 'debug', ws_host: 'wss://x', env: 'e', host: 'https://a.b' })
  use(gateways, statuses, refundStatuses, times, updated, paidAt)

  const err: Error = new HErrorClass(605, 'bad parameter')
  const err2: HError = new HError(600)
  const o2: Order = new OrderClass()
  use(nothing, next, counts, previous, header, lines, rStatus, rFields, wxTypes, aliTypes, wxFields, aliFields, err, err2, o2)

  // Wrong shapes are rejected.
  // @ts-expect-error amount is fen, a number
  const badAmount: Receiver<WechatReceiverType> = { type: 'MERCHANT_ID', account: 'a', amount: '10', description: 'd' }
  // @ts-expect-error unknown WeChat receiver type
  const badType: Receiver<WechatReceiverType> = { type: 'BANK_ACCOUNT', account: 'a', amount: 10, description: 'd' }
  // @ts-expect-error PERSONAL_WECHATID is retired
  await order.wechatPay.profitSharing({ trade_no: 't', appid: 'a', receivers: [{ type: 'PERSONAL_WECHATID', account: 'a', amount: 1, description: 'd' }] })
  // @ts-expect-error an Alipay receiver type is not a WeChat one
  await order.alipay.profitSharing({ trade_no: 't', receivers: [{ type: 'MERCHANT_ID', account: 'a', amount: 1, description: 'd' }] })
  // @ts-expect-error WeChat sharing needs appid
  await order.wechatPay.multiProfitSharing({ trade_no: 't', receivers: [wxReceiver] })
  // @ts-expect-error receiver description is required
  const noDescription: Receiver<AlipayReceiverType> = { type: 'userId', account: 'a', amount: 1 }
  // @ts-expect-error refund_amount is a number of yuan
  await BaaS.refund({ order_id: 1, refund_amount: '10' })
  // @ts-expect-error order_id is a number
  await BaaS.refund({ order_id: '29973' })
  // @ts-expect-error init needs a clientID
  await BaaS.init()
  // @ts-expect-error timeout is milliseconds, a number
  await BaaS.init('client-id', { timeout: '1000' })
  // @ts-expect-error no such endpoint
  await BaaS.init('client-id', { endpoints: { orders: '/x/' } })
  // @ts-expect-error filter values are strings, numbers or booleans
  await order.getOrderList({ where: { id: 1 } })
  // @ts-expect-error unknown gateway
  await order.getOrderList({ gateway_type: 'paypal' })
  // @ts-expect-error offset is a number
  order.offset('20')
  // @ts-expect-error total_count is a number
  const total: string = list.data.meta.total_count
  // @ts-expect-error status is 'succeed' | 'failed'
  const wrongStatus: 'complete' = refunded.data.status
  // @ts-expect-error a misspelt minapp-sdk option
  await BaaS.init('client-id', { autologin: true })
  // @ts-expect-error no such order status
  const badStatus: OrderStatus = 'refunded'
  use(badStatus)
  use(badAmount, badType, noDescription, total, wrongStatus)
}

// The profit-sharing lifecycle (BaaS.wechat.profitSharing, BaaS.alipay.profitSharing).
async function lifecycle(): Promise<void> {
  const wx = BaaS.wechat.profitSharing
  const relation: ReceiverRelationType = 'CUSTOM'
  const added: Response<WechatReceiverResult> = await wx.addReceiver({
    mch_id: 'm', appid: 'a', type: 'MERCHANT_ID', account: '1900000109', relation_type: relation, name: 'n', custom_relation: 'c',
  })
  await wx.removeReceiver({ mch_id: 'm', appid: 'a', type: 'PERSONAL_OPENID', account: 'o' })
  const order: WechatSharingOrder = new wx.Order()
  const status: SharingStatus = 'finished'
  const kind: SharingOrderType = 'multi_profit_sharing'
  const list: Response<SharingOrderList> = await order.offset(0).limit(20).getOrderList({ trade_no: 't', status, order_type: kind, payment_order_id: 1 })
  const first: SharingOrder | undefined = list.data.objects[0]
  const shared: number = first?.receiver?.[0]?.amount ?? 0
  for await (const so of new wx.Order().limit(100).iterate({ payment_order_id: 1 })) {
    const t: SharingOrderType = so.order_type
    use(t)
  }
  await order.finish({ trade_no: 't', appid: 'a', description: 'd' })
  const back: WechatReturnOptions = { trade_no: 's', appid: 'a', refund_no: 'R-1', type: 'MERCHANT_ID', account: 'x', amount: 100, description: 'd' }
  const returned: Response<WechatReturnResult> = await order.refund(back)
  const again: WechatReturnResult = (await order.getRefundmentOrder({ trade_no: 's', appid: 'a', refund_no: 'R-1' })).data
  const ali = BaaS.alipay.profitSharing
  const r: Response<AlipayReceiversResult> = await ali.addReceiver({ request_no: 'r1', receivers: [{ type: 'userId', account: 'a', name: 'n' }] })
  await ali.removeReceiver({ request_no: 'r2', receivers: [{ type: 'loginName', account: 'a@b.c', name: 'n' }] })
  const q: Response<AlipayReceiverQueryResult> = await ali.receiverQuery({ request_no: 'q', page_num: 1, page_size: 20 })
  const aliOrder: AlipaySharingOrder = new ali.Order()
  const aliList: Response<SharingOrderList> = await aliOrder.limit(5).getOrderList({ status: 'closed' })
  const aliAll: AsyncIterableIterator<SharingOrder> = new ali.Order().iterate({ trade_no: 't' })
  // @ts-expect-error unknown relation type
  await wx.addReceiver({ mch_id: 'm', appid: 'a', type: 'MERCHANT_ID', account: 'x', relation_type: 'FRIEND' })
  // @ts-expect-error PERSONAL_WECHATID is retired
  await wx.removeReceiver({ mch_id: 'm', appid: 'a', type: 'PERSONAL_WECHATID', account: 'x' })
  // @ts-expect-error amount is fen, a number
  await order.refund({ ...back, amount: '100' })
  // @ts-expect-error Alipay sharing orders have no order_type filter
  await aliOrder.getOrderList({ order_type: 'finish' })
  // @ts-expect-error Alipay sharing orders cannot be finished
  await aliOrder.finish({ trade_no: 't', appid: 'a', description: 'd' })
  // @ts-expect-error request_no is required
  await ali.receiverQuery({ page_num: 1 })
  // @ts-expect-error unknown status
  await order.getOrderList({ status: 'done' })
  // @ts-expect-error sharing orders have no orderBy
  new wx.Order().orderBy('-id')
  use(added, shared, returned, again, r, q, aliList, aliAll)
}

void main
void lifecycle
