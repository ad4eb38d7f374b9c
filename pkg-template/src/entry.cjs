// CommonJS entry (Node's `require`). The BaaS (its configuration, token and
// wasm instance) is index.js's when that loaded first, so `import` and
// `require` in one process share one state; when this entry loads first it
// makes the BaaS, with its own copy of the wasm glue, and index.js then uses
// that one. (Nothing exports the glue: its `reply` would answer a live request.)
import { createBaaS } from './baas.js'
import { webBuyer } from './payment-web.js'
import { initWasm, glue } from './wasm.js'

const file = require('path').join(__dirname, 'baas_order_bg.wasm')
// One BaaS per copy of the package in a process, whichever entry loads
// first: index.js keys it the same way (the wasm's file URL).
const key = Symbol.for('baas-order ' + require('url').pathToFileURL(file))
const BaaS = (globalThis[key] ||= createBaaS(
  async () => {
    await initWasm({ module_or_path: require('fs').readFileSync(file) })
    return glue
  },
  () => 'NODE',
  () => undefined,
  webBuyer,
))

module.exports = { BaaS, default: BaaS, Order: BaaS.Order, HError: BaaS.HError }
