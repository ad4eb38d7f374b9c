// A token once went to another host. Every call, setToken and
// clearToken takes effect in program order against the configuration in
// force when it was made (the last init / setToken / clearToken issued
// before it), whether the wasm is still loading or not. Two hosts: the
// emulator as 127.0.0.1 and as localhost (its record shows the Host header).
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { freshCopy } from './install.mjs'
import { CLIENT_ID, reset, requests, clearRequests } from './emulator.mjs'
import { A, B, expect, run, check, sentFor, show } from './ordering-model.mjs'

before(() => reset())

let runs = 0
// A fresh copy of the package, the wasm not loaded yet (`loaded`: after an awaited init).
async function fresh(loaded) {
  const { BaaS } = await freshCopy().importESM()
  if (loaded) await BaaS.init(CLIENT_ID, { host: A, token: 'tok-zero' })
  return BaaS
}

// Runs `script` on a fresh copy (`loaded`: after an awaited init(A, {token: tok-zero}))
// and asserts every call kept the rule.
async function kept(script, loaded) {
  const BaaS = await fresh(false)
  await clearRequests()
  if (loaded) script = [{ op: 'init', host: A, token: 'tok-zero', await: true }, ...script]
  const result = await run(BaaS, script, `o${++runs}`)
  assert.deepEqual(await check(script, result), [], `${loaded ? 'loaded' : 'loading'}: ${show(script)}`)
  return result
}

const host = url => new URL(url).host
const auth = r => r.headers.authorization

test('init(A, {token: T1}); setToken(T2); init(B) while the wasm loads: B receives no token', async () => {
  const BaaS = await fresh(false)
  await clearRequests()
  BaaS.init(CLIENT_ID, { host: A, token: 'tok-t1' })
  BaaS.setToken('tok-t2')
  const started = BaaS.init(CLIENT_ID, { host: B })
  await new BaaS.Order().get('f1-a').catch(e => e)
  await started
  const [r] = sentFor(await requests(), 'f1-a')
  assert.equal(r.headers.host, host(B))
  assert.equal(auth(r), undefined, 'B was given no token')
})

test('init(A); setToken(TA); init(B, {token: TB}) while the wasm loads: B receives TB', async () => {
  const BaaS = await fresh(false)
  await clearRequests()
  BaaS.init(CLIENT_ID, { host: A })
  BaaS.setToken('tok-ta')
  BaaS.init(CLIENT_ID, { host: B, token: 'tok-tb' })
  await new BaaS.Order().get('f1-b').catch(e => e)
  const [r] = sentFor(await requests(), 'f1-b')
  assert.equal(r.headers.host, host(B))
  assert.equal(auth(r), 'Hydrogen-r1 tok-tb')
})

test('init(A, {token}); refund; init(B) none awaited: the refund goes to A with A\'s token', async () => {
  const BaaS = await fresh(false)
  await clearRequests()
  BaaS.init(CLIENT_ID, { host: A, token: 'tok-a' })
  const refund = BaaS.refund({ order_id: 1, refund_amount: 0.01, memo: 'f1-c' }).catch(e => e)
  BaaS.init(CLIENT_ID, { host: B, token: 'tok-b' })
  await refund
  const sent = sentFor(await requests(), 'f1-c')
  assert.equal(sent.length, 1)
  assert.equal(sent[0].headers.host, host(A))
  assert.equal(auth(sent[0]), 'Hydrogen-r1 tok-a')
})

test('after loading, a refused init clears the token at once: a call in the same tick sends none', async () => {
  const BaaS = await fresh(true)
  for (const bad of [{ timeout: -1 }, { request: 'not a function' }]) {
    await BaaS.init(CLIENT_ID, { host: A, token: 'tok-before' })
    await clearRequests()
    const refused = BaaS.init(CLIENT_ID, { host: B, token: 'tok-other', ...bad })
    const call = new BaaS.Order().get('f1-d').catch(e => e)
    const e = await refused.catch(x => x)
    assert.ok(e instanceof BaaS.HError && e.code === 605, String(e))
    await call
    const [r] = sentFor(await requests(), 'f1-d')
    assert.equal(r.headers.host, host(A), 'the host stays the one configured')
    assert.equal(auth(r), undefined, `no token after init(${JSON.stringify(bad)}) was refused`)
  }
})

test('a setToken refused while the wasm loads makes the calls after it reject, nothing sent, until a configuration step succeeds', async () => {
  const script = [
    { op: 'init', host: A, token: 'tok-1' },
    { op: 'get' },
    { op: 'setToken', bad: true },
    { op: 'get' },
    { op: 'refund' },
    { op: 'setToken', token: 'tok-2' },
    { op: 'get' },
  ]
  const { threw, calls } = await kept(script, false)
  assert.deepEqual(threw.filter(x => x !== undefined), [false, false], 'while loading, setToken cannot throw')
  assert.equal(calls[1].settled.error.code, 605)
  assert.equal(calls[1].settled.error.field, 'token')
  assert.deepEqual(expect(script, threw).map(w => w && w.token), ['tok-1', null, null, 'tok-2'])
})

// The steps each pair is made of, after init(A, {token: tok-a}) and with a call after every step.
const STEPS = [
  { op: 'init', host: B, token: 'tok-b' },
  { op: 'init', host: B },
  { op: 'init', host: B, token: 'tok-b2', bad: 'wasm' },
  { op: 'init', host: B, token: 'tok-b3', bad: 'shell' },
  { op: 'setToken', token: 'tok-set' },
  { op: 'setToken', bad: true },
  { op: 'clearToken' },
]

test('every pair of init / setToken / clearToken / refused init, with get and refund between, before and after the wasm loads', async () => {
  let scripts = 0
  for (const loaded of [false, true]) {
    for (const first of STEPS) {
      for (const second of STEPS) {
        const script = [
          { op: 'init', host: A, token: 'tok-a' },
          { op: 'get' },
          first,
          { op: 'refund' },
          second,
          { op: 'get' },
        ]
        await kept(script, loaded)
        scripts++
      }
    }
  }
  assert.equal(scripts, 2 * STEPS.length ** 2)
})

test('the same script before and after loading sends the same requests, but for what a setToken throwing at once changed', async () => {
  // A first init refused by the core: nothing is configured, the calls after it reject with its 605.
  const script = [
    { op: 'init', host: A, token: 'tok-x', bad: 'wasm' },
    { op: 'get' },
    { op: 'init', host: B, token: 'tok-y' },
    { op: 'refund' },
    { op: 'clearToken' },
    { op: 'get' },
  ]
  const result = await kept(script, false)
  assert.equal(result.calls[0].settled.error.code, 605)
  assert.equal(result.calls[0].settled.error, result.inits[0].error, 'the refused init\'s own HError')
  // After an init(A, {token}) that loaded the wasm: the refused init clears the token, A stays.
  const after = await kept(script, true)
  assert.equal(after.calls[0].settled.error.code, 401, 'sent to A without a token')
})
