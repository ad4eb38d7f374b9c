// The API document (a byte-identical copy of the seed) and its examples, for
// the tests that run them verbatim: seed-examples (Node, ESM) and
// miniprogram (a simulated WeChat runtime).
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const SEED = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'seed', '000_dbc96373aefa2e43.txt')
const doc = fs.readFileSync(SEED, 'utf8')
export const lines = doc.split(/\r?\n/)

/**
 * The example blocks: each starts at `var order = new BaaS.Order()`,
 * `order.offset(`, `order.getOrderList(` or a `// 通过 ...` comment and ends at
 * the first line `})` after it.
 */
export function extractExamples() {
  const starts = [/^var order = new BaaS\.Order\(\)$/, /^order\.offset\(/, /^order\.getOrderList\(/, /^\/\/ 通过/]
  const blocks = []
  let cur = null
  for (const line of lines) {
    if (!cur && starts.some(re => re.test(line))) cur = []
    if (!cur) continue
    cur.push(line)
    if (line === '})') {
      blocks.push(cur.join('\n'))
      cur = null
    }
  }
  assert.equal(cur, null, 'every example block is closed')
  return blocks
}

/** The JSON reply examples: after each `成功时 res 对象结构如下`, up to the first line `}`. */
export function extractReplies() {
  const replies = []
  lines.forEach((line, i) => {
    if (line !== '成功时 res 对象结构如下') return
    const end = lines.indexOf('}', i + 1)
    replies.push(JSON.parse(lines.slice(i + 1, end + 1).join('\n')))
  })
  return replies
}

export const blocks = extractExamples()
export const kind = b => (b.includes('BaaS.refund(') ? 'refund' : /profitSharing\(|multiProfitSharing\(/.test(b) ? 'sharing' : b.includes('getOrderList(') ? 'list' : 'other')
export const listBlocks = blocks.filter(b => kind(b) === 'list')
export const refundBlocks = blocks.filter(b => kind(b) === 'refund')
export const sharingBlocks = blocks.filter(b => kind(b) === 'sharing')
export const [listReply, wechatReply, wechatMultiReply, alipayReply] = extractReplies()

/**
 * A thin recording proxy around the real BaaS namespace: every documented
 * call goes to the real SDK, and the promise it returns is recorded as is.
 */
export function recordingBaaS(real) {
  const calls = []
  const orders = []
  const record = (name, args, promise) => {
    calls.push({ name, args, promise, outcome: promise.then(value => ({ value }), error => ({ error })) })
    return promise
  }
  const recordMethods = (target, prefix, names) =>
    new Proxy(target, {
      get(t, k, receiver) {
        const v = Reflect.get(t, k, t)
        if (typeof v === 'function' && names.includes(k)) return (...args) => record(prefix + k, args, v.apply(t, args))
        return v
      },
    })
  function Order(...args) {
    const real0 = new real.Order(...args)
    const proxy = new Proxy(real0, {
      get(t, k) {
        const v = Reflect.get(t, k, t)
        if (k === 'wechatPay') return recordMethods(v, 'order.wechatPay.', ['profitSharing', 'multiProfitSharing'])
        if (k === 'alipay') return recordMethods(v, 'order.alipay.', ['profitSharing'])
        if (k === 'getOrderList' || k === 'get') return (...a) => record('order.' + k, a, v.apply(t, a))
        if (typeof v === 'function') {
          // offset / limit / orderBy chain: keep chaining through the proxy.
          return (...a) => {
            const r = v.apply(t, a)
            return r === t ? proxy : r
          }
        }
        return v
      },
    })
    orders.push(proxy)
    return proxy
  }
  Order.prototype = real.Order.prototype
  const baas = new Proxy(real, {
    get(t, k) {
      if (k === 'Order') return Order
      if (k === 'refund') return (...a) => record('BaaS.refund', a, t.refund(...a))
      return Reflect.get(t, k)
    },
  })
  return { baas, calls, orders }
}

/**
 * Runs each block verbatim; `order` is the last order the examples created (as in the document).
 * `compile(block)` makes the block a function of (BaaS, order); a simulated runtime compiles it in its own context.
 */
export async function runBlocks(rec, list, compile = block => new Function('BaaS', 'order', block)) {
  const results = []
  for (const block of list) {
    const before = rec.calls.length
    const order = rec.orders[rec.orders.length - 1]
    compile(block)(rec.baas, order)
    const calls = rec.calls.slice(before)
    for (const c of calls) c.result = await c.outcome
    results.push({ block, calls })
  }
  return results
}

