//! The package's JS finds its wasm in exactly one way: the ESM entry's
//! `new URL('./baas_order_bg.wasm', import.meta.url)`, which webpack 5 and
//! Vite turn into an emitted asset and Node, Rollup, esbuild and a plain
//! `<script type="module">` resolve next to `index.js`.
//!
//! wasm-bindgen's `--target web` glue brings a second one, an unused default
//! `new URL('baas_order_bg.wasm', import.meta.url)` that webpack 5 tries to
//! resolve from the package root and fails on. `cargo xtask pack` asks
//! wasm-bindgen to leave it out ([`OMIT_DEFAULT`]) and checks both the glue it
//! got ([`check_glue`]) and the bundled `index.js` ([`check_entry`]), so a
//! wasm-bindgen upgrade that brings a default back (or drops the flag) stops
//! the build instead of shipping a package webpack cannot build.

use crate::Result;

/// The wasm-bindgen flag that generates the glue without its default wasm URL.
pub const OMIT_DEFAULT: &str = "--omit-default-module-path";

/// The one reference, as esbuild prints it in the minified `index.js`.
pub const REFERENCE: &str = "new URL(\"./baas_order_bg.wasm\",import.meta.url)";

/// Fails if the glue holds any way of its own to find the wasm.
pub fn check_glue(glue: &str) -> Result<()> {
    for needle in ["import.meta.url", "_bg.wasm"] {
        if glue.contains(needle) {
            return Err(format!(
                "wasm-bindgen glue: `{needle}` found although it was generated with {OMIT_DEFAULT}; \
                 the package must hold one reference to its wasm (the entry's), see xtask/src/wasm_url.rs"
            ));
        }
    }
    Ok(())
}

/// The branch of the glue's `__wbg_init` for the old way of calling it (the
/// wasm's path or module itself rather than `{ module_or_path }`): it warns and
/// goes on. The entries only ever call it as `initWasm({ module_or_path })`,
/// so it is dead text in every bundle (48 B gzip of `index.js`).
const OLD_CALL_WARNING: &str = " else {
            console.warn('using deprecated parameters for the initialization function; pass a single object instead')
        }";

/// The glue without [`OLD_CALL_WARNING`]; fails unless it is there once (a
/// wasm-bindgen upgrade that changes it stops the build here).
pub fn drop_old_call_warning(glue: &str) -> Result<String> {
    if glue.matches(OLD_CALL_WARNING).count() != 1 {
        return Err(format!(
            "wasm-bindgen glue: expected `__wbg_init`'s warning for an old-style call once (xtask/src/wasm_url.rs):{OLD_CALL_WARNING}"
        ));
    }
    Ok(glue.replacen(OLD_CALL_WARNING, "", 1))
}

/// Fails unless the bundled ESM entry holds [`REFERENCE`] once and no other
/// `import.meta.url` or wasm file name.
pub fn check_entry(js: &str) -> Result<()> {
    let count = |s: &str| js.matches(s).count();
    let (refs, metas, names) = (count(REFERENCE), count("import.meta.url"), count("_bg.wasm"));
    if refs == 1 && metas == 1 && names == 1 {
        return Ok(());
    }
    Err(format!(
        "index.js: expected `{REFERENCE}` once and no other `import.meta.url` or `_bg.wasm`; \
         found it {refs} time(s), `import.meta.url` {metas}, `_bg.wasm` {names}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What wasm-bindgen 0.2.130 writes into `__wbg_init` without the flag.
    const DEFAULT_0_2_130: &str = "async function __wbg_init(module_or_path) {
    if (wasm !== undefined) return wasm;
    if (module_or_path === undefined) {
        module_or_path = new URL('baas_order_bg.wasm', import.meta.url);
    }
    const imports = __wbg_get_imports();";

    #[test]
    fn glue_with_the_default_url_is_refused() {
        let err = check_glue(DEFAULT_0_2_130).unwrap_err();
        assert!(err.contains("import.meta.url"), "{err}");
        assert!(check_glue("fetch(x);const u='baas_order_bg.wasm'").is_err());
    }

    #[test]
    fn glue_without_it_passes() {
        let glue = DEFAULT_0_2_130.replace(
            "if (module_or_path === undefined) {\n        module_or_path = new URL('baas_order_bg.wasm', import.meta.url);\n    }\n",
            "",
        );
        assert_eq!(check_glue(&glue), Ok(()));
    }

    #[test]
    fn the_old_call_warning_goes_and_nothing_else() {
        let init = format!(
            "    if (module_or_path !== undefined) {{
        if (Object.getPrototypeOf(module_or_path) === Object.prototype) {{
            ({{module_or_path}} = module_or_path)
        }}{OLD_CALL_WARNING}
    }}"
        );
        let dropped = drop_old_call_warning(&init).unwrap();
        assert!(!dropped.contains("console.warn"), "{dropped}");
        assert_eq!(dropped.len(), init.len() - OLD_CALL_WARNING.len());
        assert!(dropped.contains("({module_or_path} = module_or_path)\n        }\n    }"), "{dropped}");
        assert!(drop_old_call_warning(&dropped).is_err());
        assert!(drop_old_call_warning(&format!("{init}{init}")).is_err());
    }

    #[test]
    fn entry_needs_exactly_the_one_reference() {
        let good = format!("async()=>{{let u={REFERENCE};await f(u)}}");
        assert_eq!(check_entry(&good), Ok(()));
        assert!(check_entry("let u=new URL('./miniprogram/baas_order_bg.wasm',import.meta.url)").is_err());
        assert!(check_entry(&format!("{good};x=new URL(\"baas_order_bg.wasm\",import.meta.url)")).is_err());
        assert!(check_entry(&format!("{good};{good}")).is_err());
        assert!(check_entry(&format!("{good};y=import.meta.url")).is_err());
        assert!(check_entry("").is_err());
    }
}
