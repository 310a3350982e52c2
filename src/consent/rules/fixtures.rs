//! Test fixtures shared by the unit tests of the consent rules: dates, requesters, a standard
//! consent and an emergency access around one participant of one programme.

use chrono::{NaiveDate, NaiveDateTime};

use super::*;

pub(super) const PROGRAM: i64 = 1;
pub(super) const PROBATION_ORG: i64 = 2;
pub(super) const CLINIC: i64 = 3;
pub(super) const PARTICIPANT: i64 = 100;

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) fn dt(y: i32, m: u32, day: u32, h: u32, min: u32, s: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(h, min, s).unwrap()
}

pub(super) fn user(
    user_id: i64,
    org_id: i64,
    role: Role,
    class: Option<RecipientClass>,
) -> Requester {
    Requester {
        user_id,
        org_id,
        role,
        class,
    }
}

pub(super) fn officer() -> Requester {
    user(
        20,
        PROBATION_ORG,
        Role::Team,
        Some(RecipientClass::Probation),
    )
}

pub(super) fn req(
    requester: Requester,
    category: Category,
    purpose: Purpose,
    at: NaiveDateTime,
) -> Request {
    Request {
        requester,
        participant_id: PARTICIPANT,
        participant_org_id: PROGRAM,
        category,
        purpose,
        at,
    }
}

/// Standard consent to the probation org, care coordination, signed 2025-01-10 09:00, last day
/// 2025-03-31, categories: all except notes.
pub(super) fn consent(id: i64) -> Consent {
    Consent {
        id,
        participant_id: PARTICIPANT,
        program_org_id: PROGRAM,
        kind: ConsentKind::Standard,
        categories: Category::ALL_EXCEPT_NOTES.to_vec(),
        recipients: vec![Recipient::Organisation {
            org_id: PROBATION_ORG,
        }],
        purpose: Purpose::CareCoordination,
        signed_at: dt(2025, 1, 10, 9, 0, 0),
        expiry: Expiry::OnDate(d(2025, 3, 31)),
        irrevocable_until: None,
        revoked_at: None,
    }
}

pub(super) fn mid() -> NaiveDateTime {
    dt(2025, 2, 1, 12, 0, 0)
}

pub(super) fn allowed(r: &Request, cs: &[Consent]) -> bool {
    decide(r, cs, &[]).is_allowed()
}

pub(super) fn emergency(id: i64, user_id: i64) -> EmergencyAccess {
    EmergencyAccess {
        id,
        participant_id: PARTICIPANT,
        user_id,
        granted_at: dt(2025, 2, 1, 10, 0, 0),
        expires_at: dt(2025, 2, 1, 22, 0, 0),
        reason: "overdose at the clinic".into(),
    }
}
