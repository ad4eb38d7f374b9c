//! `cargo xtask docs`: the API reference users browse, HTML built by TypeDoc
//! from the package's `index.d.ts` (the one `pack` writes, its unions filled
//! from the core), with the package README as its front page, into
//! `<target-dir>/api-docs/`. `cargo xtask demo` serves it at `/api/`.
//!
//! TypeDoc 0.28 takes TypeScript 5.0 to 6.0, and `tests/` checks types with
//! TypeScript 7, so TypeDoc and its TypeScript live in `tests/apidocs/` (a
//! linked package that the `npm ci` of `tests/` installs).

use crate::{pack, root, run, target_dir, Result};
use std::path::PathBuf;
use std::process::Command;

/// Where the HTML goes.
pub fn out_dir() -> Result<PathBuf> {
    Ok(target_dir()?.join("api-docs"))
}

/// Builds the reference from the package `pack` last wrote; TypeDoc's
/// warnings (an unresolved link, a doc tag it does not know) fail the build.
pub fn build() -> Result<PathBuf> {
    let pkg = pack::out_dir()?;
    let out = out_dir()?;
    let typedoc = root().join("tests").join("apidocs").join("node_modules").join("typedoc").join("bin").join("typedoc");
    run(Command::new("node")
        .arg(typedoc)
        .arg("--entryPoints")
        .arg(pkg.join("index.d.ts"))
        .arg("--readme")
        .arg(pkg.join("README.md"))
        .arg("--out")
        .arg(&out)
        .args(["--name", "baas-order", "--includeVersion", "--disableSources", "--treatWarningsAsErrors"])
        .current_dir(&pkg))?;
    println!("API reference at {}", out.join("index.html").display());
    Ok(out)
}
