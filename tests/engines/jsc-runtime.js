// Runs inside `jsc --useJIT=false` (JavaScriptCore with its interpreters
// only, as iOS runs a mini-program's logic layer): a mini-program runtime
// with the platform's globals only. jsc.mjs prepends `var __CFG = {...}`
// and appends the test program.
//
// From the jsc shell it keeps, in this closure, only what stands in for the
// platform: `read` (the code package's files, as the runtime reads them),
// `readline`/`print` (the bridge to Node, which makes the HTTP request to the
// emulator and answers with the emulator's real reply), `setTimeout`, and
// WebAssembly (behind WXWebAssembly / MyWebAssembly only). Every shell
// function and `WebAssembly` is then deleted from the global object.
var __rt = (function (cfg) {
  'use strict'
  var g = globalThis
  var shell = { print: g.print, read: g.read, readline: g.readline, setTimeout: g.setTimeout, WebAssembly: g.WebAssembly }
  var SHELL_ONLY = ['print', 'printErr', 'read', 'readFile', 'writeFile', 'readline', 'load', 'run', 'runString', 'loadString', 'debug', 'describe', 'describeArray', 'gc', 'fullGC', 'edenGC', 'quit', 'checkSyntax', 'jscStack', '$', '$262', '$vm', 'callerSourceOrigin', 'drainMicrotasks', 'performance', 'noInline', 'version', 'createGlobalObject', 'setTimeout', 'WebAssembly', 'arguments', 'scriptArgs', 'console', 'open', 'dumpHeap', 'sleepSeconds', 'preciseTime', 'Worker', 'generateHeapSnapshot']
  var trace = { wasmPaths: [], refused: [], requests: 0 }
  // The bridge's lines are ASCII both ways (\uXXXX escapes): jsc's print and
  // readline are not trusted with the encoding of what they pass.
  var ascii = function (text) {
    return text.replace(/[\u007f-\uffff]/g, function (c) { return '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4) })
  }
  var out = function (tag, value) {
    shell.print(tag + ' ' + ascii(JSON.stringify(value)))
  }
  // The code package's files are UTF-8, as the runtime reads them (jsc's
  // `read` without 'binary' would take them byte by byte as Latin-1).
  function utf8(bytes) {
    var s = ''
    for (var i = 0; i < bytes.length; ) {
      var b = bytes[i++]
      var c
      if (b < 0x80) c = b
      else if (b < 0xe0) c = ((b & 0x1f) << 6) | (bytes[i++] & 0x3f)
      else if (b < 0xf0) c = ((b & 0x0f) << 12) | ((bytes[i++] & 0x3f) << 6) | (bytes[i++] & 0x3f)
      else c = ((b & 0x07) << 18) | ((bytes[i++] & 0x3f) << 12) | ((bytes[i++] & 0x3f) << 6) | (bytes[i++] & 0x3f)
      s += String.fromCodePoint(c)
    }
    return s
  }

  // Timers as the platforms have them; jsc has setTimeout but no clearTimeout.
  var timers = {}
  var nextTimer = 1
  function setTimeout(fn, ms) {
    var id = nextTimer++
    var args = Array.prototype.slice.call(arguments, 2)
    timers[id] = true
    shell.setTimeout(function () {
      if (!timers[id]) return
      delete timers[id]
      fn.apply(undefined, args)
    }, ms || 0)
    return id
  }
  function clearTimeout(id) {
    delete timers[id]
  }
  var console = {
    log: function () {
      out('LOG', Array.prototype.map.call(arguments, String).join(' '))
    },
  }
  console.info = console.debug = console.warn = console.error = console.log

  // One request over the bridge: Node answers { status, headers, text } or { error }.
  var pending = 0
  function bridge(o, headers, answer) {
    trace.requests++
    var id = trace.requests
    out('REQ', { id: id, url: o.url, method: o.method, headers: headers, data: o.data, timeout: o.timeout })
    pending++
    setTimeout(function () {
      var reply = JSON.parse(shell.readline())
      pending--
      if (reply.id !== id) throw new Error('bridge out of order: ' + reply.id + ' for ' + id)
      answer(reply)
    }, 0)
  }

  var engine = {
    instantiate: function (p, imports) {
      trace.wasmPaths.push(p)
      return Promise.resolve().then(function () {
        if (typeof p !== 'string' || p.charAt(0) !== '/') throw new Error('instantiate: ' + p + ' is not an absolute code-package path')
        if (!/\.wasm(\.br)?$/.test(p)) throw new Error('instantiate: ' + p + ' is not a .wasm or .wasm.br file')
        // The runtime decompresses .wasm.br natively; jsc has no brotli, so Node left the
        // decompressed bytes beside it (jsc.mjs), byte for byte the same module.
        var bytes = shell.read(cfg.dir + p + (p.slice(-3) === '.br' ? '.decompressed' : ''), 'binary')
        var module = new shell.WebAssembly.Module(bytes)
        var globals = shell.WebAssembly.Module.exports(module).filter(function (e) {
          return e.kind === 'global'
        })
        if (cfg.platform === 'wechat' && cfg.os === 'ios' && globals.length) {
          trace.refused.push(globals.map(function (x) { return x.name }))
          throw new Error('instantiate: export of Global is not supported on iOS')
        }
        return shell.WebAssembly.instantiate(module, imports).then(function (instance) {
          return { instance: instance, module: module }
        })
      })
    },
  }

  var storage = { ifx_baas_auth_token: cfg.token }
  var api
  if (cfg.platform === 'wechat') {
    api = {
      getStorageSync: function (key) { return key in storage ? storage[key] : '' },
      getSystemInfoSync: function () { return { platform: cfg.os, SDKVersion: '3.3.4' } },
      request: function (o) {
        bridge(o, o.header, function (r) {
          if (r.error) return o.fail({ errMsg: 'request:fail ' + r.error })
          o.success({ statusCode: r.status, header: r.headers, data: o.dataType === 'json' ? JSON.parse(r.text) : r.text })
        })
        return { abort: function () {} }
      },
    }
    g.wx = api
    g.WXWebAssembly = engine
  } else {
    api = {
      getStorageSync: function (o) { return { data: o.key in storage ? storage[o.key] : null } },
      getSystemInfoSync: function () { return { platform: cfg.os === 'ios' ? 'iOS' : 'Android', version: '10.5.60' } },
      request: function (o) {
        var h = o.headers || {}
        for (var k in h) if (typeof h[k] !== 'string') {
          setTimeout(function () { o.fail({ error: 2, errorMessage: 'header ' + k + ' is not a string' }) }, 0)
          return
        }
        bridge(o, h, function (r) {
          if (r.error) return o.fail({ error: /timeout/.test(r.error) ? 13 : 12, errorMessage: r.error })
          if (r.status >= 400) return o.fail({ error: 19, errorMessage: 'http status error', status: r.status, headers: r.headers })
          var type = o.dataType || 'json'
          o.success({ status: r.status, headers: r.headers, data: type === 'text' ? r.text : JSON.parse(r.text) })
        })
      },
    }
    g.my = api
    g.MyWebAssembly = engine
  }
  g.setTimeout = setTimeout
  g.clearTimeout = clearTimeout
  g.console = console
  g.Page = function () {}
  g.App = function () {}
  for (var i = 0; i < SHELL_ONLY.length; i++) {
    var n = SHELL_ONLY[i]
    if (n === 'setTimeout' || n === 'console') continue
    delete g[n]
  }
  var absent = SHELL_ONLY.concat(cfg.absent).filter(function (n) {
    return n !== 'setTimeout' && n !== 'console' && typeof g[n] !== 'undefined'
  })
  if (absent.length) throw new Error('still on the global object: ' + absent.join(', '))

  // CommonJS in the code package, resolved as the runtime resolves it.
  var cache = {}
  function dirname(f) { return f.slice(0, f.lastIndexOf('/')) }
  function join(base, spec) {
    var parts = base.split('/')
    spec.split('/').forEach(function (s) {
      if (s === '..') parts.pop()
      else if (s !== '.' && s !== '') parts.push(s)
    })
    return parts.join('/')
  }
  function load(file) {
    if (cache[file]) return cache[file].exports
    var module = { exports: {} }
    cache[file] = module
    var src = utf8(shell.read(cfg.dir + file, 'binary'))
    var fn = (0, eval)('(function (module, exports, require) {' + src + '\n})')
    fn(module, module.exports, requireFrom(dirname(file)))
    return module.exports
  }
  function withJs(f) { return /\.js$/.test(f) ? f : f + '.js' }
  function requireFrom(from) {
    return function (spec) {
      if (spec.charAt(0) === '.' || spec.charAt(0) === '/') return load(withJs(join(spec.charAt(0) === '/' ? '' : from, spec)))
      var parts = spec.split('/')
      var base = '/' + (cfg.platform === 'wechat' ? 'miniprogram_npm' : 'node_modules') + '/' + parts[0]
      return load(withJs(parts.length > 1 ? base + '/' + parts.slice(1).join('/') : base + '/index'))
    }
  }
  return {
    require: requireFrom(''),
    trace: trace,
    done: function (value) { out('RESULT', { value: value, trace: trace }) },
    failed: function (e) { out('RESULT', { threw: String(e && e.message), stack: String(e && e.stack) }) },
    // A plain value from Node's side, made in this realm.
    inner: function (v) { return JSON.parse(JSON.stringify(v)) },
  }
})(__CFG)
