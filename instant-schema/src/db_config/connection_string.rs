//! PostgreSQL connection URLs, `postgres://user:password@host:port/database?sslmode=require`.
//!
//! instant.dev matches connection strings against a narrow pattern (no percent-encoding, no
//! query parameters but `ssl`, a password of letters, digits, `_` and `-`) and silently falls
//! back to `postgres@localhost:5432/postgres` when a string does not match, so a typo connects
//! somewhere else. Here the full libpq URL syntax is read (percent-encoding, IPv6 hosts,
//! optional parts, any query parameter) and a string that is not a URL is an error.

use super::SslMode;

/// The parts of a connection URL; what the URL leaves out is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct UrlParts {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub user: Option<String>,
    pub password: Option<String>,
    pub database: Option<String>,
    pub ssl: Option<SslMode>,
    /// Query parameters other than the ones above, for the driver.
    pub options: Vec<(String, String)>,
}

/// Reads `url`; the error says what is wrong with it.
pub(crate) fn parse(url: &str) -> Result<UrlParts, String> {
    let rest = ["postgresql://", "postgres://"]
        .iter()
        .find_map(|scheme| url.strip_prefix(scheme))
        .ok_or_else(|| {
            "expected a connection URL starting with \"postgres://\" or \"postgresql://\""
                .to_string()
        })?;
    let (before_query, query) = match rest.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.split_once('/') {
        Some((authority, path)) => (authority, Some(path)),
        None => (before_query, None),
    };
    let mut parts = UrlParts::default();
    let host_list = match authority.rsplit_once('@') {
        Some((user_info, hosts)) => {
            let (user, password) = match user_info.split_once(':') {
                Some((user, password)) => (user, Some(password)),
                None => (user_info, None),
            };
            parts.user = non_empty(decode(user, "user")?);
            parts.password = password.map(|p| decode(p, "password")).transpose()?;
            hosts
        }
        None => authority,
    };
    if host_list.contains(',') {
        return Err(format!(
            "several hosts (\"{host_list}\") are not supported; give one host"
        ));
    }
    let (host, port) = split_host_port(host_list)?;
    parts.host = non_empty(decode(host, "host")?);
    parts.port = port;
    if let Some(path) = path {
        parts.database = non_empty(decode(path, "database name")?);
    }
    for pair in query.into_iter().flat_map(|q| q.split('&')) {
        if pair.is_empty() {
            continue;
        }
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("query parameter \"{pair}\" has no value"))?;
        let key = decode(key, "query parameter")?;
        let value = decode(value, &key)?;
        match key.as_str() {
            "host" => parts.host = non_empty(value),
            "port" => parts.port = Some(parse_port(&value)?),
            "user" => parts.user = non_empty(value),
            "password" => parts.password = Some(value),
            "dbname" => parts.database = non_empty(value),
            "sslmode" | "ssl" => {
                parts.ssl = Some(SslMode::from_url_value(&value).ok_or_else(|| {
                    format!(
                        "\"{key}={value}\" is not an SSL mode; expected disable, allow, prefer, \
                         require, verify-ca, verify-full, true, false or unauthorized"
                    )
                })?)
            }
            _ => parts.options.push((key, value)),
        }
    }
    Ok(parts)
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// `host`, `host:port`, `[::1]:port`.
fn split_host_port(text: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = if let Some(bracketed) = text.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or_else(|| format!("the IPv6 host \"{text}\" has no closing \"]\""))?;
        match after {
            "" => (host, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => {
                    return Err(format!(
                        "unexpected \"{after}\" after the host \"[{host}]\""
                    ));
                }
            },
        }
    } else {
        match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(port) => Some(parse_port(port)?),
    };
    Ok((host, port))
}

fn parse_port(text: &str) -> Result<u16, String> {
    match text.parse::<u16>() {
        Ok(port) if port > 0 && text.bytes().all(|b| b.is_ascii_digit()) => Ok(port),
        _ => Err(format!(
            "the port \"{text}\" is not a number between 1 and 65535"
        )),
    }
}

/// Percent-decoding; `what` names the part for the error.
fn decode(text: &str, what: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("the {what} has a bad percent-escape in \"{text}\""))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("the {what} \"{text}\" decodes to invalid UTF-8"))
}

/// Percent-encodes everything but unreserved characters, for writing URLs.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_url() {
        let parts = parse(
            "postgresql://me%40work:p%40ss:w@db.example.com:6543/my%20db?sslmode=require&application_name=x",
        )
        .unwrap();
        assert_eq!(parts.user.as_deref(), Some("me@work"));
        assert_eq!(parts.password.as_deref(), Some("p@ss:w"));
        assert_eq!(parts.host.as_deref(), Some("db.example.com"));
        assert_eq!(parts.port, Some(6543));
        assert_eq!(parts.database.as_deref(), Some("my db"));
        assert_eq!(parts.ssl, Some(SslMode::Require));
        assert_eq!(parts.options, vec![("application_name".into(), "x".into())]);
    }

    #[test]
    fn optional_parts() {
        assert_eq!(parse("postgres://").unwrap(), UrlParts::default());
        let parts = parse("postgres://[::1]:5433").unwrap();
        assert_eq!(
            (parts.host.as_deref(), parts.port),
            (Some("::1"), Some(5433))
        );
        let parts = parse("postgres:///db?host=%2Fvar%2Frun%2Fpostgresql").unwrap();
        assert_eq!(parts.host.as_deref(), Some("/var/run/postgresql"));
        assert_eq!(parts.database.as_deref(), Some("db"));
        // instant.dev's own spelling.
        assert_eq!(
            parse("postgres://u@h:1/d?ssl=unauthorized").unwrap().ssl,
            Some(SslMode::Require)
        );
    }

    #[test]
    fn errors() {
        assert!(parse("mysql://x").is_err());
        assert!(parse("postgres://h:99999/d").is_err());
        assert!(parse("postgres://h:0/d").is_err());
        assert!(parse("postgres://a,b/d").is_err());
        assert!(parse("postgres://h/d?sslmode=maybe").is_err());
        assert!(parse("postgres://%zz@h/d").is_err());
        assert!(parse("postgres://[::1/d").is_err());
    }

    #[test]
    fn encoding_round_trips() {
        assert_eq!(encode("p@ss w/ord"), "p%40ss%20w%2Ford");
        assert_eq!(decode(&encode("é/:@"), "x").unwrap(), "é/:@");
    }
}
