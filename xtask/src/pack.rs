//! `cargo xtask pack`: builds the wasm (release: opt-level z, LTO, wasm-opt
//! -Oz), generates the JS glue, assembles the npm package in
//! `<target-dir>/npm/baas-order/` from `pkg-template/`, and reports its size.
//! `<target-dir>` is Cargo's (`target/` unless `CARGO_TARGET_DIR` or
//! `build.target-dir` moves it).

use crate::{cargo, glue, imports, miniprogram, root, run, tables, target_dir, tools, wasm_url, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the npm package is written: `<target-dir>/npm/baas-order`.
pub fn out_dir() -> Result<PathBuf> {
    Ok(target_dir()?.join("npm").join("baas-order"))
}

/// The size budget of what a browser and a mini-program load: 36,000 B
/// (gzip -9 for JS and the wasm; a `.wasm.br` counted as its own bytes).
/// The one place it is written: `pack` and the test summary read it. It was
/// 30,000 B until the whole money lifecycle (payment included) had to fit;
/// 36,000 is still under 60% of minapp-sdk's 61,375 B gzip.
pub const BUDGET: u64 = 36_000;

/// What `pack` measured.
pub struct Size {
    /// One line for the test summary.
    pub summary: String,
    /// `index.js` + wasm, gzip -9.
    pub browser: u64,
    /// The `miniprogram/` folder as it travels.
    pub miniprogram: u64,
}

impl Size {
    /// Err naming each load over [`BUDGET`].
    pub fn within_budget(&self) -> Result<()> {
        let over: Vec<String> = [("browser load", self.browser), ("mini-program load", self.miniprogram)]
            .iter()
            .filter(|(_, n)| *n > BUDGET)
            .map(|(what, n)| format!("{what} {n} B > {BUDGET} B"))
            .collect();
        if over.is_empty() {
            Ok(())
        } else {
            Err(format!("over the size budget: {}", over.join(", ")))
        }
    }
}

/// Builds the package; returns its sizes (also printed as a table).
pub fn pack() -> Result<Size> {
    let root = root();
    let target = target_dir()?;
    let out = out_dir()?;
    let build = target.join("npm").join("build");
    run(cargo().args([
        "build",
        "--release",
        "--lib",
        "-p",
        "baas-order",
        "--target",
        "wasm32-unknown-unknown",
        "--features",
        "bare",
    ]))?;
    for dir in [&out, &build] {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| format!("clean {}: {e}", dir.display()))?;
        }
    }
    let wasm_in = target.join("wasm32-unknown-unknown").join("release").join("baas_order.wasm");
    run(Command::new("wasm-bindgen")
        .arg(&wasm_in)
        .args(["--target", "web", "--no-typescript", wasm_url::OMIT_DEFAULT, "--out-name", "baas_order", "--out-dir"])
        .arg(&build))?;
    let wasm = build.join("baas_order_bg.wasm");
    let glue = build.join("baas_order.js");
    let bytes = std::fs::read(&wasm).map_err(|e| format!("read {}: {e}", wasm.display()))?;
    let glue_text = read(&glue)?;
    wasm_url::check_glue(&glue_text)?;
    // No Global exports (WeChat iOS refuses them), and a glue of the shape the mini-program build relies on.
    let (bytes, stripped) = miniprogram::strip_global_exports(&bytes)?;
    miniprogram::check_glue(&glue_text, &stripped)?;
    let (bytes, glue_text) = imports::shorten(&bytes, &glue_text)?;
    let glue_text = wasm_url::drop_old_call_warning(&glue_text)?;
    let glue_text = glue::drop_no_realloc_branch(&glue_text)?;
    std::fs::write(&wasm, bytes).map_err(|e| format!("write {}: {e}", wasm.display()))?;
    write(&glue, &glue_text)?;
    run(Command::new(tools::node_bin("wasm-opt"))
        // -Oz to a fixed point, then flatten + rereloop (binaryen's relooper
        // rebuilds the control flow) and -Oz twice more: 184 B gzip less than
        // `-Oz --converge` alone (binaryen 132, measured on the same wasm).
        // Addresses below 1024 are unused (rustc links the stack first: it
        // grows down from 1 MiB, data above it), so wasm-opt may fold constant
        // offsets into loads and stores (-164 B gzip).
        .args(["--low-memory-unused", "-Oz", "--converge", "--flatten", "--rereloop", "-Oz", "-Oz"])
        .args([
            "--enable-bulk-memory",
            "--enable-reference-types",
            "--enable-multivalue",
            "--enable-sign-ext",
            "--enable-nontrapping-float-to-int",
            "--strip-debug",
            "--strip-producers",
            "--strip-target-features",
        ])
        .arg(&wasm)
        .arg("-o")
        .arg(&wasm))?;

    // The JS: one source (pkg-template/src) bundled and minified by esbuild
    // per runtime, next to the glue wasm-bindgen wrote into build/.
    let tpl = root.join("pkg-template");
    for entry in std::fs::read_dir(tpl.join("src")).map_err(|e| format!("read pkg-template/src: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if let Some(name) = path.file_name() {
            copy(&path, &build.join(name))?;
        }
    }
    write(&build.join("tables.js"), &tables::tables_js())?;
    let esbuild = |entry: &str, out_file: &Path, args: &[&str]| {
        run(Command::new(tools::node_bin("esbuild"))
            .arg(build.join(entry))
            .args(["--bundle", "--minify", "--legal-comments=none", "--log-level=warning"])
            .args(args)
            .arg(format!("--outfile={}", out_file.display())))
    };
    // The web and Node bundles without the glue's encodeInto fallback, the mini-program's with it.
    write(&glue, &glue::drop_encode_into_fallback(&glue_text)?)?;
    esbuild("entry.mjs", &out.join("index.js"), &["--format=esm", "--platform=neutral"])?;
    wasm_url::check_entry(&read(&out.join("index.js"))?)?;
    esbuild("entry.cjs", &out.join("index.cjs"), &["--format=cjs", "--platform=node", "--target=node20"])?;
    write(&glue, &glue_text)?;
    let inject = format!("--inject:{}", build.join("miniprogram-shims.js").display());
    esbuild(
        "entry.miniprogram.js",
        &out.join("miniprogram").join("index.js"),
        &[
            "--format=cjs",
            "--platform=neutral",
            "--target=es2018",
            &inject,
            "--log-override:empty-import-meta=silent",
            // Never run: names the exports for Node's CommonJS lexer, so an ESM
            // `import { BaaS } from 'baas-order/miniprogram/index.js'` sees them
            // (esbuild writes this itself only for --platform=node).
            "--footer:js=0&&(exports.BaaS=exports.Order=exports.HError=0);",
        ],
    )?;
    // Browsers, bundlers and Node load the plain wasm at the package root,
    // next to index.js; the mini-program folder ships only what a
    // mini-program loads: its JS and the brotli wasm (WXWebAssembly from base
    // library 2.14.0, MyWebAssembly).
    copy(&wasm, &out.join("baas_order_bg.wasm"))?;
    miniprogram::brotli(&wasm, &out.join("miniprogram").join("baas_order_bg.wasm.br"))?;
    // miniprogram/index.js is CommonJS inside a "type": "module" package: this
    // marks its folder CommonJS, so Node, esbuild and webpack load the Alipay
    // instructions' `require('baas-order/miniprogram/index.js')` as such.
    write(&out.join("miniprogram").join("package.json"), "{\"type\": \"commonjs\"}\n")?;
    // Its types (for the exports map and for moduleResolution node10): the
    // values this file exports, typed by the package's CommonJS declarations
    // (the named types are imported from 'baas-order' itself).
    write(
        &out.join("miniprogram").join("index.d.ts"),
        "export { BaaS, Order, HError, default } from '../index.cjs'\n",
    )?;
    let dts = tables::fill_dts(&read(&tpl.join("index.d.ts"))?, &read(&root.join("src").join("js").join("mod.rs"))?)?;
    write(&out.join("index.d.ts"), &dts)?;
    // The same declarations for `require` (index.cjs): TypeScript reads a .d.cts as CommonJS.
    write(&out.join("index.d.cts"), &dts)?;
    copy(&tpl.join("README.md"), &out.join("README.md"))?;
    copy(&root.join("LICENSE"), &out.join("LICENSE"))?;
    let version = env!("CARGO_PKG_VERSION");
    let manifest = read(&tpl.join("package.json"))?.replacen("\"0.0.0\"", &format!("\"{version}\""), 1);
    write(&out.join("package.json"), &manifest)?;
    size_report(&out)
}

/// Raw, gzip -9 and brotli sizes of what ships, measured with Node's zlib; a
/// `.wasm.br` counts as its own bytes (it is stored and sent as it is).
fn size_report(out: &Path) -> Result<Size> {
    let script = r#"
const fs = require('fs'), path = require('path'), zlib = require('zlib')
const dir = process.argv[1]
// A .wasm.br travels as it is: its own bytes in every column.
const size = (f, b) => f.endsWith('.br') ? [b.length, b.length, b.length] : [b.length, zlib.gzipSync(b, { level: 9 }).length,
  zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length]
// Every file of the package but the docs and manifest.
const walk = d => fs.readdirSync(path.join(dir, d), { withFileTypes: true }).flatMap(e =>
  e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name).split(path.sep).join('/')])
const files = walk('').filter(f => !/^(README\.md|LICENSE|package\.json|index\.d\.c?ts)$/.test(f)).sort()
const rows = files.map(f => [f, ...size(f, fs.readFileSync(path.join(dir, f)))])
const sum = (names) => names.map(n => rows.find(r => r[0] === n) || [n, NaN, NaN, NaN]).reduce((a, r) => [a[0] + r[1], a[1] + r[2], a[2] + r[3]], [0, 0, 0])
const pad = (s, n) => String(s).padStart(n)
const line = (name, r) => console.log(name.padEnd(52) + pad(r[0], 9) + pad(r[1], 9) + pad(r[2], 9))
console.log('file'.padEnd(52) + pad('raw', 9) + pad('gzip', 9) + pad('brotli', 9))
for (const r of rows) line(r[0], r.slice(1))
const browser = sum(['baas_order_bg.wasm', 'index.js'])
const node = sum(['baas_order_bg.wasm', 'index.cjs'])
// What WeChat's "build npm" copies: the whole `miniprogram` folder.
const miniFiles = files.filter(f => f.startsWith('miniprogram/'))
const mini = sum(miniFiles)
const all = sum(files)
console.log('loads:')
line('  browser / ESM   (index.js + wasm)', browser)
line('  Node require    (index.cjs + wasm)', node)
line('  mini-program    (' + miniFiles.map(f => f.slice(12)).join(' + ') + ')', mini)
line('whole package (every file above)', all)
console.error(JSON.stringify({ browser: browser[1], miniprogram: mini[1], summary: `browser load ${browser[1]} B gzip (${browser[2]} B brotli), mini-program code package ${mini[0]} B raw, ${mini[1]} B as it travels (gzip -9 JS + .wasm.br), whole package ${all[1]} B gzip` }))
"#;
    let outp = Command::new("node").args(["-e", script]).arg(out).output().map_err(|e| format!("node: {e}"))?;
    if !outp.status.success() {
        return Err(format!("size report failed: {}", String::from_utf8_lossy(&outp.stderr)));
    }
    println!("\nnpm package at {}:\n{}", out.display(), String::from_utf8_lossy(&outp.stdout));
    let json: serde_json::Value =
        serde_json::from_slice(&outp.stderr).map_err(|e| format!("size report: not JSON ({e})"))?;
    let number = |k: &str| json[k].as_u64().ok_or_else(|| format!("size report: no {k}"));
    Ok(Size {
        summary: json["summary"].as_str().unwrap_or_default().to_owned(),
        browser: number("browser")?,
        miniprogram: number("miniprogram")?,
    })
}

fn read(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).map_err(|e| format!("read {}: {e}", p.display()))
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("mkdir {}: {e}", dir.display()))?;
    }
    std::fs::copy(from, to).map(drop).map_err(|e| format!("copy {} -> {}: {e}", from.display(), to.display()))
}

fn write(p: &Path, s: &str) -> Result<()> {
    std::fs::write(p, s).map_err(|e| format!("write {}: {e}", p.display()))
}
