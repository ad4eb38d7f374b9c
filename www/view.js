// The operator console's labels, formatting and error display: plain
// functions with no state, used by app.js.
import { BaaS } from 'baas-order'

export const $ = id => document.querySelector(`[data-testid="${id}"]`)

// ---- labels -------------------------------------------------------------

export const GATEWAY = {
  weixin_tenpay: '微信支付', alipay: '支付宝',
  weixin_tenpay_native: '微信扫码', weixin_tenpay_wap: '微信 H5', weixin_tenpay_js: '微信 JSAPI',
  alipay_page: '支付宝网站', alipay_wap: '支付宝 H5', qpay_native: 'QQ 扫码',
}
export const STATUS = { success: '已支付', pending: '待支付', failed: '支付失败' }
export const REFUND = { partial: '部分退款', complete: '全额退款' }

export const CODE_LABEL = {
  600: '网络错误',
  601: '请求超时',
  602: 'SDK 未初始化',
  605: '参数错误',
  611: '当前环境不支持',
  400: '请求被拒绝',
  401: '未登录或凭证无效',
  403: '没有权限',
  404: '未找到',
}

// Field names an error message may mention, with their label on this page.
export const FIELD_LABEL = {
  refund_amount: '退款金额',
  order_id: '订单 ID',
  transaction_no: '支付流水号',
  trade_no: '订单号',
  memo: '备注',
  appid: '公众账号 appid',
  receivers: '分账接收方',
  account: '接收方账户',
  amount: '分账金额',
  description: '分账描述',
  type: '接收方类型',
  offset: '页码',
  limit: '每页条数',
  order_by: '排序',
  refund_no: '回退单号',
  request_no: '请求号',
  relation_type: '关系类型',
  custom_relation: '自定义关系',
  name: '接收方全称',
  mch_id: '商户号',
}

// Sharing orders (the profit-sharing lifecycle).
export const ORDER_TYPE = { profit_sharing: '单次分账', multi_profit_sharing: '多次分账', finish: '完结分账' }
export const SHARING_STATUS = { accepted: '受理成功', processing: '处理中', finished: '处理完成', closed: '已关单' }

// The demo receivers registered in the emulator (and a sensible default).
export const RECEIVERS = {
  wechat: { MERCHANT_ID: '1900000109', PERSONAL_OPENID: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  alipay: { userId: '2088101126765726', loginName: 'receiver@example.com' },
}

// Order detail fields in display order, with labels.
export const DETAIL_FIELDS = [
  ['id', '订单 ID'],
  ['trade_no', '订单号 trade_no'],
  ['transaction_no', '支付流水号 transaction_no'],
  ['gateway_type', '支付方式'],
  ['status', '订单状态'],
  ['total_cost', '金额'],
  ['refund_amount', '已退款'],
  ['refund_status', '退款状态'],
  ['profit_sharing', '支持分账'],
  ['paid_at', '支付时间'],
  ['created_at', '创建时间'],
  ['updated_at', '更新时间'],
  ['created_by_id', '创建者 ID'],
  ['created_by_name', '创建者'],
  ['merchandise_description', '商品描述'],
  ['merchandise_record_id', '商品记录 ID'],
  ['merchandise_schema_id', '商品表 ID'],
  ['merchandise_snapshot', '商品快照'],
  ['ip_address', 'IP 地址'],
]

// ---- formatting ---------------------------------------------------------

export const pad = n => String(n).padStart(2, '0')

/** Unix seconds as Beijing time, `YYYY-MM-DD HH:mm:ss` (the server's zone). */
export function beijingTime(secs) {
  if (secs === null || secs === undefined || secs === '') return '—'
  const d = new Date((Number(secs) + 8 * 3600) * 1000)
  if (Number.isNaN(d.getTime())) return String(secs)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

/** A `YYYY-MM-DD` date input as unix seconds at the start or end of that Beijing day. */
export function dayBound(value, end) {
  if (!value) return undefined
  const ms = Date.parse(`${value}T${end ? '23:59:59' : '00:00:00'}+08:00`)
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000)
}

/** ISO timestamps from the server are Beijing time without a zone: show them plainly. */
export const isoTime = s => (typeof s === 'string' ? s.replace('T', ' ').replace(/\.\d+$/, '') : s == null ? '—' : String(s))

export const money = v => (v === undefined || v === null || v === '' ? '—' : String(v))

/** A form value as a number when it is one, else as typed (the SDK names what is wrong). */
export function numberOrText(raw) {
  const t = String(raw).trim()
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : t
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue
    if (k === 'class') e.className = v
    else if (k === 'testid') e.dataset.testid = v
    else e.setAttribute(k, v === true ? '' : v)
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c)
  return e
}

// ---- errors and results -------------------------------------------------

/** An error in plain words: `{ code, title, text }`. */
export function describeError(e) {
  if (e instanceof BaaS.HError) {
    const code = e.code
    let text = String(e.message || '')
    if (text.startsWith(`${code}: `)) text = text.slice(`${code}: `.length)
    const body = e.data && typeof e.data === 'object' ? e.data : null
    const serverMsg = body && (body.error_msg || body.message)
    if (serverMsg && !text.includes(serverMsg)) text = text ? `${text}（服务器：${serverMsg}）` : serverMsg
    let title = CODE_LABEL[code] || (code >= 500 ? '服务器错误' : '请求失败')
    if (code === 605) {
      // "receivers[0].account: must be ..." names the field path first.
      const path = /^([A-Za-z_][\w.[\]]*):/.exec(text)
      const leaf = path ? path[1].split('.').pop().replace(/\[\d+\]$/, '') : null
      const field = leaf && FIELD_LABEL[leaf] ? leaf
        : Object.keys(FIELD_LABEL).find(k => new RegExp(`(^|[^a-z_])${k}([^a-z_]|$)`).test(text))
      if (field) title += `：${FIELD_LABEL[field]}（${path ? path[1] : field}）`
    }
    return { code, title, text: text || '未知错误' }
  }
  const text = e && e.message ? e.message : String(e)
  return { code: null, title: '意外错误', text }
}

export function showBox(box, kind, title, text, extra) {
  box.hidden = false
  box.className = `banner ${kind}`
  box.dataset.kind = kind
  box.replaceChildren(el('strong', {}, title), ' ', el('span', { class: 'msg' }, text))
  if (extra) box.append(extra)
}

export function showError(box, e) {
  const d = describeError(e)
  showBox(box, 'error', d.code === null ? d.title : `错误 ${d.code} · ${d.title}`, d.text)
  box.dataset.code = d.code === null ? '' : String(d.code)
}

/** A reply body, shown under a result. */
export function resultDetails(data) {
  return el('pre', { class: 'json small', testid: 'result-json' }, JSON.stringify(data, null, 2))
}

export function hideBox(box) {
  box.hidden = true
  box.replaceChildren()
  delete box.dataset.kind
  delete box.dataset.code
}
