//! The one static file server: `www/` at `/`, the built npm package at
//! `/pkg/`, so the console imports it the way an app would, and the API
//! reference (`cargo xtask docs`) at `/api/`. Used by
//! `cargo xtask demo`, and by `cargo xtask test` / `bench`, which hand its
//! URL to the Node tests as `BAAS_STATIC_URL`.

use crate::{apidocs, pack, root, Result};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

pub struct Static {
    pub url: String,
}

impl Static {
    /// Serves on 127.0.0.1:`port` (0 = any) from a background thread.
    /// `emulator_url` is handed to the page as `/config.json`.
    pub fn start(port: u16, emulator_url: &str) -> Result<Static> {
        let pkg = pack::out_dir()?;
        let api = apidocs::out_dir()?;
        let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("bind 127.0.0.1:{port}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let config = format!(
            "{{\"emulator\":\"{}\",\"clientID\":\"{}\",\"token\":\"{}\",\"userToken\":\"{}\"}}",
            emulator_url,
            crate::emulator::CLIENT_ID,
            crate::emulator::ADMIN_TOKEN,
            crate::emulator::USER_TOKEN
        );
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let config = config.clone();
                let (pkg, api) = (pkg.clone(), api.clone());
                std::thread::spawn(move || {
                    let _ = handle(stream, &config, &pkg, &api);
                });
            }
        });
        Ok(Static { url: format!("http://{addr}") })
    }

    /// Environment for the test runners: where the console and package are served.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![("BAAS_STATIC_URL".into(), self.url.clone())]
    }
}

fn handle(mut stream: TcpStream, config: &str, pkg: &Path, api: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let (status, ctype, body) = match resolve(path, pkg, api) {
        _ if path == "/config.json" => ("200 OK", "application/json", config.as_bytes().to_vec()),
        Some(file) => match std::fs::read(&file) {
            Ok(bytes) => ("200 OK", content_type(&file), bytes),
            Err(_) => ("404 Not Found", "text/plain", b"not found".to_vec()),
        },
        None => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

/// Maps a URL path to a file (`/pkg/…` in the built package `pkg`, `/api/…`
/// in the API reference `api`, the rest in `www/`), refusing anything that
/// climbs out of its folder.
fn resolve(path: &str, pkg: &Path, api: &Path) -> Option<PathBuf> {
    // The console's QR code library (npm qrcode-generator, MIT), from the test tools' node_modules.
    if path == "/vendor/qrcode.mjs" {
        return Some(root().join("tests/node_modules/qrcode-generator/dist/qrcode.mjs"));
    }
    let (base, rest) = if let Some(rest) = path.strip_prefix("/pkg/") {
        (pkg.to_path_buf(), rest)
    } else if let Some(rest) = path.strip_prefix("/api/") {
        (api.to_path_buf(), rest)
    } else {
        (root().join("www"), path.trim_start_matches('/'))
    };
    let rest = if rest.is_empty() || rest.ends_with('/') { format!("{rest}index.html") } else { rest.to_owned() };
    let rel = Path::new(&rest);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(base.join(rel))
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}
