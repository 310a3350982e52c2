//! Passwords: hashing (Argon2id), verification, and the strength check a new password must pass.

use super::*;

/// Hash a password with Argon2id and a random salt.
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(anyhow::anyhow!("hashing: {e}")))
}

/// Check a password against a stored hash; malformed hashes never match.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A fresh random secret (256 bits), URL-safe.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The CSRF token bound to a session: a one-way function of the session's secret, which is
/// itself a 256-bit random value the browser keeps in an `HttpOnly` cookie. A page's forms
/// carry it; a token taken from another session never matches (ASVS 4.2.2). Every instance
/// derives the same token without sharing a key.
pub fn csrf_token(session_secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"throughcare csrf v1\x1f");
    h.update(session_secret.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(h.finalize())
}

/// The stored form of a secret.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The strength a new password must reach on zxcvbn's 0-4 scale: 3 means its estimate of the
/// guesses needed is at least 10^8. zxcvbn matches the password against its compiled-in lists
/// of common passwords (30,000 from leaked sets), English words, names and surnames, with
/// l33t substitutions, repeats, sequences and keyboard walks, and against the words given in
/// `about` (decision 0021).
pub(super) const MIN_PASSWORD_SCORE: u8 = 3;

/// Rules a new password must meet (every place one is chosen: the set-password link, changing
/// one's own, the command line). NIST SP 800-63B 5.1.1.2: at least 8 characters (we ask 12),
/// at least 64 allowed (we allow 1024 bytes), any characters, no composition rules, and
/// "compare the prospective secrets against a list that contains values known to be
/// commonly-used, expected, or compromised", including "dictionary words", "repetitive or
/// sequential characters" and "context-specific words, such as the name of the service, the
/// username, and derivatives thereof": `about` carries the account's e-mail and name, and the
/// service's name is always added. The message says why, so the user can choose better.
pub fn check_new_password(password: &str, about: &[&str]) -> Result<(), Said> {
    if password.chars().count() < 12 {
        return Err(Said::new(
            "error-password-too-short",
            &[("min", "12".into())],
        ));
    }
    if password.len() > 1024 {
        return Err(Said::new(
            "error-password-too-many-bytes",
            &[("max", "1024".into())],
        ));
    }
    let mut context: Vec<&str> = vec!["throughcare", "throughcare-demo", "peer recovery"];
    for a in about {
        context.push(a);
        // The parts of an e-mail address and of a name, each a guess an attacker would try.
        context.extend(
            a.split(|c: char| !c.is_alphanumeric())
                .filter(|p| p.chars().count() >= 3),
        );
    }
    let estimate = zxcvbn::zxcvbn(password, &context);
    // zxcvbn counts a sequence of three guessable parts as 10^8 guesses at least, so a password
    // built on the account's own name or e-mail ("jordanalvarez1988") would pass at score 3;
    // such a password must reach the top score (10^10 guesses).
    let uses_context = estimate.sequence().iter().any(|m| match &m.pattern {
        zxcvbn::matching::patterns::MatchPattern::Dictionary(d) => {
            format!("{:?}", d.dictionary_name) == "UserInputs"
        }
        _ => false,
    });
    let needed = if uses_context { 4 } else { MIN_PASSWORD_SCORE };
    if u8::from(estimate.score()) >= needed {
        return Ok(());
    }
    // Why, as a variant of the message: `context`, or the name of zxcvbn's warning.
    let why = if uses_context {
        "context".to_string()
    } else {
        estimate
            .feedback()
            .and_then(zxcvbn::feedback::Feedback::warning)
            .map(|w| format!("{w:?}"))
            .unwrap_or_else(|| "none".to_string())
    };
    Err(Said::new("error-password-too-common", &[("why", why)]))
}

/// A dummy hash verified against when the account does not exist, so a wrong e-mail takes as
/// long as a wrong password.
pub(super) fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a real password at all").unwrap_or_default())
}

pub(super) type ActorRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<NaiveDateTime>,
    String,
    String,
    Option<String>,
    Option<String>,
);
