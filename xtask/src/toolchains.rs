//! The toolchain matrix stage of `cargo xtask test`: the packed npm package,
//! installed from its `npm pack` tarball, built by Vite, webpack 5, Rollup and
//! esbuild and loaded by a plain `<script type="module">` page (each app run
//! in headless Chromium against the emulator), run by Node as ESM and CJS,
//! type-checked by tsc (`module: nodenext`, CJS and ESM projects), and linted
//! by publint and attw. The cases are `tests/toolchains/toolchains.test.mjs`;
//! the tools are pinned in `tests/toolchains/package.json` and its lock file.

use crate::{pack, root, run, step, target_dir, Result, PACKAGE_DIR_ENV};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Runs the stage against the running emulator (`env`: its URL and credentials).
pub fn test(env: &[(String, String)]) -> Result<()> {
    step("toolchains: the tarball in Vite, webpack, Rollup, esbuild, a plain page, Node ESM/CJS, tsc nodenext; publint, attw");
    let start = Instant::now();
    let dir = root().join("tests").join("toolchains");
    npm_ci(&dir)?;
    let tools = start.elapsed();
    run(Command::new("node")
        .args(["--test-reporter=spec", "toolchains.test.mjs"])
        .current_dir(&dir)
        .envs(env.iter().cloned())
        .env(PACKAGE_DIR_ENV, pack::out_dir()?)
        .env("BAAS_TOOLCHAINS_OUT", target_dir()?.join("toolchains")))?;
    eprintln!(
        "toolchain stage: {:.1} s ({:.1} s of it npm ci of tests/toolchains)",
        start.elapsed().as_secs_f64(),
        tools.as_secs_f64()
    );
    Ok(())
}

/// `npm ci` in `dir` when its node_modules is missing or older than the lock file.
fn npm_ci(dir: &Path) -> Result<()> {
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules").join(".xtask-lock");
    let lock_text = std::fs::read_to_string(&lock).map_err(|e| format!("read {}: {e}", lock.display()))?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(lock_text.as_str()) {
        return Ok(());
    }
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(dir))?;
    std::fs::write(&stamp, lock_text).map_err(|e| format!("write {}: {e}", stamp.display()))
}
