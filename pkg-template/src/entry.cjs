// CommonJS entry (Node's `require`): the wasm glue comes from index.js, and
// the BaaS (its configuration, token and wasm instance) is index.js's when
// that loaded first, so `import` and `require` in one process share one state.
import { createBaaS } from './baas.js'

const file = require('path').join(__dirname, 'baas_order_bg.wasm')
// One BaaS per copy of the package in a process, whichever entry loads
// first: index.js keys it the same way (the wasm's file URL).
const key = Symbol.for('baas-order ' + require('url').pathToFileURL(file))
const BaaS = (globalThis[key] ||= createBaaS(
  async () => {
    const { _wasm } = await import('./index.js')
    await _wasm.default({ module_or_path: require('fs').readFileSync(file) })
    return _wasm
  },
  () => 'NODE',
))

module.exports = { BaaS, default: BaaS, Order: BaaS.Order, HError: BaaS.HError }
