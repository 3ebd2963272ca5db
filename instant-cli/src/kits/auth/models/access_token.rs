//! `AccessToken`, from the auth kit (`instant kit auth`): the keys a user's requests
//! authenticate with, valid for 30 days unless told otherwise.

use std::io::Read;

use instant_runtime::chrono::{Duration, NaiveDateTime, Utc};
use instant_runtime::query::prelude::*;
use instant_runtime::{Executor, Hooks, Model, Record, Save, Transaction};

use super::user::{AuthError, User};
use crate::models::access_tokens;

/// How long a token is valid when `expires_at` is not set.
const DEFAULT_EXPIRATION_DAYS: i64 = 30;
/// Base58: no `0`, `O`, `I` or `l`, so a key read aloud or copied by hand stays right.
const KEY_CHARACTERS: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const MIN_KEY_LENGTH: usize = 32;
const MAX_KEY_LENGTH: usize = 1024;
const DEFAULT_KEY_LENGTH: usize = 64;
const DEFAULT_KEY_PREFIX: &str = "secret";
const DEFAULT_KEY_ENVIRONMENT: &str = "development";

/// A row of `access_tokens`. Its id and its user's id are left out of `to_json()`.
#[derive(Debug, Clone, PartialEq, Model)]
#[instant(table = crate::models::access_tokens, hooks)]
pub struct AccessToken {
    #[hides]
    pub id: i64,
    pub key: String,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub expires_at: Option<NaiveDateTime>,
    pub is_valid: Option<bool>,
    pub created_at: Option<NaiveDateTime>,
    pub updated_at: Option<NaiveDateTime>,
    #[hides]
    pub user_id: Option<i64>,
}

impl Hooks for AccessToken {
    /// A token expires in 30 days and is valid unless set otherwise.
    fn before_save(&mut self, _: &mut Transaction<'_>, _: Save) -> instant_runtime::Result<()> {
        if self.expires_at.is_none() {
            self.expires_at =
                Some(Utc::now().naive_utc() + Duration::days(DEFAULT_EXPIRATION_DAYS));
        }
        if self.is_valid.is_none() {
            self.is_valid = Some(true);
        }
        Ok(())
    }
}

impl AccessToken {
    /// A new key, `secret_<environment>_<length base58 characters>` (64 unless given;
    /// between 32 and 1024). The environment is `INSTANT_ENV`, else `NODE_ENV`, else
    /// `development`. The characters come from the operating system's random source
    /// (`/dev/urandom`; for other systems, use the `getrandom` crate here).
    pub fn generate_key(length: Option<usize>) -> Result<String, AuthError> {
        let length = length
            .unwrap_or(DEFAULT_KEY_LENGTH)
            .clamp(MIN_KEY_LENGTH, MAX_KEY_LENGTH);
        let environment = std::env::var("INSTANT_ENV")
            .or_else(|_| std::env::var("NODE_ENV"))
            .unwrap_or_else(|_| DEFAULT_KEY_ENVIRONMENT.to_string());
        let unavailable =
            |error: std::io::Error| AuthError::new(500, format!("no random source: {error}"));
        let mut random = std::fs::File::open("/dev/urandom").map_err(unavailable)?;
        let mut key = String::with_capacity(length);
        let mut buffer = [0u8; 64];
        // Bytes at or above the largest multiple of 58 are skipped, so every character is
        // equally likely.
        let limit = (256 / KEY_CHARACTERS.len() * KEY_CHARACTERS.len()) as u8;
        while key.len() < length {
            random.read_exact(&mut buffer).map_err(unavailable)?;
            for byte in buffer.iter().filter(|byte| **byte < limit) {
                if key.len() < length {
                    key.push(KEY_CHARACTERS[usize::from(*byte) % KEY_CHARACTERS.len()] as char);
                }
            }
        }
        Ok(format!("{DEFAULT_KEY_PREFIX}_{environment}_{key}"))
    }

    /// The valid, unexpired token with `key`, and its user.
    pub fn verify(
        mut executor: impl Executor,
        key: &str,
    ) -> Result<(Record<AccessToken>, Record<User>), AuthError> {
        let token = AccessToken::query()
            .filter(access_tokens::key.eq(key.to_string()))
            .filter(access_tokens::is_valid.eq(true))
            .filter(access_tokens::expires_at.gte(Utc::now().naive_utc()))
            .first_or_none(&mut executor)?
            .ok_or_else(|| AuthError::new(404, "Access token key is invalid"))?;
        let invalid_user = || AuthError::new(403, "Access token key belongs to an invalid user");
        let user_id = token.user_id.ok_or_else(invalid_user)?;
        let user = match User::find(&mut executor, user_id) {
            Ok(user) => user,
            Err(error) if error.is_not_found() => return Err(invalid_user()),
            Err(error) => return Err(error.into()),
        };
        Ok((token, user))
    }

    /// Destroys the token with `key`, ending its session.
    pub fn invalidate(
        mut executor: impl Executor,
        key: &str,
    ) -> Result<Record<AccessToken>, AuthError> {
        let (mut token, _) = Self::verify(&mut executor, key)?;
        token.destroy(&mut executor)?;
        Ok(token)
    }
}
