//! `User`, from the auth kit (`instant kit auth`): sign-up, login with a password (OAuth2's
//! password grant) that issues an access token, and authentication by
//! `Authorization: Bearer <key>`.
//!
//! Passwords are stored hashed. The kit adds no hashing crate: choose one (`argon2`,
//! `bcrypt`, …) and fill in [`hash_password`], [`verify_password`] and [`is_password_hash`].
//! Until then sign-up and login fail, and nothing can store a password in plain text: the
//! `password` field only validates as a hash, and [`User::set_password`] is the way to set it.

use instant_runtime::query::prelude::*;
use instant_runtime::{Error, Executor, Hooks, Model, Record, Save, Transaction, ValidationErrors};

use super::access_token::AccessToken;
use crate::models::users;

/// How many times login retries when a new token's key collides with an existing one.
const MAX_COLLISION_RETRIES: usize = 1;

/// The shortest password [`User::set_password`] accepts.
const MIN_PASSWORD_LENGTH: usize = 5;

/// A row of `users`.
#[derive(Debug, Clone, PartialEq, Model)]
#[instant(table = crate::models::users, hooks)]
pub struct User {
    pub id: i64,
    #[validates("must be valid", |email| looks_like_email(email))]
    pub email: String,
    #[validates("must be set with User::set_password", |password| is_password_hash(password))]
    #[hides]
    pub password: String,
    pub created_at: Option<instant_runtime::chrono::NaiveDateTime>,
    pub updated_at: Option<instant_runtime::chrono::NaiveDateTime>,
}

impl Hooks for User {
    /// All emails are stored in lower case.
    fn before_save(&mut self, _: &mut Transaction<'_>, _: Save) -> instant_runtime::Result<()> {
        self.email = self.email.to_lowercase();
        Ok(())
    }
}

impl User {
    /// Checks `plain` (at least 5 characters, instant.dev's rule) and stores its hash.
    pub fn set_password(&mut self, plain: &str) -> instant_runtime::Result<()> {
        if plain.chars().count() < MIN_PASSWORD_LENGTH {
            let mut errors = ValidationErrors::new();
            errors.add(
                "password",
                format!("must be at least {MIN_PASSWORD_LENGTH} characters in length"),
            );
            return Err(Error::Validation(errors));
        }
        self.password = hash_password(plain)?;
        Ok(())
    }

    /// Creates a user; `password` and `repeat_password` must match.
    pub fn signup(
        executor: impl Executor,
        email: &str,
        password: &str,
        repeat_password: &str,
    ) -> Result<Record<User>, AuthError> {
        if password != repeat_password {
            return Err(AuthError::new(400, "Passwords do not match"));
        }
        let mut user = User {
            id: 0,
            email: email.to_string(),
            password: String::new(),
            created_at: None,
            updated_at: None,
        };
        user.set_password(password)?;
        User::create(executor, user).map_err(|error| {
            if error.db_error_kind() == Some(instant_runtime::error::DbErrorKind::UniqueViolation) {
                AuthError::new(400, format!("User with email \"{email}\" already exists"))
            } else {
                AuthError::from(error)
            }
        })
    }

    /// Logs in with an email and a password and issues a new access token for the user.
    pub fn login(
        mut executor: impl Executor,
        email: &str,
        password: &str,
        ip_address: Option<String>,
        user_agent: Option<String>,
    ) -> Result<(Record<User>, Record<AccessToken>), AuthError> {
        let invalid = || AuthError::new(401, "Invalid credentials");
        let user = User::query()
            .filter(users::email.eq(email.to_lowercase()))
            .first_or_none(&mut executor)?
            .ok_or_else(invalid)?;
        if !verify_password(password, &user.password)? {
            return Err(invalid());
        }
        for _ in 0..=MAX_COLLISION_RETRIES {
            let token = AccessToken {
                id: 0,
                key: AccessToken::generate_key(None)?,
                ip_address: ip_address.clone(),
                user_agent: user_agent.clone(),
                expires_at: None,
                is_valid: None,
                created_at: None,
                updated_at: None,
                user_id: Some(user.id),
            };
            match AccessToken::create(&mut executor, token) {
                Ok(token) => return Ok((user, token)),
                Err(error)
                    if error.db_error_kind()
                        == Some(instant_runtime::error::DbErrorKind::UniqueViolation) => {}
                Err(error) => return Err(error.into()),
            }
        }
        Err(AuthError::new(
            401,
            "Error authenticating, please try again",
        ))
    }

    /// The key of an `Authorization: Bearer <key>` header.
    pub fn parse_authentication_key(authorization: Option<&str>) -> Result<&str, AuthError> {
        let header = authorization.ok_or_else(|| {
            AuthError::new(
                401,
                "Could not authenticate, missing \"Authorization\" header",
            )
        })?;
        let key = header.strip_prefix("Bearer ").ok_or_else(|| {
            AuthError::new(
                401,
                "Could not authenticate, \"Authorization\" must start with \"Bearer \"",
            )
        })?;
        if key.is_empty() {
            return Err(AuthError::new(
                401,
                "Could not authenticate, no key provided",
            ));
        }
        Ok(key)
    }

    /// The user an `Authorization` header's key belongs to.
    pub fn authenticate(
        executor: impl Executor,
        authorization: Option<&str>,
    ) -> Result<Record<User>, AuthError> {
        let key = Self::parse_authentication_key(authorization)?;
        let (_, user) = AccessToken::verify(executor, key)?;
        Ok(user)
    }

    /// Ends the session of an `Authorization` header's key.
    pub fn logout(
        executor: impl Executor,
        authorization: Option<&str>,
    ) -> Result<Record<AccessToken>, AuthError> {
        let key = Self::parse_authentication_key(authorization)?;
        AccessToken::invalidate(executor, key)
    }
}

/// Why sign-up, login or authentication failed, with the HTTP status an API answers with
/// (the kit's `throw new Error('401: …')`).
#[derive(Debug)]
pub struct AuthError {
    pub status: u16,
    pub message: String,
    /// The ORM error behind it, if any (validation errors keep instant.dev's shape).
    pub source: Option<Error>,
}

impl AuthError {
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        AuthError {
            status,
            message: message.into(),
            source: None,
        }
    }
}

impl From<Error> for AuthError {
    fn from(error: Error) -> Self {
        AuthError {
            status: error.status(),
            message: error.message(),
            source: Some(error),
        }
    }
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|error| error as _)
    }
}

/// The kit's email rule, `/.+@.+\.\w+/`: something, `@`, something, `.`, a word character.
fn looks_like_email(email: &str) -> bool {
    let bytes = email.as_bytes();
    let Some(at) = bytes.iter().skip(1).position(|&b| b == b'@') else {
        return false;
    };
    let domain = &bytes[at + 2..];
    (1..domain.len().saturating_sub(1)).any(|i| {
        domain[i] == b'.' && (domain[i + 1].is_ascii_alphanumeric() || domain[i + 1] == b'_')
    })
}

/// TODO(auth kit): hash `plain` with the crate of your choice, e.g. with `argon2`:
/// `Argon2::default().hash_password(plain.as_bytes(), &SaltString::generate(&mut OsRng))`.
pub fn hash_password(plain: &str) -> instant_runtime::Result<String> {
    let _ = plain;
    Err(Error::Input {
        message: "password hashing is not set up: fill in hash_password in src/models/user.rs"
            .to_string(),
    })
}

/// TODO(auth kit): check `plain` against `hash` with the crate [`hash_password`] uses.
pub fn verify_password(plain: &str, hash: &str) -> instant_runtime::Result<bool> {
    let _ = (plain, hash);
    Err(Error::Input {
        message: "password hashing is not set up: fill in verify_password in src/models/user.rs"
            .to_string(),
    })
}

/// TODO(auth kit): true for the strings [`hash_password`] returns (for argon2, a PHC string
/// starting with `$argon2`), so a plain-text password can never be saved.
pub fn is_password_hash(password: &str) -> bool {
    let _ = password;
    false
}
