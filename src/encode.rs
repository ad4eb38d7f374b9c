//! URL encoding exactly as JS `encodeURIComponent` and axios' `buildURL`.

#[allow(unused_imports)]
use crate::prelude::*;

/// The hex digit of the low nibble of `n` (`upper` picks `A-F` over `a-f`).
pub(crate) fn hex_digit(n: u8, upper: bool) -> char {
    let d = n & 0xf;
    let base = if upper { b'A' } else { b'a' };
    char::from(if d < 10 { b'0' + d } else { base + (d - 10) })
}

/// The byte offset of the first occurrence of `needle` in `hay` (a plain
/// byte scan: small code, no `str` searcher machinery).
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| h.get(i..).is_some_and(|t| t.starts_with(n)))
}

/// Whether `s` has none of `?`, `#`, whitespace or control characters: a
/// host or a path that cannot carry a query, a fragment or a broken request
/// line (one copy for both checks).
pub(crate) fn plain_url_part(s: &str) -> bool {
    !s.chars().any(|c| c == '?' || c == '#' || c.is_whitespace() || c.is_control())
}

fn push_escaped(b: u8, out: &mut String) {
    out.push('%');
    out.push(hex_digit(b >> 4, true));
    out.push(hex_digit(b, true));
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')')
}

/// JS `encodeURIComponent(s)`: UTF-8 bytes percent-encoded (uppercase hex)
/// except `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
pub fn encode_uri_component(s: &str, out: &mut String) {
    for &b in s.as_bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            push_escaped(b, out);
        }
    }
}

/// axios' query `encode`: `encodeURIComponent`, then `%3A`->`:`, `%24`->`$`,
/// `%2C`->`,`, `%20`->`+`, `%5B`->`[`, `%5D`->`]`.
pub fn axios_encode(s: &str, out: &mut String) {
    for &b in s.as_bytes() {
        match b {
            b':' | b'$' | b',' | b'[' | b']' => out.push(char::from(b)),
            b' ' => out.push('+'),
            b if is_unreserved(b) => out.push(char::from(b)),
            b => push_escaped(b, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> String {
        let mut o = String::new();
        encode_uri_component(s, &mut o);
        o
    }
    fn ax(s: &str) -> String {
        let mut o = String::new();
        axios_encode(s, &mut o);
        o
    }

    #[test]
    fn encode_uri_component_like_js() {
        assert_eq!(uri("AZaz09-_.!~*'()"), "AZaz09-_.!~*'()");
        assert_eq!(uri(" &=%+/?#:$,[]@;"), "%20%26%3D%25%2B%2F%3F%23%3A%24%2C%5B%5D%40%3B");
        assert_eq!(uri("订单"), "%E8%AE%A2%E5%8D%95");
        assert_eq!(uri("😀"), "%F0%9F%98%80");
        assert_eq!(uri("\u{0}\u{7f}é"), "%00%7F%C3%A9");
    }

    #[test]
    fn find_like_str_find() {
        for (h, n) in [
            ("abc", "c"),
            ("abc", "abcd"),
            ("", ""),
            ("a", ""),
            ("x:transactionIDy", ":transactionID"),
            ("e+e+", "e+"),
            ("订单e+", "e+"),
        ] {
            assert_eq!(find(h, n), h.find(n), "{h} {n}");
        }
    }

    #[test]
    fn axios_encode_like_axios() {
        assert_eq!(ax(" &=%+/?#:$,[]@;"), "+%26%3D%25%2B%2F%3F%23:$,[]%40%3B");
        assert_eq!(ax("{}"), "%7B%7D");
    }
}
