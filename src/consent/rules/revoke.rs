//! Revocation of a consent: [`can_revoke`] and [`apply_revocation`], with §2.35 irrevocability of a
//! criminal-justice consent until its stated date, and the [`RevokeError`] that says why not.

use std::fmt;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{Consent, ConsentKind};

/// A written revocation of a consent, to be checked with [`apply_revocation`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub consent_id: i64,
    /// The instant the revocation takes effect.
    pub revoked_at: NaiveDateTime,
    /// Staff member who recorded it.
    pub recorded_by_user_id: i64,
}

/// Why a revocation is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum RevokeError {
    /// The consent was already revoked at this instant.
    AlreadyRevoked { revoked_at: NaiveDateTime },
    /// A §2.35 consent that is irrevocable until the given instant.
    Irrevocable { until: NaiveDateTime },
    /// The revocation instant is before the consent was signed (a data error).
    BeforeSigning { signed_at: NaiveDateTime },
    /// The revocation is for another consent.
    WrongConsent { expected: i64, got: i64 },
}

impl fmt::Display for RevokeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RevokeError::AlreadyRevoked { revoked_at } => {
                write!(
                    f,
                    "this consent was already revoked on {}",
                    fmt_instant(*revoked_at)
                )
            }
            RevokeError::Irrevocable { until } => write!(
                f,
                "this criminal-justice consent (42 CFR 2.35) cannot be revoked until {}",
                fmt_instant(*until)
            ),
            RevokeError::BeforeSigning { signed_at } => write!(
                f,
                "a revocation cannot take effect before the consent was signed ({})",
                fmt_instant(*signed_at)
            ),
            RevokeError::WrongConsent { expected, got } => {
                write!(f, "revocation is for consent {got}, not consent {expected}")
            }
        }
    }
}

impl std::error::Error for RevokeError {}

impl RevokeError {
    /// The same words as [`fmt::Display`], as a message of the interface's languages.
    pub fn said(&self) -> crate::platform::error::Said {
        use crate::platform::error::Said;
        match self {
            RevokeError::AlreadyRevoked { revoked_at } => Said::new(
                "error-consent-already-revoked",
                &[("at", fmt_instant(*revoked_at))],
            ),
            RevokeError::Irrevocable { until } => Said::new(
                "error-consent-irrevocable",
                &[("until", fmt_instant(*until))],
            ),
            RevokeError::BeforeSigning { signed_at } => Said::new(
                "error-revocation-before-signing",
                &[("signed", fmt_instant(*signed_at))],
            ),
            RevokeError::WrongConsent { expected, got } => Said::new(
                "error-revocation-wrong-consent",
                &[("got", got.to_string()), ("expected", expected.to_string())],
            ),
        }
    }
}

fn fmt_instant(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Whether the consent may be revoked with effect at `at`.
///
/// Refused when the consent is already revoked (a consent is revoked once, whenever), when
/// `at` is before signing, and for a criminal-justice consent while `at < irrevocable_until`
/// (revocable from that instant on). `irrevocable_until` is ignored for standard consents.
/// Revoking an expired consent is allowed (harmless, and the participant's record of it counts).
pub fn can_revoke(c: &Consent, at: NaiveDateTime) -> Result<(), RevokeError> {
    if let Some(revoked_at) = c.revoked_at {
        return Err(RevokeError::AlreadyRevoked { revoked_at });
    }
    if at < c.signed_at {
        return Err(RevokeError::BeforeSigning {
            signed_at: c.signed_at,
        });
    }
    if c.kind == ConsentKind::CriminalJustice
        && let Some(until) = c.irrevocable_until
        && until > at
    {
        return Err(RevokeError::Irrevocable { until });
    }
    Ok(())
}

/// Applies a revocation: checks [`can_revoke`] and returns the consent with `revoked_at` set.
pub fn apply_revocation(c: &Consent, r: &Revocation) -> Result<Consent, RevokeError> {
    if r.consent_id != c.id {
        return Err(RevokeError::WrongConsent {
            expected: c.id,
            got: r.consent_id,
        });
    }
    can_revoke(c, r.revoked_at)?;
    Ok(Consent {
        revoked_at: Some(r.revoked_at),
        ..c.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::rules::fixtures::*;
    use crate::consent::rules::*;
    use chrono::Duration;

    // --- revocation -------------------------------------------------------------------------

    fn cj_consent() -> Consent {
        Consent {
            kind: ConsentKind::CriminalJustice,
            purpose: Purpose::MonitoringProgress,
            irrevocable_until: Some(dt(2025, 3, 1, 0, 0, 0)),
            ..consent(2)
        }
    }

    #[test]
    fn criminal_justice_consent_is_irrevocable_until_its_date_then_revocable() {
        let c = cj_consent();
        let until = dt(2025, 3, 1, 0, 0, 0);
        let err = can_revoke(&c, until - Duration::seconds(1)).unwrap_err();
        assert_eq!(err, RevokeError::Irrevocable { until });
        assert!(err.to_string().contains("2025-03-01"), "{err}");
        assert_eq!(can_revoke(&c, until), Ok(()));
        assert_eq!(can_revoke(&c, until + Duration::days(3)), Ok(()));
        let r = Revocation {
            consent_id: 2,
            revoked_at: dt(2025, 2, 1, 0, 0, 0),
            recorded_by_user_id: 3,
        };
        assert_eq!(
            apply_revocation(&c, &r),
            Err(RevokeError::Irrevocable { until })
        );
    }

    #[test]
    fn standard_consent_is_always_revocable_once() {
        let mut c = consent(1);
        c.irrevocable_until = Some(dt(2025, 3, 1, 0, 0, 0)); // ignored for standard consents
        assert_eq!(can_revoke(&c, mid()), Ok(()));
        c.revoked_at = Some(mid());
        assert_eq!(
            can_revoke(&c, mid() + Duration::days(1)),
            Err(RevokeError::AlreadyRevoked { revoked_at: mid() })
        );
        let c = consent(1);
        assert_eq!(
            can_revoke(&c, c.signed_at - Duration::seconds(1)),
            Err(RevokeError::BeforeSigning {
                signed_at: c.signed_at
            })
        );
        // Revoking an expired consent is harmless and allowed.
        assert_eq!(can_revoke(&c, dt(2026, 1, 1, 0, 0, 0)), Ok(()));
        let wrong = Revocation {
            consent_id: 99,
            revoked_at: mid(),
            recorded_by_user_id: 3,
        };
        assert_eq!(
            apply_revocation(&c, &wrong),
            Err(RevokeError::WrongConsent {
                expected: 1,
                got: 99
            })
        );
    }
}
