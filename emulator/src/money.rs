//! Money helpers: amounts are integer fen (1 yuan = 100 fen) internally and
//! yuan strings with two decimals ("398.00") on the wire.

use serde_json::Value;

/// Largest amount accepted anywhere, in fen (10^12 yuan).
pub const MAX_FEN: i64 = 100_000_000_000_000;

/// `39800` -> `"398.00"`.
pub fn fen_to_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{}{}.{:02}", sign, a / 100, a % 100)
}

/// Strict decimal yuan text to fen: digits, optionally `.` and one or two
/// digits. No sign, no exponent. `"398"`, `"398.0"`, `"398.00"` -> 39800.
pub fn parse_yuan_str(s: &str) -> Option<i64> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() || int.len() > 13 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.contains('.') && (frac.is_empty() || frac.len() > 2) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int: i64 = int.parse().ok()?;
    let mut f: i64 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    if frac.len() == 1 {
        f *= 10;
    }
    let fen = int.checked_mul(100)?.checked_add(f)?;
    if fen > MAX_FEN {
        return None;
    }
    Some(fen)
}

/// A refund amount given in yuan as a JSON number (or numeric string) to fen.
///
/// Floats are never multiplied: the number's shortest round-trip decimal form
/// is checked for at most two decimals and then read digit by digit, so
/// `0.29` is 29 fen and `0.1 + 0.2` (0.30000000000000004) is refused.
pub fn yuan_value_to_fen(v: &Value) -> Result<i64, String> {
    let text = match v {
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.to_string()
            } else if let Some(i) = n.as_i64() {
                i.to_string()
            } else {
                let f = n.as_f64().ok_or("refund_amount is not a number")?;
                if !f.is_finite() {
                    return Err("refund_amount is not a finite number".into());
                }
                format!("{}", f)
            }
        }
        Value::String(s) => s.trim().to_string(),
        _ => return Err("refund_amount must be a number (yuan)".into()),
    };
    if let Some(rest) = text.strip_prefix('-') {
        if rest.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
            return Err("refund_amount must be greater than 0".into());
        }
    }
    // `parse_yuan_str` refuses these too; this check is kept for its message
    // (the common mistake gets "at most 2 decimals", not "not a valid amount").
    if let Some((_, frac)) = text.split_once('.') {
        if frac.len() > 2 {
            return Err("refund_amount must have at most 2 decimals".into());
        }
    }
    let fen = parse_yuan_str(text.trim_start_matches('-'))
        .ok_or_else(|| "refund_amount is not a valid amount".to_string())?;
    if fen <= 0 {
        return Err("refund_amount must be greater than 0".into());
    }
    Ok(fen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yuan_formatting_and_parsing() {
        assert_eq!(fen_to_yuan(39800), "398.00");
        assert_eq!(fen_to_yuan(5), "0.05");
        assert_eq!(parse_yuan_str("398"), Some(39800));
        assert_eq!(parse_yuan_str("398.0"), Some(39800));
        assert_eq!(parse_yuan_str("398.00"), Some(39800));
        assert_eq!(parse_yuan_str("0.29"), Some(29));
        assert_eq!(parse_yuan_str("1.005"), None);
        assert_eq!(parse_yuan_str("-1"), None);
        assert_eq!(parse_yuan_str("1."), None);
        assert_eq!(parse_yuan_str("abc"), None);
    }

    #[test]
    fn float_amounts_never_lose_a_fen() {
        assert_eq!(yuan_value_to_fen(&json!(0.29)), Ok(29));
        assert_eq!(yuan_value_to_fen(&json!(1.5)), Ok(150));
        assert_eq!(yuan_value_to_fen(&json!(19.99)), Ok(1999));
        assert_eq!(yuan_value_to_fen(&json!(2)), Ok(200));
        assert_eq!(yuan_value_to_fen(&json!("0.3")), Ok(30));
        assert!(yuan_value_to_fen(&json!(0.1 + 0.2)).is_err());
        assert!(yuan_value_to_fen(&json!(1.005)).is_err());
        assert!(yuan_value_to_fen(&json!(0)).is_err());
        assert!(yuan_value_to_fen(&json!(-1.5)).is_err());
        assert!(yuan_value_to_fen(&json!(true)).is_err());
    }

    #[test]
    fn refusal_messages_name_the_reason() {
        let decimals = Err("refund_amount must have at most 2 decimals".to_string());
        assert_eq!(yuan_value_to_fen(&json!(1.005)), decimals);
        assert_eq!(yuan_value_to_fen(&json!(0.1 + 0.2)), decimals);
        assert_eq!(yuan_value_to_fen(&json!("1.999")), decimals);
        assert_eq!(yuan_value_to_fen(&json!("1.")), Err("refund_amount is not a valid amount".to_string()));
        assert_eq!(yuan_value_to_fen(&json!(-1.5)), Err("refund_amount must be greater than 0".to_string()));
    }
}
