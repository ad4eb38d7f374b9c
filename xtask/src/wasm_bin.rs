//! The little of the wasm binary format that `pack` edits: LEB128 numbers,
//! names, and a walk over the sections that rewrites some of them.

use crate::Result;

/// `wasm` with each section's body replaced by `edit(id, body)`.
pub fn rewrite_sections(wasm: &[u8], mut edit: impl FnMut(u8, &[u8]) -> Result<Vec<u8>>) -> Result<Vec<u8>> {
    let header = wasm.get(..8).ok_or("wasm: too short")?;
    let mut out = Vec::with_capacity(wasm.len());
    out.extend_from_slice(header);
    let mut pos = 8;
    while pos < wasm.len() {
        let id = wasm[pos];
        let (size, after) = leb(wasm, pos + 1)?;
        let body = wasm.get(after..after + size).ok_or("wasm: section past the end")?;
        let body = edit(id, body)?;
        out.push(id);
        put_leb(&mut out, body.len());
        out.extend_from_slice(&body);
        pos = after + size;
    }
    Ok(out)
}

/// The unsigned LEB128 number at `p`, and where it ends.
pub fn leb(b: &[u8], mut p: usize) -> Result<(usize, usize)> {
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

/// Appends `v` as unsigned LEB128.
pub fn put_leb(out: &mut Vec<u8>, mut v: usize) {
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

/// The name (length-prefixed UTF-8) at `p`, and where it ends.
pub fn name(b: &[u8], p: usize) -> Result<(&str, usize)> {
    let (len, start) = leb(b, p)?;
    let bytes = b.get(start..start + len).ok_or("wasm: name past the end")?;
    Ok((std::str::from_utf8(bytes).map_err(|_| "wasm: name is not UTF-8")?, start + len))
}

/// Appends `s` as a wasm name.
pub fn put_name(out: &mut Vec<u8>, s: &str) {
    put_leb(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leb_round_trips() {
        for v in [0, 1, 127, 128, 300, 65_535, 1 << 20] {
            let mut out = Vec::new();
            put_leb(&mut out, v);
            assert_eq!(leb(&out, 0).map(|(v, _)| v), Ok(v));
        }
    }

    #[test]
    fn sections_are_rewritten_in_place() {
        let wasm = b"\0asm\x01\0\0\0\x01\x02ab\x07\x01c".to_vec();
        let out = rewrite_sections(&wasm, |id, body| Ok(if id == 7 { b"xyz".to_vec() } else { body.to_vec() }));
        assert_eq!(out.as_deref(), Ok(&b"\0asm\x01\0\0\0\x01\x02ab\x07\x03xyz"[..]));
        assert!(rewrite_sections(b"\0asm\x01\0\0\0\x01\x05ab", |_, b| Ok(b.to_vec())).is_err());
    }
}
