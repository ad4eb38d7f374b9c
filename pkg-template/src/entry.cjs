// CommonJS entry (Node's `require`): the wasm glue comes from index.js, so
// `import` and `require` in one process share one wasm instance.
import { createBaaS } from './baas.js'

const BaaS = createBaaS(
  async () => {
    const { _wasm } = await import('./index.js')
    const bytes = require('fs').readFileSync(require('path').join(__dirname, 'baas_order_bg.wasm'))
    await _wasm.default({ module_or_path: bytes })
    return _wasm
  },
  () => 'NODE',
)

module.exports = { BaaS, default: BaaS, Order: BaaS.Order, HError: BaaS.HError }
