//! Input limits: how much of a JS argument the SDK reads at all, the caps of
//! single fields, and the redaction of the tokens from error texts and fields.
//!
//! The JS boundary (`js/convert.rs`) only applies this policy: it asks a
//! [`Budget`] before every value, string and array it would copy into wasm
//! memory, and stops at the first refusal. Shared references and cycles are
//! counted every time they are met, so a small cyclic object cannot make
//! the work grow (3 keys pointing back at their object stop after
//! [`MAX_VALUES`] reads, not 3^depth).

#[allow(unused_imports)]
use crate::prelude::*;

use crate::error::HError;

/// Most values (objects, arrays, strings, numbers, … and object keys) read
/// from one argument.
pub const MAX_VALUES: u32 = 1_000;
/// Longest string read from an argument, in UTF-16 code units (JS `length`):
/// the cap of every string field (`memo`, filter values, `account`, …).
/// Longer strings are refused before they are copied.
pub const MAX_STRING: u32 = 1_024;
/// Most string code units (keys and values) read from one argument in all.
pub const MAX_STRING_TOTAL: u32 = 65_536;
/// Longest array read; a longer one is refused before any element is read.
pub const MAX_ARRAY: u32 = 100;
/// Deepest nesting read (the arguments nest at most 3 deep).
pub const MAX_DEPTH: u32 = 8;

/// Longest token (`Authorization: Hydrogen-r1 <token>`), in bytes: well under
/// the 8 KiB header limits common in servers and proxies.
pub const MAX_TOKEN: usize = MAX_STRING as usize;
/// Most receivers of one profit sharing (WeChat's own cap; Alipay's too here).
pub const MAX_RECEIVERS: usize = 50;

/// The reason for a string longer than [`MAX_STRING`].
pub const TOO_LONG: &str = "is longer than 1024 characters";
/// The reason for an array longer than [`MAX_ARRAY`].
pub const TOO_MANY_ITEMS: &str = "is longer than 100 items";

/// What a read costs so far; one per argument. A refused value, string or
/// array stops the whole read: [`Budget::refused`] then holds the reason,
/// which the boundary turns into a 605 ([`refused`]) naming [`Budget::field`]
/// (see [`Budget::names_field`]) or else the argument.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Budget {
    values: u32,
    string_units: u32,
    /// Why the read stopped, once it did.
    pub refused: Option<&'static str>,
    /// The innermost object key under which it stopped, if any.
    pub field: Option<String>,
}

impl Budget {
    /// A fresh budget for one argument.
    pub fn new() -> Budget {
        Budget::default()
    }

    /// Whether the refusal is of one value (a string or array too long), so
    /// that the error names the field holding it; otherwise (too many values,
    /// too much text, too deep) it names the whole argument.
    pub fn names_field(&self) -> bool {
        self.refused.is_some_and(|r| r.starts_with("is longer"))
    }

    fn refuse(&mut self, reason: &'static str) -> bool {
        self.refused.get_or_insert(reason);
        false
    }

    /// One more value (or object key) at nesting `depth`: false (and
    /// [`Budget::refused`] set) when the read must stop.
    pub fn value(&mut self, depth: u32) -> bool {
        self.values += 1;
        if depth > MAX_DEPTH {
            self.refuse("is nested more than 8 levels deep")
        } else if self.values > MAX_VALUES {
            self.refuse("holds more than 1000 values")
        } else {
            self.refused.is_none()
        }
    }

    /// A string of `units` UTF-16 code units, asked before it is copied.
    pub fn string(&mut self, units: u32) -> bool {
        self.string_units = self.string_units.saturating_add(units);
        if units > MAX_STRING {
            self.refuse(TOO_LONG)
        } else if self.string_units > MAX_STRING_TOTAL {
            self.refuse("holds more than 65536 characters")
        } else {
            self.refused.is_none()
        }
    }

    /// An array of JS `length` `len`, asked before any element is read: the
    /// number of items to read (0 when refused).
    pub fn array(&mut self, len: f64) -> u32 {
        if (0.0..=f64::from(MAX_ARRAY)).contains(&len) {
            len as u32
        } else {
            self.refuse(TOO_MANY_ITEMS);
            0
        }
    }
}

/// The 605 for a read refused with `reason`, naming the argument `field`.
pub fn refused(field: &str, reason: &str) -> HError {
    HError::bad_param(field, reason)
}

/// How many of the tokens given to `init` / `setToken` the SDK keeps hiding.
pub const KEPT_TOKENS: usize = 4;

/// The last [`KEPT_TOKENS`] tokens the SDK was given or sent with:
/// `init`'s `token` and `setToken`'s, refused ones too (a token refused for
/// a stray character is still a secret), and the login token minapp-sdk
/// stored when a request was sent with it (a new login may replace it before
/// the answer comes). No error text or field shows them ([`Tokens::redact`]),
/// whatever a server echoed, a caller passed where a field name goes or a
/// hostile value threw. (A ring: the oldest is replaced; empty is none.)
#[derive(Debug, Default)]
pub struct Tokens([String; KEPT_TOKENS], usize);

impl Tokens {
    /// None kept yet.
    pub const fn new() -> Tokens {
        Tokens([String::new(), String::new(), String::new(), String::new()], 0)
    }

    /// Keeps `token` (an empty one, or one kept already, changes nothing).
    pub fn keep(&mut self, token: String) {
        if !token.is_empty() && !self.0.contains(&token) {
            self.0[self.1 % KEPT_TOKENS] = token;
            self.1 += 1;
        }
    }

    /// `s` without `stored` (the login token minapp-sdk stored, read when
    /// the error is made, or "") and the kept tokens; `name` as for [`hide`].
    pub fn redact(&self, s: &str, stored: &str, name: bool) -> String {
        let mut s = hide(s.into(), stored, name);
        for t in &self.0 {
            s = hide(s, t, name);
        }
        s
    }
}

/// `s` with every occurrence of `token` (unless empty) replaced by
/// `<redacted>`: what the SDK puts into an error never holds a token,
/// whatever a server, a `request` function or a caller echoed. `name`: `s`
/// is a field (`e.field`), a path of names (`receivers[0].amount`, a
/// caller's key): only a whole name is hidden, one that is the token, not
/// one that contains it (the token `amount` leaves `refund_amount` as it is).
#[inline(never)]
pub fn hide(s: String, token: &str, name: bool) -> String {
    if token.is_empty() {
        return s;
    }
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(at) = crate::encode::find(rest, token) {
        out.push_str(rest.get(..at).unwrap_or(""));
        rest = rest.get(at + token.len()..).unwrap_or("");
        // A name ends where the path does, or at `.`, `[`, `]` or `/`.
        let whole = !name
            || (matches!(out.bytes().last(), None | Some(b'.' | b'[' | b'/'))
                && matches!(rest.bytes().next(), None | Some(b'.' | b']' | b'/')));
        out.push_str(if whole { "<redacted>" } else { token });
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `s` without any of `tokens`, one after the other.
    fn redact(s: &str, tokens: &[&str], name: bool) -> String {
        tokens.iter().fold(s.into(), |s, t| hide(s, t, name))
    }

    /// An object whose 3 keys all point back at it. Reading it
    /// as the boundary does (every key of every value, shared references
    /// counted each time) must stop after a bounded number of reads.
    #[test]
    fn cyclic_breadth_stops_within_the_value_budget() {
        fn walk(b: &mut Budget, depth: u32, reads: &mut u32) {
            if !b.value(depth) {
                return;
            }
            *reads += 1;
            for _key in ["a", "b", "c"] {
                if !(b.value(depth + 1) && b.string(1)) {
                    return;
                }
                walk(b, depth + 1, reads);
            }
        }
        let mut reads = 0;
        let mut b = Budget::new();
        walk(&mut b, 0, &mut reads);
        assert!(reads <= MAX_VALUES, "{reads} reads");
        let e = refused("data", b.refused.unwrap());
        assert_eq!(e.message(), "605: data: is nested more than 8 levels deep");
        // Breadth alone (no depth): 2000 keys on one object stop at the value cap.
        let mut b = Budget::new();
        let stopped = (0..2000).position(|_| !b.value(1)).unwrap();
        assert_eq!(stopped as u32, MAX_VALUES);
        assert_eq!(b.refused, Some("holds more than 1000 values"));
        // The first refusal is the one reported; every later ask is refused.
        assert!(!b.string(1) && !b.value(0));
        assert_eq!(b.refused, Some("holds more than 1000 values"));
    }

    /// A huge string is refused on its length, before
    /// any of it is copied; many medium strings are refused on their total.
    #[test]
    fn rows2_and_5_long_strings_are_refused_by_length() {
        let mut b = Budget::new();
        assert!(!b.string(10 * 1024 * 1024));
        assert!(b.names_field());
        let e = refused("options", b.refused.unwrap());
        assert_eq!(e.message(), "605: options: is longer than 1024 characters");
        let mut b = Budget::new();
        assert!(b.string(MAX_STRING));
        let refused_at = (0..100).position(|_| !b.string(MAX_STRING)).unwrap();
        assert_eq!(refused_at as u32 + 1, MAX_STRING_TOTAL / MAX_STRING);
        assert_eq!(b.refused, Some("holds more than 65536 characters"));
        assert!(!b.names_field());
    }

    #[test]
    fn arrays_are_refused_on_their_length() {
        let mut b = Budget::new();
        assert_eq!(b.array(0.0), 0);
        assert_eq!(b.array(100.0), 100);
        assert_eq!(b.refused, None);
        for bad in [101.0, 300.0, 4_294_967_295.0, -1.0, f64::NAN, f64::INFINITY] {
            let mut b = Budget::new();
            assert_eq!(b.array(bad), 0, "{bad}");
            assert_eq!(b.refused, Some("is longer than 100 items"), "{bad}");
            assert!(b.names_field());
        }
    }

    /// A server (or a request function) echoing the token.
    #[test]
    fn the_token_is_redacted_from_error_texts() {
        let t = ["s3cr3t-admin"];
        assert_eq!(
            redact("bad header Authorization: Hydrogen-r1 s3cr3t-admin (s3cr3t-admins3cr3t-admin)", &t, false),
            "bad header Authorization: Hydrogen-r1 <redacted> (<redacted><redacted>)"
        );
        assert_eq!(redact("订单 s3cr3t-admin 😀", &t, false), "订单 <redacted> 😀");
        assert_eq!(redact("nothing here", &t, false), "nothing here");
        assert_eq!(redact("nothing here", &[], false), "nothing here");
        assert_eq!(redact("nothing here", &[""], false), "nothing here");
        // Every token, one after the other.
        assert_eq!(redact("a-token and b-token", &["a-token", "b-token"], false), "<redacted> and <redacted>");
    }

    /// A field is a path of names: a name that is a token is hidden, a name
    /// that only contains one is not (the caller's key may be the token; the
    /// SDK's own names stay readable).
    #[test]
    fn in_a_field_only_a_whole_name_is_redacted() {
        let amount = ["amount"];
        assert_eq!(redact("refund_amount", &amount, true), "refund_amount");
        assert_eq!(redact("refund_amount", &amount, false), "refund_<redacted>");
        assert_eq!(redact("receivers[0].amount", &amount, true), "receivers[0].<redacted>");
        assert_eq!(redact("amount", &amount, true), "<redacted>");
        assert_eq!(redact("amount.x", &amount, true), "<redacted>.x");
        assert_eq!(redact("a/amount/b", &amount, true), "a/<redacted>/b");
        assert_eq!(redact("x[amount]", &amount, true), "x[<redacted>]");
        assert_eq!(redact("amounts.amount_x.amount", &amount, true), "amounts.amount_x.<redacted>");
        // Two tokens side by side are one name that is not a token: kept.
        assert_eq!(redact("amountamount", &amount, true), "amountamount");
        assert_eq!(redact("options.s3cr3t-admin", &["s3cr3t-admin"], true), "options.<redacted>");
    }

    /// The last four tokens given or sent with (an empty one or one given
    /// again counts for none), and the stored one at the time of the error:
    /// a server echoing `Authorization: Hydrogen-r1 <token>` shows none.
    #[test]
    fn the_last_four_tokens_given_and_the_stored_one_are_redacted() {
        let mut kept = Tokens::new();
        for t in ["t1", "t2", "", "t3", "t2", "t4", "t5", ""] {
            kept.keep(t.into());
        }
        // t1 is the oldest of five: replaced; the stored one is hidden too.
        let mut sorted = kept.0.clone();
        sorted.sort();
        assert_eq!(sorted, ["t2", "t3", "t4", "t5"]);
        assert_eq!(
            kept.redact("t1 t2 t3 t4 t5 s9", "s9", false),
            "t1 <redacted> <redacted> <redacted> <redacted> <redacted>"
        );
        assert_eq!(kept.redact("x.t5", "", true), "x.<redacted>");
        assert_eq!(kept.redact("bad header: Hydrogen-r1 t4", "", false), "bad header: Hydrogen-r1 <redacted>");
        assert_eq!(kept.redact("x.t5", "", false), "x.<redacted>");
        assert_eq!(Tokens::new().redact("t1 s9", "", false), "t1 s9");
    }
}
