//! `baas-emulator` binary. Flags, API, controls and limits: `emulator/README.md`
//! (`--help` prints the flags).

use std::io::Write;
use std::process::ExitCode;

use baas_emulator::{order_count, serve, Config};

const HELP: &str = "\
baas-emulator: local stand-in for the MinCloud (知晓云) payment-order API

USAGE:
    baas-emulator [--host H] [--port P] [--client-id ID] [--admin-token T]
                  [--user-token UID=TOKEN]... [--orders N] [--seed S]
                  [--control-token T] [--control-origin ORIGIN]... [--record-credentials]

FLAGS:
    --host H                address to bind (default 127.0.0.1)
    --port P                port (default 8787; 0 = pick a free port)
    --client-id ID          required X-Hydrogen-Client-ID (default demo-client-id)
    --admin-token T         admin token: sees all orders, may refund and share
                            (default demo-admin-token)
    --user-token UID=TOKEN  user token, sees only orders created by UID;
                            repeatable (default: 1=demo-user-token)
    --orders N              generate N deterministic demo orders (default 0)
    --seed S                seed of the demo data (default 42)
    --control-token T       the X-Emulator-Token that /__emulator/* requires
                            (default: a random one, printed at start)
    --control-origin O      also let a web page of origin O (http://host:port)
                            use /__emulator/*; repeatable (default: none)
    --record-credentials    keep Authorization in the request record
                            (default: the credential is redacted)
    -h, --help              print this help

Fixture orders are always present (ids 29973, 47963-47966, 50001-50004).
Registered profit-sharing receivers:
    WeChat  MERCHANT_ID 1900000109, PERSONAL_OPENID oUpF8uMuAJO_M2pxb1Q9zNjWeS6o
    Alipay  userId 2088101126765726, loginName receiver@example.com

Test controls, with the header X-Emulator-Token: T (no web page may use them):
GET /__emulator/health, GET|DELETE /__emulator/requests (the last 1000 requests,
bodies cut at 4096 bytes), POST /__emulator/reset, POST|GET|DELETE /__emulator/faults
    (POST body {\"kind\": \"status\"|\"delay\"|\"drop\"|\"malformed\", \"count\": 1,
     \"status\": 500, \"delay_ms\": 1500, \"path_prefix\": \"/hserve/\"})

Limits: request bodies 1 MiB (413 before read whole), heads 64 KiB (431);
a request head must arrive within 10 s (also the keep-alive idle limit),
a body within 10 s (408).
";

enum Parsed {
    Run(Config),
    Help,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Parsed, String> {
    let mut cfg = Config::default();
    let mut users: Vec<(i64, String)> = Vec::new();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if flag == "--help" || flag == "-h" {
            return Ok(Parsed::Help);
        }
        if flag == "--record-credentials" {
            cfg.record_credentials = true;
            continue;
        }
        let mut value = || -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it.next().ok_or_else(|| format!("{flag} needs a value")),
            }
        };
        match flag.as_str() {
            "--host" => cfg.host = value()?,
            "--port" => cfg.port = value()?.parse().map_err(|_| "--port must be 0..65535".to_string())?,
            "--client-id" => cfg.client_id = value()?,
            "--admin-token" => cfg.admin_token = value()?,
            "--user-token" => {
                let v = value()?;
                let (uid, token) = v.split_once('=').ok_or("--user-token must be UID=TOKEN")?;
                let uid: i64 = uid.parse().map_err(|_| "--user-token UID must be an integer".to_string())?;
                if token.is_empty() {
                    return Err("--user-token TOKEN must not be empty".into());
                }
                users.push((uid, token.to_string()));
            }
            "--orders" => {
                cfg.orders = value()?.parse().map_err(|_| "--orders must be a non-negative integer".to_string())?
            }
            "--seed" => cfg.seed = value()?.parse().map_err(|_| "--seed must be a non-negative integer".to_string())?,
            "--control-token" => {
                let t = value()?;
                if t.is_empty() || !t.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err("--control-token must be non-empty printable ASCII without spaces".into());
                }
                cfg.control_token = Some(t);
            }
            "--control-origin" => {
                let o = value()?;
                if !(o.starts_with("http://") || o.starts_with("https://")) || o.ends_with('/') {
                    return Err("--control-origin must be an origin like http://127.0.0.1:8000".into());
                }
                cfg.control_origins.push(o);
            }
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    if cfg.client_id.is_empty() || cfg.admin_token.is_empty() {
        return Err("--client-id and --admin-token must not be empty".into());
    }
    if !users.is_empty() {
        cfg.user_tokens = users;
    }
    Ok(Parsed::Run(cfg))
}

fn main() -> ExitCode {
    let cfg = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Run(c)) => c,
        Ok(Parsed::Help) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("baas-emulator: {e}\n(see --help)");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("baas-emulator: cannot start runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    rt.block_on(async move {
        let count = order_count(&cfg);
        let given = cfg.control_token.is_some();
        let (addr, handle) = match serve(cfg.clone()).await {
            Ok(x) => x,
            Err(e) => {
                eprintln!("baas-emulator: cannot listen on {}:{}: {e}", cfg.host, cfg.port);
                return ExitCode::FAILURE;
            }
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "baas-emulator listening on http://{addr}");
        let _ = writeln!(
            out,
            "client id: {}  admin token: {}  orders: {} ({} generated, seed {})",
            cfg.client_id, cfg.admin_token, count, cfg.orders, cfg.seed
        );
        if given {
            let _ = writeln!(out, "control token: as given by --control-token (header X-Emulator-Token)");
        } else {
            let _ = writeln!(out, "control token: {} (header X-Emulator-Token)", handle.control_token());
        }
        let _ = out.flush();
        drop(out);
        handle.wait().await;
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Result<Parsed, String> {
        parse_args(s.iter().map(|x| x.to_string()))
    }

    #[test]
    fn defaults_and_flags() {
        let Ok(Parsed::Run(c)) = args(&[]) else { panic!() };
        assert_eq!((c.port, c.host.as_str(), c.orders, c.seed), (8787, "127.0.0.1", 0, 42));
        assert_eq!(c.user_tokens, vec![(1, "demo-user-token".to_string())]);
        let Ok(Parsed::Run(c)) = args(&[
            "--port",
            "0",
            "--client-id",
            "cid",
            "--admin-token=adm",
            "--user-token",
            "2=u2",
            "--user-token",
            "3=u3",
            "--orders",
            "10",
            "--seed",
            "7",
            "--host",
            "0.0.0.0",
            "--control-token",
            "ct",
            "--control-origin",
            "http://127.0.0.1:9",
            "--record-credentials",
        ]) else {
            panic!()
        };
        assert_eq!((c.port, c.client_id.as_str(), c.admin_token.as_str()), (0, "cid", "adm"));
        assert_eq!(c.user_tokens, vec![(2, "u2".to_string()), (3, "u3".to_string())]);
        assert_eq!((c.orders, c.seed, c.host.as_str()), (10, 7, "0.0.0.0"));
        assert_eq!(c.control_token.as_deref(), Some("ct"));
        assert_eq!(c.control_origins, vec!["http://127.0.0.1:9".to_string()]);
        assert!(c.record_credentials);
        let Ok(Parsed::Run(c)) = args(&[]) else { panic!() };
        assert_eq!((c.control_token, c.control_origins.len(), c.record_credentials), (None, 0, false));
    }

    #[test]
    fn bad_flags_are_errors() {
        assert!(matches!(args(&["--help"]), Ok(Parsed::Help)));
        assert!(args(&["--port"]).is_err());
        assert!(args(&["--port", "x"]).is_err());
        assert!(args(&["--user-token", "abc"]).is_err());
        assert!(args(&["--orders", "-1"]).is_err());
        assert!(args(&["--bogus"]).is_err());
        assert!(args(&["--control-token", ""]).is_err());
        assert!(args(&["--control-token", "a b"]).is_err());
        assert!(args(&["--control-origin", "*"]).is_err());
        assert!(args(&["--control-origin", "http://x/"]).is_err());
    }
}
