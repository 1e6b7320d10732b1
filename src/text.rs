//! The two things done to every cell of a large file, made cheap for the common cell: trimming
//! (most cells have no spaces around them) and reading a plain decimal number (`12`, `183.4`).
//! Both give exactly what the standard library gives; they only skip its general path.

/// `text.trim()`, without the Unicode search when the cell starts and ends with a visible ASCII
/// character (every whitespace character, ASCII or not, starts with a byte outside `!`..=`~`).
pub(crate) fn trim_cell(text: &str) -> &str {
    match text.as_bytes() {
        [first, .., last] if is_visible(*first) && is_visible(*last) => text,
        [only] if is_visible(*only) => text,
        _ => text.trim(),
    }
}

fn is_visible(byte: u8) -> bool {
    (b'!'..=b'~').contains(&byte)
}

/// `text.parse::<f64>().ok()`. A plain decimal (`-12.50`: a minus, digits, a point, digits) of
/// at most 16 characters whose digits make an integer up to 2^53 is that integer divided by a
/// power of ten up to 10^15,
/// both exact, so the one correctly rounded division is the correctly rounded value, as the
/// standard parser returns it (Clinger's fast path); anything else goes to that parser.
pub(crate) fn parse_f64(text: &str) -> Option<f64> {
    fast_decimal(text.as_bytes()).or_else(|| text.parse().ok())
}

#[inline]
fn fast_decimal(bytes: &[u8]) -> Option<f64> {
    const POWERS: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let (negative, digits) = match bytes {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let mut mantissa = 0u64;
    let mut decimals = 0;
    let mut point = false;
    for &b in digits {
        let digit = b.wrapping_sub(b'0');
        if digit < 10 {
            mantissa = mantissa * 10 + u64::from(digit);
            decimals += usize::from(point);
        } else if b == b'.' && !point {
            point = true;
        } else {
            return None;
        }
    }
    // A lone point is no number.
    if point && digits.len() == 1 {
        return None;
    }
    // At most 16 characters: at most 16 digits, below 10^16; 2^53 keeps the integer exact.
    if mantissa > 1 << 53 {
        return None;
    }
    let value = mantissa as f64 / POWERS[decimals];
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_is_str_trim() {
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\r",
            "12.5",
            "\u{a0}x",
            "x\u{3000}",
            "\u{85}",
            "é",
            " é ",
            "~",
            "!",
            "\u{7f}",
            "a b",
            "\u{feff}a",
        ] {
            assert_eq!(trim_cell(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn numbers_are_what_the_standard_parser_reads() {
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "00",
            "1",
            "-1",
            "12.5",
            "183.4",
            "0.1",
            "0.3",
            ".5",
            "5.",
            ".",
            "-",
            "-.",
            "",
            "+1",
            "1e3",
            "1E-3",
            "inf",
            "-inf",
            "NaN",
            "infinity",
            "1..2",
            "1.2.3",
            "--1",
            "1-",
            "9007199254740992",
            "9007199254740993",
            "9007199254740993.0",
            "123456789012345678",
            "0.000000000000001",
            "1234567890.123456",
            "99999999999999999",
            "4503599627370495.5",
            "0.1234567890123456789",
            " 1",
            "1 ",
            "1_000",
            "١",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let digits = (state % 18 + 1) as usize;
            let mut text = if state >> 63 == 1 {
                String::from("-")
            } else {
                String::new()
            };
            let mut s = state;
            for _ in 0..digits {
                text.push(char::from(b'0' + (s % 10) as u8));
                s /= 10;
            }
            let point = (state >> 20) as usize % (digits + 2);
            if point <= digits {
                let at = text.len() - point;
                text.insert(at, '.');
            }
            texts.push(text);
        }
        for text in &texts {
            let expected = text.parse::<f64>().ok();
            let found = parse_f64(text);
            assert_eq!(
                found.map(f64::to_bits),
                expected.map(f64::to_bits),
                "{text:?}: {found:?} against {expected:?}"
            );
        }
    }
}
