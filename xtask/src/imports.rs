//! Shortens the names the wasm imports its JS functions by.
//!
//! wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` under the
//! module `./baas_order_bg.js`, and the same long names stand again as keys in
//! the glue's import object: about 45 of them, over 4 KB of near-random text
//! that gzip cannot shrink. This renames them to `a`, `b`, … (module `w`) in
//! both files. The wasm and its glue come from the same wasm-bindgen run, so
//! every name in one has exactly one counterpart in the other; a name that
//! cannot be found once in the glue stops the build.
//!
//! What it saves, measured with and without this step on the same sources,
//! is in docs/architecture.md ("Short names for the wasm's imports and
//! exports"); measure again with `cargo xtask pack` after a wasm-bindgen
//! upgrade.
//!
//! The risk is a wasm-bindgen glue of another shape: that stops the build
//! here, never ships (see "upgrade wasm-bindgen" in CONTRIBUTING.md).
//!
//! The same is done for the wasm's exports (all but `memory`), which the glue
//! reads only as `wasm.<name>`: the closure trampolines
//! (`wasm_bindgen__convert__closures_____invoke__h<16 hex>`), the
//! `__wbindgen_*` helpers and the exported functions become `_a`, `_b`, ….

use crate::wasm_bin::{leb, name, put_leb, put_name, rewrite_sections};
use crate::Result;

const MODULE: &str = "./baas_order_bg.js";
/// The name prefix of the closure trampolines wasm-bindgen exports.
#[cfg(test)]
const TRAMPOLINE: &str = "wasm_bindgen__convert__closures_____invoke__";

/// Renames the imports and exports of `wasm` and the matching names in `glue`.
pub fn shorten(wasm: &[u8], glue: &str) -> Result<(Vec<u8>, String)> {
    let mut renames: Vec<(String, String)> = Vec::new();
    let mut exported: Vec<(String, String)> = Vec::new();
    let out = rewrite_sections(wasm, |id, body| match id {
        2 => imports(body, &mut renames),
        7 => exports(body, &mut exported),
        _ => Ok(body.to_vec()),
    })?;
    let mut glue = glue.to_owned();
    let quoted = format!("\"{MODULE}\": import0");
    if glue.matches(&quoted).count() != 1 {
        return Err(format!("glue: expected one `{quoted}`"));
    }
    glue = glue.replace(&quoted, "w: import0");
    for (long, short) in &renames {
        let key = format!("{long}:");
        if glue.matches(&key).count() != 1 {
            return Err(format!("glue: expected the import key `{long}` once"));
        }
        glue = glue.replace(&key, &format!("{short}:"));
    }
    for (long, short) in &exported {
        let (renamed, n) = replace_member(&glue, long, short);
        if n == 0 && long.starts_with("__wbindgen_") && long != "__wbindgen_free" {
            return Err(format!("glue: expected `wasm.{long}`"));
        }
        glue = renamed;
    }
    if let Some(at) = glue.find("wasm[") {
        return Err(format!("glue: an export read as `wasm[…]` at byte {at}; the renaming expects `wasm.<name>` only"));
    }
    Ok((out, glue))
}

/// `glue` with every `wasm.<long>` (not followed by more of a name) as
/// `wasm.<short>`, and how many there were.
fn replace_member(glue: &str, long: &str, short: &str) -> (String, usize) {
    let pat = format!("wasm.{long}");
    let mut out = String::with_capacity(glue.len());
    let mut rest = glue;
    let mut n = 0;
    while let Some(at) = rest.find(&pat) {
        let after = &rest[at + pat.len()..];
        let whole = !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        out.push_str(&rest[..at]);
        if whole {
            out.push_str("wasm.");
            out.push_str(short);
            n += 1;
        } else {
            out.push_str(&pat);
        }
        rest = after;
    }
    out.push_str(rest);
    (out, n)
}

/// The export section with every export but `memory` renamed `_a`, `_b`, ….
fn exports(body: &[u8], renames: &mut Vec<(String, String)>) -> Result<Vec<u8>> {
    let (count, mut p) = leb(body, 0)?;
    let mut out = Vec::with_capacity(body.len());
    put_leb(&mut out, count);
    for _ in 0..count {
        let (field, next) = name(body, p)?;
        // kind byte, then the index.
        let end = leb(body, next + 1)?.1;
        if field != "memory" {
            let short = format!("_{}", short_name(renames.len()));
            renames.push((field.to_owned(), short.clone()));
            put_name(&mut out, &short);
        } else {
            put_name(&mut out, field);
        }
        out.extend_from_slice(body.get(next..end).ok_or("wasm: export past the end")?);
        p = end;
    }
    Ok(out)
}

/// The import section with the glue's imports renamed.
fn imports(body: &[u8], renames: &mut Vec<(String, String)>) -> Result<Vec<u8>> {
    let (count, mut p) = leb(body, 0)?;
    let mut out = Vec::with_capacity(body.len());
    put_leb(&mut out, count);
    for _ in 0..count {
        let (module, next) = name(body, p)?;
        let (field, next) = name(body, next)?;
        let desc_end = skip_desc(body, next)?;
        if module == MODULE {
            let short = short_name(renames.len());
            renames.push((field.to_owned(), short.clone()));
            put_name(&mut out, "w");
            put_name(&mut out, &short);
        } else {
            put_name(&mut out, module);
            put_name(&mut out, field);
        }
        out.extend_from_slice(body.get(next..desc_end).ok_or("wasm: import past the end")?);
        p = desc_end;
    }
    Ok(out)
}

/// `a` … `z`, then `A` … `Z`, then `aa`, `ab`, …: never a JS keyword clash as an object key.
fn short_name(mut i: usize) -> String {
    const ALPHA: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut s = Vec::new();
    loop {
        s.push(ALPHA[i % ALPHA.len()]);
        i /= ALPHA.len();
        if i == 0 {
            break;
        }
        i -= 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

/// End of an import descriptor starting at `p` (kind byte, then its type).
fn skip_desc(b: &[u8], p: usize) -> Result<usize> {
    let kind = *b.get(p).ok_or("wasm: import kind past the end")?;
    let limits = |p: usize| -> Result<usize> {
        let flags = *b.get(p).ok_or("wasm: limits past the end")?;
        let (_, mut q) = leb(b, p + 1)?;
        if flags & 1 != 0 {
            q = leb(b, q)?.1;
        }
        Ok(q)
    };
    match kind {
        0 => Ok(leb(b, p + 1)?.1), // function: type index
        1 => limits(p + 2),        // table: reftype, limits
        2 => limits(p + 1),        // memory: limits
        3 => Ok(p + 3),            // global: valtype, mutability
        4 => Ok(leb(b, p + 2)?.1), // tag: attribute, type index
        k => Err(format!("wasm: unknown import kind {k}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_unique() {
        let names: std::collections::HashSet<String> = (0..3000).map(short_name).collect();
        assert_eq!(names.len(), 3000);
        assert_eq!(short_name(0), "a");
        assert_eq!(short_name(52), "aa");
    }

    #[test]
    fn renames_in_both_files() {
        // A module with one imported function (type 0) from the glue and one from elsewhere.
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]); // type section: () -> ()
        let mut imports = Vec::new();
        put_leb(&mut imports, 2);
        put_name(&mut imports, MODULE);
        put_name(&mut imports, "__wbg_fetch_0123456789abcdef");
        imports.extend_from_slice(&[0, 0]);
        put_name(&mut imports, "env");
        put_name(&mut imports, "other");
        imports.extend_from_slice(&[0, 0]);
        wasm.push(2);
        put_leb(&mut wasm, imports.len());
        wasm.extend_from_slice(&imports);
        let glue = "const import0 = { __wbg_fetch_0123456789abcdef: function() {} };\nreturn { \"./baas_order_bg.js\": import0 };";
        let (out, glue) = shorten(&wasm, glue).expect("shorten");
        assert_eq!(glue, "const import0 = { a: function() {} };\nreturn { w: import0 };");
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("\u{1}w\u{1}a") && text.contains("env") && !text.contains("__wbg"));
        assert!(shorten(&wasm, "no such keys").is_err());
    }

    #[test]
    fn renames_trampoline_exports_and_their_calls() {
        let long = format!("{TRAMPOLINE}h0123456789abcdef");
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        let mut exports = Vec::new();
        put_leb(&mut exports, 2);
        put_name(&mut exports, &long);
        exports.extend_from_slice(&[0, 3]);
        put_name(&mut exports, "memory");
        exports.extend_from_slice(&[2, 0]);
        wasm.push(7);
        put_leb(&mut wasm, exports.len());
        wasm.extend_from_slice(&exports);
        let glue = format!("return {{ \"./baas_order_bg.js\": import0 }};\nfunction f(a) {{ wasm.{long}(a) }}");
        let (out, glue) = shorten(&wasm, &glue).expect("shorten");
        assert!(glue.ends_with("function f(a) { wasm._a(a) }"), "{glue}");
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("\u{2}_a\0\u{3}") && text.contains("memory") && !text.contains(TRAMPOLINE));
        // A longer name that starts the same is left alone; `wasm[...]` stops the build.
        assert_eq!(replace_member("wasm.init(); wasm.initX", "init", "_b"), ("wasm._b(); wasm.initX".into(), 1));
        let odd = format!("return {{ \"./baas_order_bg.js\": import0 }};\nwasm['{long}'](1)");
        assert!(shorten(&wasm, &odd).is_err());
    }
}
