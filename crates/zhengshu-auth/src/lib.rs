#![doc = include_str!("../README.md")]

mod error;
pub mod password;
pub mod role;
pub mod session;
pub mod token;
pub mod units;
pub mod users;

pub use error::AuthError;
pub use role::{Permission, Role};
pub use session::{LoginPolicy, Session};
pub use token::{ApiToken, NewToken};
pub use units::{NewUnit, Unit, UnitLevel};
pub use users::{NewUser, User};

/// The migrations of this crate (units, users, sessions, tokens).
pub static MIGRATIONS: zhengshu_db::MigrationSet = zhengshu_db::MigrationSet {
    module: "auth",
    sqlite: zhengshu_db::sqlx::migrate!("migrations/sqlite"),
    postgres: zhengshu_db::sqlx::migrate!("migrations/postgres"),
};

/// Random URL-safe secret of `n` alphanumeric characters.
pub fn random_secret(n: usize) -> String {
    use rand::distributions::Alphanumeric;
    use rand::Rng;
    rand::rngs::OsRng
        .sample_iter(&Alphanumeric)
        .take(n)
        .map(char::from)
        .collect()
}

/// SHA-256 hex of a secret, the only form in which secrets are stored.
pub fn hash_secret(secret: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(secret.as_bytes()))
}
