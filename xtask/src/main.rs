//! `cargo xtask`: the project's two set-up commands and their helpers.
//!
//! - `cargo xtask demo`: installs what is missing, builds the npm package,
//!   starts the emulator with demo data and serves `www/`.
//! - `cargo xtask test`: installs what is missing, then runs every test:
//!   native (core + emulator), wasm in Node, wasm in headless Chromium, the
//!   packed npm package in Node, and the demo page in a real browser; beside
//!   them, the package in Firefox and WebKit and the mini-program build in
//!   `jsc --useJIT=false` (see `engines`).
//! - `cargo xtask pack`: writes the npm package to `target/npm/baas-order/`
//!   (under `$CARGO_TARGET_DIR` / `build.target-dir` when set) and prints its size.
//! - `cargo xtask bench`: times the SDK against raw fetch on loopback (Node,
//!   Chromium, Firefox, WebKit).
//! - `cargo xtask setup`: installs what the other commands need.
//! - `cargo xtask docs`: builds the package and its API reference (TypeDoc
//!   over `index.d.ts`, see `apidocs`).
//! - `cargo xtask node FILE…`: builds the package, starts the emulator and
//!   runs only these `node --test` files against them (one test file while
//!   working on it; `cargo xtask test` runs them all).
//!
//! It uses the SDK crate's core tables (see `tables`) and serde_json for
//! `cargo metadata`; it builds in seconds.

mod apidocs;
mod emulator;
mod engines;
mod fuzz;
mod glue;
mod imports;
mod miniprogram;
mod pack;
mod serve;
mod tables;
mod toolchains;
mod tools;
mod wasm_bin;
mod wasm_url;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::OnceLock;

pub type Result<T> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    tools::put_cargo_bin_on_path();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("pack") => tools::ensure_build_tools().and_then(|()| pack::pack().map(|_| ())),
        Some("bench") => bench(),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("setup") => tools::ensure_build_tools().and_then(|()| tools::ensure_test_tools()),
        Some("node") => node_files(&args[1..]),
        Some("docs") => {
            tools::ensure_build_tools().and_then(|()| pack::pack()).and_then(|_| apidocs::build()).map(drop)
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <demo|test|pack|bench|setup|docs|node>\n\
                 \n  demo   build the package, start the emulator with demo data, serve www/\
                 \n  test   run every test (native, wasm in Node and Chromium, npm package, page, Firefox, WebKit, jsc)\
                 \n  pack   write the npm package to <target-dir>/npm/baas-order/ and print its size\
                 \n  bench  time the SDK against raw fetch on loopback (figures, not a test)\
                 \n  setup  install the tools the other commands need (idempotent)\
                 \n  docs   build the package's API reference (TypeDoc) into <target-dir>/api-docs/\
                 \n  node   FILE... build the package, start the emulator, run only these node --test files"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(Path::to_path_buf).unwrap_or(here)
}

/// Cargo's target directory (`target/` unless `CARGO_TARGET_DIR` or
/// `build.target-dir` says otherwise), asked of `cargo metadata` once.
pub fn target_dir() -> Result<PathBuf> {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    if let Some(dir) = DIR.get() {
        return Ok(dir.clone());
    }
    let mut cmd = cargo();
    cmd.args(["metadata", "--no-deps", "--format-version", "1"]).current_dir(root());
    let out = cmd.output().map_err(|e| format!("cannot start {}: {e}", describe(&cmd)))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed ({}): {}",
            describe(&cmd),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("{}: output is not JSON: {e}", describe(&cmd)))?;
    let dir = meta["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| format!("{}: no \"target_directory\" in its output", describe(&cmd)))?;
    Ok(DIR.get_or_init(|| dir).clone())
}

/// Runs a command from the repository root, echoing it, and fails on a non-zero exit.
pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("+ {}", describe(cmd));
    let status = cmd.current_dir_if_unset().status().map_err(|e| format!("cannot start {}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(cmd)))
    }
}

pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

trait CurrentDir {
    fn current_dir_if_unset(&mut self) -> &mut Self;
}

impl CurrentDir for Command {
    fn current_dir_if_unset(&mut self) -> &mut Self {
        if self.get_current_dir().is_none() {
            self.current_dir(root());
        }
        self
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn demo(args: &[String]) -> Result<()> {
    let port: u16 = flag(args, "--port").unwrap_or(8787);
    let www_port: u16 = flag(args, "--www-port").unwrap_or(8080);
    let orders: u32 = flag(args, "--orders").unwrap_or(500);
    tools::ensure_build_tools()?;
    pack::pack()?;
    apidocs::build()?;
    let emu = emulator::Emulator::start(port, orders)?;
    let server = serve::Static::start(www_port, &emu.url)?;
    println!();
    println!("baas-order demo is running");
    println!("  emulator     {}", emu.url);
    println!("  control token  {}", emu.control_token);
    println!("  client ID    {}", emulator::CLIENT_ID);
    println!("  admin token  {}", emulator::ADMIN_TOKEN);
    println!("  user token   {} (user 1)", emulator::USER_TOKEN);
    println!("  console      {}/", server.url);
    println!("  API docs     {}/api/", server.url);
    println!();
    println!("try it:");
    println!(
        "  curl -H 'X-Hydrogen-Client-ID: {}' -H 'Authorization: Hydrogen-r1 {}' '{}/hserve/v2.2/idp/pay/order/?limit=2'",
        emulator::CLIENT_ID,
        emulator::ADMIN_TOKEN,
        emu.url
    );
    println!();
    println!("Ctrl-C stops both.");
    emu.wait()
}

fn bench() -> Result<()> {
    tools::ensure_build_tools()?;
    // Chromium and the Node packages for the browser part.
    tools::ensure_test_tools()?;
    pack::pack()?;
    let emu = emulator::Emulator::start_profile(0, 5000, true)?;
    // Node, Chromium, then Firefox and WebKit (tests/bench/engines.mjs, fewer rounds), then the
    // emulator's own time for the largest list queries (tests/bench/emulator.mjs).
    for script in
        ["tests/bench/bench.mjs", "tests/bench/browser.mjs", "tests/bench/engines.mjs", "tests/bench/emulator.mjs"]
    {
        run(Command::new("node")
            .arg(script)
            .envs(emu.env())
            .envs([tables::paths_env()])
            .env(PACKAGE_DIR_ENV, pack::out_dir()?))?;
    }
    Ok(())
}

/// Where the node test runs and the bench find the built package.
const PACKAGE_DIR_ENV: &str = "BAAS_PACKAGE_DIR";

fn flag<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok())
}

fn test(_args: &[String]) -> Result<()> {
    tools::ensure_build_tools()?;
    tools::ensure_test_tools()?;
    let root = root();

    step("format: cargo fmt --check");
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;

    step("lint: clippy, native and wasm32 (unwrap/expect/panic denied in the SDK)");
    run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    run(cargo().args([
        "clippy",
        "-p",
        "baas-order",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--features",
        "bare",
        "--",
        "-D",
        "warnings",
    ]))?;

    step("native tests: SDK core and emulator");
    run(cargo().args(["test", "--workspace"]))?;

    step("npm package: build");
    let size = pack::pack()?;
    // The budget is a rule of the project: a package over it fails the tests.
    size.within_budget()?;

    let emu = emulator::Emulator::start_for_tests(200)?;
    let www = serve::Static::start(0, &emu.url)?;
    let env = [emu.env(), www.env(), vec![tables::paths_env()]].concat();

    // The wasm tests (tests/wasm.rs, tests/wasm_uninit.rs): `cargo test` for the wasm target, each test binary run
    // by wasm-bindgen-test-runner (installed with wasm-bindgen-cli), as `wasm-pack test` does it, without building
    // wasm-pack (about 2 minutes of a new machine's first run).
    let wasm_tests = || {
        let mut cmd = cargo();
        cmd.args(["test", "--target", "wasm32-unknown-unknown"])
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
            .envs(env.iter().cloned());
        cmd
    };
    step("wasm in Node: cargo test --target wasm32-unknown-unknown (wasm-bindgen-test-runner)");
    run(wasm_tests().env("WASM_BINDGEN_TEST_ONLY_NODE", "1"))?;
    emu.reset()?;

    step("wasm in headless Chromium: cargo test --target wasm32-unknown-unknown (wasm-bindgen-test-runner, chromedriver)");
    run(wasm_tests()
        .env("WASM_BINDGEN_TEST_ONLY_WEB", "1")
        .env("WASM_BINDGEN_USE_BROWSER", "1")
        .env("CHROMEDRIVER", tools::CHROMEDRIVER))?;
    emu.reset()?;

    // Firefox, WebKit and jsc, each with its own emulator, beside the stages below. Not
    // beside the Chromium wasm tests: their runner gives each WebDriver request 20 s,
    // which a loaded 2-core machine misses at times even with nothing beside it.
    let engines = engines::start()?;

    step("packed npm package in Node (seed examples, minapp-sdk compatibility), the console page in Chromium");
    let files = [test_files(&root.join("tests").join("js"))?, test_files(&root.join("tests").join("page"))?].concat();
    run(Command::new("node")
        .arg("--test")
        .arg("--test-concurrency=1")
        .args(&files)
        .envs(env.iter().cloned())
        .env(PACKAGE_DIR_ENV, pack::out_dir()?))?;

    step("types: tsc --noEmit --strict over a file that uses every call");
    // tests/ts/tsconfig.json, pointed at the package just built (wherever the target dir is).
    // Outside target/npm: esbuild would otherwise find it above the build folder and
    // let it change the next pack's output (it added "use strict" to the CommonJS files).
    let tsconfig = target_dir()?.join("typecheck").join("tsconfig.json");
    std::fs::create_dir_all(tsconfig.parent().unwrap_or(&root)).map_err(|e| format!("mkdir typecheck: {e}"))?;
    let json = |p: PathBuf| format!("\"{}\"", p.display().to_string().replace('\\', "\\\\").replace('"', "\\\""));
    // usage.ts with no DOM library (the .d.ts must stand alone), dom.ts as a web page compiles it.
    for (file, lib) in [("usage.ts", ""), ("dom.ts", ", \"lib\": [\"es2022\", \"dom\"]"), ("payment.ts", "")] {
        let tsconfig_text = format!(
            "{{\"extends\": {}, \"compilerOptions\": {{\"paths\": {{\"baas-order\": [{}]}}{lib}}}, \"files\": [{}]}}\n",
            json(root.join("tests/ts/tsconfig.json")),
            json(pack::out_dir()?.join("index.d.ts")),
            json(root.join("tests/ts").join(file)),
        );
        std::fs::write(&tsconfig, tsconfig_text).map_err(|e| format!("write {}: {e}", tsconfig.display()))?;
        run(Command::new(tools::node_bin("tsc")).args(["--noEmit", "--strict", "-p"]).arg(&tsconfig))?;
    }

    toolchains::test(&env)?;

    engines.join()?;

    println!();
    println!(
        "package size: {} (budget {} B each for the browser and the mini-program load)",
        size.summary,
        pack::BUDGET
    );
    println!("all test stages passed");
    Ok(())
}

/// `cargo xtask node FILE…`: the package stage of `test` for the files given.
fn node_files(files: &[String]) -> Result<()> {
    if files.is_empty() {
        return Err("usage: cargo xtask node tests/js/<file>.test.mjs [more files]".into());
    }
    tools::ensure_build_tools()?;
    tools::ensure_test_tools()?;
    pack::pack()?;
    let emu = emulator::Emulator::start_for_tests(200)?;
    let www = serve::Static::start(0, &emu.url)?;
    let env = [emu.env(), www.env(), vec![tables::paths_env()]].concat();
    run(Command::new("node")
        .arg("--test")
        .arg("--test-concurrency=1")
        .args(files)
        .envs(env)
        .env(PACKAGE_DIR_ENV, pack::out_dir()?))
}

/// The `*.test.mjs` files of a folder, sorted (none if it does not exist).
fn test_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    Ok(files)
}

fn step(name: &str) {
    eprintln!("\n==== {name}");
}
