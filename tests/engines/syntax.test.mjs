// The emitted JS against the oldest engines of docs/support.md: each packed
// file is transformed by esbuild with `target` set to the targets the doc
// names for it; any syntax esbuild would have to lower (or cannot lower) for
// them fails, naming the file and the targets. The targets are read from the
// doc, so the doc and this check cannot drift apart.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { installDir } from '../js/install.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '..', 'package.json'))
const esbuild = require('esbuild')
const DOC = path.join(here, '..', '..', 'docs', 'support.md')

/** `<!-- esbuild-targets NAME: t1,t2 -->` lines of the doc. */
function targets() {
  const doc = fs.readFileSync(DOC, 'utf8')
  const out = {}
  for (const m of doc.matchAll(/<!-- esbuild-targets (\S+): ([\w.,]+) -->/g)) out[m[1]] = m[2].split(',')
  return out
}

const FILES = { web: ['index.js', 'index.cjs'], miniprogram: ['miniprogram/index.js'] }

for (const [build, files] of Object.entries(FILES)) {
  for (const file of files) {
    test(`${file} needs no syntax newer than docs/support.md's ${build} targets`, () => {
      const target = targets()[build]
      assert.ok(target && target.length, `docs/support.md names esbuild targets for the ${build} build`)
      const code = fs.readFileSync(path.join(installDir(), 'node_modules', 'baas-order', file), 'utf8')
      const format = file.endsWith('.cjs') || file.startsWith('miniprogram/') ? 'cjs' : 'esm'
      const asIs = esbuild.transformSync(code, { format, target: 'esnext' }).code
      let lowered
      try {
        lowered = esbuild.transformSync(code, { format, target }).code
      } catch (e) {
        assert.fail(`${file} uses syntax ${target.join(', ')} cannot run: ${(e.errors || []).map(x => x.text).join('; ') || e.message}`)
      }
      if (lowered !== asIs) {
        // Name the first place that changed.
        let i = 0
        while (i < asIs.length && asIs[i] === lowered[i]) i++
        assert.fail(`${file} uses syntax newer than ${target.join(', ')}: esbuild lowers it near «${asIs.slice(Math.max(0, i - 60), i + 60)}»`)
      }
    })
  }
}

test('the check bites: `??=` (ES2021) is lowered for the mini-program targets', () => {
  const t = targets().miniprogram
  assert.notEqual(esbuild.transformSync('a ??= b', { target: t }).code, esbuild.transformSync('a ??= b', { target: 'esnext' }).code)
})
