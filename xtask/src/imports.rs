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
//! Worth it, measured (wasm-bindgen 0.2.130, `cargo xtask pack` with and
//! without this step, the same sources): the wasm 57,277 -> 54,709 B raw,
//! 26,074 -> 24,951 B gzip; `index.js` 4,852 -> 4,073 B gzip; the browser
//! load 30,926 -> 29,024 B gzip (without it the browser budget of 30,000 B
//! is broken) and the mini-program load 28,877 -> 27,410 B as it travels.
//! The risk is a wasm-bindgen glue of another shape: that stops the build
//! here, never ships (see the upgrade note in Cargo.toml).

use crate::Result;

const MODULE: &str = "./baas_order_bg.js";

/// Rewrites the import section of `wasm` and the matching keys in `glue`.
pub fn shorten(wasm: &[u8], glue: &str) -> Result<(Vec<u8>, String)> {
    let mut out = Vec::with_capacity(wasm.len());
    let header = wasm.get(..8).ok_or("wasm: too short")?;
    out.extend_from_slice(header);
    let mut renames: Vec<(String, String)> = Vec::new();
    let mut pos = 8;
    while pos < wasm.len() {
        let id = wasm[pos];
        let (size, after) = leb(wasm, pos + 1)?;
        let body = wasm.get(after..after + size).ok_or("wasm: section past the end")?;
        let body = if id == 2 { imports(body, &mut renames)? } else { body.to_vec() };
        out.push(id);
        put_leb(&mut out, body.len());
        out.extend_from_slice(&body);
        pos = after + size;
    }
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
    Ok((out, glue))
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

fn leb(b: &[u8], mut p: usize) -> Result<(usize, usize)> {
    let (mut value, mut shift) = (0usize, 0);
    loop {
        let byte = *b.get(p).ok_or("wasm: LEB128 past the end")?;
        p += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((value, p));
        }
        shift += 7;
        if shift > 28 {
            return Err("wasm: LEB128 too long".into());
        }
    }
}

fn put_leb(out: &mut Vec<u8>, mut v: usize) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn name(b: &[u8], p: usize) -> Result<(&str, usize)> {
    let (len, start) = leb(b, p)?;
    let bytes = b.get(start..start + len).ok_or("wasm: name past the end")?;
    Ok((std::str::from_utf8(bytes).map_err(|_| "wasm: name is not UTF-8")?, start + len))
}

fn put_name(out: &mut Vec<u8>, s: &str) {
    put_leb(out, s.len());
    out.extend_from_slice(s.as_bytes());
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
    fn leb_round_trips() {
        for v in [0, 1, 127, 128, 300, 65_535, 1 << 20] {
            let mut out = Vec::new();
            put_leb(&mut out, v);
            assert_eq!(leb(&out, 0).map(|(v, _)| v), Ok(v));
        }
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
}
