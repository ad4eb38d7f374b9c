// Every function and class a user can reach in the package's types has a doc
// comment with an example: what editors show on hover and what `cargo xtask
// docs` (TypeDoc) publishes as the API reference. The packed index.d.ts is
// read with the TypeScript compiler API (the TypeScript 6 that TypeDoc uses,
// in tests/apidocs), walking from the module's exports: each exported class
// and function, and from `BaaS` every method, every class it holds (its
// methods and statics) and every namespace object (`BaaS.wechat`,
// `order.wechatPay`, …).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { BUILD_DIR, ROOT, installDir } from './install.mjs'

const ts = createRequire(path.join(ROOT, 'tests', 'apidocs', 'package.json'))('typescript')
const DTS = path.join(BUILD_DIR, 'index.d.ts')

/** The doc comment (`/** … *\/`) right before a declaration, or ''. */
function docOf(sf, decl) {
  const trivia = sf.text.slice(decl.pos, decl.getStart(sf))
  const at = trivia.lastIndexOf('/**')
  return at < 0 ? '' : trivia.slice(at)
}

const hasExample = doc => doc.includes('@example') || doc.includes('```')

/**
 * Walks the API surface of index.d.ts. Returns every callable or class found,
 * as `{ name, line, doc }`, one per declaration.
 */
function surface(file) {
  const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, types: [] })
  const sf = program.getSourceFile(file)
  assert.ok(sf, `TypeScript read ${file}`)
  const checker = program.getTypeChecker()
  const found = new Map()
  const ours = d => d && d.getSourceFile() === sf
  const note = (name, decl) => {
    if (!found.has(decl)) {
      const line = sf.getLineAndCharacterOfPosition(decl.getStart(sf)).line + 1
      found.set(decl, { name, line, doc: docOf(sf, decl) })
    }
  }
  const walked = new Set()
  // The members of an object type: methods, classes, nested namespace objects.
  const walk = (type, prefix, sep) => {
    for (const prop of checker.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0]
      if (!ours(decl) || prop.getName() === 'prototype') continue
      const name = `${prefix}${sep}${prop.getName()}`
      const t = checker.getTypeOfSymbolAtLocation(prop, decl)
      if (t.getCallSignatures().length > 0) {
        for (const d of prop.declarations.filter(ours)) note(name, d)
      } else if (t.getConstructSignatures().length > 0) {
        klass(t, name)
      } else if (t.getProperties().length > 0 && !walked.has(t)) {
        walked.add(t)
        walk(t, name, '.')
      }
    }
  }
  // A constructor's type (`typeof Order`, `QueryConstructor`): the class (or
  // instance interface) it makes, that one's methods, and its statics.
  const klass = (ctorType, name) => {
    if (walked.has(ctorType)) return
    walked.add(ctorType)
    const instance = ctorType.getConstructSignatures()[0].getReturnType()
    const decl = instance.getSymbol()?.declarations?.find(ours)
    if (decl) note(name, decl)
    walk(instance, name, '#')
    walk(ctorType, name, '.')
  }
  // `BaaS` first, so that what it holds is named as a user reaches it (`BaaS.Order#get`).
  const exported = checker
    .getExportsOfModule(checker.getSymbolAtLocation(sf))
    .map(sym => (sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym))
    .sort((a, b) => (b.flags & ts.SymbolFlags.Variable) - (a.flags & ts.SymbolFlags.Variable))
  for (const target of exported) {
    const decl = target.valueDeclaration
    if (!ours(decl)) continue
    const t = checker.getTypeOfSymbolAtLocation(target, decl)
    if (target.flags & ts.SymbolFlags.Class) klass(t, target.getName())
    else if (target.flags & ts.SymbolFlags.Function) for (const d of target.declarations) note(target.getName(), d)
    else if (target.flags & ts.SymbolFlags.Variable) walk(t, target.getName(), '.')
  }
  return [...found.values()]
}

test('the API walk reaches the whole surface (so an empty walk cannot pass)', () => {
  const names = surface(DTS).map(f => f.name)
  for (const want of [
    'BaaS.init',
    'BaaS.setToken',
    'BaaS.clearToken',
    'BaaS.refund',
    'BaaS.Order',
    'BaaS.Order#offset',
    'BaaS.Order#getOrderList',
    'BaaS.Order#iterate',
    'BaaS.Order#wechatPay.multiProfitSharing',
    'BaaS.Order#alipay.profitSharing',
    'BaaS.Query',
    'BaaS.Query#compare',
    'BaaS.Query.or',
    'BaaS.HError',
    'BaaS.wechat.profitSharing.addReceiver',
    'BaaS.wechat.profitSharing.Order#refund',
    'BaaS.alipay.profitSharing.receiverQuery',
    'BaaS.alipay.profitSharing.Order#iterate',
  ]) {
    assert.ok(names.includes(want), `${want} is among the ${names.length} found: ${names.join(', ')}`)
  }
})

test('every exported function and class, and every method reachable from BaaS, has a doc comment with an example', () => {
  const missing = surface(DTS)
    .filter(f => !hasExample(f.doc))
    .map(f => `${f.name} (index.d.ts:${f.line})${f.doc ? '' : ', no doc comment at all'}`)
  assert.deepEqual(missing, [], `no example (a \`\`\`js block or @example) in the doc comment of:\n  ${missing.join('\n  ')}`)
})

test('the installed package carries the Apache-2.0 LICENSE that package.json declares', () => {
  const pkg = path.join(installDir(), 'node_modules', 'baas-order')
  assert.equal(JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).license, 'Apache-2.0')
  const license = fs.readFileSync(path.join(pkg, 'LICENSE'), 'utf8')
  assert.equal(license, fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'))
  assert.match(license, /Apache License\s+Version 2\.0, January 2004/)
})
