//! Slugs: the path segments of pages and terms, and the ids of headings.
//! Case and diacritics fold to ASCII ("Telefónica" -> `telefonica`); scripts
//! without a Latin form are transliterated, so every slug is safe in a URL.

/// The slug of `text`: lowercase ASCII letters and digits joined by single hyphens.
///
/// Text with nothing to transliterate (only punctuation, say) gives an empty slug;
/// callers choose a fallback.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut hyphen = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if hyphen && !out.is_empty() {
                out.push('-');
            }
            hyphen = false;
            out.push(c.to_ascii_lowercase());
        } else if c == '&' {
            // "Violence & oppression" reads better as violence-oppression than with "and".
            hyphen = true;
        } else {
            hyphen = true;
        }
    }
    // Windows reserves these names: a folder called `con` cannot be published there.
    if is_device_name(&out) {
        out.push_str("-1");
    }
    out
}

/// Is `name` one that Windows reserves for a device (`con`, `aux`, `nul`, `com1`...)?
pub(crate) fn is_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit())
}

/// Is `s` already a valid slug: non-empty, `[a-z0-9-]`, no leading, trailing or double hyphen?
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && !is_device_name(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_case_diacritics_and_punctuation() {
        for (input, want) in [
            ("Telefónica", "telefonica"),
            ("AT&T", "at-t"),
            ("Violence & oppression", "violence-oppression"),
            ("  What abuses were alleged?  ", "what-abuses-were-alleged"),
            ("Manufacturing/assembly", "manufacturing-assembly"),
            ("Čerucom Holdings", "cerucom-holdings"),
            ("Москва", "moskva"),
            ("?!", ""),
            ("../../etc/passwd", "etc-passwd"),
            ("CON", "con-1"),
            ("Aux", "aux-1"),
            ("com1", "com1-1"),
            ("console", "console"),
        ] {
            assert_eq!(slugify(input), want, "{input}");
        }
    }

    #[test]
    fn is_slug_rejects_paths_and_odd_shapes() {
        for (input, want) in [
            ("samsung-vietnam", true),
            ("a1", true),
            ("", false),
            ("../x", false),
            ("A", false),
            ("a--b", false),
            ("-a", false),
            ("a/b", false),
        ] {
            assert_eq!(is_slug(input), want, "{input}");
        }
    }
}
