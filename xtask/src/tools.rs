//! Installs what the build and the tests need, only when it is missing.
//! Every check is a quick version probe, so a second run costs about a second.

use crate::{root, run, Result};
use std::path::PathBuf;
use std::process::Command;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The wasm target, wasm-bindgen-cli at the version Cargo.toml pins, and the
/// Node packages (binaryen's wasm-opt among them).
pub fn ensure_build_tools() -> Result<()> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_node_modules()
}

/// wasm-pack, Chromium and chromedriver.
pub fn ensure_test_tools() -> Result<()> {
    if output("wasm-pack", &["--version"]).is_none() {
        run(Command::new("cargo").args(["install", "wasm-pack"]))?;
    }
    // Debian packages: Chromium and its driver for the browser tests, CJK
    // fonts so the console's screenshots are legible.
    let mut missing = Vec::new();
    if !PathBuf::from(CHROMIUM).exists() || !PathBuf::from(CHROMEDRIVER).exists() {
        missing.extend(["chromium", "chromium-driver"]);
    }
    if output("dpkg", &["-s", "fonts-wqy-microhei"]).is_none() {
        missing.push("fonts-wqy-microhei");
    }
    if !missing.is_empty() {
        eprintln!("installing Debian packages: {}", missing.join(" "));
        run(Command::new("apt-get").arg("update"))?;
        run(Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"))?;
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// The `wasm-bindgen = "=X"` pin in the root Cargo.toml.
pub fn pinned_wasm_bindgen() -> Result<String> {
    let toml = std::fs::read_to_string(root().join("Cargo.toml"))
        .map_err(|e| format!("read Cargo.toml: {e}"))?;
    toml.lines()
        .find_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("wasm-bindgen")?.trim_start();
            let rest = rest.strip_prefix('=')?.trim().strip_prefix("\"=")?;
            rest.split('"').next().map(str::to_owned)
        })
        .ok_or_else(|| "Cargo.toml has no `wasm-bindgen = \"=X\"` pin".into())
}

fn ensure_wasm_bindgen() -> Result<()> {
    let want = pinned_wasm_bindgen()?;
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(want.as_str()) {
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &want]))?;
    }
    Ok(())
}

/// `npm ci` in tests/ when node_modules is missing or older than the lock file.
fn ensure_node_modules() -> Result<()> {
    let dir = root().join("tests");
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules").join(".xtask-lock");
    let lock_text = std::fs::read_to_string(&lock).map_err(|e| format!("read {}: {e}", lock.display()))?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(lock_text.as_str()) {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir))?;
    std::fs::write(&stamp, lock_text).map_err(|e| format!("write {}: {e}", stamp.display()))
}

/// A binary installed by npm in tests/node_modules/.bin.
pub fn node_bin(name: &str) -> PathBuf {
    root().join("tests").join("node_modules").join(".bin").join(name)
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
