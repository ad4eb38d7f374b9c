// `cargo xtask bench`: what the SDK costs on top of the network, in figures.
// Not a test: it asserts nothing and prints medians and p95s. Run against the
// emulator on loopback, so the network part is as small as it gets and the
// SDK's own share shows.
import { performance } from 'node:perf_hooks'
import { EMU, CLIENT_ID, TOKEN, HEADERS as headers, importPackage, stats, TX } from './common.mjs'

const { BaaS } = await importPackage()

const ms = x => (x.toFixed(3) + ' ms').padStart(14)
/** Times `sdk` and `raw` alternately, so drift on a busy machine hits both alike. */
async function time(n, sdk, raw) {
  for (let i = 0; i < Math.min(20, n); i++) await sdk(), await raw() // warm-up
  const a = []
  const b = []
  for (let i = 0; i < n; i++) {
    let t = performance.now()
    await sdk()
    a.push(performance.now() - t)
    t = performance.now()
    await raw()
    b.push(performance.now() - t)
  }
  return [stats(a), stats(b)]
}
function row(name, a, b) {
  const line = name.padEnd(44) + ms(a.median) + ms(a.p95)
  console.log(b ? line + ms(b.median) + ms(b.p95) + ms(a.median - b.median) : line)
}

let t = performance.now()
await BaaS.init(CLIENT_ID, { host: EMU, token: TOKEN })
const initMs = performance.now() - t

// The API paths, from the SDK core's one table (cargo xtask bench passes it).
const PATHS = JSON.parse(process.env.BAAS_PATHS)
const listPath = PATHS.orderList
const order = new BaaS.Order()
console.log(`BaaS.init (load + instantiate the wasm, once): ${initMs.toFixed(1)} ms\n`)
console.log(''.padEnd(44) + ['SDK median', 'p95', 'fetch median', 'p95', 'SDK extra'].map(h => h.padStart(14)).join(''))

for (const limit of [20, 1000]) {
  const query = `limit=${limit}&offset=0&where=%7B%7D&gateway_type=weixin_tenpay`
  const n = limit === 20 ? 500 : 100
  const [sdk, raw] = await time(
    n,
    () => order.limit(limit).getOrderList({ gateway_type: 'weixin_tenpay' }),
    async () => (await fetch(`${EMU}${listPath}?${query}`, { headers })).json(),
  )
  row(`getOrderList, ${limit} orders a page (n=${n})`, sdk, raw)
}
const [sdkGet, rawGet] = await time(
  500,
  () => order.get('v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw'),
  async () => (await fetch(`${EMU}${PATHS.order.replace(':transactionID', TX)}`, { headers })).json(),
)
row('get(transactionID) (n=500)', sdkGet, rawGet)

// Validation alone: refused before anything is sent.
const bad = { order_id: 29973, refund_amount: 1.005 }
const n = 20000
t = performance.now()
for (let i = 0; i < n; i++) await BaaS.refund(bad).catch(e => e.code)
const perCall = (performance.now() - t) / n
console.log(`\nrefund refused by validation (HError 605, nothing sent): ${(perCall * 1000).toFixed(2)} µs a call, ${Math.round(1000 / perCall)} calls/s`)
