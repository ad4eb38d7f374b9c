// What each call must send, by program order. Shared by
// tests/js/ordering.test.mjs (the named interleavings) and
// tests/js/fuzz.test.mjs (generated ones).
//
// A script is a list of steps run against a fresh copy of the package, none
// awaited unless the step says so:
//   { op: 'init', host, token?, bad? }   bad: 'wasm' (timeout -1, refused by the
//                                         core) or 'shell' (a request option that
//                                         is no function, refused by the JS shell)
//   { op: 'setToken', token, bad? }      bad: a token with a newline (605)
//   { op: 'clearToken' }
//   { op: 'get' } | { op: 'refund' }     a call, tagged so the emulator's record finds it
//   { op: 'tick' }                       wait one macrotask (the wasm may finish loading)
//   any step may carry `await: true`
//
// The rule: every call takes effect against the configuration in force when
// it was made, whatever the loading state: the last init / setToken /
// clearToken issued before it. `expect(script, threw)` replays the script on
// that rule and answers, for each call, { host, token } (sent there with that
// token, `token` null for none) or null (rejected, nothing sent). `threw[i]`
// says whether step i (a setToken / clearToken) threw at once: one that could
// not (the wasm was still loading) and was refused makes the calls after it
// reject until a configuration step succeeds; one that threw at once told its
// caller, who goes on without a token (fail closed).
import assert from 'node:assert/strict'
import { EMULATOR, CLIENT_ID, PATHS, requests } from './emulator.mjs'

export const BAD_TOKEN = 'bad\ntoken'
/** Two hosts: the emulator as 127.0.0.1 and as localhost (its record shows the Host header). */
export const A = EMULATOR
export const B = EMULATOR.replace('//127.0.0.1:', '//localhost:')
assert.notEqual(A, B, `the emulator listens on 127.0.0.1 (${EMULATOR})`)

export function expect(script, threw = []) {
  let config = null // { host, token }
  let poison = false
  const out = []
  script.forEach((s, i) => {
    switch (s.op) {
      case 'init':
        if (s.bad) {
          if (config) config.token = null // a refused init clears the token at once
        } else {
          config = { host: s.host, token: s.token || null }
          poison = false
        }
        break
      case 'setToken':
        if (!config) {
          if (!threw[i]) poison = true
        } else if (s.bad) {
          config.token = null
          if (!threw[i]) poison = true
        } else {
          config.token = s.token
          poison = false
        }
        break
      case 'clearToken':
        if (config) {
          config.token = null
          poison = false
        }
        break
      case 'get':
      case 'refund':
        out.push(config && !poison ? { host: config.host, token: config.token } : null)
        break
    }
  })
  return out
}

/** Runs `script` on `BaaS` (a fresh copy, or one initialised); `tag` names its calls. Answers
 * { threw, calls: [{ tag, settled }], inits: [settled] }. */
export async function run(BaaS, script, tag) {
  const threw = []
  const calls = []
  const inits = []
  const settle = p => p.then(value => ({ value }), error => ({ error }))
  let n = 0
  for (const [i, s] of script.entries()) {
    let p = null
    switch (s.op) {
      case 'init': {
        const options = { host: s.host }
        if (s.token) options.token = s.token
        if (s.bad === 'wasm') options.timeout = -1
        if (s.bad === 'shell') options.request = 'not a function'
        p = settle(BaaS.init(CLIENT_ID, options))
        inits.push(p)
        break
      }
      case 'setToken':
      case 'clearToken':
        try {
          if (s.op === 'setToken') BaaS.setToken(s.bad ? BAD_TOKEN : s.token)
          else BaaS.clearToken()
          threw[i] = false
        } catch (e) {
          assert.ok(e instanceof BaaS.HError, `${s.op} threw an HError: ${e}`)
          threw[i] = true
        }
        break
      case 'get':
      case 'refund': {
        const t = `${tag}-${n++}`
        p = settle(s.op === 'get' ? new BaaS.Order().get(t) : BaaS.refund({ order_id: 1, refund_amount: 0.01, memo: t }))
        calls.push({ tag: t, op: s.op, settled: p })
        break
      }
      case 'tick':
        await new Promise(resolve => setTimeout(resolve, 0))
        break
    }
    if (s.await && p) await p
  }
  for (const c of calls) c.settled = await c.settled
  return { threw, calls, inits: await Promise.all(inits) }
}

/** The emulator's record of the call tagged `tag`: every request that carried it. */
export function sentFor(all, tag) {
  return all.filter(r => r.path === PATHS.order(tag) || (r.path === PATHS.refund && r.body.includes(`"${tag}"`)))
}

const hostOf = url => new URL(url).host
const tokenOf = r => (r.headers.authorization ? r.headers.authorization.replace(/^Hydrogen-r1 /, '') : null)

/** What each call of `result` sent, against what `expect` says: a list of
 * differences (empty when it kept the rule). Also: no token reached a host
 * it was not given for (init's token for its host, setToken's for the host
 * configured then). */
export async function check(script, result) {
  const all = await requests()
  const want = expect(script, result.threw)
  const problems = []
  result.calls.forEach((c, i) => {
    const got = sentFor(all, c.tag)
    const w = want[i]
    const seen = got.map(r => `${r.headers.host} ${tokenOf(r)}`)
    if (!w) {
      if (got.length) problems.push(`${c.tag} (${c.op}): sent ${JSON.stringify(seen)}, expected nothing sent`)
      else if (!c.settled.error) problems.push(`${c.tag} (${c.op}): resolved, expected a rejection`)
    } else if (got.length !== 1 || got[0].headers.host !== hostOf(w.host) || tokenOf(got[0]) !== w.token) {
      const why = c.settled.error ? ` (rejected: ${c.settled.error.message})` : ''
      problems.push(`${c.tag} (${c.op}): sent ${JSON.stringify(seen)}${why}, expected ["${hostOf(w.host)} ${w.token}"]`)
    }
  })
  // A refused init rejects with its 605, any other resolves.
  script.filter(s => s.op === 'init').forEach((s, i) => {
    const e = result.inits[i].error
    if (s.bad ? !(e && e.code === 605) : e) problems.push(`init ${i} (${s.bad ? 'refused' : 'good'}): ${e ? e.message : 'resolved'}`)
  })
  // Tokens given for each host: init's own, setToken's while that host was configured.
  const givenFor = {}
  let host = null
  for (const s of script) {
    if (s.op === 'init' && !s.bad) host = hostOf(s.host)
    const t = s.op === 'init' && !s.bad ? s.token : s.op === 'setToken' && !s.bad ? s.token : null
    if (host && t) (givenFor[host] ||= new Set()).add(t)
  }
  for (const c of result.calls) {
    for (const r of sentFor(all, c.tag)) {
      const t = tokenOf(r)
      if (t && !(givenFor[r.headers.host] && givenFor[r.headers.host].has(t))) {
        problems.push(`${c.tag}: token ${t} reached ${r.headers.host}, which was never given it`)
      }
    }
  }
  return problems
}

/** A script as one line, for failure messages. */
export const show = script =>
  script
    .map(s => {
      const args = s.op === 'init' ? [hostOf(s.host), s.token, s.bad && `bad:${s.bad}`] : s.op === 'setToken' ? [s.bad ? 'BAD' : s.token] : []
      return `${s.op}(${args.filter(Boolean).join(', ')})${s.await ? '!' : ''}`
    })
    .join('; ')
