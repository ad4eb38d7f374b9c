// Injected by esbuild into the mini-program bundle only: every free use of
// TextEncoder, TextDecoder and WebAssembly in the wasm-bindgen glue resolves
// to these. Native ones are used when the runtime has them.
const g = typeof globalThis !== 'undefined' ? globalThis : typeof global !== 'undefined' ? global : {}

class Utf8Encoder {
  encode(s = '') {
    const out = []
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i)
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1)
        if (d >= 0xdc00 && d < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
          i++
        }
      }
      if (c >= 0xd800 && c < 0xe000) c = 0xfffd
      if (c < 0x80) out.push(c)
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63))
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
    }
    return new Uint8Array(out)
  }
}

// The glue only decodes UTF-8 the wasm wrote, so it is always well formed.
class Utf8Decoder {
  decode(b) {
    let s = ''
    for (let i = 0; b && i < b.length; ) {
      let c = b[i++]
      if (c >= 0xf0) c = ((c & 7) << 18) | ((b[i++] & 63) << 12) | ((b[i++] & 63) << 6) | (b[i++] & 63)
      else if (c >= 0xe0) c = ((c & 15) << 12) | ((b[i++] & 63) << 6) | (b[i++] & 63)
      else if (c >= 0xc0) c = ((c & 31) << 6) | (b[i++] & 63)
      if (c > 0xffff) {
        c -= 0x10000
        s += String.fromCharCode(0xd800 + (c >> 10), 0xdc00 + (c & 1023))
      } else s += String.fromCharCode(c)
    }
    return s
  }
}

const TextEncoderShim = g.TextEncoder || Utf8Encoder
const TextDecoderShim = g.TextDecoder || Utf8Decoder

// The glue calls WebAssembly.instantiate(source, imports) with what the entry
// passed as module_or_path: here `{ path, engine }`, the absolute code-package
// path and the runtime's engine (WXWebAssembly or MyWebAssembly). Both answer
// `{ instance, module }`; the glue takes that as is because it is no
// `WebAssembly.Instance` (xtask checks the glue still does so).
const WebAssemblyShim = {
  instantiate(source, imports) {
    return Promise.resolve(source.engine.instantiate(source.path, imports)).then(r => ({ instance: r.instance || r, module: r.module }))
  },
  Instance: function Instance() {},
  Module: function Module() {},
}

export { TextEncoderShim as TextEncoder, TextDecoderShim as TextDecoder, WebAssemblyShim as WebAssembly }
