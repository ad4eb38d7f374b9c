// The operator console of baas-order: lists, filters and pages payment
// orders, shows one order, refunds it and shares its profit, all through
// the SDK exactly as an app would use it.
import { BaaS } from 'baas-order'
import { $, GATEWAY, STATUS, REFUND, RECEIVERS, DETAIL_FIELDS, beijingTime, dayBound, isoTime, money, numberOrText, el, describeError, showBox, showError, hideBox, resultDetails } from './view.js'
import { showSharing, resetSharing, wireSharing } from './sharing.js'
import { wirePayment } from './pay.js'

// ---- list ---------------------------------------------------------------

const filterForm = $('filter-form')
const state = { offset: 0, limit: 20, total: 0, listSeq: 0, detailSeq: 0, current: null, order: null, ready: false }

function filterParams() {
  const f = filterForm.elements
  const params = {}
  for (const name of ['gateway_type', 'status', 'refund_status']) if (f[name].value) params[name] = f[name].value
  const text = f.search.value.trim()
  if (text) {
    const field = f.search_field.value
    params[field] = field === 'id' ? numberOrText(text) : text
  }
  const gte = dayBound(f.paid_from.value, false)
  const lte = dayBound(f.paid_to.value, true)
  if (gte !== undefined) params.paid_at__gte = gte
  if (lte !== undefined) params.paid_at__lte = lte
  return params
}

function setListBusy(busy) {
  const panel = $('list-panel')
  panel.setAttribute('aria-busy', String(busy))
  if (busy) panel.dataset.state = 'loading'
  $('list-loading').hidden = !busy
  for (const id of ['search-button', 'reset-button', 'list-retry']) $(id).disabled = busy
  updatePager(busy)
}

function updatePager(busy) {
  const page = Math.floor(state.offset / state.limit) + 1
  $('prev-page').disabled = busy || state.offset <= 0
  $('next-page').disabled = busy || state.offset + state.limit >= state.total
  if (!busy && state.ready) {
    const pages = Math.max(1, Math.ceil(state.total / state.limit))
    $('page-label').textContent = `第 ${page} 页 / 共 ${state.total} 条`
    $('page-label').title = `共 ${pages} 页`
  }
}

async function loadList() {
  const seq = ++state.listSeq
  setListBusy(true)
  $('list-error').hidden = true
  try {
    const query = new BaaS.Order().offset(state.offset).limit(state.limit)
    const orderBy = filterForm.elements.order_by.value
    if (orderBy) query.orderBy(orderBy)
    const res = await query.getOrderList(filterParams())
    if (seq !== state.listSeq) return
    const { meta, objects } = res.data
    state.total = Number(meta.total_count) || 0
    // The list shrank under us (e.g. after a refund changed a filtered field): go to the last page.
    if (objects.length === 0 && state.offset > 0 && state.total > 0) {
      state.offset = Math.floor((state.total - 1) / state.limit) * state.limit
      return loadList()
    }
    state.ready = true
    renderRows(objects)
    $('list-panel').dataset.state = objects.length ? 'ready' : 'empty'
  } catch (e) {
    if (seq !== state.listSeq) return
    state.total = 0
    state.ready = false
    renderRows([])
    $('list-empty').hidden = true
    $('page-label').textContent = '—'
    const d = describeError(e)
    $('list-error-text').replaceChildren(
      el('strong', {}, `订单列表加载失败 · ${d.code === null ? d.title : `错误 ${d.code} · ${d.title}`}`), ' ',
      el('span', { class: 'msg' }, d.text))
    $('list-error').dataset.code = d.code === null ? '' : String(d.code)
    $('list-error').hidden = false
    $('list-panel').dataset.state = 'error'
  } finally {
    if (seq === state.listSeq) setListBusy(false)
  }
}

function renderRows(objects) {
  const rows = objects.map(o => {
    const tr = el('tr', {
      testid: 'order-row',
      tabindex: '0',
      'data-id': o.id,
      'data-transaction-no': o.transaction_no,
      class: state.current === o.transaction_no ? 'selected' : undefined,
    },
    el('td', { class: 'num', testid: 'cell-id' }, String(o.id)),
    el('td', { class: 'mono', testid: 'cell-trade-no' }, o.trade_no || '—'),
    el('td', { class: 'mono', testid: 'cell-transaction-no' }, o.transaction_no || '—'),
    el('td', { testid: 'cell-gateway' }, el('span', { class: `tag ${o.gateway_type}` }, GATEWAY[o.gateway_type] || o.gateway_type)),
    el('td', { testid: 'cell-status' }, el('span', { class: `tag ${o.status}` }, STATUS[o.status] || o.status)),
    el('td', { class: 'num', testid: 'cell-total' }, money(o.total_cost)),
    el('td', { class: 'num', testid: 'cell-refund-amount' }, money(o.refund_amount)),
    el('td', { testid: 'cell-refund-status' },
      o.refund_status ? el('span', { class: `tag refund-${o.refund_status}` }, REFUND[o.refund_status] || o.refund_status) : el('span', { class: 'muted' }, '—')),
    el('td', { testid: 'cell-paid-at' }, beijingTime(o.paid_at)))
    tr.addEventListener('click', () => openDetail(o.transaction_no))
    tr.addEventListener('keydown', ev => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault()
        openDetail(o.transaction_no)
      }
    })
    return tr
  })
  $('order-rows').replaceChildren(...rows)
  $('list-empty').hidden = objects.length > 0
}

function reloadFromFirstPage() {
  state.offset = 0
  loadList()
}

// ---- detail -------------------------------------------------------------

function openDrawer() {
  $('detail').hidden = false
  $('detail-overlay').hidden = false
}

function closeDetail() {
  state.current = null
  state.order = null
  state.detailSeq++
  $('detail').hidden = true
  $('detail-overlay').hidden = true
  $('detail').dataset.state = 'closed'
  for (const tr of document.querySelectorAll('[data-testid="order-row"].selected')) tr.classList.remove('selected')
}

async function openDetail(transactionNo, { refresh = false } = {}) {
  const seq = ++state.detailSeq
  const detail = $('detail')
  if (!refresh) {
    state.current = transactionNo
    for (const tr of document.querySelectorAll('[data-testid="order-row"]')) {
      tr.classList.toggle('selected', tr.dataset.transactionNo === transactionNo)
    }
    for (const id of ['refund-result', 'wx-result', 'ali-result']) hideBox($(id))
    if (!state.order || state.order.transaction_no !== transactionNo) {
      $('detail-fields').replaceChildren()
      $('detail-extra').textContent = ''
      for (const id of ['refund-form', 'wechat-share-form', 'alipay-share-form', 'sharing-history', 'return-form', 'finish-form']) $(id).hidden = true
    }
  }
  $('detail-title').textContent = transactionNo
  openDrawer()
  detail.dataset.state = 'loading'
  $('detail-loading').hidden = false
  hideBox($('detail-error'))
  try {
    const res = await new BaaS.Order().get(transactionNo)
    if (seq !== state.detailSeq) return
    renderDetail(res.data)
    detail.dataset.state = 'ready'
  } catch (e) {
    if (seq !== state.detailSeq) return
    showError($('detail-error'), e)
    detail.dataset.state = 'error'
  } finally {
    if (seq === state.detailSeq) $('detail-loading').hidden = true
  }
}

function detailValue(key, v) {
  switch (key) {
    case 'gateway_type': return `${GATEWAY[v] || v}（${v}）`
    case 'status': return `${STATUS[v] || v}（${v}）`
    case 'refund_status': return v ? `${REFUND[v] || v}（${v}）` : '未退款'
    case 'total_cost':
    case 'refund_amount': return v === undefined || v === null ? '—' : `¥ ${v}`
    case 'paid_at': return v === null || v === undefined ? '未支付' : `${beijingTime(v)}（${v}）`
    case 'created_at':
    case 'updated_at': return isoTime(v)
    case 'profit_sharing': return v === true ? '是' : v === false ? '否' : '—'
    default:
      if (v === null || v === undefined || v === '') return '—'
      return typeof v === 'object' ? JSON.stringify(v) : String(v)
  }
}

function setNote(note, text) {
  note.textContent = text
  note.hidden = !text
}

function renderDetail(order) {
  const previous = state.order
  state.order = order
  const known = new Set(DETAIL_FIELDS.map(([k]) => k).concat('gateway_extra_info'))
  const fields = DETAIL_FIELDS.filter(([k]) => k in order)
    .concat(Object.keys(order).filter(k => !known.has(k)).map(k => [k, k]))
  $('detail-fields').replaceChildren(...fields.flatMap(([k, label]) => [
    el('dt', {}, label),
    el('dd', { testid: `detail-${k.replace(/_/g, '-')}`, class: /_no$/.test(k) ? 'mono' : undefined }, detailValue(k, order[k])),
  ]))

  const extra = order.gateway_extra_info
  let extraText
  if (extra === null || extra === undefined || extra === '') extraText = '（无）'
  else if (typeof extra === 'object') extraText = JSON.stringify(extra, null, 2)
  else extraText = String(extra)
  $('detail-extra').textContent = extraText

  // Prefill the forms when another order is shown; keep what the operator typed otherwise.
  const fresh = !previous || previous.id !== order.id
  const isWechat = /^weixin_tenpay/.test(order.gateway_type)
  const isAlipay = /^alipay/.test(order.gateway_type)
  $('refund-form').hidden = false
  $('wechat-share-form').hidden = !isWechat
  $('alipay-share-form').hidden = !isAlipay
  $('refund-order-id').value = String(order.id)
  setNote($('refund-note'), order.status !== 'success' ? '订单尚未支付，不能退款。'
    : order.refund_status === 'complete' ? '订单已全额退款。' : '')
  setNote($('wx-note'), isWechat && order.profit_sharing !== true
    ? '此订单创建时未开启分账（profit_sharing 不为 true），微信会拒绝分账请求。' : '')
  showSharing(order)
  if (fresh) {
    $('refund-amount').value = ''
    $('refund-memo').value = ''
    // Paid: wechat_response.appid; unpaid: the appId inside the payment parameters string.
    const appid = extra && typeof extra === 'object' && extra.wechat_response ? extra.wechat_response.appid
      : typeof extra === 'string' ? (/'appId':\s*'([^']+)'/.exec(extra) || [])[1] : ''
    const wx = $('wechat-share-form').elements
    wx.mode.value = 'multi'
    wx.trade_no.value = order.trade_no || ''
    wx.appid.value = appid || ''
    resetSharing(appid || '')
    wx.type.value = 'MERCHANT_ID'
    wx.account.value = RECEIVERS.wechat.MERCHANT_ID
    wx.amount.value = '100'
    wx.description.value = '合作方分成'
    const ali = $('alipay-share-form').elements
    ali.trade_no.value = order.trade_no || ''
    ali.type.value = 'userId'
    ali.account.value = RECEIVERS.alipay.userId
    ali.amount.value = '100'
    ali.description.value = '合作方分成'
  }
}

// ---- actions (refund, profit sharing) -----------------------------------

const ACTION_BUTTONS = ['refund-submit', 'wx-submit', 'ali-submit', 'return-submit', 'finish-submit']

/** Runs one money-moving call: buttons off, one attempt, result in `box`, then fresh data. */
async function runAction(button, box, call, onSuccess) {
  if (!state.order) return
  const transactionNo = state.order.transaction_no
  const label = button.textContent
  $('detail').dataset.action = 'running'
  for (const id of ACTION_BUTTONS) $(id).disabled = true
  button.textContent = '提交中…'
  button.classList.add('busy')
  hideBox(box)
  box.hidden = false
  box.className = 'banner info'
  box.dataset.kind = 'pending'
  box.replaceChildren(el('span', { class: 'spinner' }), '处理中，请勿重复提交…')
  try {
    let changed = false
    try {
      const res = await call()
      changed = onSuccess(res) !== false
    } catch (e) {
      showError(box, e)
    }
    box.scrollIntoView({ block: 'nearest' })
    // Show what changed (refund_status, refund_amount) in the detail and the list.
    if (changed && state.current === transactionNo) {
      await Promise.all([openDetail(transactionNo, { refresh: true }), loadList()])
    }
  } finally {
    for (const id of ACTION_BUTTONS) $(id).disabled = false
    button.textContent = label
    button.classList.remove('busy')
    $('detail').dataset.action = 'idle'
  }
}

function receiverFrom(f) {
  return {
    type: f.type.value,
    account: f.account.value.trim(),
    amount: numberOrText(f.amount.value),
    description: f.description.value.trim(),
  }
}

function submitRefund(ev) {
  ev.preventDefault()
  const f = $('refund-form').elements
  const data = { order_id: state.order.id }
  if (f.refund_amount.value.trim() !== '') data.refund_amount = numberOrText(f.refund_amount.value)
  if (f.memo.value.trim() !== '') data.memo = f.memo.value.trim()
  const box = $('refund-result')
  runAction($('refund-submit'), box, () => BaaS.refund(data), res => {
    const r = res.data || {}
    if (r.status === 'failed') {
      showBox(box, 'error', '退款失败', r.error_msg || '服务器未说明原因', resultDetails(r))
      return false
    }
    showBox(box, 'success', '退款成功',
      `退款金额 ¥ ${r.refund_amount}，退款单号 ${r.refund_no || '—'}${r.memo ? `，备注：${r.memo}` : ''}`,
      resultDetails(r))
    $('refund-amount').value = ''
    return true
  })
}

function submitWechatShare(ev) {
  ev.preventDefault()
  const f = $('wechat-share-form').elements
  const options = { trade_no: f.trade_no.value.trim(), appid: f.appid.value.trim(), receivers: [receiverFrom(f)] }
  const single = f.mode.value === 'single'
  const order = new BaaS.Order()
  const box = $('wx-result')
  runAction($('wx-submit'), box,
    () => (single ? order.wechatPay.profitSharing(options) : order.wechatPay.multiProfitSharing(options)),
    res => {
      const r = res.data || {}
      showBox(box, 'success', single ? '单次分账成功' : '多次分账成功',
        `return_code ${r.return_code}，微信分账单号 ${r.wechat_order_no || '—'}，商户号 ${r.mch_id || '—'}`,
        resultDetails(r))
    })
}

function submitAlipayShare(ev) {
  ev.preventDefault()
  const f = $('alipay-share-form').elements
  const options = { trade_no: f.trade_no.value.trim(), receivers: [receiverFrom(f)] }
  const box = $('ali-result')
  runAction($('ali-submit'), box, () => new BaaS.Order().alipay.profitSharing(options), res => {
    const r = res.data || {}
    showBox(box, 'success', '支付宝分账成功', `return_code ${r.return_code}，订单号 ${r.trade_no || '—'}`, resultDetails(r))
  })
}

/** Picking another receiver type puts its demo account in, unless one was typed. */
function followType(form, accounts) {
  const f = form.elements
  f.type.addEventListener('change', () => {
    const current = f.account.value.trim()
    if (current === '' || Object.values(accounts).includes(current)) f.account.value = accounts[f.type.value] || ''
  })
}

// ---- wiring -------------------------------------------------------------

function wire() {
  filterForm.addEventListener('submit', ev => {
    ev.preventDefault()
    reloadFromFirstPage()
  })
  for (const name of ['gateway_type', 'status', 'refund_status', 'order_by', 'paid_from', 'paid_to', 'search_field']) {
    filterForm.elements[name].addEventListener('change', () => {
      if (name === 'search_field' && !filterForm.elements.search.value.trim()) return
      reloadFromFirstPage()
    })
  }
  // The clear (×) of the search box.
  filterForm.elements.search.addEventListener('search', () => {
    if (!filterForm.elements.search.value) reloadFromFirstPage()
  })
  $('reset-button').addEventListener('click', () => {
    filterForm.reset()
    reloadFromFirstPage()
  })
  $('page-size').addEventListener('change', ev => {
    state.limit = Number(ev.target.value) || 20
    reloadFromFirstPage()
  })
  $('prev-page').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - state.limit)
    loadList()
  })
  $('next-page').addEventListener('click', () => {
    state.offset += state.limit
    loadList()
  })
  $('list-retry').addEventListener('click', () => loadList())
  $('detail-close').addEventListener('click', closeDetail)
  $('detail-overlay').addEventListener('click', closeDetail)
  document.addEventListener('keydown', ev => {
    if (ev.key === 'Escape' && !$('detail').hidden) closeDetail()
  })
  $('refund-form').addEventListener('submit', submitRefund)
  $('wechat-share-form').addEventListener('submit', submitWechatShare)
  $('alipay-share-form').addEventListener('submit', submitAlipayShare)
  followType($('wechat-share-form'), RECEIVERS.wechat)
  followType($('alipay-share-form'), RECEIVERS.alipay)
  wireSharing(runAction, () => state.order)
}

async function main() {
  wire()
  setListBusy(true)
  const conn = $('connection')
  try {
    const res = await fetch('/config.json', { cache: 'no-store' })
    if (!res.ok) throw new Error(`/config.json 返回 HTTP ${res.status}`)
    const config = await res.json()
    await BaaS.init(config.clientID, { host: config.emulator, token: config.token })
    wirePayment({ user: config.userToken, admin: config.token }, openDetail, () => loadList())
    conn.dataset.state = 'ok'
    $('connection-text').textContent = `已连接 ${config.emulator}`
    conn.title = `Client ID: ${config.clientID}`
  } catch (e) {
    setListBusy(false)
    conn.dataset.state = 'error'
    $('connection-text').textContent = '未连接'
    const box = $('init-error')
    showError(box, e)
    box.querySelector('strong').textContent = `无法初始化 SDK · ${box.querySelector('strong').textContent}`
    $('list-panel').dataset.state = 'error'
    return
  }
  await loadList()
}

main()
