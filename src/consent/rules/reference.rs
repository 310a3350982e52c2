//! An independent reference model of the access decision, written from the rules text alone
//! without any helper of the module, for the property tests to check [`super::decide`] against.
//! Each rule is a "reason to allow"; all reasons are enumerated, then the highest-priority one is
//! chosen. Times are compared as integer seconds since the epoch (plus nanoseconds), and a date
//! expiry as "strictly before 00:00 of the day after the last day", unlike the module's date compare.

use chrono::{Duration, NaiveDateTime};

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reason {
    // Declaration order is the priority order (smaller wins), then the id.
    Own,
    ViaConsent(i64),
    ViaEmergency(i64),
}

pub(super) fn ts(t: NaiveDateTime) -> (i64, u32) {
    let u = t.and_utc();
    (u.timestamp(), u.timestamp_subsec_nanos())
}

pub(super) fn reference(
    req: &Request,
    consents: &[Consent],
    emergencies: &[EmergencyAccess],
) -> Option<Reason> {
    let me = &req.requester;
    let now = ts(req.at);
    let mut reasons: Vec<Reason> = Vec::new();

    // Rule 1: staff of the participant's own organisation.
    let own_org = me.org_id == req.participant_org_id;
    let full_staff = me.role == Role::Admin || me.role == Role::Supervisor || me.role == Role::Peer;
    if own_org && full_staff {
        reasons.push(Reason::Own);
    }

    // Rule 2: a consent that says yes to everything about this request.
    for c in consents {
        let same_participant = c.participant_id == req.participant_id;
        let right_discloser = c.program_org_id == req.participant_org_id;
        let signed = ts(c.signed_at) <= now;
        let not_expired = match &c.expiry {
            Expiry::OnDate(last) => {
                let day_after = *last + Duration::days(1);
                now < ts(day_after.and_hms_opt(0, 0, 0).unwrap())
            }
            Expiry::OnEvent {
                occurred_at: None, ..
            } => true,
            Expiry::OnEvent {
                occurred_at: Some(when),
                ..
            } => now < ts(*when),
        };
        let not_revoked = match c.revoked_at {
            None => true,
            Some(when) => now < ts(when),
        };
        let mut names_me = false;
        for r in &c.recipients {
            if let Recipient::Organisation { org_id } = r
                && *org_id == me.org_id
            {
                names_me = true;
            }
            if let Recipient::Person { org_id, user_id } = r
                && *org_id == me.org_id
                && *user_id == me.user_id
            {
                names_me = true;
            }
            if let Recipient::Class { class } = r
                && me.class == Some(*class)
                && c.kind != ConsentKind::CriminalJustice
            {
                names_me = true;
            }
        }
        let mut has_category = false;
        for cat in &c.categories {
            if *cat == req.category {
                has_category = true;
            }
        }
        let same_purpose = c.purpose == req.purpose;
        if same_participant
            && right_discloser
            && signed
            && not_expired
            && not_revoked
            && names_me
            && has_category
            && same_purpose
        {
            reasons.push(Reason::ViaConsent(c.id));
        }
    }

    // Rule 3: a medical emergency access for this user and participant, held by staff of
    // a medical organisation.
    let medical_staff = matches!(
        me.class,
        Some(
            RecipientClass::MedicalProvider
                | RecipientClass::TreatmentProvider
                | RecipientClass::JailHealth
        )
    );
    for e in emergencies {
        if medical_staff
            && e.participant_id == req.participant_id
            && e.user_id == me.user_id
            && ts(e.granted_at) <= now
            && now < ts(e.expires_at)
        {
            reasons.push(Reason::ViaEmergency(e.id));
        }
    }

    // Auditors: no reason counts, in any organisation.
    if me.role == Role::Auditor {
        return None;
    }
    reasons.sort();
    reasons.first().copied()
}

pub(super) fn same(decision: Decision, reason: Option<Reason>) -> bool {
    match (decision, reason) {
        (Decision::Deny, None) => true,
        (Decision::Allow(Basis::OwnOrganisation), Some(Reason::Own)) => true,
        (Decision::Allow(Basis::Consent { consent_id }), Some(Reason::ViaConsent(id))) => {
            consent_id == id
        }
        (Decision::Allow(Basis::Emergency { access_id }), Some(Reason::ViaEmergency(id))) => {
            access_id == id
        }
        _ => false,
    }
}
