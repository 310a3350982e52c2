//! The access decision: [`decide`] whether a requester may see one category of a participant's
//! record now (own-organisation staff, a consent that names them, or a §2.51 medical emergency), and
//! [`visible_categories`] for a whole page, with the [`Basis`] to record with every disclosure.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{Category, Consent, Purpose, RecipientClass};

/// Access granted without consent in a medical emergency (§2.51), recorded with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyAccess {
    pub id: i64,
    pub participant_id: i64,
    pub user_id: i64,
    pub granted_at: NaiveDateTime,
    /// Exclusive end.
    pub expires_at: NaiveDateTime,
    pub reason: String,
}

impl EmergencyAccess {
    /// Active for this participant and user at `at` (`granted_at <= at < expires_at`).
    pub fn covers(&self, participant_id: i64, user_id: i64, at: NaiveDateTime) -> bool {
        self.participant_id == participant_id
            && self.user_id == user_id
            && self.granted_at <= at
            && at < self.expires_at
    }
}

/// Role of a user within their own organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Supervisor,
    Peer,
    /// Team member: sees only what consent allows, even in the participant's own organisation.
    Team,
    /// Reads the audit log and accounting of disclosures, never the participant record.
    Auditor,
}

impl Role {
    /// Sees the whole record of participants of their own organisation.
    pub fn has_own_organisation_access(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor | Role::Peer)
    }

    /// May ever read participant data (under any basis).
    pub fn may_read_participant_data(self) -> bool {
        self != Role::Auditor
    }
}

/// The user asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requester {
    pub user_id: i64,
    pub org_id: i64,
    pub role: Role,
    /// Given by the kind of the requester's organisation, if it is of a recipient class.
    pub class: Option<RecipientClass>,
}

/// One request to read one category of one participant's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub requester: Requester,
    pub participant_id: i64,
    /// The organisation whose participant this is (the discloser).
    pub participant_org_id: i64,
    pub category: Category,
    pub purpose: Purpose,
    pub at: NaiveDateTime,
}

/// A request for a participant without a category, for [`visible_categories`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestContext {
    pub requester: Requester,
    pub participant_id: i64,
    pub participant_org_id: i64,
    pub purpose: Purpose,
    pub at: NaiveDateTime,
}

impl RequestContext {
    /// The request for one category.
    pub fn for_category(&self, category: Category) -> Request {
        Request {
            requester: self.requester.clone(),
            participant_id: self.participant_id,
            participant_org_id: self.participant_org_id,
            category,
            purpose: self.purpose,
            at: self.at,
        }
    }
}

/// Why access is allowed; recorded with the disclosure (and in the accounting for consents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "basis")]
pub enum Basis {
    OwnOrganisation,
    Consent { consent_id: i64 },
    Emergency { access_id: i64 },
}

/// Outcome of [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Allow(Basis),
    Deny,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        matches!(self, Decision::Allow(_))
    }

    pub fn basis(self) -> Option<Basis> {
        match self {
            Decision::Allow(b) => Some(b),
            Decision::Deny => None,
        }
    }
}

/// Decides one request.
///
/// 1. Auditors: always deny (any organisation, any basis, including emergency).
/// 2. Admin, Supervisor, Peer of the participant's organisation: allow, own organisation.
/// 3. Anyone else (other organisations of any non-auditor role, and Team of the own
///    organisation): allow under the active consent with the lowest id that [`Consent::permits`]
///    the request.
/// 4. Otherwise an active emergency access for this participant and user (lowest id), held by
///    staff of a medical organisation ([`RecipientClass::is_medical`]; 42 CFR 2.51 discloses to
///    *medical personnel* only): allow for every category, whatever the purpose. An emergency
///    access held by anyone else (e.g. one recorded before this rule) allows nothing.
/// 5. Otherwise deny.
pub fn decide(req: &Request, consents: &[Consent], emergencies: &[EmergencyAccess]) -> Decision {
    let requester = &req.requester;
    if !requester.role.may_read_participant_data() {
        return Decision::Deny;
    }
    if requester.org_id == req.participant_org_id && requester.role.has_own_organisation_access() {
        return Decision::Allow(Basis::OwnOrganisation);
    }
    if let Some(c) = consents
        .iter()
        .filter(|c| c.permits(req))
        .min_by_key(|c| c.id)
    {
        return Decision::Allow(Basis::Consent { consent_id: c.id });
    }
    let medical = requester.class.is_some_and(RecipientClass::is_medical);
    if let Some(e) = emergencies
        .iter()
        .filter(|_| medical)
        .filter(|e| e.covers(req.participant_id, requester.user_id, req.at))
        .min_by_key(|e| e.id)
    {
        return Decision::Allow(Basis::Emergency { access_id: e.id });
    }
    Decision::Deny
}

/// The categories the requester may see now, each with its basis, in [`Category::ALL`] order.
pub fn visible_categories(
    ctx: &RequestContext,
    consents: &[Consent],
    emergencies: &[EmergencyAccess],
) -> Vec<(Category, Basis)> {
    Category::ALL
        .iter()
        .copied()
        .filter_map(|c| {
            decide(&ctx.for_category(c), consents, emergencies)
                .basis()
                .map(|b| (c, b))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::rules::fixtures::*;
    use crate::consent::rules::*;
    use chrono::Duration;

    // --- own organisation -------------------------------------------------------------------

    #[test]
    fn own_org_admin_supervisor_peer_see_everything_without_consent() {
        for role in [Role::Admin, Role::Supervisor, Role::Peer] {
            for &c in Category::ALL {
                let r = req(user(1, PROGRAM, role, None), c, Purpose::Other, mid());
                assert_eq!(
                    decide(&r, &[], &[]),
                    Decision::Allow(Basis::OwnOrganisation)
                );
            }
        }
    }

    #[test]
    fn auditor_never_reads_participant_data() {
        let mut c = consent(1);
        c.recipients
            .push(Recipient::Organisation { org_id: PROGRAM });
        for org in [PROGRAM, PROBATION_ORG] {
            let auditor = user(5, org, Role::Auditor, None);
            let r = req(
                auditor,
                Category::Participation,
                Purpose::CareCoordination,
                mid(),
            );
            assert_eq!(
                decide(&r, std::slice::from_ref(&c), &[emergency(1, 5)]),
                Decision::Deny
            );
        }
    }

    #[test]
    fn own_org_team_member_needs_consent() {
        let team = user(6, PROGRAM, Role::Team, None);
        let r = req(team, Category::Plan, Purpose::CareCoordination, mid());
        assert_eq!(decide(&r, &[consent(1)], &[]), Decision::Deny);
        let mut c = consent(1);
        c.recipients = vec![Recipient::Person {
            org_id: PROGRAM,
            user_id: 6,
        }];
        assert_eq!(
            decide(&r, &[c], &[]),
            Decision::Allow(Basis::Consent { consent_id: 1 })
        );
    }

    // --- partner organisations --------------------------------------------------------------

    #[test]
    fn partner_allowed_only_under_a_matching_consent() {
        let r = req(officer(), Category::Plan, Purpose::CareCoordination, mid());
        assert_eq!(decide(&r, &[], &[]), Decision::Deny);
        assert_eq!(
            decide(&r, &[consent(7)], &[]),
            Decision::Allow(Basis::Consent { consent_id: 7 })
        );
        // Purpose must match.
        let other = req(officer(), Category::Plan, Purpose::Treatment, mid());
        assert!(!allowed(&other, &[consent(7)]));
        // Another participant's consent, or a consent given to another program, does not count.
        let mut c = consent(7);
        c.participant_id = 101;
        assert!(!allowed(&r, &[c]));
        let mut c = consent(7);
        c.program_org_id = CLINIC;
        assert!(!allowed(&r, &[c]));
        // Category must be named.
        let mut c = consent(7);
        c.categories = vec![Category::Participation];
        assert!(!allowed(&r, &[c]));
    }

    #[test]
    fn encounter_notes_are_never_implied() {
        let notes = req(
            officer(),
            Category::EncounterNotes,
            Purpose::CareCoordination,
            mid(),
        );
        assert!(!allowed(&notes, &[consent(1)]));
        let ctx = RequestContext {
            requester: officer(),
            participant_id: PARTICIPANT,
            participant_org_id: PROGRAM,
            purpose: Purpose::CareCoordination,
            at: mid(),
        };
        let visible: Vec<Category> = visible_categories(&ctx, &[consent(1)], &[])
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        assert_eq!(visible, Category::ALL_EXCEPT_NOTES.to_vec());
        let mut c = consent(1);
        c.categories.push(Category::EncounterNotes);
        assert!(allowed(&notes, &[c]));
    }

    #[test]
    fn recipients_by_person_and_class() {
        let r = |who: Requester| req(who, Category::Referrals, Purpose::CareCoordination, mid());
        let mut c = consent(1);
        c.recipients = vec![Recipient::Person {
            org_id: PROBATION_ORG,
            user_id: 20,
        }];
        assert!(allowed(&r(officer()), std::slice::from_ref(&c)));
        // Same org, another user: no.
        assert!(!allowed(
            &r(user(21, PROBATION_ORG, Role::Team, None)),
            std::slice::from_ref(&c)
        ));
        // The same user after moving to another organisation: no.
        assert!(!allowed(&r(user(20, CLINIC, Role::Team, None)), &[c]));

        let mut c = consent(1);
        c.recipients = vec![Recipient::Class {
            class: RecipientClass::Probation,
        }];
        assert!(allowed(
            &r(user(30, 9, Role::Team, Some(RecipientClass::Probation))),
            std::slice::from_ref(&c)
        ));
        assert!(!allowed(
            &r(user(30, 9, Role::Team, Some(RecipientClass::Parole))),
            std::slice::from_ref(&c)
        ));
        assert!(!allowed(&r(user(30, 9, Role::Team, None)), &[c]));
    }

    #[test]
    fn partner_roles_other_than_auditor_may_receive() {
        for role in [Role::Admin, Role::Supervisor, Role::Peer, Role::Team] {
            let r = req(
                user(20, PROBATION_ORG, role, None),
                Category::Plan,
                Purpose::CareCoordination,
                mid(),
            );
            assert!(allowed(&r, &[consent(1)]), "{role:?}");
            // Outside the own organisation, no role grants access by itself.
            assert!(!allowed(&r, &[]), "{role:?}");
        }
    }

    #[test]
    fn lowest_consent_id_is_the_basis() {
        let r = req(officer(), Category::Plan, Purpose::CareCoordination, mid());
        let cs = [consent(9), consent(4), consent(6)];
        assert_eq!(
            decide(&r, &cs, &[]),
            Decision::Allow(Basis::Consent { consent_id: 4 })
        );
    }

    // --- time boundaries --------------------------------------------------------------------

    #[test]
    fn active_from_the_signing_instant() {
        let c = consent(1);
        let at = |t| req(officer(), Category::Plan, Purpose::CareCoordination, t);
        assert!(allowed(&at(c.signed_at), std::slice::from_ref(&c)));
        assert!(!allowed(&at(c.signed_at - Duration::seconds(1)), &[c]));
    }

    #[test]
    fn date_expiry_includes_the_whole_last_day() {
        let c = consent(1); // last day 2025-03-31
        let at = |t| req(officer(), Category::Plan, Purpose::CareCoordination, t);
        assert!(allowed(
            &at(dt(2025, 3, 31, 0, 0, 0)),
            std::slice::from_ref(&c)
        ));
        assert!(allowed(
            &at(dt(2025, 3, 31, 23, 59, 59)),
            std::slice::from_ref(&c)
        ));
        let last_nano = d(2025, 3, 31)
            .and_hms_nano_opt(23, 59, 59, 999_999_999)
            .unwrap();
        assert!(allowed(&at(last_nano), std::slice::from_ref(&c)));
        assert!(!allowed(&at(dt(2025, 4, 1, 0, 0, 0)), &[c]));
    }

    #[test]
    fn event_expiry_lapses_when_the_event_is_recorded() {
        let mut c = consent(1);
        c.expiry = Expiry::OnEvent {
            description: "end of probation".into(),
            occurred_at: None,
        };
        let at = |t| req(officer(), Category::Plan, Purpose::CareCoordination, t);
        // Not occurred: no date limit.
        assert!(allowed(
            &at(dt(2030, 1, 1, 0, 0, 0)),
            std::slice::from_ref(&c)
        ));
        let ended = dt(2025, 6, 1, 15, 0, 0);
        c.expiry = Expiry::OnEvent {
            description: "end of probation".into(),
            occurred_at: Some(ended),
        };
        assert!(allowed(
            &at(ended - Duration::seconds(1)),
            std::slice::from_ref(&c)
        ));
        assert!(!allowed(&at(ended), std::slice::from_ref(&c)));
        assert!(!allowed(&at(ended + Duration::days(1)), &[c]));
    }

    #[test]
    fn revocation_takes_effect_at_its_instant() {
        let revoked = dt(2025, 2, 1, 12, 0, 0);
        let c = apply_revocation(
            &consent(1),
            &Revocation {
                consent_id: 1,
                revoked_at: revoked,
                recorded_by_user_id: 3,
            },
        )
        .unwrap();
        assert_eq!(c.revoked_at, Some(revoked));
        let at = |t| req(officer(), Category::Plan, Purpose::CareCoordination, t);
        assert!(allowed(
            &at(revoked - Duration::seconds(1)),
            std::slice::from_ref(&c)
        ));
        assert!(!allowed(&at(revoked), std::slice::from_ref(&c)));
        assert!(!allowed(&at(revoked + Duration::hours(1)), &[c]));
    }

    // --- emergency --------------------------------------------------------------------------

    #[test]
    fn emergency_window_is_half_open_and_covers_every_category() {
        let clinician = user(
            40,
            CLINIC,
            Role::Team,
            Some(RecipientClass::MedicalProvider),
        );
        let e = emergency(3, 40);
        for &c in Category::ALL {
            let at = |t| req(clinician.clone(), c, Purpose::Treatment, t);
            assert_eq!(
                decide(&at(e.granted_at), &[], std::slice::from_ref(&e)),
                Decision::Allow(Basis::Emergency { access_id: 3 })
            );
            assert!(
                decide(
                    &at(e.expires_at - Duration::seconds(1)),
                    &[],
                    std::slice::from_ref(&e)
                )
                .is_allowed()
            );
            assert_eq!(
                decide(&at(e.expires_at), &[], std::slice::from_ref(&e)),
                Decision::Deny
            );
            assert_eq!(
                decide(
                    &at(e.granted_at - Duration::seconds(1)),
                    &[],
                    std::slice::from_ref(&e)
                ),
                Decision::Deny
            );
        }
    }

    #[test]
    fn emergency_is_personal_to_the_user_and_participant() {
        let at = dt(2025, 2, 1, 12, 0, 0);
        let other_user = req(
            user(41, CLINIC, Role::Team, None),
            Category::Plan,
            Purpose::Treatment,
            at,
        );
        assert_eq!(
            decide(&other_user, &[], &[emergency(1, 40)]),
            Decision::Deny
        );
        let mut e = emergency(1, 41);
        e.participant_id = 101;
        assert_eq!(decide(&other_user, &[], &[e]), Decision::Deny);
        // A jail-health clinician with two emergency accesses: the lowest id is the basis.
        let nurse = req(
            user(41, CLINIC, Role::Team, Some(RecipientClass::JailHealth)),
            Category::Plan,
            Purpose::Treatment,
            at,
        );
        assert_eq!(
            decide(&nurse, &[], &[emergency(5, 41), emergency(2, 41)]),
            Decision::Allow(Basis::Emergency { access_id: 2 })
        );
    }

    /// 42 CFR 2.51 discloses to medical personnel only: an emergency access held by anyone else
    /// (probation, parole, a court, another peer programme, the programme's own team member)
    /// allows nothing, whatever its dates.
    #[test]
    fn emergency_access_helps_only_medical_personnel() {
        let at = dt(2025, 2, 1, 12, 0, 0);
        for (org, class) in [
            (PROBATION_ORG, Some(RecipientClass::Probation)),
            (PROBATION_ORG, Some(RecipientClass::Parole)),
            (PROBATION_ORG, Some(RecipientClass::Court)),
            (CLINIC, None),
            (PROGRAM, None),
        ] {
            for role in [Role::Team, Role::Admin, Role::Peer] {
                let r = req(
                    user(41, org, role, class),
                    Category::Plan,
                    Purpose::Treatment,
                    at,
                );
                if org == PROGRAM && role != Role::Team {
                    continue; // own staff see by role, not by emergency
                }
                assert_eq!(
                    decide(&r, &[], &[emergency(1, 41)]),
                    Decision::Deny,
                    "{class:?} {role:?}"
                );
            }
        }
        for class in [
            RecipientClass::MedicalProvider,
            RecipientClass::TreatmentProvider,
            RecipientClass::JailHealth,
        ] {
            let r = req(
                user(41, CLINIC, Role::Team, Some(class)),
                Category::Plan,
                Purpose::Treatment,
                at,
            );
            assert!(
                decide(&r, &[], &[emergency(1, 41)]).is_allowed(),
                "{class:?}"
            );
        }
    }

    /// 42 CFR 2.35: a criminal-justice consent names one agency. A stored one that names a class
    /// (recorded before this rule) names nobody; naming the agency or a person there works.
    #[test]
    fn a_criminal_justice_consent_naming_a_class_names_nobody() {
        let mut c = consent(1);
        c.kind = ConsentKind::CriminalJustice;
        c.purpose = Purpose::MonitoringProgress;
        c.recipients = vec![Recipient::Class {
            class: RecipientClass::Probation,
        }];
        let r = req(
            officer(),
            Category::Plan,
            Purpose::MonitoringProgress,
            mid(),
        );
        assert!(!allowed(&r, std::slice::from_ref(&c)));
        c.recipients = vec![Recipient::Person {
            org_id: PROBATION_ORG,
            user_id: 20,
        }];
        assert!(allowed(&r, std::slice::from_ref(&c)));
        let other_department = req(
            user(21, 9, Role::Team, Some(RecipientClass::Probation)),
            Category::Plan,
            Purpose::MonitoringProgress,
            mid(),
        );
        c.recipients = vec![Recipient::Organisation {
            org_id: PROBATION_ORG,
        }];
        assert!(allowed(&r, std::slice::from_ref(&c)));
        assert!(!allowed(&other_department, &[c]));
    }

    #[test]
    fn consent_is_preferred_over_emergency() {
        let r = req(officer(), Category::Plan, Purpose::CareCoordination, mid());
        assert_eq!(
            decide(&r, &[consent(8)], &[emergency(1, 20)]),
            Decision::Allow(Basis::Consent { consent_id: 8 })
        );
    }
}
