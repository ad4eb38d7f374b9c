// Runs in the browser under test (Firefox, WebKit): the packed package,
// imported from /pkg/index.js as an app imports it, against the emulator on
// another origin. Each case answers a plain JSON summary of what the package
// did; the Node side (browsers.mjs) asserts on it, so an assertion failure
// names the engine and the case. Nothing here decides pass or fail.

/** What a settled call became: its status and data, or the HError's fields. */
function summary(BaaS, r) {
  if ('value' in r) return { status: r.value.status, data: r.value.data }
  const e = r.error
  return {
    code: e && e.code,
    message: e && String(e.message),
    name: e && e.name,
    field: e && e.field,
    aborted: e && e.aborted,
    isHError: e instanceof BaaS.HError,
    isError: e instanceof Error,
  }
}

const settle = p => Promise.resolve(p).then(value => ({ value }), error => ({ error }))
/** A sharing call with one receiver, summarised (`appid` only for WeChat). */
const share = async (BaaS, call, trade_no, receiver, appid) =>
  summary(BaaS, await settle(call({ trade_no, ...(appid && { appid }), receivers: [receiver] })))
/** A call that may throw synchronously (a 605 is thrown before any request). */
const attempt = fn => {
  try {
    return settle(fn())
  } catch (error) {
    return Promise.resolve({ error, sync: true })
  }
}

/**
 * cfg: { emulator, clientID, token, blocks: { listBlocks, refundBlocks, sharingBlocks },
 * recordingBaaS, runBlocks (the source of seed.mjs's two helpers), text, fixtures }.
 */
export async function run(cfg) {
  const out = { cases: {}, errors: [] }
  const { BaaS } = await import('/pkg/index.js')
  const recordingBaaS = new Function(`return (${cfg.recordingBaaS})`)()
  const runBlocks = new Function(`return (${cfg.runBlocks})`)()
  const F = cfg.fixtures
  const cases = {
    async init() {
      const t = performance.now()
      await BaaS.init(cfg.clientID, { host: cfg.emulator, token: cfg.token })
      return { ms: performance.now() - t }
    },
    // The seed document's examples verbatim, then a real WeChat multi sharing and one `get`
    // (what miniprogram-sim.mjs's runSeed does, so assertSeedRun checks both).
    async seed() {
      const rec = recordingBaaS(BaaS)
      const res = {}
      for (const group of ['listBlocks', 'refundBlocks', 'sharingBlocks']) {
        const results = await runBlocks(rec, cfg.blocks[group])
        res[group] = results.map(r => r.calls.map(c => ({ name: c.name, result: summary(BaaS, c.result) })))
      }
      const order = new BaaS.Order()
      res.share = await share(
        BaaS,
        order.wechatPay.multiProfitSharing,
        F.wxShare2,
        { type: 'PERSONAL_OPENID', account: F.wechatOpenid, amount: 10, description: '分账' },
        F.appid,
      )
      res.get = summary(BaaS, await settle(order.get(F.transactionNo)))
      return res
    },
    // A single WeChat sharing of a partial amount, then the Alipay one.
    async sharing() {
      const order = new BaaS.Order()
      const wechat = await share(
        BaaS,
        order.wechatPay.profitSharing,
        F.wxShare1,
        { type: 'MERCHANT_ID', account: F.wechatMerchant, amount: 25, description: '分给张三 🧧' },
        F.appid,
      )
      const alipay = await share(
        BaaS,
        order.alipay.profitSharing,
        F.aliShare,
        { type: 'userId', account: F.alipayUserId, amount: 12, description: '分账 𠮷' },
      )
      return { wechat, alipay }
    },
    // CJK and astral text through the glue's UTF-8 both ways: the memo goes out in the
    // request body and comes back in the reply.
    async refundText() {
      return summary(BaaS, await settle(BaaS.refund({ trade_no: F.tradeNo, refund_amount: 0.5, memo: cfg.text })))
    },
    async hError605() {
      const limit = await attempt(() => new BaaS.Order().limit(-1))
      const refund = await attempt(() => BaaS.refund({ memo: 'x' }))
      return { limit: { sync: !!limit.sync, ...summary(BaaS, limit) }, refund: { sync: !!refund.sync, ...summary(BaaS, refund) } }
    },
    async hError404() {
      return summary(BaaS, await settle(new BaaS.Order().get('no-such-transaction-0000000000000')))
    },
    async query() {
      const q = new BaaS.Query().compare('status', '=', 'success').in('gateway_type', ['alipay'])
      const both = await settle(new BaaS.Order().setQuery(q).limit(1000).getOrderList())
      const either = await settle(
        new BaaS.Order()
          .setQuery(BaaS.Query.or(new BaaS.Query().compare('trade_no', '=', F.tradeNo), new BaaS.Query().compare('transaction_no', '=', F.transactionNo)))
          .getOrderList(),
      )
      const pick = r => (r.value ? { count: r.value.data.objects.length, total: r.value.data.meta.total_count, rows: r.value.data.objects.map(o => [o.status, o.gateway_type, o.trade_no, o.transaction_no]) } : summary(BaaS, r))
      return { both: pick(both), either: pick(either) }
    },
    async aborted() {
      const ctl = new AbortController()
      const reason = new Error('the user left the page')
      ctl.abort(reason)
      const r = await settle(new BaaS.Order().getOrderList({}, { signal: ctl.signal }))
      // Aborted while the request is in flight: ends at once, not when the answer comes.
      const late = new AbortController()
      const pending = settle(new BaaS.Order().limit(5).getOrderList({}, { signal: late.signal }))
      late.abort()
      const l = await pending
      return { before: { ...summary(BaaS, r), causeIsReason: r.error && r.error.cause === reason }, inFlight: summary(BaaS, l) }
    },
    async iterate() {
      const ids = []
      for await (const o of new BaaS.Order().limit(37).iterate()) ids.push(o.id)
      const first = await new BaaS.Order().limit(1).getOrderList()
      return { count: ids.length, unique: new Set(ids).size, total: first.data.meta.total_count }
    },
    // Last: points the SDK at a port nothing listens on. The engines word the failure differently.
    async network() {
      await BaaS.init(cfg.clientID, { host: cfg.deadHost, token: cfg.token })
      return summary(BaaS, await settle(new BaaS.Order().limit(1).getOrderList()))
    },
  }
  for (const [name, fn] of Object.entries(cases)) {
    try {
      out.cases[name] = { value: await fn() }
    } catch (e) {
      out.cases[name] = { threw: `${e && e.name}: ${e && e.message}`, stack: String(e && e.stack) }
    }
  }
  return out
}
