// The mini-program build in JavaScriptCore with no JIT: `jsc --useJIT=false`
// (Debian's libjavascriptcoregtk-4.0-bin), with a mini-program runtime's
// globals only (jsc-runtime.js), as iOS WeChat and Alipay run a logic layer.
//
// wx.request / my.request are answered by a bridge: jsc prints
// `REQ {json}`; this side makes that request to the emulator over node:http
// and writes the emulator's reply, `{ id, status, headers, text }`, as one
// line to jsc's stdin, which the runtime reads with `readline()`. So every
// answer is the emulator's own, made during the run.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import zlib from 'node:zlib'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { codePackage, ABSENT } from '../js/miniprogram-sim.mjs'

/** JSON with every non-ASCII character as a \\u escape: jsc reads its script and stdin byte by byte. */
const ascii = v => JSON.stringify(v).replace(/[\u007f-\uffff]/g, c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))

const here = path.dirname(fileURLToPath(import.meta.url))
export const JSC = process.env.JSC_PATH || '/usr/bin/jsc'

/** Makes one bridged request against the emulator: { status, headers, text } or { error }. */
function send(r) {
  return new Promise(resolve => {
    const u = new URL(r.url)
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: r.method, headers: r.headers, timeout: r.timeout }, res => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: { ...res.headers }, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', e => resolve({ error: e.message }))
    if (r.data !== undefined && r.data !== null) req.write(r.data)
    req.end()
  })
}

/**
 * Runs jsc-runtime.js + `program` (a file of this folder) in
 * `jsc --useJIT=false` for `platform` ('wechat' | 'alipay') on `os`, with
 * `cfg` handed to both as __CFG. Answers { result, requests, log, ms }.
 */
export async function runInJsc({ platform, os, program = 'jsc-program.js', cfg }) {
  const dir = codePackage(platform)
  // jsc has no brotli: the bytes the runtime would decompress, beside the .br.
  for (const f of fs.readdirSync(dir, { recursive: true })) {
    if (String(f).endsWith('.wasm.br')) fs.writeFileSync(path.join(dir, f + '.decompressed'), zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, f))))
  }
  const full = { ...cfg, platform, os, dir, absent: ABSENT }
  const script = path.join(dir, '__jsc_test.js')
  fs.writeFileSync(
    script,
    `var __CFG = ${ascii(full)};\n${fs.readFileSync(path.join(here, 'jsc-runtime.js'), 'utf8')}\n${fs.readFileSync(path.join(here, program), 'utf8')}`,
  )
  const t = Date.now()
  const child = spawn(JSC, ['--useJIT=false', script], { stdio: ['pipe', 'pipe', 'pipe'] })
  const log = []
  const requests = []
  let stderr = ''
  child.stderr.on('data', d => (stderr += d))
  let buf = ''
  let result
  // Answers in the order jsc asked (it reads them in that order).
  let queue = Promise.resolve()
  const done = new Promise((resolve, reject) => {
    child.stdout.on('data', d => {
      buf += d
      let i
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 1)
        const sp = line.indexOf(' ')
        const tag = line.slice(0, sp)
        const body = line.slice(sp + 1)
        if (tag === 'REQ') {
          const r = JSON.parse(body)
          requests.push(r)
          queue = queue.then(async () => child.stdin.write(ascii({ id: r.id, ...(await send(r)) }) + '\n'))
        } else if (tag === 'RESULT') {
          result = JSON.parse(body)
          resolve()
        } else log.push(line)
      }
    })
    child.on('exit', code => (result ? resolve() : reject(new Error(`jsc exited (${code}) without a result\nstdout: ${log.join('\n')}\nstderr: ${stderr}`))))
  })
  let timer
  try {
    await Promise.race([done, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`jsc: no result in 120 s\n${log.join('\n')}\n${stderr}`)), 120000)))])
  } finally {
    clearTimeout(timer)
    // Its timers (a cleared request timeout still ticks in jsc's own loop) would keep it up.
    child.kill()
  }
  return { result, requests, log, stderr, ms: Date.now() - t }
}

/** `jsc`'s JavaScriptCore version, from the Debian package that ships it. */
export function jscVersion() {
  return new Promise(resolve => {
    const p = spawn('dpkg-query', ['-W', '-f', '${Version}', 'libjavascriptcoregtk-4.0-bin'])
    let out = ''
    p.stdout.on('data', d => (out += d))
    p.on('exit', () => resolve(out.trim() || 'unknown'))
    p.on('error', () => resolve('unknown'))
  })
}
