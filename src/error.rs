//! `HError`: the error every SDK call rejects (or throws) with.

#[allow(unused_imports)]
use crate::prelude::*;

/// JS `BaaS.HError`: `.code` and `.message` (= `"{code}: {text}"`), and
/// what a program can act on: `.field` and `.outcomeUnknown`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HError {
    /// JS `.code`: an SDK code (600..=611) or the HTTP status.
    pub code: u16,
    /// The text after `"{code}: "` in JS `.message`.
    pub text: String,
    /// JS `.field`: the parameter a 605 names, as its own value (never cut
    /// from the text, which the token redaction may have changed).
    pub field: Option<Box<str>>,
    /// JS `.outcomeUnknown`: a money-moving request failed after it was
    /// handed over, so it may have moved money (the text says so too).
    pub outcome_unknown: bool,
    /// JS `.aborted`: the caller's `signal` ended the call (its reason is `e.cause`).
    pub aborted: bool,
}

/// 600: network failure.
pub const NETWORK: u16 = 600;
/// 601: request timeout.
pub const TIMEOUT: u16 = 601;
/// 602: `BaaS.init` not called yet.
pub const UNINITIALIZED: u16 = 602;
/// 605: bad parameter.
pub const BAD_PARAM: u16 = 605;
/// 611: not supported on this platform.
pub const UNSUPPORTED: u16 = 611;

/// The JS HError constructor's `flags`, `new HError(code, text, flags,
/// field)`: bits that the wasm (see [`HError::flags`]) and the shell set.
/// `cargo xtask pack` writes them into the shell's `tables.js` under these
/// names. (`i32`: the wasm turns an `i32` into a JS number with code it
/// already has; a `u32` measured 8 B more.) Bit 4: `e.outcomeUnknown`.
pub const FLAG_OUTCOME_UNKNOWN: i32 = 4;
/// Bit 8: `e.aborted` (the caller's signal ended the call).
pub const FLAG_ABORTED: i32 = 8;

impl HError {
    /// An error with an explicit text.
    pub fn new(code: u16, text: impl Into<String>) -> HError {
        HError { code, text: text.into(), field: None, outcome_unknown: false, aborted: false }
    }

    /// A 605 naming the offending field: text `"{field}: {reason}"`.
    pub fn bad_param(field: &str, reason: &str) -> HError {
        HError::new(BAD_PARAM, cat(&[field, ": ", reason])).naming(field)
    }

    /// A 605 for a key the SDK does not know: text `"unknown field {field}"`.
    pub fn unknown_field(field: &str) -> HError {
        HError::new(BAD_PARAM, cat(&["unknown field ", field])).naming(field)
    }

    /// The constructor's `flags` for this error: [`FLAG_OUTCOME_UNKNOWN`]
    /// and [`FLAG_ABORTED`] as they apply.
    pub fn flags(&self) -> i32 {
        (if self.outcome_unknown { FLAG_OUTCOME_UNKNOWN } else { 0 }) | if self.aborted { FLAG_ABORTED } else { 0 }
    }

    fn naming(mut self, field: &str) -> HError {
        self.field = Some(field.into());
        self
    }

    /// JS `.field`: the parameter a 605 names, if any.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// JS `.message`: `"{code}: {text}"`.
    pub fn message(&self) -> String {
        let mut s = String::new();
        push_num(&mut s, self.code.into());
        s.push_str(": ");
        s.push_str(&self.text);
        s
    }
}

/// `parts` joined (what `format!` would give for plain `{}` pieces, without
/// pulling the formatting machinery into the wasm).
pub(crate) fn cat(parts: &[&str]) -> String {
    let mut s = String::new();
    for p in parts {
        s.push_str(p);
    }
    s
}

/// Appends `n` in decimal, as `{}` formats it.
pub(crate) fn push_num(out: &mut String, n: u64) {
    if n >= 10 {
        push_num(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// The official `minapp-sdk` default texts of the SDK error codes: the one
/// table (`xtask pack` writes the JS shell's copy from it).
/// Row 0 is 600, which the wasm uses on its own.
pub const DEFAULT_TEXTS: [(u16, &str); 10] = [
    (600, "network disconnected"),
    (601, "request timeout"),
    (602, "uninitialized"),
    (603, "unauthorized"),
    (604, "session missing"),
    (605, "incorrect parameter type"),
    (607, "payment cancelled"),
    (608, "payment failed"),
    (611, "unsupported function"),
    (615, "gateway type \"weixin_tenpay_js\" works in WeChat builtin browser only"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The minapp-sdk default text of `code` in [`DEFAULT_TEXTS`].
    fn from_code(code: u16) -> HError {
        HError::new(code, DEFAULT_TEXTS.iter().find(|(c, _)| *c == code).map_or("", |(_, t)| t))
    }

    #[test]
    fn messages() {
        assert_eq!(from_code(NETWORK).message(), "600: network disconnected");
        assert_eq!(from_code(TIMEOUT).message(), "601: request timeout");
        assert_eq!(from_code(UNINITIALIZED).message(), "602: uninitialized");
        assert_eq!(from_code(BAD_PARAM).message(), "605: incorrect parameter type");
        assert_eq!(from_code(UNSUPPORTED).message(), "611: unsupported function");
        let e = HError::bad_param("refund_amount", "must be greater than 0 with at most 2 decimals");
        assert_eq!(e.code, 605);
        assert_eq!(e.message(), "605: refund_amount: must be greater than 0 with at most 2 decimals");
        assert_eq!(e.field(), Some("refund_amount"));
        assert_eq!(HError::unknown_field("options.x").message(), "605: unknown field options.x");
        assert_eq!(HError::unknown_field("options.x").field(), Some("options.x"));
        assert_eq!(HError::bad_param("receivers[0].amount", "x: y").field(), Some("receivers[0].amount"));
        assert_eq!(HError::unknown_field("a: b").field(), Some("a: b"));
        // The field is its own value: hiding a token in the text leaves it whole.
        let mut e = HError::bad_param("refund_amount", "must be greater than 0");
        e.text = crate::limits::hide(e.text, "amount", false);
        assert_eq!((e.text.as_str(), e.field()), ("refund_<redacted>: must be greater than 0", Some("refund_amount")));
        assert_eq!(from_code(NETWORK).field(), None);
        assert_eq!(HError::new(400, "a: b").field(), None);
        assert!(!from_code(NETWORK).outcome_unknown);
        for n in [0u64, 7, 10, 99, 404, 65_535, 2_147_483_647, u64::MAX] {
            let mut s = String::from("x");
            push_num(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
        assert_eq!(cat(&[]), "");
        assert_eq!(cat(&["a", "", "bc"]), "abc");
    }

    #[test]
    fn flags_carry_outcome_unknown_and_aborted_as_separate_bits() {
        let mut e = HError::new(600, "x");
        assert_eq!(e.flags(), 0);
        e.outcome_unknown = true;
        assert_eq!(e.flags(), FLAG_OUTCOME_UNKNOWN);
        e.aborted = true;
        assert_eq!(e.flags(), FLAG_OUTCOME_UNKNOWN | FLAG_ABORTED);
        e.outcome_unknown = false;
        assert_eq!(e.flags(), FLAG_ABORTED);
        assert_eq!(FLAG_OUTCOME_UNKNOWN & FLAG_ABORTED, 0);
    }
}
