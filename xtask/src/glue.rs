//! Dead text of wasm-bindgen's glue that `cargo xtask pack` drops, each
//! piece checked to be there exactly as expected (a wasm-bindgen upgrade
//! that changes it stops the build here, never ships).

use crate::Result;

/// The glue's own name for the helper that copies a JS string into wasm
/// memory, as declared.
const PASS_STRING: &str = "function passStringToWasm0(arg, malloc, realloc) {\n";

/// `passStringToWasm0`'s branch for a call without `realloc`, which encodes
/// the string in one go. Every call the glue makes passes the wasm's
/// `realloc` (checked), so it is dead text (38 B gzip of the browser load).
const NO_REALLOC: &str = "    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

";

/// The glue without [`NO_REALLOC`]; fails unless it opens `passStringToWasm0`
/// and every call of it passes three arguments.
pub fn drop_no_realloc_branch(glue: &str) -> Result<String> {
    let declared = format!("{PASS_STRING}{NO_REALLOC}");
    if glue.matches(&declared).count() != 1 {
        return Err(format!(
            "wasm-bindgen glue: expected `passStringToWasm0` to open with its no-realloc branch once (xtask/src/glue.rs):\n{declared}"
        ));
    }
    let calls: Vec<&str> = glue.split("passStringToWasm0(").skip(1).collect();
    let args = |call: &str| call.split(')').next().map_or(0, |a| a.matches(',').count() + 1);
    // The first piece follows the declaration itself.
    if calls.len() < 2 || calls.iter().any(|c| args(c) != 3) {
        return Err("wasm-bindgen glue: a `passStringToWasm0` call without `realloc` (xtask/src/glue.rs)".into());
    }
    Ok(glue.replacen(&declared, PASS_STRING, 1))
}

/// The glue's stand-in for `TextEncoder.prototype.encodeInto` where a
/// runtime's encoder lacks it: the mini-program's shim encoder does, so its
/// bundle keeps it; every runtime the other bundles run in has it (browsers
/// have had it since before they ran wasm with reference types, which this
/// wasm needs; Node since 12). 47 B gzip of the browser load.
const ENCODE_INTO_FALLBACK: &str = "if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}
";

/// The glue without [`ENCODE_INTO_FALLBACK`], for the web and Node bundles;
/// fails unless it is there once.
pub fn drop_encode_into_fallback(glue: &str) -> Result<String> {
    if glue.matches(ENCODE_INTO_FALLBACK).count() != 1 {
        return Err(format!(
            "wasm-bindgen glue: expected the encodeInto fallback once (xtask/src/glue.rs):\n{ENCODE_INTO_FALLBACK}"
        ));
    }
    Ok(glue.replacen(ENCODE_INTO_FALLBACK, "", 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_branch_goes_when_every_call_passes_realloc() {
        let call = "const ptr0 = passStringToWasm0(key, wasm._m, wasm._n);\n";
        let body = "    let len = arg.length;\n}\n";
        let glue = format!("{call}{PASS_STRING}{NO_REALLOC}{body}{call}");
        let dropped = drop_no_realloc_branch(&glue).unwrap();
        assert_eq!(dropped, format!("{call}{PASS_STRING}{body}{call}"));
        // Not there (twice, or gone already): refused.
        assert!(drop_no_realloc_branch(&dropped).is_err());
        assert!(drop_no_realloc_branch(&format!("{glue}{PASS_STRING}{NO_REALLOC}")).is_err());
        // A call without realloc, or none at all: refused.
        let two = "passStringToWasm0(key, wasm._m);\n";
        assert!(drop_no_realloc_branch(&format!("{glue}{two}")).is_err());
        assert!(drop_no_realloc_branch(&format!("{PASS_STRING}{NO_REALLOC}{body}")).is_err());
    }

    #[test]
    fn the_encode_into_fallback_goes_once() {
        let glue = format!("const cachedTextEncoder = new TextEncoder();\n\n{ENCODE_INTO_FALLBACK}\nlet x;\n");
        let dropped = drop_encode_into_fallback(&glue).unwrap();
        assert_eq!(dropped, "const cachedTextEncoder = new TextEncoder();\n\n\nlet x;\n");
        assert!(drop_encode_into_fallback(&dropped).is_err());
        assert!(drop_encode_into_fallback(&format!("{glue}{ENCODE_INTO_FALLBACK}")).is_err());
    }
}
