//! `cargo xtask fuzz [--minutes N] [--seed S]`: the property test of the
//! packed package (`tests/js/fuzz.test.mjs`, which `cargo xtask test` runs
//! seeded and bounded) for as long as asked, against a fresh emulator. It
//! prints the counts the test gathers (calls, replies, HErrors by code,
//! non-HError outcomes, hangs, wasm traps, requests sent with a 605, tokens in
//! messages, unhandled rejections) and fails when any of the bad ones is not 0.
//! Without `--seed` the seed comes from the clock (it is printed).

use crate::{emulator, flag, pack, run, tools, Result, PACKAGE_DIR_ENV};
use std::process::Command;

pub fn fuzz(args: &[String]) -> Result<()> {
    let minutes: f64 = flag(args, "--minutes").unwrap_or(1.0);
    if minutes.is_nan() || minutes <= 0.0 {
        return Err("--minutes must be a positive number".into());
    }
    let seed: u64 = flag(args, "--seed").unwrap_or_else(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        now.map(|d| d.as_secs() % 1_000_000).unwrap_or(1)
    });
    tools::ensure_build_tools()?;
    tools::ensure_test_tools()?;
    pack::pack()?;
    // The test emulator records the Authorization header whole: the ordering
    // property checks which token reached which host.
    let emu = emulator::Emulator::start_for_tests(200)?;
    println!("fuzzing the packed package for {minutes} minute(s), seed {seed}");
    run(Command::new("node")
        .arg("--test")
        .arg(crate::root().join("tests").join("js").join("fuzz.test.mjs"))
        .envs(emu.env())
        .envs([crate::tables::paths_env()])
        .env(PACKAGE_DIR_ENV, pack::out_dir()?)
        .env("BAAS_FUZZ_MINUTES", minutes.to_string())
        .env("BAAS_FUZZ_SEED", seed.to_string()))
}
