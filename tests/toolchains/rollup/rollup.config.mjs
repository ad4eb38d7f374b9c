// Rollup with @rollup/plugin-node-resolve, nothing else. Rollup leaves the
// package's `new URL('./baas_order_bg.wasm', import.meta.url)` as it is, so
// the test copies node_modules/baas-order/baas_order_bg.wasm next to the
// bundle (the output dir is given on the command line: --dir).
import { nodeResolve } from '@rollup/plugin-node-resolve'

export default {
  input: 'app/main.js',
  output: { format: 'es', entryFileNames: 'main.js' },
  plugins: [nodeResolve({ browser: true })],
}
