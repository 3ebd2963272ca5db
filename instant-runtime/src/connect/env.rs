//! libpq's environment defaults: `PGPASSWORD`, `PGOPTIONS` and `PGCONNECT_TIMEOUT` fill in
//! what the connection settings leave out, as they do for `psql` and every libpq program, so
//! the same shell works for both. What the URL, `db.json` or the code says always wins.

use std::time::Duration;

use postgres::Config;

/// Fills `config`'s password, options and connect timeout from `var` (the process
/// environment in use, a map in tests) where `config` has none. A `PGCONNECT_TIMEOUT` of 0 or
/// less means no timeout from the environment, as in libpq.
pub(super) fn apply_defaults(
    config: &mut Config,
    var: impl Fn(&str) -> Option<String>,
) -> Result<(), String> {
    let set = |name: &str| var(name).filter(|value| !value.is_empty());
    if config.get_password().is_none()
        && let Some(password) = set("PGPASSWORD")
    {
        config.password(password);
    }
    if config.get_options().is_none()
        && let Some(options) = set("PGOPTIONS")
    {
        config.options(&options);
    }
    if config.get_connect_timeout().is_none()
        && let Some(value) = set("PGCONNECT_TIMEOUT")
    {
        let seconds: i64 = value.trim().parse().map_err(|_| {
            format!("PGCONNECT_TIMEOUT must be a whole number of seconds, found {value:?}")
        })?;
        if seconds > 0 {
            config.connect_timeout(Duration::from_secs(seconds.unsigned_abs()));
        }
    }
    Ok(())
}

/// The process environment, for [`apply_defaults`].
pub(super) fn process_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_string())
        }
    }

    const ALL: &[(&str, &str)] = &[
        ("PGPASSWORD", "from env"),
        ("PGOPTIONS", "-c statement_timeout=1234"),
        ("PGCONNECT_TIMEOUT", "7"),
    ];

    #[test]
    fn the_environment_fills_what_the_url_leaves_out() {
        let mut config: Config = "postgres://app@db/app".parse().unwrap();
        apply_defaults(&mut config, env(ALL)).unwrap();
        assert_eq!(config.get_password(), Some(&b"from env"[..]));
        assert_eq!(config.get_options(), Some("-c statement_timeout=1234"));
        assert_eq!(config.get_connect_timeout(), Some(&Duration::from_secs(7)));
    }

    #[test]
    fn the_url_wins_over_the_environment() {
        let mut config: Config =
            "postgres://app:secret@db/app?options=-c%20search_path%3Dx&connect_timeout=3"
                .parse()
                .unwrap();
        apply_defaults(&mut config, env(ALL)).unwrap();
        assert_eq!(config.get_password(), Some(&b"secret"[..]));
        assert_eq!(config.get_options(), Some("-c search_path=x"));
        assert_eq!(config.get_connect_timeout(), Some(&Duration::from_secs(3)));
    }

    #[test]
    fn empty_or_non_positive_values_set_nothing() {
        let mut config: Config = "postgres://app@db/app".parse().unwrap();
        apply_defaults(
            &mut config,
            env(&[
                ("PGPASSWORD", ""),
                ("PGOPTIONS", ""),
                ("PGCONNECT_TIMEOUT", "0"),
            ]),
        )
        .unwrap();
        assert_eq!(config.get_password(), None);
        assert_eq!(config.get_options(), None);
        assert_eq!(config.get_connect_timeout(), None);
    }

    #[test]
    fn a_connect_timeout_that_is_not_a_number_is_named() {
        let mut config: Config = "postgres://app@db/app".parse().unwrap();
        let error = apply_defaults(&mut config, env(&[("PGCONNECT_TIMEOUT", "10s")])).unwrap_err();
        assert_eq!(
            error,
            "PGCONNECT_TIMEOUT must be a whole number of seconds, found \"10s\""
        );
    }
}
