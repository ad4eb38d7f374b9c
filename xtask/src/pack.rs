//! `cargo xtask pack`: builds the wasm (release: opt-level z, LTO, wasm-opt
//! -Oz), generates the JS glue, assembles the npm package in
//! `target/npm/baas-order/` from `pkg-template/`, and reports its size.

use crate::{cargo, root, run, tools, Result};
use std::path::Path;
use std::process::Command;

pub const OUT: &str = "target/npm/baas-order";

/// Builds the package; returns a one-line size summary (also printed as a table).
pub fn pack() -> Result<String> {
    let root = root();
    let out = root.join(OUT);
    run(cargo().args(["build", "--release", "--lib", "-p", "baas-order", "--target", "wasm32-unknown-unknown"]))?;
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("clean {}: {e}", out.display()))?;
    }
    let wasm_in = root.join("target/wasm32-unknown-unknown/release/baas_order.wasm");
    run(Command::new("wasm-bindgen")
        .arg(&wasm_in)
        .args(["--target", "web", "--no-typescript", "--out-name", "baas_order", "--out-dir"])
        .arg(&out))?;
    let wasm = out.join("baas_order_bg.wasm");
    run(Command::new(tools::node_bin("wasm-opt"))
        .arg("-Oz")
        .args([
            "--enable-bulk-memory",
            "--enable-reference-types",
            "--enable-multivalue",
            "--enable-sign-ext",
            "--enable-nontrapping-float-to-int",
            "--strip-debug",
            "--strip-producers",
        ])
        .arg(&wasm)
        .arg("-o")
        .arg(&wasm))?;

    let tpl = root.join("pkg-template");
    let facade = read(&tpl.join("src/baas.js"))?;
    write(&out.join("index.js"), &(facade.clone() + &read(&tpl.join("src/entry.mjs"))?))?;
    write(&out.join("index.cjs"), &(facade + &read(&tpl.join("src/entry.cjs"))?))?;
    for f in ["index.d.ts", "README.md"] {
        write(&out.join(f), &read(&tpl.join(f))?)?;
    }
    let version = env!("CARGO_PKG_VERSION");
    let manifest = read(&tpl.join("package.json"))?.replacen("\"0.0.0\"", &format!("\"{version}\""), 1);
    write(&out.join("package.json"), &manifest)?;
    size_report(&out)
}

/// Raw, gzip -9 and brotli sizes of what ships, measured with Node's zlib.
fn size_report(out: &Path) -> Result<String> {
    let script = r#"
const fs = require('fs'), path = require('path'), zlib = require('zlib')
const dir = process.argv[1]
const files = ['baas_order_bg.wasm', 'baas_order.js', 'index.js', 'index.cjs']
const size = b => [b.length, zlib.gzipSync(b, { level: 9 }).length,
  zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length]
const rows = files.map(f => [f, ...size(fs.readFileSync(path.join(dir, f)))])
const sum = (names) => rows.filter(r => names.includes(r[0])).reduce((a, r) => [a[0] + r[1], a[1] + r[2], a[2] + r[3]], [0, 0, 0])
const pad = (s, n) => String(s).padStart(n)
console.log('file'.padEnd(34) + pad('raw', 9) + pad('gzip', 9) + pad('brotli', 9))
for (const r of rows) console.log(r[0].padEnd(34) + pad(r[1], 9) + pad(r[2], 9) + pad(r[3], 9))
const browser = sum(['baas_order_bg.wasm', 'baas_order.js', 'index.js'])
const all = sum(files)
console.log('browser load (wasm + glue + index.js)'.padEnd(34) + pad(browser[0], 9) + pad(browser[1], 9) + pad(browser[2], 9))
console.log('whole package (all of the above)'.padEnd(34) + pad(all[0], 9) + pad(all[1], 9) + pad(all[2], 9))
console.error(`SUMMARY browser ${browser[1]} B gzip / ${browser[2]} B brotli; whole package ${all[1]} B gzip`)
"#;
    let outp = Command::new("node")
        .args(["-e", script])
        .arg(out)
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !outp.status.success() {
        return Err(format!("size report failed: {}", String::from_utf8_lossy(&outp.stderr)));
    }
    println!("\nnpm package at {}:\n{}", out.display(), String::from_utf8_lossy(&outp.stdout));
    let summary = String::from_utf8_lossy(&outp.stderr);
    Ok(summary.trim().trim_start_matches("SUMMARY ").to_owned())
}

fn read(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).map_err(|e| format!("read {}: {e}", p.display()))
}

fn write(p: &Path, s: &str) -> Result<()> {
    std::fs::write(p, s).map_err(|e| format!("write {}: {e}", p.display()))
}
