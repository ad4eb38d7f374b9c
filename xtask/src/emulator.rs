//! Starts `baas-emulator` as a child process and stops it when dropped.

use crate::{cargo, run, target_dir, Result};
use std::hash::{BuildHasher, RandomState};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};

/// Demo and test credentials (also the emulator's defaults).
pub const CLIENT_ID: &str = "demo-client-id";
pub const ADMIN_TOKEN: &str = "demo-admin-token";
pub const USER_TOKEN: &str = "demo-user-token";

/// The env var that hands the tests the emulator's control token.
pub const CONTROL_TOKEN_ENV: &str = "BAAS_EMULATOR_CONTROL_TOKEN";

pub struct Emulator {
    child: Child,
    pub url: String,
    /// The `X-Emulator-Token` its `/__emulator/*` control plane requires.
    pub control_token: String,
    /// `host:port` the Chromium wasm tests' page is served from, the one web
    /// origin allowed on the control plane (test emulators only).
    wasm_test_address: Option<String>,
}

/// A fresh control token: 128 bits from std's randomly keyed hasher (xtask
/// uses only the standard library).
fn random_token() -> String {
    let now = std::time::SystemTime::now();
    (0..2u64).map(|i| format!("{:016x}", RandomState::new().hash_one((i, std::process::id(), now)))).collect()
}

impl Emulator {
    /// Builds the emulator (debug profile, shared with the native tests) and
    /// starts it on `port` (0 = any free port) with `orders` demo orders.
    pub fn start(port: u16, orders: u32) -> Result<Emulator> {
        Emulator::launch(port, orders, false, false, false)
    }

    /// As [`Emulator::start`], for the benchmarks: `release` builds it
    /// optimised (the server's own time should be small and steady), and it
    /// records the `Authorization` header whole, because the browser bench
    /// replays the SDK's own recorded request with a raw `fetch` and an XHR.
    pub fn start_profile(port: u16, orders: u32, release: bool) -> Result<Emulator> {
        Emulator::launch(port, orders, release, true, false)
    }

    /// The emulator for `cargo xtask test`, on any free port: it records the
    /// `Authorization` header whole (the tests check the exact header the SDK
    /// sends), and lets the page of the Chromium wasm tests use the control
    /// plane: that page is served from a port picked here and handed to
    /// wasm-bindgen-test-runner as `WASM_BINDGEN_TEST_ADDRESS` (see [`Emulator::env`]).
    pub fn start_for_tests(orders: u32) -> Result<Emulator> {
        Emulator::launch(0, orders, false, true, true)
    }

    fn launch(port: u16, orders: u32, release: bool, record_credentials: bool, for_tests: bool) -> Result<Emulator> {
        let mut build = cargo();
        build.args(["build", "--quiet", "-p", "baas-emulator"]);
        if release {
            build.arg("--release");
        }
        run(&mut build)?;
        let bin = target_dir()?
            .join(if release { "release" } else { "debug" })
            .join(format!("baas-emulator{}", std::env::consts::EXE_SUFFIX));
        let control_token = random_token();
        let mut cmd = Command::new(&bin);
        cmd.args(["--port", &port.to_string(), "--orders", &orders.to_string(), "--seed", "42"])
            .args(["--client-id", CLIENT_ID, "--admin-token", ADMIN_TOKEN])
            .args(["--user-token", &format!("1={USER_TOKEN}")])
            .args(["--control-token", &control_token]);
        let mut wasm_test_address = None;
        if record_credentials {
            cmd.arg("--record-credentials");
        }
        if for_tests {
            let free = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?;
            cmd.args(["--control-origin", &format!("http://{free}")]);
            wasm_test_address = Some(free.to_string());
        }
        let mut child =
            cmd.stdout(Stdio::piped()).spawn().map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("emulator has no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().and_then(|l| l.ok()).ok_or("emulator exited before it printed its address")?;
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .ok_or_else(|| format!("unexpected first line from the emulator: {first}"))?
            .to_owned();
        // Keep draining its output so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        eprintln!("emulator at {url}");
        Ok(Emulator { child, url, control_token, wasm_test_address })
    }

    /// Environment for the test runners: where the emulator is and how to talk to it.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            ("BAAS_EMULATOR_URL".into(), self.url.clone()),
            (CONTROL_TOKEN_ENV.into(), self.control_token.clone()),
            ("BAAS_CLIENT_ID".into(), CLIENT_ID.into()),
            ("BAAS_ADMIN_TOKEN".into(), ADMIN_TOKEN.into()),
            ("BAAS_USER_TOKEN".into(), USER_TOKEN.into()),
        ];
        if let Some(addr) = &self.wasm_test_address {
            env.push(("WASM_BINDGEN_TEST_ADDRESS".into(), addr.clone()));
        }
        env
    }

    /// `POST /__emulator/reset`: back to the data it started with.
    pub fn reset(&self) -> Result<()> {
        let hostport = self.url.trim_start_matches("http://");
        let mut s = TcpStream::connect(hostport).map_err(|e| format!("emulator reset: {e}"))?;
        write!(
            s,
            "POST /__emulator/reset HTTP/1.1\r\nHost: {hostport}\r\nX-Emulator-Token: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.control_token
        )
        .map_err(|e| format!("emulator reset: {e}"))?;
        let mut reply = String::new();
        s.read_to_string(&mut reply).map_err(|e| format!("emulator reset: {e}"))?;
        if reply.starts_with("HTTP/1.1 2") {
            Ok(())
        } else {
            Err(format!("emulator reset answered: {}", reply.lines().next().unwrap_or("")))
        }
    }

    /// Blocks until the emulator exits (demo mode: until Ctrl-C).
    pub fn wait(mut self) -> Result<()> {
        let status = self.child.wait().map_err(|e| e.to_string())?;
        Err(format!("emulator exited: {status}"))
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
