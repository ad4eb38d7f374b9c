//! Installs what the build and the tests need, only when it is missing.
//! Every check is a quick version probe, so a second run costs about a second.
//! What cannot be installed from here (rustup, Node, root rights) stops the
//! command with a message that says what to do.

use crate::{cargo, root, run, Result};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The other engines (tests/engines), each a Debian package: Firefox ESR;
/// WebKitGTK's WebDriver, which starts its MiniBrowser, on Xvfb; the `jsc`
/// shell of JavaScriptCore.
const ENGINES: [(&str, &str); 5] = [
    ("/usr/bin/firefox-esr", "firefox-esr"),
    ("/usr/bin/WebKitWebDriver", "webkit2gtk-driver"),
    ("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "libwebkit2gtk-4.1-0"),
    ("/usr/bin/xvfb-run", "xvfb"),
    ("/usr/bin/jsc", "libjavascriptcoregtk-4.0-bin"),
];

/// The oldest Node the package and its tests run on (`process.getBuiltinModule`).
const NODE_MIN: (u32, u32) = (20, 16);

/// Puts `$CARGO_HOME/bin` (default `~/.cargo/bin`) first on this process's
/// PATH, so what `cargo install` just put there is what the probes below, the
/// commands xtask runs find.
pub fn put_cargo_bin_on_path() {
    let Some(bin) = cargo_home().map(|h| h.join("bin")) else { return };
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    if dirs.first() == Some(&bin) {
        return;
    }
    dirs.insert(0, bin);
    if let Ok(joined) = std::env::join_paths(dirs) {
        // Called first thing in main, before any thread is started.
        std::env::set_var("PATH", joined);
    }
}

fn cargo_home() -> Option<PathBuf> {
    let nonempty = |v: OsString| (!v.is_empty()).then(|| PathBuf::from(v));
    std::env::var_os("CARGO_HOME")
        .and_then(nonempty)
        .or_else(|| std::env::var_os("HOME").and_then(nonempty).map(|h| h.join(".cargo")))
}

/// The wasm target, wasm-bindgen-cli at the version Cargo.toml pins, Node and
/// npm, and the Node packages (binaryen's wasm-opt among them).
pub fn ensure_build_tools() -> Result<()> {
    // Node first: it cannot be installed from here, so say so before minutes of cargo installs.
    ensure_node()?;
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_node_modules()
}

/// clippy, Chromium, chromedriver, CJK fonts, and the
/// other engines (Firefox ESR, WebKitGTK's driver on Xvfb, `jsc`).
pub fn ensure_test_tools() -> Result<()> {
    ensure_clippy()?;
    // Debian packages: Chromium and its driver for the browser tests, CJK
    // fonts so the console's screenshots are legible.
    let mut missing = Vec::new();
    if !PathBuf::from(CHROMIUM).exists() || !PathBuf::from(CHROMEDRIVER).exists() {
        missing.extend(["chromium", "chromium-driver"]);
    }
    if output("dpkg", &["-s", "fonts-wqy-microhei"]).is_none() {
        missing.push("fonts-wqy-microhei");
    }
    for (file, package) in ENGINES {
        if !PathBuf::from(file).exists() {
            missing.push(package);
        }
    }
    // xvfb-run needs xauth, a Recommends that --no-install-recommends leaves out.
    if !PathBuf::from("/usr/bin/xauth").exists() {
        missing.push("xauth");
    }
    if !missing.is_empty() {
        apt_install(&missing)?;
    }
    Ok(())
}

/// `apt-get update` then `apt-get install`: directly as root, else through
/// `sudo -n` (never a password prompt); otherwise says what to install.
fn apt_install(packages: &[&str]) -> Result<()> {
    let list = packages.join(" ");
    let by_hand =
        |sudo: &str| format!("{sudo}apt-get update && {sudo}apt-get install -y --no-install-recommends {list}");
    if output("apt-get", &["--version"]).is_none() {
        return Err(format!("missing {list}, and there is no apt-get to install them with: install them, then rerun"));
    }
    let root = output("id", &["-u"]).is_some_and(|uid| uid.trim() == "0");
    let sudo = !root && output("sudo", &["--version"]).is_some();
    if !root && !sudo {
        return Err(format!(
            "missing Debian packages {list}; not root and no sudo, so install them as root:\n  {}",
            by_hand("")
        ));
    }
    let apt = || {
        let mut cmd = if sudo { Command::new("sudo") } else { Command::new("apt-get") };
        if sudo {
            // sudo resets the environment; pass DEBIAN_FRONTEND as an argument.
            cmd.args(["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        }
        cmd.env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    eprintln!("installing Debian packages: {list}");
    let hint = |e: String| {
        if sudo {
            format!("{e}\n(sudo -n needs password-less sudo; otherwise run:\n  {})", by_hand("sudo "))
        } else {
            e
        }
    };
    run(apt().arg("update")).map_err(hint)?;
    run(apt().args(["install", "-y", "--no-install-recommends"]).args(packages)).map_err(hint)
}

/// rustup's version, or a message saying it is needed.
fn require_rustup() -> Result<()> {
    if output("rustup", &["--version"]).is_none() {
        return Err("rustup not found: it is needed to add the wasm32-unknown-unknown target (and clippy). \
                    Install Rust with rustup (https://rustup.rs), then rerun"
            .into());
    }
    Ok(())
}

fn ensure_clippy() -> Result<()> {
    if output_of(cargo().args(["clippy", "--version"])).is_none() {
        require_rustup()?;
        run(Command::new("rustup").args(["component", "add", "clippy"]))?;
    }
    Ok(())
}

/// Node (at least [`NODE_MIN`]) and npm must already be there.
fn ensure_node() -> Result<()> {
    let (major, minor) = NODE_MIN;
    let need = format!("Node.js >= {major}.{minor} (with npm) is needed; install it (https://nodejs.org), then rerun");
    let version = output("node", &["--version"]).ok_or_else(|| format!("node not found. {need}"))?;
    match node_version(&version) {
        Some(v) if v >= NODE_MIN => {}
        Some(_) => return Err(format!("node {} is too old. {need}", version.trim())),
        None => return Err(format!("cannot read `node --version` ({}). {need}", version.trim())),
    }
    if output("npm", &["--version"]).is_none() {
        return Err(format!("npm not found. {need}"));
    }
    Ok(())
}

/// `v20.16.0` -> (20, 16).
fn node_version(s: &str) -> Option<(u32, u32)> {
    let mut parts = s.trim().strip_prefix('v')?.split('.');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

fn ensure_wasm_target() -> Result<()> {
    require_rustup()?;
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// The `wasm-bindgen = "=X"` pin in the root Cargo.toml.
pub fn pinned_wasm_bindgen() -> Result<String> {
    let toml = std::fs::read_to_string(root().join("Cargo.toml")).map_err(|e| format!("read Cargo.toml: {e}"))?;
    toml.lines()
        .find_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("wasm-bindgen")?.trim_start();
            let rest = rest.strip_prefix('=')?.trim();
            // `"=X"`, or `{ version = "=X", ... }`.
            let rest = rest.strip_prefix("{ version = ").unwrap_or(rest).strip_prefix("\"=")?;
            rest.split('"').next().map(str::to_owned)
        })
        .ok_or_else(|| "Cargo.toml has no `wasm-bindgen = \"=X\"` (or `{ version = \"=X\", … }`) pin".into())
}

fn ensure_wasm_bindgen() -> Result<()> {
    let want = pinned_wasm_bindgen()?;
    // wasm-bindgen-cli installs both: `wasm-bindgen` for pack, `wasm-bindgen-test-runner` for the wasm tests.
    let version = |bin: &str| output(bin, &["--version"]).unwrap_or_default();
    let pinned = |have: String| have.split_whitespace().nth(1) == Some(want.as_str());
    if !pinned(version("wasm-bindgen")) || !pinned(version("wasm-bindgen-test-runner")) {
        run(cargo().args(["install", "wasm-bindgen-cli", "--version", &want]))?;
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
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&dir))?;
    std::fs::write(&stamp, lock_text).map_err(|e| format!("write {}: {e}", stamp.display()))
}

/// A binary installed by npm in tests/node_modules/.bin.
pub fn node_bin(name: &str) -> PathBuf {
    root().join("tests").join("node_modules").join(".bin").join(name)
}

/// A program's stdout if it ran and succeeded; `None` if it is missing or failed.
fn output(program: &str, args: &[&str]) -> Option<String> {
    output_of(Command::new(program).args(args))
}

fn output_of(cmd: &mut Command) -> Option<String> {
    let out = cmd.stdin(std::process::Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_versions() {
        assert_eq!(node_version("v20.20.2\n"), Some((20, 20)));
        assert_eq!(node_version("v20.16.0"), Some((20, 16)));
        assert!(node_version("v20.15.1").is_some_and(|v| v < NODE_MIN));
        assert!(node_version("v22.1.0").is_some_and(|v| v >= NODE_MIN));
        assert_eq!(node_version("20.16.0"), None);
        assert_eq!(node_version(""), None);
    }
}
