// The fetch transport's timeout both ways: `AbortSignal.timeout` where the
// runtime has it, else an AbortController and a timer (older browsers).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importESM } from './install.mjs'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, PATHS, reset, fault, rejectsHError } from './emulator.mjs'

const { BaaS } = await importESM()
const initAdmin = options => BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN, ...options })
const listOk = async () => assert.equal((await new BaaS.Order().limit(1).getOrderList()).status, 200)

test('the timeout comes from AbortSignal.timeout(options.timeout) where the runtime has it', async () => {
  await reset()
  await initAdmin({ timeout: 300 })
  const real = AbortSignal.timeout
  const asked = []
  AbortSignal.timeout = ms => (asked.push(ms), real.call(AbortSignal, ms))
  try {
    await listOk()
    assert.deepEqual(asked, [300])
    await fault({ kind: 'delay', delay_ms: 1500, path_prefix: PATHS.orderList })
    await rejectsHError(new BaaS.Order().getOrderList(), 601, BaaS.HError)
  } finally {
    AbortSignal.timeout = real
  }
  await listOk()
})

test('without AbortSignal.timeout the SDK aborts with its own timer: 601, and the next call works', async () => {
  await reset()
  await initAdmin({ timeout: 300 })
  const real = AbortSignal.timeout
  delete AbortSignal.timeout
  try {
    assert.equal(AbortSignal.timeout, undefined)
    await listOk()
    await fault({ kind: 'delay', delay_ms: 1500, path_prefix: PATHS.orderList })
    // The server answers after 1,500 ms, so a 601 can only come from the 300 ms timer.
    await rejectsHError(new BaaS.Order().getOrderList(), 601, BaaS.HError)
    await listOk()
  } finally {
    AbortSignal.timeout = real
  }
})

test('a patched AbortSignal.timeout that answers no signal falls back to the timer: 601, no hang', async () => {
  await reset()
  await initAdmin({ timeout: 300 })
  const real = AbortSignal.timeout
  AbortSignal.timeout = () => undefined
  try {
    await listOk()
    await fault({ kind: 'delay', delay_ms: 1500, path_prefix: PATHS.orderList })
    await rejectsHError(new BaaS.Order().getOrderList(), 601, BaaS.HError)
  } finally {
    AbortSignal.timeout = real
  }
  await listOk()
})
