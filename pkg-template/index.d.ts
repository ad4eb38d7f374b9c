// Types for baas-order: the 知晓云 (MinCloud) payment-order SDK.

/** Options of `BaaS.init`. */
export interface InitOptions {
  /** API host, default `https://{clientID}.myminapp.com`. */
  host?: string
  /** Environment ID, sent as `X-Hydrogen-Env-ID`. */
  env?: string
  /** User or admin token, sent as `Authorization: Hydrogen-r1 <token>`. */
  token?: string
  /** Per-request timeout in milliseconds (default 10000); past it (with fetch, by at most 1%, 100 ms) the call rejects with HError 601. */
  timeout?: number
  /** Overrides of the API paths. */
  endpoints?: Partial<Endpoints>
  /** minapp-sdk's option, accepted and ignored: this SDK logs no one in. */
  autoLogin?: boolean
  /** minapp-sdk's option, accepted and ignored: this SDK writes no log. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | string
  /** minapp-sdk's option, accepted and ignored: this SDK opens no WebSocket. */
  ws_host?: string
  /**
   * A `wx.request`-style function to send requests with, for runtimes without
   * `fetch` (mini-programs use `wx.request` / `my.request` by themselves).
   */
  request?: (options: WxRequestOptions) => unknown
  /**
   * Mini-programs: the absolute path of the wasm in the code package (default
   * `/miniprogram_npm/baas-order/baas_order_bg.wasm.br` on WeChat,
   * `/node_modules/baas-order/miniprogram/baas_order_bg.wasm.br` on Alipay).
   */
  wasmPath?: string
}

/** What the SDK passes to a `request` function (the shape of `wx.request`'s options). */
export interface WxRequestOptions {
  url: string
  method: 'GET' | 'POST'
  header: Record<string, string>
  /** Alipay's `my.request` name for `header`. */
  headers: Record<string, string>
  data?: string
  dataType: 'text'
  responseType: 'text'
  timeout: number
  success(res: { statusCode?: number; status?: number; header?: Record<string, string>; headers?: Record<string, string>; data: unknown }): void
  fail(err: { errMsg?: string; errorMessage?: string }): void
}

/** The keys of `endpoints`, one per call that sends a request. */
export type EndpointKey = string /*@table endpoint-keys*/
/** The API paths the SDK calls (`:transactionID` is replaced in `order`). */
export type Endpoints = Record<EndpointKey, string>

/** What every successful call resolves with. */
export interface Response<T> {
  /** The parsed JSON body. */
  data: T
  /** HTTP status. */
  status: number
  /** HTTP status (same as `status`). */
  statusCode: number
  /** Response headers, lower-case names. */
  headers: Record<string, string>
}

export type GatewayType = string /*@table gateway-types*/
export type OrderStatus = string /*@table order-statuses*/
export type RefundStatus = string /*@table refund-statuses*/

/** A payment order as the list and detail calls return it. */
export interface PaymentOrder {
  id: number
  /**
   * When the order was created: the platform sends an ISO string
   * (`"2018-10-12T17:18:10.992125"`, as in the API doc's example and the
   * emulator); the doc's field table says Number (unix seconds). Both typed.
   */
  created_at: string | number
  /** When the order last changed: as `created_at`. */
  updated_at: string | number
  created_by_id: number
  created_by_name: string
  gateway_type: GatewayType
  /** WeChat payment callback details (`weixin_tenpay` only), or a string / null. */
  gateway_extra_info: { wechat_response: WechatResponse } | string | null
  ip_address: string
  merchandise_description: string
  merchandise_record_id: string | null
  merchandise_schema_id: number | null
  merchandise_snapshot: string
  /** Unix seconds (the doc's table and the emulator), or null while unpaid. */
  paid_at: number | null
  profit_sharing?: boolean
  /** Refunded so far, yuan with 2 decimals, e.g. "12.50". */
  refund_amount?: string
  refund_status: RefundStatus | '' | null
  status: OrderStatus
  /** Amount paid, yuan with 2 decimals, e.g. "398.00". */
  total_cost: string
  trade_no: string
  transaction_no: string
}

/** Key fields of WeChat's payment notification. */
export interface WechatResponse {
  appid: string
  bank_type: string
  cash_fee: string
  fee_type: string
  is_subscribe: string
  mch_id: string
  nonce_str: string
  openid: string
  out_trade_no: string
  result_code: string
  return_code: string
  sign: string
  time_end: string
  /** Order total in fen, as a string. */
  total_fee: string
  trade_type: string
  transaction_id: string
}

/** Filters of `getOrderList`: each field by equality, plus a paid-at range. */
export interface GetOrderListParams {
  gateway_type?: GatewayType
  created_at?: number | string
  created_by_id?: number
  created_by_name?: string
  id?: number
  ip_address?: string
  merchandise_description?: string
  merchandise_record_id?: string
  merchandise_schema_id?: number
  merchandise_snapshot?: string
  paid_at?: number
  refund_amount?: number | string
  refund_status?: RefundStatus
  status?: OrderStatus
  total_cost?: number | string
  trade_no?: string
  transaction_no?: string
  updated_at?: number | string
  /** Paid at or after (unix seconds). */
  paid_at__gte?: number
  /** Paid at or before (unix seconds). */
  paid_at__lte?: number
  [filter: string]: string | number | boolean | undefined
}

export interface OrderListMeta {
  limit: number
  offset: number
  total_count: number
  /** URL of the next page, or null. */
  next: string | null
  /** URL of the previous page, or null. */
  previous: string | null
}

export interface OrderList {
  meta: OrderListMeta
  objects: PaymentOrder[]
}

/** `BaaS.refund` data: at least one of `order_id`, `trade_no`, `transaction_no`. */
export interface RefundParams {
  /** Yuan, > 0, at most 2 decimals; default: all that remains. */
  refund_amount?: number
  order_id?: number
  trade_no?: string
  transaction_no?: string
  memo?: string
}

export interface RefundResult {
  id: number
  order_id: number
  /** Yuan with 2 decimals. */
  refund_amount: string
  refund_no: string
  memo: string
  /** `failed` comes with `error_msg`, e.g. when profit-shared money was not returned first. */
  status: 'succeed' | 'failed'
  error_msg: string | null
}

/** WeChat receiver types; `PERSONAL_WECHATID` is retired and refused. */
export type WechatReceiverType = string /*@table wechat-receiver-types*/
export type AlipayReceiverType = string /*@table alipay-receiver-types*/

export interface Receiver<T extends string> {
  type: T
  account: string
  /** Fen, a positive integer. */
  amount: number
  description: string
}

export interface WechatProfitSharingOptions {
  trade_no: string
  appid: string
  /** 1 to 50 receivers, each (`type` + `account`) at most once: a repeat is a 605 naming it (`receivers[i].account`), since a return names one receiver of a sharing order and could never reach a second line. */
  receivers: Receiver<WechatReceiverType>[]
}

export interface AlipayProfitSharingOptions {
  trade_no: string
  receivers: Receiver<AlipayReceiverType>[]
}

export interface WechatProfitSharingResult {
  return_code: string
  appid: string
  mch_id: string
  trade_no: string
  wechat_order_no: string
}

export interface AlipayProfitSharingResult {
  return_code: string
  trade_no: string
}

/** WeChat receiver relation types (`relation_type`). */
export type ReceiverRelationType = string /*@table relation-types*/
/** Sharing order statuses. */
export type SharingStatus = string /*@table sharing-statuses*/
/** WeChat sharing order types. */
export type SharingOrderType = string /*@table sharing-order-types*/

export interface WechatAddReceiverOptions {
  mch_id: string
  appid: string
  type: WechatReceiverType
  account: string
  relation_type: ReceiverRelationType
  /** Required unless `type` is `PERSONAL_OPENID`. */
  name?: string
  /** Required when `relation_type` is `CUSTOM`. */
  custom_relation?: string
}

export interface WechatRemoveReceiverOptions {
  mch_id: string
  appid: string
  type: WechatReceiverType
  account: string
}

export interface WechatReceiverResult {
  return_code: string
  appid: string
  /** The receiver as a JSON string. */
  receiver: string
  mch_id: string
}

export interface AlipayReceiver {
  type: AlipayReceiverType
  account: string
  name: string
}

export interface AlipayReceiversOptions {
  /** At most 32 letters, digits or `_` (the page's "2个字符以内" is read as 32), unique per merchant. */
  request_no: string
  /** 1 to 50 receivers. */
  receivers: AlipayReceiver[]
}

export interface AlipayReceiversResult {
  result_code: string
  return_code: string
}

export interface AlipayReceiverQueryOptions {
  request_no: string
  /** From 1 (default 1). */
  page_num?: number
  /** 1 to 100 (default 20). */
  page_size?: number
}

export interface AlipayReceiverQueryResult {
  current_page_num: number
  current_page_size: number
  receiver_list: { account: string; type: AlipayReceiverType }[]
  result_code: string
  return_code: string
  total_page_num: number
  total_record_num: number
}

/** Filters of a sharing-order list. */
export interface SharingOrderListParams {
  /** The sharing order's own number (分账单号). */
  trade_no?: string
  status?: SharingStatus
  /** The payment order's `id`. */
  payment_order_id?: number
}

export interface WechatSharingOrderListParams extends SharingOrderListParams {
  order_type?: SharingOrderType
}

/** One sharing order: a sharing, a multi sharing or a finish. */
export interface SharingOrder {
  created_by_name: string
  order_type: SharingOrderType
  payment_order_id: number
  /** What was shared (null for a finish). */
  receiver: Receiver<string>[] | null
  status: SharingStatus
  /** The sharing order's own number: what a return (`refund`) names. */
  trade_no: string
}

export interface SharingOrderList {
  meta: OrderListMeta
  objects: SharingOrder[]
}

export interface WechatFinishOptions {
  /** The payment order's trade_no (a WeChat order). */
  trade_no: string
  appid: string
  description: string
}

export interface WechatReturnOptions {
  /** The sharing order's trade_no (not the payment order's). */
  trade_no: string
  appid: string
  /** Your return number: `0-9 a-z A-Z _ - | * @`, at most 64; the same number is the same return. */
  refund_no: string
  type: WechatReceiverType
  account: string
  /** Fen, a positive integer, at most what was shared to this receiver on that sharing order. */
  amount: number
  description: string
}

export interface WechatReturnQueryOptions {
  trade_no: string
  appid: string
  refund_no: string
}

export interface WechatReturnResult {
  fail_reason: string | null
  result: string
  refund_no: string
  wechat_refund_no: string
  appid: string
  description: string
  return_code: string
  amount: number
  mch_id: string
  finish_time: string
  account_type: string
  account: string
}

/**
 * WeChat sharing orders: list, finish, return and its result. A sharing,
 * finish or return answered with WeChat's `SYSTEMERROR` or
 * `FREQUENCY_LIMITED` rejects with an HError saying not to call again
 * (the money may have moved; contact support), the reply in `e.data`.
 *
 * ```js
 * const sharing = new BaaS.wechat.profitSharing.Order()
 * const { data } = await sharing.getOrderList({ payment_order_id: 50001 })
 * ```
 */
export declare class WechatSharingOrder {
  constructor()
  /**
   * Skip `n` sharing orders (a non-negative integer, else throws HError 605).
   *
   * ```js
   * const page2 = await new BaaS.wechat.profitSharing.Order().offset(20).limit(20).getOrderList()
   * ```
   */
  offset(n: number): this
  /**
   * At most `n` (a non-negative integer, else throws HError 605).
   *
   * ```js
   * const { data } = await new BaaS.wechat.profitSharing.Order().limit(5).getOrderList({ status: 'finished' })
   * ```
   */
  limit(n: number): this
  /**
   * The sharing orders, filtered. Offset and limit reset afterwards.
   *
   * ```js
   * const { data } = await new BaaS.wechat.profitSharing.Order().limit(20).getOrderList({ status: 'finished' })
   * ```
   */
  getOrderList(params?: WechatSharingOrderListParams, options?: CallOptions): Promise<Response<SharingOrderList>>
  /**
   * Every sharing order from `offset` on, `limit` a page, until the server
   * has no next page (as `BaaS.Order#iterate`). Offset and limit reset afterwards.
   *
   * ```js
   * for await (const so of new BaaS.wechat.profitSharing.Order().limit(100).iterate({ payment_order_id: 50001 })) {
   *   console.log(so.trade_no, so.order_type)
   * }
   * ```
   */
  iterate(params?: WechatSharingOrderListParams, options?: CallOptions): AsyncIterableIterator<SharingOrder>
  /**
   * Finishes sharing of a payment order (the rest is unfrozen). Moves money: sent once, never retried.
   *
   * ```js
   * await new BaaS.wechat.profitSharing.Order().finish({ trade_no: order.trade_no, appid, description: '分账完结' })
   * ```
   */
  finish(options: WechatFinishOptions, callOptions?: CallOptions): Promise<Response<WechatProfitSharingResult>>
  /**
   * Returns shared money from a receiver (分账回退), needed before a shared
   * order can be refunded. Sent once, never retried automatically; it is the
   * one money-moving call with an idempotency key: sending it again with the
   * same `refund_no` is safe and moves nothing twice.
   *
   * ```js
   * await new BaaS.wechat.profitSharing.Order().refund({ trade_no: sharingOrder.trade_no, appid,
   *   refund_no: 'RT-1', type: 'MERCHANT_ID', account: '1900000109', amount: 100, description: '回退' })
   * ```
   */
  refund(options: WechatReturnOptions, callOptions?: CallOptions): Promise<Response<WechatReturnResult>>
  /**
   * The result of a return.
   *
   * ```js
   * const { data } = await new BaaS.wechat.profitSharing.Order().getRefundmentOrder({ trade_no: sharingOrder.trade_no, appid, refund_no: 'RT-1' })
   * ```
   */
  getRefundmentOrder(options: WechatReturnQueryOptions, callOptions?: CallOptions): Promise<Response<WechatReturnResult>>
}

/**
 * Alipay sharing orders.
 *
 * ```js
 * const { data } = await new BaaS.alipay.profitSharing.Order().getOrderList({ payment_order_id: 50003 })
 * ```
 */
export declare class AlipaySharingOrder {
  constructor()
  /**
   * Skip `n` sharing orders (a non-negative integer, else throws HError 605).
   *
   * ```js
   * const page2 = await new BaaS.alipay.profitSharing.Order().offset(20).limit(20).getOrderList()
   * ```
   */
  offset(n: number): this
  /**
   * At most `n` (a non-negative integer, else throws HError 605).
   *
   * ```js
   * const { data } = await new BaaS.alipay.profitSharing.Order().limit(5).getOrderList()
   * ```
   */
  limit(n: number): this
  /**
   * The sharing orders, filtered. Offset and limit reset afterwards.
   *
   * ```js
   * const { data } = await new BaaS.alipay.profitSharing.Order().getOrderList({ payment_order_id: 50003 })
   * data.objects.forEach(so => console.log(so.trade_no, so.status))
   * ```
   */
  getOrderList(params?: SharingOrderListParams, options?: CallOptions): Promise<Response<SharingOrderList>>
  /**
   * Every sharing order from `offset` on, `limit` a page (as `BaaS.Order#iterate`).
   *
   * ```js
   * for await (const so of new BaaS.alipay.profitSharing.Order().limit(100).iterate()) console.log(so.trade_no)
   * ```
   */
  iterate(params?: SharingOrderListParams, options?: CallOptions): AsyncIterableIterator<SharingOrder>
}

/**
 * `BaaS.wechat.profitSharing`: receivers (needed before sharing) and sharing orders.
 *
 * ```js
 * await BaaS.wechat.profitSharing.addReceiver({ mch_id: '1501889000', appid,
 *   type: 'MERCHANT_ID', account: '1900000109', relation_type: 'PARTNER', name: '示例商户' })
 * ```
 */
export interface WechatProfitSharing {
  /**
   * Adds a receiver (needed before sharing to it). `name` is required unless
   * `type` is `PERSONAL_OPENID`, `custom_relation` when `relation_type` is `CUSTOM`.
   *
   * ```js
   * await BaaS.wechat.profitSharing.addReceiver({ mch_id: '1501889000', appid,
   *   type: 'PERSONAL_OPENID', account: openid, relation_type: 'USER' })
   * ```
   */
  addReceiver(options: WechatAddReceiverOptions, callOptions?: CallOptions): Promise<Response<WechatReceiverResult>>
  /**
   * Removes a receiver.
   *
   * ```js
   * await BaaS.wechat.profitSharing.removeReceiver({ mch_id: '1501889000', appid, type: 'MERCHANT_ID', account: '1900000109' })
   * ```
   */
  removeReceiver(options: WechatRemoveReceiverOptions, callOptions?: CallOptions): Promise<Response<WechatReceiverResult>>
  Order: typeof WechatSharingOrder
}

/**
 * `BaaS.alipay.profitSharing`: receivers and sharing orders.
 *
 * ```js
 * const { data } = await BaaS.alipay.profitSharing.receiverQuery({ request_no: 'Q1', page_size: 50 })
 * ```
 */
export interface AlipayProfitSharing {
  /**
   * Adds receivers (`request_no`: at most 32 letters, digits or `_`, unique per merchant).
   *
   * ```js
   * await BaaS.alipay.profitSharing.addReceiver({ request_no: 'R1',
   *   receivers: [{ type: 'userId', account: '2088101126765726', name: '示例' }] })
   * ```
   */
  addReceiver(options: AlipayReceiversOptions, callOptions?: CallOptions): Promise<Response<AlipayReceiversResult>>
  /**
   * Removes receivers.
   *
   * ```js
   * await BaaS.alipay.profitSharing.removeReceiver({ request_no: 'R2',
   *   receivers: [{ type: 'userId', account: '2088101126765726', name: '示例' }] })
   * ```
   */
  removeReceiver(options: AlipayReceiversOptions, callOptions?: CallOptions): Promise<Response<AlipayReceiversResult>>
  /**
   * The receivers, a page at a time (`page_num` from 1, `page_size` 1 to 100).
   *
   * ```js
   * const { data } = await BaaS.alipay.profitSharing.receiverQuery({ request_no: 'Q1', page_num: 1, page_size: 20 })
   * ```
   */
  receiverQuery(options: AlipayReceiverQueryOptions, callOptions?: CallOptions): Promise<Response<AlipayReceiverQueryResult>>
  Order: typeof AlipaySharingOrder
}

/** The SDK's own error codes (any other code is an HTTP status). */
export type SdkErrorCode = string /*@table error-codes*/

/**
 * The error every call rejects with: `code` is 600 (network), 601 (timeout),
 * 602 (not initialised), 605 (bad parameter, the message names the field),
 * 611 (unsupported), or the HTTP status with the server's `error_msg`.
 *
 * ```js
 * try { await BaaS.refund({}) } catch (e) { if (e instanceof BaaS.HError) console.log(e.code, e.message) }
 * ```
 *
 * No message shows a token the SDK was given (`init`'s, `setToken`'s, the
 * last four, refused ones too) or the login token minapp-sdk stored, once the
 * wasm is loaded: each shows as `<redacted>` (the core's rule, every HError
 * alike):
 *
 * ```js
 * new BaaS.HError(605, 'unknown field ' + token).message // '605: unknown field <redacted>'
 * ```
 */
export declare class HError extends Error {
  /** `text` defaults to the official SDK's text for the SDK codes. */
  constructor(code: SdkErrorCode | number, text?: string)
  readonly name: 'HError'
  code: number
  /**
   * The parsed error body, when the server sent one; after a payment's order
   * was created (607, 608, 615, a cancelled bridge or sheet), its
   * `{ trade_no, transaction_no }`; from `waitForPayment`'s 608 / 601, the order.
   */
  data?: unknown
  /** `BaaS.pay` in Alipay: `my.tradePay`'s resultCode (minapp-sdk has it in `code`). */
  resultCode?: string | number
  /**
   * On a 605: the parameter it names (`'refund_amount'`,
   * `'receivers[0].amount'`, `'options.hots'`, `'limit'`), given as its own
   * value: hiding a token in the message never changes it. Only a name in its
   * path that is one of the tokens the SDK was given shows as `<redacted>`.
   */
  field?: string
  /**
   * `true` when a refund or profit sharing failed after it was handed over
   * (connection lost, timeout, 5xx, redirect, abort, or WeChat's
   * `SYSTEMERROR` / `FREQUENCY_LIMITED` on a sharing, finish or return,
   * whatever the status): it may have moved money. It was not retried; check
   * the order before trying again.
   */
  outcomeUnknown?: true
  /**
   * `true` when the call's `signal` (per-call options) ended it: at once, with
   * the signal's reason as `cause`. Before hand-over nothing was sent; after
   * it, a refund or sharing says `outcomeUnknown`.
   */
  aborted?: true
  /** With `aborted`: the signal's reason. */
  cause?: unknown
}

/**
 * Per-call options, the trailing argument of every call that sends a request.
 * `timeout` (ms, a positive integer) replaces `init`'s for this call (601
 * when it passes; a signal of `AbortSignal.timeout(ms)` gives 600 `aborted`);
 * `signal` ends the call at once when aborted (HError `aborted`, `cause` the
 * reason); an already aborted signal sends nothing. Anything else is a 605
 * naming `callOptions.<key>`.
 *
 * ```js
 * const ctl = new AbortController() // ctl.abort() ends the call: HError 600, e.aborted
 * const res = await new BaaS.Order().getOrderList({ status: 'success' }, { signal: ctl.signal, timeout: 2000 })
 * ```
 */
export interface CallOptions {
  signal?: AbortSignalLike
  timeout?: number
}

/**
 * What the SDK reads of an `AbortSignal` (the DOM's, Node's, or a polyfill's),
 * so these types need no DOM library.
 */
export interface AbortSignalLike {
  readonly aborted: boolean
  readonly reason?: any
  addEventListener(type: 'abort', listener: () => void): void
  removeEventListener(type: 'abort', listener: () => void): void
}

/** An operator of `query.compare`. */
export type CompareOperator = '=' | '!=' | '<' | '<=' | '>' | '>='

/** A value an order field holds: what `compare`, `in` and `notIn` take. */
export type QueryValue = string | number | boolean | null

/**
 * A query on order fields, built as minapp-sdk's `BaaS.Query` builds it;
 * `order.setQuery(query)` sends it as `where`. A bad argument throws HError
 * 605 naming the field (`e.field`). minapp-sdk's `matches`, `arrayContains`,
 * `include`, `within`, `withinCircle`, `withinRegion` and `hasKey` do not
 * apply to orders: they throw HError 611 (and are not typed). The wasm
 * checks each call: before it has loaded (before `init` resolves) a call is
 * only recorded, and checked once it is there; a refused one then makes the
 * list call of a `setQuery` using the query reject with its HError.
 *
 * ```js
 * const query = new BaaS.Query().compare('status', '=', 'success').in('gateway_type', ['weixin_tenpay', 'alipay'])
 * const res = await new BaaS.Order().setQuery(BaaS.Query.or(query, new BaaS.Query().isNull('paid_at'))).getOrderList()
 * ```
 */
export interface Query {
  /**
   * minapp-sdk's query object (`{ $and: [{ field: { $op: value } }] }`), sent
   * as `where` (JSON). A call made before the wasm loaded is in it once the
   * wasm is there.
   */
  queryObject: { [key: string]: unknown }
  /**
   * `field` compared with `value`: `=`, `!=`, `<`, `<=`, `>`, `>=`.
   *
   * ```js
   * new BaaS.Query().compare('total_cost', '>=', 100)
   * ```
   */
  compare(field: string, operator: CompareOperator, value: QueryValue): this
  /**
   * `field` contains `text` (a non-empty string).
   *
   * ```js
   * new BaaS.Query().contains('trade_no', '1gAt')
   * ```
   */
  contains(field: string, text: string): this
  /**
   * `field` is one of `values`.
   *
   * ```js
   * new BaaS.Query().in('gateway_type', ['weixin_tenpay', 'alipay'])
   * ```
   */
  in(field: string, values: QueryValue[]): this
  /**
   * `field` is none of `values`.
   *
   * ```js
   * new BaaS.Query().notIn('status', ['failed'])
   * ```
   */
  notIn(field: string, values: QueryValue[]): this
  /**
   * The field(s) are null.
   *
   * ```js
   * new BaaS.Query().isNull('paid_at')
   * ```
   */
  isNull(field: string | string[]): this
  /**
   * The field(s) are not null.
   *
   * ```js
   * new BaaS.Query().isNotNull(['paid_at', 'refund_status'])
   * ```
   */
  isNotNull(field: string | string[]): this
  /**
   * The field(s) exist (are not null, for orders).
   *
   * ```js
   * new BaaS.Query().exists('paid_at')
   * ```
   */
  exists(field: string | string[]): this
  /**
   * The field(s) do not exist (are null, for orders).
   *
   * ```js
   * new BaaS.Query().notExists('paid_at')
   * ```
   */
  notExists(field: string | string[]): this
}

/** `BaaS.Query`: `new BaaS.Query()`, `BaaS.Query.and(...)`, `BaaS.Query.or(...)`. */
export interface QueryConstructor {
  new (): Query
  readonly prototype: Query
  /**
   * Every one of the queries (they are kept themselves, as in minapp-sdk).
   *
   * ```js
   * const q = BaaS.Query.and(new BaaS.Query().compare('status', '=', 'success'), new BaaS.Query().isNotNull('paid_at'))
   * ```
   */
  and(...queries: Query[]): Query
  /**
   * Any one of the queries.
   *
   * ```js
   * const q = BaaS.Query.or(new BaaS.Query().compare('status', '=', 'success'), new BaaS.Query().isNull('paid_at'))
   * ```
   */
  or(...queries: Query[]): Query
}

/** `BaaS.payment.payWithWechat`'s gateways: desktop QR code, mobile H5, JSAPI in WeChat's browser. */
export type WechatWebGateway = string /*@table wechat-web-gateways*/
/** `BaaS.payment.payWithAlipay`'s gateways: desktop page, mobile H5. */
export type AlipayWebGateway = string /*@table alipay-web-gateways*/
/** `BaaS.payment.payWithQQ`'s gateway: desktop QR code. */
export type QQWebGateway = string /*@table qq-gateways*/

/** A decimal value (Big.js, decimal.js…): sent as its `toJSON()` text. */
export interface DecimalLike {
  toJSON(): string | number
}

/** Yuan, > 0, at most 2 decimals: a number, a decimal string (`'15.50'`) or a decimal value. */
export type Amount = number | string | DecimalLike

/** What an order is created with (every runtime). Unknown keys are a 605. */
export interface PayParams {
  /** Yuan, > 0, at most 2 decimals. */
  totalCost: Amount
  /** Shown on the buyer's receipt; a non-empty string. */
  merchandiseDescription: string
  /** The table of what is bought: a positive integer. */
  merchandiseSchemaID?: number
  /** The record of what is bought. */
  merchandiseRecordID?: string
  /** Any data of yours, a plain object. */
  merchandiseSnapshot?: Record<string, unknown>
}

export interface WechatPayOptions extends PayParams {
  gatewayType: WechatWebGateway
  /** The order can then be profit-shared (`order.wechatPay.profitSharing`). */
  profitSharing?: boolean
}
export interface AlipayPayOptions extends PayParams {
  gatewayType: AlipayWebGateway
}
export interface QQPayOptions extends PayParams {
  gatewayType: QQWebGateway
}

/** The created order's keys and what the buyer's side needs. */
export interface CreatedOrder {
  /** The key of `new BaaS.Order().get(transactionID)`. */
  transaction_no: string
  trade_no: string
  /** `weixin_tenpay_native`, `qpay_native`: draw it as a QR code. */
  code_url?: string
  /** `weixin_tenpay_wap`: open it. */
  mweb_url?: string
  /** `alipay_page`, `alipay_wap`: open it. */
  payment_url?: string
}

/** What `weixin_tenpay_js` resolves with: WeixinJSBridge's result and the order's keys. */
export interface BridgeResult {
  err_msg: 'get_brand_wcpay_request:ok'
  transaction_no: string
  trade_no: string
}

/** What `BaaS.pay` resolves with in WeChat (`errMsg` `'requestPayment:ok'`) or Alipay (`resultCode` 9000 or 8000). */
export interface MiniProgramPayResult {
  transaction_no: string
  trade_no: string
  errMsg?: string
  resultCode?: string | number
}

/** `BaaS.pay`'s params (`profitSharing`: WeChat only; 605 in Alipay). */
export interface MiniProgramPayParams extends PayParams {
  profitSharing?: boolean
}

/** `order.waitForPayment`'s options. */
export interface WaitForPaymentOptions {
  /** Give up after this many ms (default 300000): HError 601, the last order in `e.data`. */
  timeout?: number
  /** Ms between the starts of two reads of the order, at least 500 (default 2000). */
  interval?: number
  /** Ends the wait: HError 600 with `aborted`. */
  signal?: AbortSignalLike
}

/**
 * Web and Node payments (`BaaS.payment`), as minapp-sdk has them: each
 * creates the order with one POST, sent once (a lost answer is 600/601 with
 * `outcomeUnknown`: an order may exist). A gateway the call does not take is
 * HError 608 "incorrect gateway type", nothing sent. Whether the order is
 * paid is the server's word: `order.waitForPayment`.
 *
 * ```js
 * const { data } = await BaaS.payment.payWithWechat({ gatewayType: 'weixin_tenpay_native', totalCost: 0.1, merchandiseDescription: '深蓝色秋裤' })
 * showQRCode(data.code_url)
 * const paid = await new BaaS.Order().waitForPayment(data.transaction_no)
 * ```
 */
export interface Payment {
  /**
   * `weixin_tenpay_js` then runs `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`:
   * 607 cancelled, 608 failed, 615 no bridge within 10 s; each with the order's
   * `trade_no` and `transaction_no` in `e.data`.
   *
   * ```js
   * const res = await BaaS.payment.payWithWechat({ gatewayType: 'weixin_tenpay_js', totalCost: 1, merchandiseDescription: '会员' })
   * ```
   */
  payWithWechat(options: WechatPayOptions & { gatewayType: 'weixin_tenpay_js' }, callOptions?: CallOptions): Promise<BridgeResult>
  /**
   * `weixin_tenpay_native` (`data.code_url`, shown as a QR code) and
   * `weixin_tenpay_wap` (`data.mweb_url`, opened): resolves with the created order.
   *
   * ```js
   * const { data } = await BaaS.payment.payWithWechat({ gatewayType: 'weixin_tenpay_native', totalCost: 0.1, merchandiseDescription: '深蓝色秋裤' })
   * ```
   */
  payWithWechat(options: WechatPayOptions, callOptions?: CallOptions): Promise<Response<CreatedOrder>>
  /**
   * Alipay: `data.payment_url` is the page to open.
   *
   * ```js
   * const { data } = await BaaS.payment.payWithAlipay({ gatewayType: 'alipay_page', totalCost: '15.50', merchandiseDescription: '图书' })
   * location.href = data.payment_url
   * ```
   */
  payWithAlipay(options: AlipayPayOptions, callOptions?: CallOptions): Promise<Response<CreatedOrder>>
  /**
   * QQ: `data.code_url` is drawn as a QR code.
   *
   * ```js
   * const { data } = await BaaS.payment.payWithQQ({ gatewayType: 'qpay_native', totalCost: 0.1, merchandiseDescription: '点券' })
   * ```
   */
  payWithQQ(options: QQPayOptions, callOptions?: CallOptions): Promise<Response<CreatedOrder>>
}

/**
 * Payment orders: list, detail and profit sharing.
 *
 * ```js
 * const order = new BaaS.Order()
 * const res = await order.offset(20).limit(20).orderBy('-created_at').getOrderList()
 * ```
 */
export declare class Order {
  constructor()
  /**
   * Skip `n` orders (a non-negative integer, else throws HError 605).
   *
   * ```js
   * const page3 = await new BaaS.Order().offset(40).limit(20).getOrderList()
   * ```
   */
  offset(n: number): this
  /**
   * At most `n` orders (a non-negative integer, else throws HError 605).
   *
   * ```js
   * const { data } = await new BaaS.Order().limit(10).getOrderList({ status: 'success' })
   * ```
   */
  limit(n: number): this
  /**
   * Sort key(s); `-` for descending, e.g. `'-created_at'`.
   *
   * ```js
   * const { data } = await new BaaS.Order().orderBy(['-created_at', 'id']).getOrderList()
   * ```
   */
  orderBy(keys: string | string[]): this
  /**
   * Only these fields of each order (sent as `keys`, as minapp-sdk does).
   *
   * ```js
   * const { data } = await new BaaS.Order().select(['trade_no', 'status', 'total_cost']).getOrderList()
   * ```
   */
  select(keys: string | string[]): this
  /**
   * Expand these pointer fields (sent as `expand`, as minapp-sdk does).
   *
   * ```js
   * const { data } = await new BaaS.Order().expand('created_by').getOrderList()
   * ```
   */
  expand(keys: string | string[]): this
  /**
   * Filter the list with a `BaaS.Query` (sent as `where`, as minapp-sdk does);
   * the query as it is now: later changes to it are not sent (while the wasm
   * loads: as it is when the list call runs).
   *
   * ```js
   * const res = await new BaaS.Order().setQuery(new BaaS.Query().compare('total_cost', '>=', 100)).getOrderList()
   * ```
   */
  setQuery(query: Query): this
  /**
   * The filtered list. Offset, limit, orderBy, select, expand and the query reset afterwards.
   *
   * ```js
   * const res = await new BaaS.Order().getOrderList({ gateway_type: 'weixin_tenpay' })
   * res.data.objects.forEach(o => console.log(o.trade_no, o.total_cost))
   * ```
   */
  getOrderList(params?: GetOrderListParams, options?: CallOptions): Promise<Response<OrderList>>
  /**
   * Every order from `offset` on, in the given order, fetched `limit` a page
   * (default 20) until the server has no next page. A failing page ends the
   * iteration with its HError; an answer that is not the list page asked for
   * (`objects` not an array, `meta.offset` another offset) is a 600 with the
   * answer as `e.data`. Give the offset with `.offset(n)`: an `offset` in
   * `params` is a 605 (`e.field` `'params.offset'`) before anything is sent.
   * Offset, limit and orderBy reset afterwards.
   *
   * ```js
   * for await (const o of new BaaS.Order().limit(100).orderBy('id').iterate({ status: 'success' })) {
   *   console.log(o.trade_no, o.total_cost)
   * }
   * ```
   */
  iterate(params?: GetOrderListParams, options?: CallOptions): AsyncIterableIterator<PaymentOrder>
  /**
   * One order by its transaction number.
   *
   * ```js
   * const { data } = await new BaaS.Order().get('v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw')
   * ```
   */
  get(transactionID: string, options?: CallOptions): Promise<Response<PaymentOrder>>
  /**
   * Waits until the order is paid: reads it every `interval` ms (one read at
   * a time) and resolves with `get`'s result once its `status` is `success`;
   * HError 608 when it is `failed`, 601 after `timeout` (the last order in
   * `e.data`), 600 with `aborted` when `signal` aborts. A 600/601 of one read
   * is read again at the next tick; any other HError ends the wait.
   *
   * ```js
   * const { data } = await new BaaS.Order().waitForPayment(transactionNo, { timeout: 120000 })
   * console.log(data.status, data.paid_at)
   * ```
   */
  waitForPayment(transactionID: string, options?: WaitForPaymentOptions): Promise<Response<PaymentOrder>>
  readonly wechatPay: {
    /**
     * Single WeChat profit sharing (closes the order to further sharing).
     *
     * ```js
     * await new BaaS.Order().wechatPay.profitSharing({ trade_no, appid,
     *   receivers: [{ type: 'MERCHANT_ID', account: '1900000109', amount: 10, description: '分账' }] })
     * ```
     */
    profitSharing(options: WechatProfitSharingOptions, callOptions?: CallOptions): Promise<Response<WechatProfitSharingResult>>
    /**
     * One of up to 20 WeChat sharings, together at most 30% of the order.
     *
     * ```js
     * await new BaaS.Order().wechatPay.multiProfitSharing({ trade_no, appid,
     *   receivers: [{ type: 'PERSONAL_OPENID', account: openid, amount: 10, description: '分账' }] })
     * ```
     */
    multiProfitSharing(options: WechatProfitSharingOptions, callOptions?: CallOptions): Promise<Response<WechatProfitSharingResult>>
  }
  readonly alipay: {
    /**
     * Alipay profit sharing, within the order amount.
     *
     * ```js
     * await new BaaS.Order().alipay.profitSharing({ trade_no,
     *   receivers: [{ type: 'userId', account: '2088101126765726', amount: 10, description: '分账' }] })
     * ```
     */
    profitSharing(options: AlipayProfitSharingOptions, callOptions?: CallOptions): Promise<Response<AlipayProfitSharingResult>>
  }
}

/**
 * The SDK namespace.
 *
 * ```js
 * import { BaaS } from 'baas-order'
 * await BaaS.init('your-client-id', { token })
 * const { data } = await new BaaS.Order().getOrderList({ status: 'success' })
 * ```
 */
export interface BaaSNamespace {
  /**
   * Loads the wasm (once) and configures. It need not be awaited (as with
   * minapp-sdk): every call, `init`, `setToken` and `clearToken` takes effect
   * in the order made, against the configuration in force when it was made,
   * whether the wasm is loaded yet or not (calls made while it loads wait
   * for it). A refused init clears the token at once (the host stays); with
   * no init accepted yet, calls reject with the HError of the refused init
   * or the failed load. A `setToken` refused while the wasm loads cannot
   * throw: the calls after it reject with its 605 until an `init`,
   * `setToken` or `clearToken` succeeds. Before any `init`, the
   * Promise calls reject and `setToken`, `clearToken`, `offset`, `limit`,
   * `orderBy` throw HError 602. While it loads, a refused `offset` / `limit` /
   * `orderBy` / `select` / `expand` / `setQuery` value, or a refused
   * `BaaS.Query` call (recorded until the wasm is there, also before any
   * `init`), rejects the list call instead of throwing.
   *
   * ```js
   * await BaaS.init('your-client-id', { host: 'http://127.0.0.1:8787', timeout: 5000 })
   * ```
   */
  init(clientID: string, options?: InitOptions): Promise<void>
  /**
   * Uses this token from now on.
   *
   * ```js
   * BaaS.setToken('token-from-your-login')
   * ```
   */
  setToken(token: string): void
  /**
   * Forgets the token (the one minapp-sdk stored at login is used again, if any).
   *
   * ```js
   * BaaS.clearToken()
   * ```
   */
  clearToken(): void
  /**
   * Refunds an order. Sent once and never retried by the SDK; after a 600/601
   * (or a 5xx) the outcome is unknown: check the order before trying again.
   *
   * ```js
   * const { data } = await BaaS.refund({ order_id: 29973, refund_amount: 1.5, memo: '测试退款' })
   * if (data.status === 'failed') console.log(data.error_msg)
   * ```
   */
  refund(data: RefundParams, options?: CallOptions): Promise<Response<RefundResult>>
  /**
   * Web and Node payments (as minapp-sdk's `BaaS.payment`).
   *
   * ```js
   * const { data } = await BaaS.payment.payWithQQ({ gatewayType: 'qpay_native', totalCost: 0.1, merchandiseDescription: '深蓝色秋裤' })
   * ```
   */
  payment: Payment
  /**
   * Mini-programs: creates the order (`weixin_tenpay` in WeChat, `alipay` in
   * Alipay) and pays it with `wx.requestPayment` / `my.tradePay`.
   * `onCreated({ transaction_no, trade_no })` runs before the payment sheet.
   * WeChat: 607 cancelled, 608 failed (WeChat's `errMsg`). Alipay: resultCode
   * 9000 and 8000 resolve, 6001 is 607, others 608, with `e.resultCode`
   * (minapp-sdk puts it in `e.code`). Every error after the create has the
   * order's keys in `e.data`. 611 outside mini-programs.
   *
   * ```js
   * const res = await wx.BaaS.pay({ totalCost: 0.1, merchandiseDescription: '深蓝色秋裤' }, o => console.log(o.trade_no))
   * if (res.errMsg == 'requestPayment:ok') console.log('paid, pending the server\'s word')
   * ```
   */
  pay(params: MiniProgramPayParams, onCreated?: (order: { transaction_no: string; trade_no: string }) => void, callOptions?: CallOptions): Promise<MiniProgramPayResult>
  /**
   * minapp-sdk's older form of `new BaaS.Order().get(transactionID)`.
   *
   * ```js
   * const { data } = await BaaS.order({ transactionID: 'v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw' })
   * ```
   */
  order(params: { transactionID: string }, callOptions?: CallOptions): Promise<Response<PaymentOrder>>
  /**
   * minapp-sdk's top-level order list: exactly `params` as the query (no
   * default limit, offset or where, as minapp-sdk sends it).
   *
   * ```js
   * const { data } = await BaaS.getOrderList({ status: 'success', limit: 10 })
   * ```
   */
  getOrderList(params?: GetOrderListParams & { limit?: number; offset?: number; order_by?: string }, callOptions?: CallOptions): Promise<Response<OrderList>>
  Order: typeof Order
  Query: QueryConstructor
  HError: typeof HError
  /** The WeChat profit-sharing lifecycle: receivers, sharing orders, finish, return. */
  wechat: { profitSharing: WechatProfitSharing }
  /** The Alipay profit-sharing lifecycle: receivers, receiver query, sharing orders. */
  alipay: { profitSharing: AlipayProfitSharing }
}

export declare const BaaS: BaaSNamespace
export default BaaS
