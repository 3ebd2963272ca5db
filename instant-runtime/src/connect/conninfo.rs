//! The TLS parameters of a connection string that the driver does not read.
//!
//! `postgres::Config` knows `sslmode=disable|prefer|require` only, and no `sslrootcert`, while
//! libpq users write `sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem`. Both parameters are
//! taken out of the string here, in the URL form (`postgres://…?sslmode=…`) and the key/value
//! form (`host=… sslmode=…`), and the connector applies them; the rest reaches the driver as
//! it was.

use super::SslMode;

/// The TLS parameters found; what the string leaves out is `None`.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct TlsParams {
    pub ssl_mode: Option<SslMode>,
    pub root_cert: Option<String>,
}

/// `text` without its `sslmode` and `sslrootcert`, and their values.
pub(super) fn take_tls_params(text: &str) -> Result<(String, TlsParams), String> {
    if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        take_from_url(text)
    } else {
        take_from_key_values(text)
    }
}

fn take_from_url(url: &str) -> Result<(String, TlsParams), String> {
    let mut params = TlsParams::default();
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), params));
    };
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match percent_decode(key)?.as_str() {
            "sslmode" => params.ssl_mode = Some(ssl_mode(&percent_decode(value)?)?),
            "sslrootcert" => params.root_cert = Some(percent_decode(value)?),
            _ => kept.push(pair),
        }
    }
    let rest = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((rest, params))
}

/// libpq's `key = value …`, values bare or single-quoted, `\` escaping the next character.
fn take_from_key_values(text: &str) -> Result<(String, TlsParams), String> {
    let mut params = TlsParams::default();
    let mut kept = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(format!("expected \"=\" after \"{key}\""));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    None => return Err(format!("the value of \"{key}\" has no closing quote")),
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        match key.as_str() {
            "sslmode" => params.ssl_mode = Some(ssl_mode(&value)?),
            "sslrootcert" => params.root_cert = Some(value),
            _ => kept.push(format!(
                "{key}='{}'",
                value.replace('\\', "\\\\").replace('\'', "\\'")
            )),
        }
    }
    Ok((kept.join(" "), params))
}

/// libpq's mode names.
fn ssl_mode(value: &str) -> Result<SslMode, String> {
    Ok(match value {
        "disable" => SslMode::Disable,
        "allow" => SslMode::Allow,
        "prefer" => SslMode::Prefer,
        "require" => SslMode::Require,
        "verify-ca" => SslMode::VerifyCa,
        "verify-full" => SslMode::VerifyFull,
        other => {
            return Err(format!(
                "\"sslmode={other}\" is not an SSL mode; expected disable, allow, prefer, \
                 require, verify-ca or verify-full"
            ));
        }
    })
}

fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let byte = bytes
                .get(i + 1..i + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| format!("bad percent-escape in \"{text}\""))?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("\"{text}\" is not UTF-8 once decoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_tls_parameters_out_of_a_url() {
        let (rest, params) = take_tls_params(
            "postgres://u:p@db:5432/app?application_name=x&sslmode=verify-full\
             &sslrootcert=%2Ftmp%2Fca%20file.pem&connect_timeout=3",
        )
        .unwrap();
        assert_eq!(
            rest,
            "postgres://u:p@db:5432/app?application_name=x&connect_timeout=3"
        );
        assert_eq!(params.ssl_mode, Some(SslMode::VerifyFull));
        assert_eq!(params.root_cert.as_deref(), Some("/tmp/ca file.pem"));

        let (rest, params) = take_tls_params("postgresql://db/app?sslmode=require").unwrap();
        assert_eq!(rest, "postgresql://db/app");
        assert_eq!(params.ssl_mode, Some(SslMode::Require));

        let (rest, params) = take_tls_params("postgres://db/app").unwrap();
        assert_eq!(rest, "postgres://db/app");
        assert_eq!(params, TlsParams::default());
    }

    #[test]
    fn takes_tls_parameters_out_of_key_values() {
        let (rest, params) = take_tls_params(
            "host=db  user = app sslmode=verify-ca sslrootcert='/tmp/it\\'s ca.pem' \
             password='a b\\\\c'",
        )
        .unwrap();
        assert_eq!(rest, "host='db' user='app' password='a b\\\\c'");
        assert_eq!(params.ssl_mode, Some(SslMode::VerifyCa));
        assert_eq!(params.root_cert.as_deref(), Some("/tmp/it's ca.pem"));
        let config: postgres::Config = rest.parse().unwrap();
        assert_eq!(config.get_password(), Some(&b"a b\\c"[..]));
    }

    #[test]
    fn names_what_is_wrong() {
        let error = take_tls_params("postgres://db/app?sslmode=strict").unwrap_err();
        assert!(error.contains("sslmode=strict"), "{error}");
        let error = take_tls_params("host=db sslrootcert='/tmp").unwrap_err();
        assert!(error.contains("closing quote"), "{error}");
        let error = take_tls_params("host db").unwrap_err();
        assert!(error.contains("\"=\""), "{error}");
        let error = take_tls_params("postgres://db/app?sslrootcert=%zz").unwrap_err();
        assert!(error.contains("percent-escape"), "{error}");
    }
}
