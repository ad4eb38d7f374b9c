// index.js once exported `_wasm` (every wasm export, `reply`
// included), so any code could answer a live ticket: a refund that went out
// then rejected with "600: no request is waiting for this answer" and no
// `outcomeUnknown`. Nothing the package exports (ESM or CommonJS), nor the
// BaaS the two entries share, may lead to the wasm's exports.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { freshCopy } from './install.mjs'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, FIXTURES as F, PATHS, reset, requests, clearRequests, fault } from './emulator.mjs'

before(() => reset())

// The glue's names that are not the BaaS namespace's (whose `init`,
// `setToken`, `refund`… are the shell's wrappers), and the raw module's.
const GLUE = ['_wasm', 'reply', 'checkQuery', 'getSharingList', 'getOrder', 'call', 'memory', '__wbindgen_malloc', 'initSync']

// Every object and function reachable from `roots` through own properties
// (enumerable or not, string or symbol keys, getters read) and prototypes:
// [{ path, key, value }] for each property.
function reachable(roots) {
  const seen = new Set()
  const found = []
  const queue = Object.entries(roots).map(([p, v]) => [p, v])
  while (queue.length) {
    const [at, v] = queue.shift()
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) continue
    if (v === Object.prototype || v === Function.prototype || v === Error.prototype || v === Error) continue
    seen.add(v)
    for (const key of Reflect.ownKeys(v)) {
      let value
      try {
        value = v[key]
      } catch {
        continue
      }
      const p = `${at}.${String(key)}`
      found.push({ path: p, key, value })
      queue.push([p, value])
    }
    queue.push([`${at}.__proto__`, Object.getPrototypeOf(v)])
  }
  return found
}

test('the package\'s public exports (ESM and CJS) expose no wasm internals; a forged reply cannot resolve/reject a live refund', async () => {
  const copy = freshCopy()
  const esm = await copy.importESM()
  const cjs = copy.requireCJS()
  assert.equal(cjs.BaaS, esm.BaaS, 'one BaaS for both entries')
  const BaaS = esm.BaaS
  // The key both entries keep the BaaS under.
  const dir = path.dirname(createRequire(path.join(copy.dir, 'package.json')).resolve('baas-order'))
  const shared = globalThis[Symbol.for('baas-order ' + pathToFileURL(path.join(dir, 'baas_order_bg.wasm')))]
  assert.equal(shared, BaaS, 'the shared key holds the BaaS')

  await BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
  // A live refund: the emulator holds its answer for 400 ms.
  await clearRequests()
  await fault({ kind: 'delay', delay_ms: 400, path_prefix: PATHS.refund })
  const refund = BaaS.refund({ order_id: F.orderId, refund_amount: 0.01, memo: 'forged reply' }).then(
    value => ({ value }),
    error => ({ error }),
  )
  await new Promise(resolve => setTimeout(resolve, 100))

  const all = reachable({ esm: { ...esm }, cjs, shared })
  const internals = all.filter(f => GLUE.includes(String(f.key)) || f.value instanceof WebAssembly.Memory)
  // Forge with whatever was found: a success answer for every ticket the refund could hold.
  let forged = 0
  for (const f of internals.filter(f => f.key === 'reply' && typeof f.value === 'function')) {
    for (let ticket = 0; ticket < 16; ticket++) {
      try {
        f.value(ticket, { status: 200, headers: {}, text: '{"status":"ok","forged":true}' }, 0)
        forged++
      } catch {}
    }
  }
  const r = await refund
  const e = r.error
  assert.ok(!e, `the refund answered by the server: ${e && e.message} (outcomeUnknown: ${e && e.outcomeUnknown}; ${forged} forged answer(s) taken)`)
  assert.deepEqual(internals.map(f => f.path), [], 'no wasm export reachable from the package')
  assert.equal(forged, 0, 'no forged answer was taken')
  assert.equal(r.value.status, 200)
  assert.equal(r.value.data.forged, undefined)
  assert.equal((await requests()).filter(q => q.path === PATHS.refund).length, 1, 'sent once')
})

test('the CommonJS entry alone (required first) works and shares its one wasm with a later import', async () => {
  const copy = freshCopy()
  const cjs = copy.requireCJS()
  assert.deepEqual(Object.keys(cjs).sort(), ['BaaS', 'HError', 'Order', 'default'])
  await cjs.BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
  const esm = await copy.importESM()
  assert.deepEqual(Object.keys(esm).sort(), ['BaaS', 'HError', 'Order', 'default'])
  assert.equal(esm.BaaS, cjs.BaaS)
  // Configured through require, used through import: one configuration.
  const res = await new esm.BaaS.Order().get(F.transactionNo)
  assert.equal(res.data.transaction_no, F.transactionNo)
  esm.BaaS.clearToken()
  const e = await new cjs.BaaS.Order().get(F.transactionNo).catch(x => x)
  assert.equal(e.code, 401, 'the token cleared through import is gone for require')
})
