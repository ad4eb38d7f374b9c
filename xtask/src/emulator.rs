//! Starts `baas-emulator` as a child process and stops it when dropped.

use crate::{cargo, run, target_dir, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// Demo and test credentials (also the emulator's defaults).
pub const CLIENT_ID: &str = "demo-client-id";
pub const ADMIN_TOKEN: &str = "demo-admin-token";
pub const USER_TOKEN: &str = "demo-user-token";

pub struct Emulator {
    child: Child,
    pub url: String,
}

impl Emulator {
    /// Builds the emulator (debug profile, shared with the native tests) and
    /// starts it on `port` (0 = any free port) with `orders` demo orders.
    pub fn start(port: u16, orders: u32) -> Result<Emulator> {
        Emulator::start_profile(port, orders, false)
    }

    /// As [`Emulator::start`]; `release` builds it optimised (for benchmarks,
    /// where the server's own time should be small and steady).
    pub fn start_profile(port: u16, orders: u32, release: bool) -> Result<Emulator> {
        let mut build = cargo();
        build.args(["build", "--quiet", "-p", "baas-emulator"]);
        if release {
            build.arg("--release");
        }
        run(&mut build)?;
        let bin = target_dir()?
            .join(if release { "release" } else { "debug" })
            .join(format!("baas-emulator{}", std::env::consts::EXE_SUFFIX));
        let mut child = Command::new(&bin)
            .args(["--port", &port.to_string(), "--orders", &orders.to_string(), "--seed", "42"])
            .args(["--client-id", CLIENT_ID, "--admin-token", ADMIN_TOKEN])
            .args(["--user-token", &format!("1={USER_TOKEN}")])
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
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
        Ok(Emulator { child, url })
    }

    /// Environment for the test runners: where the emulator is and how to talk to it.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("BAAS_EMULATOR_URL".into(), self.url.clone()),
            ("BAAS_CLIENT_ID".into(), CLIENT_ID.into()),
            ("BAAS_ADMIN_TOKEN".into(), ADMIN_TOKEN.into()),
            ("BAAS_USER_TOKEN".into(), USER_TOKEN.into()),
        ]
    }

    /// `POST /__emulator/reset`: back to the data it started with.
    pub fn reset(&self) -> Result<()> {
        let hostport = self.url.trim_start_matches("http://");
        let mut s = TcpStream::connect(hostport).map_err(|e| format!("emulator reset: {e}"))?;
        write!(
            s,
            "POST /__emulator/reset HTTP/1.1\r\nHost: {hostport}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
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
