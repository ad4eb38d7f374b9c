//! The engines stage of `cargo xtask test`: the packed package in Firefox
//! (SpiderMonkey) and WebKit (JavaScriptCore), the mini-program build in
//! `jsc --useJIT=false`, and the emitted JS's syntax against the oldest
//! engines of docs/support.md (tests/engines/).
//!
//! Each engine runs as its own `node --test` child with its own emulator and
//! static server (the cases refund and share, so two engines on one emulator
//! would see each other's writes), all at once and beside the other stages;
//! their output goes to a log each and is printed whole, one engine after
//! the other, when the stage is joined.

use crate::{emulator, pack, root, serve, tables, Result, PACKAGE_DIR_ENV};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::thread::JoinHandle;

/// The test files of the stage, each its own child process.
const FILES: [(&str, &str); 4] = [
    ("Firefox (SpiderMonkey)", "tests/engines/firefox.test.mjs"),
    ("WebKit (JavaScriptCore, MiniBrowser)", "tests/engines/webkit.test.mjs"),
    ("jsc --useJIT=false (mini-program build)", "tests/engines/jsc.test.mjs"),
    ("syntax of the emitted JS against docs/support.md", "tests/engines/syntax.test.mjs"),
];

type Outcome = Vec<(String, Result<()>, String)>;

/// A running engines stage; [`Stage::join`] waits for it and prints its output.
/// Dropped unjoined (an earlier stage failed), it still waits, so that the
/// engines' emulators are stopped rather than left running after xtask exits.
pub struct Stage {
    handle: Option<JoinHandle<Outcome>>,
}

/// Starts every engine's tests in the background (after `cargo xtask pack`).
pub fn start() -> Result<Stage> {
    let logs = crate::target_dir()?.join("engines");
    std::fs::create_dir_all(&logs).map_err(|e| format!("mkdir {}: {e}", logs.display()))?;
    let pkg = pack::out_dir()?;
    let handle = std::thread::spawn(move || {
        let runs: Vec<_> = FILES
            .iter()
            .map(|(name, file)| {
                let log = logs.join(format!("{}.log", file.rsplit('/').next().unwrap_or(file)));
                let pkg = pkg.clone();
                let name = name.to_string();
                let file = file.to_string();
                std::thread::spawn(move || {
                    let result = run_one(&file, &log, &pkg);
                    let text = std::fs::read_to_string(&log).unwrap_or_default();
                    (name, result, text)
                })
            })
            .collect();
        runs.into_iter()
            .map(|h| h.join().unwrap_or_else(|_| ("?".into(), Err("engine thread panicked".into()), String::new())))
            .collect()
    });
    Ok(Stage { handle: Some(handle) })
}

/// One test file with its own emulator and static server; output to `log`.
fn run_one(file: &str, log: &PathBuf, pkg: &PathBuf) -> Result<()> {
    let emu = emulator::Emulator::start_for_tests(200)?;
    let www = serve::Static::start(0, &emu.url)?;
    let out = std::fs::File::create(log).map_err(|e| format!("create {}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let status = Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .arg(file)
        .current_dir(root())
        .envs(emu.env())
        .envs(www.env())
        .envs([tables::paths_env()])
        .env(PACKAGE_DIR_ENV, pkg)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .status()
        .map_err(|e| format!("cannot start node --test {file}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("node --test {file} failed ({status})"))
    }
}

impl Stage {
    /// Waits for every engine, prints each one's output, fails if any failed.
    pub fn join(mut self) -> Result<()> {
        let handle = self.handle.take().ok_or("engines stage already joined")?;
        let results = handle.join().map_err(|_| "engines stage panicked".to_string())?;
        let mut failed = Vec::new();
        for (name, result, text) in results {
            crate::step(&format!("engines: {name}"));
            eprint!("{text}");
            if let Err(e) = result {
                eprintln!("FAILED: {e}");
                failed.push(name);
            }
        }
        if failed.is_empty() {
            Ok(())
        } else {
            Err(format!("engines failed: {}", failed.join(", ")))
        }
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            eprintln!("(waiting for the engines stage to stop its emulators)");
            let _ = handle.join();
        }
    }
}
