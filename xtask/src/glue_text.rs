//! Shorter texts for the wasm-bindgen glue's console warnings: the glue is
//! part of the browser load (<= 30,000 B gzip), and these sentences are its
//! longest strings. The MIME-type warning keeps its meaning in fewer words;
//! the deprecated-parameters one cannot fire (the entries always pass
//! `{ module_or_path }`). A glue without these texts (another wasm-bindgen)
//! fails the pack, so the rewrite is never silently skipped.

use crate::Result;

const REWRITES: [(&str, &str); 2] = [
    (
        "\"`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\\n\"",
        "\"baas-order: serve .wasm as application/wasm (slower load now):\"",
    ),
    ("'using deprecated parameters for the initialization function; pass a single object instead'", "'baas-order: init({ module_or_path })'"),
];

/// The glue with the shorter warning texts.
pub fn shorten(glue: &str) -> Result<String> {
    let mut out = glue.to_string();
    for (long, short) in REWRITES {
        if !out.contains(long) {
            return Err(format!("wasm-bindgen glue: no {long} to shorten (see xtask/src/glue_text.rs)"));
        }
        out = out.replace(long, short);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_or_refuses() {
        let glue = format!("a({}, e); b({})", REWRITES[0].0, REWRITES[1].0);
        let out = shorten(&glue).unwrap();
        assert_eq!(out, format!("a({}, e); b({})", REWRITES[0].1, REWRITES[1].1));
        assert!(shorten("console.warn('other')").is_err());
    }
}
