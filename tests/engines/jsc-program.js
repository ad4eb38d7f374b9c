// The program jsc runs after jsc-runtime.js (same script): the mini-program
// build, required as the platform requires it, then the seed's examples
// verbatim (as miniprogram-sim.mjs's runSeed does), a multi sharing, a get,
// a 605, a 404, a refund with CJK and astral text and `iterate`. Prints one
// RESULT line; jsc.test.mjs asserts on it.
;(function (cfg, rt) {
  'use strict'
  var settle = function (p) {
    return Promise.resolve(p).then(function (value) { return { value: value } }, function (error) { return { error: error } })
  }
  var summary = function (BaaS, r) {
    return r.value
      ? { status: r.value.status, data: r.value.data }
      : { code: r.error && r.error.code, message: String(r.error && r.error.message), field: r.error && r.error.field, isHError: r.error instanceof BaaS.HError }
  }
  var recordingBaaS = new Function('return (' + cfg.recordingBaaS + ')')()
  var runBlocks = new Function('return (' + cfg.runBlocks + ')')()
  var out = {}
  var BaaS
  async function main() {
    BaaS = rt.require(cfg.module).BaaS
    await BaaS.init(cfg.clientID, { host: cfg.emulator })
    var rec = recordingBaaS(BaaS)
    var groups = ['listBlocks', 'refundBlocks', 'sharingBlocks']
    for (var i = 0; i < groups.length; i++) {
      var results = await runBlocks(rec, cfg.blocks[groups[i]])
      out[groups[i]] = results.map(function (r) {
        return r.calls.map(function (c) { return { name: c.name, result: summary(BaaS, c.result) } })
      })
    }
    var order = new BaaS.Order()
    out.share = summary(BaaS, await settle(order.wechatPay.multiProfitSharing({
      trade_no: cfg.fixtures.wxShare2,
      appid: cfg.fixtures.appid,
      receivers: [{ type: 'PERSONAL_OPENID', account: cfg.fixtures.wechatOpenid, amount: 10, description: '\u5206\u8d26' }],
    })))
    out.get = summary(BaaS, await settle(order.get(cfg.fixtures.transactionNo)))
    var r605
    try {
      r605 = await settle(BaaS.refund({ memo: 'x' }))
    } catch (e) {
      r605 = { error: e }
    }
    out.e605 = summary(BaaS, r605)
    out.e404 = summary(BaaS, await settle(new BaaS.Order().get('no-such-transaction-0000000000000')))
    out.refundText = summary(BaaS, await settle(BaaS.refund({ trade_no: cfg.fixtures.tradeNo, refund_amount: 0.5, memo: cfg.text })))
    var ids = []
    for await (var o of new BaaS.Order().limit(60).iterate()) ids.push(o.id)
    out.iterate = { count: ids.length, unique: new Set(ids).size }
    return out
  }
  main().then(rt.done, rt.failed)
})(__CFG, __rt)
