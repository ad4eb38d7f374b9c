// The registry of the package's public calls, found at run time by walking
// what `BaaS` holds: its functions, its namespace objects, each class's
// prototype methods and statics, and the namespace objects an instance holds
// (`new BaaS.Order().wechatPay`). The fuzz (tests/js/fuzz.test.mjs) and the
// hostile-input tests (tests/js/hostile.test.mjs) each assert that their list
// of calls is exactly this one, so a call added to the package without a
// generator and a hostile entry fails a test.
//
// Names read as a user reaches the call: `BaaS.refund`, `BaaS.Query.and`
// (a static), `BaaS.Order#get` (a prototype method),
// `BaaS.Order#wechatPay.profitSharing` (a function an instance holds).
// Left out: names starting with `_` (the shell's own, e.g. `Order#_set`),
// getters (never invoked by the walk), and the constructors themselves
// (`new BaaS.Order()` takes no arguments; `BaaS.HError` is the error class).

const FUNCTION_OWN = new Set(['length', 'name', 'prototype', 'caller', 'arguments'])

const isClass = f => {
  try {
    return /^class\b/.test(Function.prototype.toString.call(f))
  } catch {
    return false
  }
}

/** Every public call reachable from `BaaS`, as sorted names. */
export function publicCalls(BaaS) {
  const found = new Set()
  const walked = new Set()
  // The own data properties of `holder` that are functions or namespace objects.
  const members = holder =>
    Object.getOwnPropertyNames(holder)
      .filter(k => !k.startsWith('_') && k !== 'constructor' && !(typeof holder === 'function' && FUNCTION_OWN.has(k)))
      .map(k => [k, Object.getOwnPropertyDescriptor(holder, k)])
      .filter(([, d]) => 'value' in d)
      .map(([k, d]) => [k, d.value])
  const walk = (holder, prefix, sep) => {
    if (walked.has(holder)) return
    walked.add(holder)
    for (const [k, v] of members(holder)) {
      const name = `${prefix}${sep}${k}`
      if (typeof v === 'function' && isClass(v)) klass(v, name)
      else if (typeof v === 'function') found.add(name)
      else if (v !== null && typeof v === 'object') walk(v, name, '.')
    }
  }
  const klass = (C, name) => {
    if (walked.has(C)) return
    walk(C, name, '.') // statics (marks C walked)
    for (const [k, v] of members(C.prototype)) if (typeof v === 'function') found.add(`${name}#${k}`)
    // What an instance holds: namespace objects of functions (`order.wechatPay`).
    let instance
    try {
      instance = new C()
    } catch {
      return
    }
    for (const [k, v] of members(instance)) if (v !== null && typeof v === 'object') walk(v, `${name}#${k}`, '.')
  }
  walk(BaaS, 'BaaS', '.')
  return [...found].sort()
}

/** `list`'s names against the registry's: what is missing and what is extra. */
export function compare(BaaS, list) {
  const registry = publicCalls(BaaS)
  const have = new Set(list)
  return {
    registry,
    missing: registry.filter(n => !have.has(n)),
    extra: [...have].filter(n => !registry.includes(n)).sort(),
  }
}
