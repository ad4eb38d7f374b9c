//! The mini-program side of `cargo xtask pack`: a wasm the real runtimes
//! accept, its brotli file, and the checks on what the mini-program build
//! takes from wasm-bindgen's output.
//!
//! - WeChat's WXWebAssembly documentation: exports may be functions, Memory
//!   and Table; iOS does not support exported Globals. wasm-bindgen 0.2.130
//!   exports two Globals (`__abort_handler`, `__instance_terminated`, the
//!   addresses of statics in its runtime). Its glue reads them only in the
//!   call guard it emits for modules built with exception handling
//!   (`panic = "unwind"` + `-Zbuild-std`); this crate builds with `panic =
//!   "abort"`, so the glue never names them. [`strip_global_exports`] drops
//!   every Global export and [`check_glue`] stops the build if the glue names
//!   one of the dropped exports (a wasm-bindgen upgrade that starts using
//!   them must be looked at, not shipped).
//! - WXWebAssembly (base library >= 2.14.0) and MyWebAssembly load a
//!   brotli-compressed `.wasm.br` from the code package: [`brotli`] writes it.
//! - The mini-program entry hands the glue `{ path, engine }` and its
//!   injected `WebAssembly` shim instantiates from that path; this works
//!   because of the glue texts listed in [`GLUE_RELIES_ON`], checked on every
//!   pack.

use crate::wasm_bin::{leb, put_leb, rewrite_sections};
use crate::Result;
use std::path::Path;
use std::process::Command;

/// What the mini-program build relies on in wasm-bindgen's `--target web`
/// glue, each with the reason. A wasm-bindgen upgrade that changes one fails
/// `cargo xtask pack` (and so `cargo xtask test`) with this text.
pub const GLUE_RELIES_ON: &[(&str, &str)] = &[
    (
        "({module_or_path} = module_or_path)",
        "init unwraps `{ module_or_path }` and passes the value on untouched (the entries pass `{ path, engine }`)",
    ),
    (
        "await WebAssembly.instantiate(module, imports)",
        "the loader's fallback hands a non-Response source to WebAssembly.instantiate, which the mini-program shim replaces",
    ),
    (
        "instanceof WebAssembly.Instance",
        "the fallback returns the shim's `{ instance, module }` as is when it is not a WebAssembly.Instance",
    ),
    ("\"./baas_order_bg.js\": import0", "xtask/src/imports.rs renames this import module and its keys"),
];

/// The members of `WebAssembly` the mini-program shim provides.
const SHIM_MEMBERS: &[&str] = &["instantiate", "Instance", "Module", "instantiateStreaming"];

/// Fails with a clear message when the glue no longer has the shape the
/// mini-program build relies on, or names an export [`strip_global_exports`] removed.
pub fn check_glue(glue: &str, stripped: &[String]) -> Result<()> {
    let upgrade =
        "wasm-bindgen's glue changed (see 'upgrade wasm-bindgen' in CONTRIBUTING.md and xtask/src/miniprogram.rs)";
    for (text, why) in GLUE_RELIES_ON {
        if !glue.contains(text) {
            return Err(format!("{upgrade}: it no longer contains `{text}`; {why}"));
        }
    }
    for name in stripped {
        if glue.contains(name.as_str()) {
            return Err(format!(
                "{upgrade}: it uses the exported Global `{name}`, which the build removes because WeChat on iOS \
                 refuses modules that export Globals"
            ));
        }
    }
    let mut rest = glue;
    while let Some(at) = rest.find("WebAssembly.") {
        rest = &rest[at + "WebAssembly.".len()..];
        let member: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !SHIM_MEMBERS.contains(&member.as_str()) {
            return Err(format!(
                "{upgrade}: it uses `WebAssembly.{member}`, which the mini-program shim \
                 (pkg-template/src/miniprogram-shims.js) does not provide"
            ));
        }
    }
    Ok(())
}

/// The module with every Global export removed; also the removed names.
pub fn strip_global_exports(wasm: &[u8]) -> Result<(Vec<u8>, Vec<String>)> {
    let mut stripped = Vec::new();
    let out =
        rewrite_sections(wasm, |id, body| if id == 7 { exports(body, &mut stripped) } else { Ok(body.to_vec()) })?;
    Ok((out, stripped))
}

/// The export section without its Global exports (kind 3).
fn exports(body: &[u8], stripped: &mut Vec<String>) -> Result<Vec<u8>> {
    let (count, mut p) = leb(body, 0)?;
    let mut kept = Vec::new();
    let mut n = 0;
    for _ in 0..count {
        let start = p;
        let (len, name_at) = leb(body, p)?;
        let name = body.get(name_at..name_at + len).ok_or("wasm: export name past the end")?;
        let kind = *body.get(name_at + len).ok_or("wasm: export kind past the end")?;
        let (_, end) = leb(body, name_at + len + 1)?;
        if kind == 3 {
            stripped.push(String::from_utf8_lossy(name).into_owned());
        } else {
            kept.extend_from_slice(body.get(start..end).ok_or("wasm: export past the end")?);
            n += 1;
        }
        p = end;
    }
    let mut out = Vec::with_capacity(kept.len() + 5);
    put_leb(&mut out, n);
    out.extend_from_slice(&kept);
    Ok(out)
}

/// Writes `to` as brotli (quality 11, Node's zlib) of `from`.
pub fn brotli(from: &Path, to: &Path) -> Result<()> {
    let script = "const fs = require('fs'), zlib = require('zlib'), b = fs.readFileSync(process.argv[1]); \
                  fs.writeFileSync(process.argv[2], zlib.brotliCompressSync(b, { params: { \
                  [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }))";
    crate::run(Command::new("node").args(["-e", script]).arg(from).arg(to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(out: &mut Vec<u8>, name: &str, kind: u8, index: usize) {
        put_leb(out, name.len());
        out.extend_from_slice(name.as_bytes());
        out.push(kind);
        put_leb(out, index);
    }

    /// A module exporting a memory, a function and two Globals (as wasm-bindgen 0.2.130 does).
    fn module() -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]); // type: () -> ()
        wasm.extend_from_slice(&[3, 2, 1, 0]); // function 0 of type 0
        wasm.extend_from_slice(&[5, 3, 1, 0, 1]); // memory, min 1 page
        wasm.extend_from_slice(&[6, 11, 2, 0x7f, 0, 0x41, 8, 0x0b, 0x7f, 0, 0x41, 16, 0x0b]); // two i32 globals
        let mut exports = Vec::new();
        put_leb(&mut exports, 4);
        export(&mut exports, "memory", 2, 0);
        export(&mut exports, "__abort_handler", 3, 0);
        export(&mut exports, "init", 0, 0);
        export(&mut exports, "__instance_terminated", 3, 1);
        wasm.push(7);
        put_leb(&mut wasm, exports.len());
        wasm.extend_from_slice(&exports);
        wasm.extend_from_slice(&[10, 4, 1, 2, 0, 0x0b]); // code: empty body
        wasm
    }

    #[test]
    fn strips_only_global_exports() {
        let (out, stripped) = strip_global_exports(&module()).expect("strip");
        assert_eq!(stripped, ["__abort_handler", "__instance_terminated"]);
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("memory") && text.contains("init") && !text.contains("__abort_handler"));
        // Stripping again finds nothing more: the result has no Global export.
        let (again, none) = strip_global_exports(&out).expect("strip again");
        assert!(none.is_empty());
        assert_eq!(again, out);
    }

    #[test]
    fn truncated_module_is_an_error() {
        let wasm = module();
        assert!(strip_global_exports(&wasm[..wasm.len() - 3]).is_err());
        assert!(strip_global_exports(b"\0asm").is_err());
    }

    fn glue() -> String {
        GLUE_RELIES_ON.iter().map(|(t, _)| *t).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn glue_with_the_relied_on_shape_passes() {
        let stripped = ["__abort_handler".to_string(), "__instance_terminated".to_string()];
        assert_eq!(check_glue(&glue(), &stripped), Ok(()));
    }

    #[test]
    fn glue_using_a_stripped_global_fails_loudly() {
        let g = glue() + "\nconst flag = wasm.__instance_terminated.value / 4;";
        let e = check_glue(&g, &["__instance_terminated".to_string()]).expect_err("must fail");
        assert!(e.contains("__instance_terminated") && e.contains("iOS"), "{e}");
    }

    #[test]
    fn glue_without_the_loader_fallback_fails_loudly() {
        let g = glue().replace("instanceof WebAssembly.Instance", "");
        let e = check_glue(&g, &[]).expect_err("must fail");
        assert!(e.contains("instanceof WebAssembly.Instance"), "{e}");
    }

    #[test]
    fn glue_using_more_of_webassembly_fails_loudly() {
        let g = glue() + "\nif (e instanceof WebAssembly.Exception) {}";
        let e = check_glue(&g, &[]).expect_err("must fail");
        assert!(e.contains("WebAssembly.Exception"), "{e}");
    }
}
