//! Sign-in: Argon2id password hashes, database-backed sessions (so several app instances share
//! them), API bearer tokens (stored only as SHA-256 digests), throttling of failed sign-ins per
//! account and per client address, and sign-out after inactivity.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::access::{Actor, OrgKind, Role, Via};
use super::audit::{self, Action, Event, Who};
use super::config::Config;
use super::db::{Db, DbConn, Tx};
use super::error::{AppError, AppResult, Said};
use super::ids::new_id;
use super::schema::{api_tokens, organisations, sessions, signin_failures, users};
use super::time;

mod password;
mod sign_in;
mod signed_in;
mod tokens;

pub use password::*;
pub use sign_in::*;
pub use signed_in::*;
pub use tokens::*;

#[cfg(test)]
mod tests {
    use super::throttle_wait;
    use chrono::Duration;

    #[test]
    fn throttle_waits_grow_from_the_first_failure_over_the_limit_and_are_capped() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let cap = Duration::minutes(15);
        let wait = |n, ago: i64| throttle_wait(n, 5, Some(now - Duration::seconds(ago)), now, cap);
        assert_eq!(wait(4, 0), None, "under the limit");
        assert_eq!(wait(5, 0), Some(Duration::seconds(1)));
        assert_eq!(wait(6, 0), Some(Duration::seconds(2)));
        assert_eq!(
            wait(8, 3),
            Some(Duration::seconds(5)),
            "8 s after the latest, 3 s ago"
        );
        assert_eq!(wait(6, 2), None, "the wait has passed");
        assert_eq!(wait(40, 0), Some(cap), "never longer than the window");
        assert_eq!(
            throttle_wait(9, 5, None, now, cap),
            None,
            "no failure, no wait"
        );
    }

    use super::*;

    #[test]
    fn password_round_trip() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn secrets_are_unique_and_digests_stable() {
        let a = new_secret();
        let b = new_secret();
        assert_ne!(a, b);
        assert_eq!(digest(&a), digest(&a));
        assert_eq!(digest("abc").len(), 64);
    }

    #[test]
    fn short_passwords_refused() {
        assert!(check_new_password("short", &[]).is_err());
        assert!(check_new_password("correct horse battery staple", &[]).is_ok());
    }

    /// NIST SP 800-63B 5.1.1.2: common, repetitive or sequential, and context-specific values.
    #[test]
    fn common_and_guessable_passwords_are_refused_with_a_reason() {
        for weak in [
            "password1234",
            "Password12345!",
            "qwertyuiop123",
            "aaaaaaaaaaaaaaaa",
            "123456789012",
            "iloveyou1234",
            "throughcare2026",
        ] {
            let e = check_new_password(weak, &[]).expect_err(weak).english();
            assert!(e.contains("too common"), "{weak}: {e}");
        }
        // The account's own name and e-mail are guesses too.
        assert!(
            check_new_password(
                "jordanalvarez1988",
                &["jordan.alvarez@org-a.test", "Jordan Alvarez"]
            )
            .is_err()
        );
        for strong in [
            "a much longer new passphrase",
            "violet tram under seventeen maps",
        ] {
            assert_eq!(check_new_password(strong, &[]), Ok(()), "{strong}");
        }
    }
}
