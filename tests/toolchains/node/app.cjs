// Node CommonJS: `require` the package by its name.
const { BaaS } = require('baas-order')

const config = JSON.parse(process.env.APP_CONFIG)
import('../app/check.js')
  .then(async ({ run, describe }) => {
    const result = await run(BaaS, config)
    console.log(JSON.stringify({ entry: require.resolve('baas-order'), line: describe(result), result }))
  })
  .catch(e => {
    console.error(e)
    process.exitCode = 1
  })
