//! Input limits: how much of a JS argument the SDK reads at all, the caps of
//! single fields, and the redaction of the token from error texts.
//!
//! The JS boundary (`js/convert.rs`) only applies this policy: it asks a
//! [`Budget`] before every value, string and array it would copy into wasm
//! memory, and stops at the first refusal. Shared references and cycles are
//! counted every time they are met, so a small cyclic object cannot make
//! the work grow (3 keys pointing back at their object stop after
//! [`MAX_VALUES`] reads, not 3^depth).

use crate::error::{cat, push_num, HError};

/// Most values (objects, arrays, strings, numbers, … and object keys) read
/// from one argument.
pub const MAX_VALUES: u32 = 1_000;
/// Longest string read from an argument, in UTF-16 code units (JS `length`).
/// Longer strings are refused before they are copied.
pub const MAX_STRING: u32 = 4_096;
/// Most string code units (keys and values) read from one argument in all.
pub const MAX_STRING_TOTAL: u32 = 65_536;
/// Longest array read; a longer one is refused before any element is read.
pub const MAX_ARRAY: u32 = 100;
/// Deepest nesting read (the arguments nest at most 3 deep).
pub const MAX_DEPTH: u32 = 8;

/// Longest `memo` of a refund, in UTF-16 code units.
pub const MAX_MEMO: usize = 256;
/// Longest token (`Authorization: Hydrogen-r1 <token>`), in bytes: well under
/// the 8 KiB header limits common in servers and proxies.
pub const MAX_TOKEN: usize = 1_024;
/// Most receivers of one profit sharing (WeChat's own cap; Alipay's too here).
pub const MAX_RECEIVERS: usize = 50;
/// Longest `getOrderList` filter value, in UTF-16 code units.
pub const MAX_FILTER_VALUE: usize = 1_024;

/// What a read costs so far; one per argument.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Budget {
    values: u32,
    string_units: u32,
}

/// Why a read stopped: the reason, and the path below the argument where it
/// stopped (innermost segment first while it unwinds, see [`Refusal::within`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    reason: &'static str,
    path: Vec<String>,
}

impl Refusal {
    /// A refusal at the current position.
    pub fn new(reason: &'static str) -> Refusal {
        Refusal { reason, path: Vec::new() }
    }

    /// The refusal seen from the enclosing value: it happened under `key`
    /// (an object key, or an array index when `index` is set).
    pub fn within(mut self, key: &str, index: bool) -> Refusal {
        self.path.push(if index { cat(&["[", key, "]"]) } else { cat(&[".", key]) });
        self
    }

    /// The 605 naming the field: `root` (e.g. `"data"`) and the path below it,
    /// e.g. `receivers[3].account: is longer than 4096 characters`. A path
    /// inside an argument drops the root's name, as validation errors do.
    pub fn into_error(self, root: &str) -> HError {
        let mut field = String::new();
        for seg in self.path.iter().rev() {
            field.push_str(seg);
        }
        let field = match field.strip_prefix('.') {
            Some(inner) => inner.to_string(),
            None if field.is_empty() => root.to_string(),
            None => cat(&[root, &field]),
        };
        HError::bad_param(&field, self.reason)
    }
}

impl Budget {
    /// A fresh budget for one argument.
    pub fn new() -> Budget {
        Budget::default()
    }

    /// One more value (or object key) at nesting `depth`.
    pub fn value(&mut self, depth: u32) -> Result<(), Refusal> {
        if depth > MAX_DEPTH {
            return Err(Refusal::new("is nested too deeply (at most 8 levels are read)"));
        }
        self.values += 1;
        if self.values > MAX_VALUES {
            return Err(Refusal::new("holds too many values (at most 1000 are read)"));
        }
        Ok(())
    }

    /// A string of `units` UTF-16 code units, asked before it is copied.
    pub fn string(&mut self, units: u32) -> Result<(), Refusal> {
        if units > MAX_STRING {
            return Err(Refusal::new("is longer than 4096 characters"));
        }
        self.string_units = self.string_units.saturating_add(units);
        if self.string_units > MAX_STRING_TOTAL {
            return Err(Refusal::new("holds too much text (at most 65536 characters are read)"));
        }
        Ok(())
    }

    /// An array of JS `length` `len`, asked before any element is read.
    pub fn array(&mut self, len: f64) -> Result<u32, Refusal> {
        if len.fract() == 0.0 && (0.0..=f64::from(MAX_ARRAY)).contains(&len) {
            Ok(len as u32)
        } else {
            Err(Refusal::new("is a longer array than 100 items"))
        }
    }
}

/// `s` in UTF-16 code units (JS `s.length`).
pub fn js_length(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// A 605 when `s` is longer than `max` UTF-16 code units.
pub fn check_length(s: &str, max: usize, field: &str) -> Result<(), HError> {
    if js_length(s) <= max {
        return Ok(());
    }
    let mut reason = String::from("must be at most ");
    push_num(&mut reason, max as u64);
    reason.push_str(" characters");
    Err(HError::bad_param(field, &reason))
}

/// `text` with every occurrence of `token` replaced by `<redacted>`: what the
/// SDK puts into an error message never holds the token, whatever a server or
/// a `request` function echoed.
pub fn redact(text: &str, token: Option<&str>) -> String {
    let token = match token {
        Some(t) if !t.is_empty() => t,
        _ => return text.to_string(),
    };
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = crate::encode::find(rest, token) {
        out.push_str(rest.get(..at).unwrap_or(""));
        out.push_str("<redacted>");
        rest = rest.get(at + token.len()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// `e` with the token `spec` was sent with redacted from its text.
pub fn redact_error(mut e: HError, spec: &crate::request::RequestSpec) -> HError {
    let token = spec
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, v)| v.strip_prefix("Hydrogen-r1 "));
    e.text = redact(&e.text, token);
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12 row 1: an object whose 3 keys all point back at it. Reading it
    /// as the boundary does (every key of every value, shared references
    /// counted each time) must stop after a bounded number of reads.
    #[test]
    fn row1_cyclic_breadth_stops_within_the_value_budget() {
        fn walk(b: &mut Budget, depth: u32, reads: &mut u32) -> Result<(), Refusal> {
            b.value(depth)?;
            *reads += 1;
            for key in ["a", "b", "c"] {
                b.value(depth + 1)?; // the key
                b.string(1)?;
                walk(b, depth + 1, reads).map_err(|r| r.within(key, false))?;
            }
            Ok(())
        }
        let mut reads = 0;
        let e = walk(&mut Budget::new(), 0, &mut reads).unwrap_err().into_error("data");
        assert!(reads <= MAX_VALUES, "{reads} reads");
        assert_eq!(e.code, 605);
        assert!(e.text.starts_with("a.a."), "{}", e.text);
        assert!(e.text.ends_with(": is nested too deeply (at most 8 levels are read)"), "{}", e.text);
        // Breadth alone (no depth): 2000 keys on one object stop at the value cap.
        let mut b = Budget::new();
        let stopped = (0..2000).position(|_| b.value(1).is_err()).unwrap();
        assert_eq!(stopped as u32, MAX_VALUES);
    }

    /// Issue 12 rows 2 and 5: a huge string is refused on its length, before
    /// any of it is copied; many medium strings are refused on their total.
    #[test]
    fn rows2_and_5_long_strings_are_refused_by_length() {
        let mut b = Budget::new();
        let e = b.string(10 * 1024 * 1024).unwrap_err();
        assert_eq!(e.clone().into_error("memo").message(), "605: memo: is longer than 4096 characters");
        let e = e.within("account", false).within("3", true).within("receivers", false).into_error("options");
        assert_eq!(e.text, "receivers[3].account: is longer than 4096 characters");
        assert!(b.string(MAX_STRING).is_ok());
        let mut b = Budget::new();
        let refused = (0..100).position(|_| b.string(MAX_STRING).is_err()).unwrap();
        assert_eq!(refused as u32, MAX_STRING_TOTAL / MAX_STRING);
        assert_eq!(Refusal::new("x").within("0", true).into_error("orderBy").text, "orderBy[0]: x");
    }

    #[test]
    fn arrays_are_refused_on_their_length() {
        let mut b = Budget::new();
        assert_eq!(b.array(0.0), Ok(0));
        assert_eq!(b.array(100.0), Ok(100));
        for bad in [101.0, 300.0, 4_294_967_295.0, -1.0, 1.5, f64::NAN, f64::INFINITY] {
            assert!(b.array(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn field_caps() {
        assert_eq!(js_length("订单😀"), 4);
        assert!(check_length(&"x".repeat(MAX_MEMO), MAX_MEMO, "memo").is_ok());
        let e = check_length(&"x".repeat(MAX_MEMO + 1), MAX_MEMO, "memo").unwrap_err();
        assert_eq!(e.message(), "605: memo: must be at most 256 characters");
    }

    /// Issue 12 row 10: a server (or a request function) echoing the token.
    #[test]
    fn row10_the_token_is_redacted_from_error_texts() {
        let t = "s3cr3t-admin";
        assert_eq!(
            redact("bad header Authorization: Hydrogen-r1 s3cr3t-admin (s3cr3t-admins3cr3t-admin)", Some(t)),
            "bad header Authorization: Hydrogen-r1 <redacted> (<redacted><redacted>)"
        );
        assert_eq!(redact("订单 s3cr3t-admin 😀", Some(t)), "订单 <redacted> 😀");
        assert_eq!(redact("nothing here", Some(t)), "nothing here");
        assert_eq!(redact("nothing here", None), "nothing here");
        assert_eq!(redact("nothing here", Some("")), "nothing here");
        let spec = crate::request::RequestSpec {
            method: crate::request::Method::Post,
            url: "https://x/".into(),
            headers: vec![("Authorization", "Hydrogen-r1 s3cr3t-admin".into())],
            body: None,
            moves_money: true,
        };
        let e = redact_error(HError::new(400, "no: Hydrogen-r1 s3cr3t-admin"), &spec);
        assert_eq!(e.message(), "400: no: Hydrogen-r1 <redacted>");
    }
}
