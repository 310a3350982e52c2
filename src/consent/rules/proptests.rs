//! Property tests of the consent rules: `decide` agrees with the reference model over random
//! histories, narrowing a consent never allows more, revocation is refused exactly while
//! irrevocable, validation is total; and the generator reaches every outcome and boundary.

use super::reference::{reference, same};
use super::*;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

// ---- Random histories ------------------------------------------------------------------

const PARTICIPANTS: i64 = 3;

#[derive(Debug, Clone)]
struct History {
    consents: Vec<Consent>,
    emergencies: Vec<EmergencyAccess>,
    requests: Vec<Request>,
}

fn base() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 3, 10)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
}

/// Coarse times over about 5.5 days (whole hours, often on the hour) so that requests often
/// fall exactly on signing, revocation, event and emergency boundaries and on midnights.
fn arb_time() -> impl Strategy<Value = NaiveDateTime> {
    (
        0i64..132,
        prop_oneof![4 => Just(0i64), 1 => Just(59), 1 => 0i64..60],
    )
        .prop_map(|(h, m)| base() + Duration::hours(h) + Duration::minutes(m))
}

fn arb_role() -> impl Strategy<Value = Role> {
    prop_oneof![
        1 => Just(Role::Admin),
        1 => Just(Role::Supervisor),
        1 => Just(Role::Peer),
        3 => Just(Role::Team),
        1 => Just(Role::Auditor),
    ]
}

fn arb_class() -> impl Strategy<Value = RecipientClass> {
    prop::sample::select(RecipientClass::ALL.to_vec())
}

fn arb_purpose() -> impl Strategy<Value = Purpose> {
    prop_oneof![
        3 => Just(Purpose::CareCoordination),
        2 => Just(Purpose::MonitoringProgress),
        2 => Just(Purpose::Treatment),
        1 => prop::sample::select(Purpose::ALL.to_vec()),
    ]
}

fn arb_category() -> impl Strategy<Value = Category> {
    prop::sample::select(Category::ALL.to_vec())
}

fn arb_categories() -> impl Strategy<Value = Vec<Category>> {
    prop_oneof![
        Just(Category::ALL_EXCEPT_NOTES.to_vec()),
        prop::sample::subsequence(Category::ALL.to_vec(), 0..=6),
        prop::collection::vec(arb_category(), 0..4),
    ]
}

fn arb_expiry() -> impl Strategy<Value = Expiry> {
    prop_oneof![
        (-1i64..7).prop_map(|days| Expiry::OnDate(base().date() + Duration::days(days))),
        prop::option::of(arb_time()).prop_map(|occurred_at| Expiry::OnEvent {
            description: "end of supervision".into(),
            occurred_at,
        }),
    ]
}

/// Organisations 1..=n_orgs, each of a class or none; users 1..=n with an organisation and a
/// role; participants each belong to one organisation; then consents, emergencies, requests.
fn arb_history() -> impl Strategy<Value = History> {
    (
        prop::collection::vec(prop::option::of(arb_class()), 2..=4),
        prop::collection::vec(prop::collection::vec(1usize..=4, 1), 2..=7),
    )
        .prop_flat_map(|(org_classes, user_orgs)| {
            let n_orgs = org_classes.len() as i64;
            let users: Vec<(i64, i64)> = user_orgs
                .iter()
                .enumerate()
                .map(|(i, o)| (i as i64 + 1, (o[0] as i64 - 1) % n_orgs + 1))
                .collect();
            let n_users = users.len();
            (
                Just(org_classes),
                Just(users),
                prop::collection::vec(arb_role(), n_users),
                prop::collection::vec(1..=n_orgs, PARTICIPANTS as usize),
                prop::collection::vec(arb_consent(n_orgs, n_users), 0..7),
                Just((1..=40i64).collect::<Vec<_>>()).prop_shuffle(),
                prop::collection::vec(arb_emergency(n_users), 0..3),
                prop::collection::vec(arb_request(n_users), 1..20),
            )
        })
        .prop_map(
            |(org_classes, users, roles, participant_org, raw_consents, ids, raw_em, raw_req)| {
                let requester = |u: usize| {
                    let (user_id, org_id) = users[u];
                    Requester {
                        user_id,
                        org_id,
                        role: roles[u],
                        class: org_classes[(org_id - 1) as usize],
                    }
                };
                let consents: Vec<Consent> = raw_consents
                    .into_iter()
                    .enumerate()
                    .map(|(i, rc)| rc.build(ids[i], &users, &participant_org))
                    .collect();
                let emergencies: Vec<EmergencyAccess> = raw_em
                    .into_iter()
                    .enumerate()
                    .map(
                        |(i, (u, participant_id, granted_at, hours, mins))| EmergencyAccess {
                            id: ids[ids.len() - 1 - i],
                            participant_id,
                            user_id: users[u].0,
                            granted_at,
                            expires_at: granted_at
                                + Duration::hours(hours)
                                + Duration::minutes(mins),
                            reason: "overdose".into(),
                        },
                    )
                    .collect();
                let requests = raw_req
                    .into_iter()
                    .map(|raw| {
                        let (u, participant_id, category, purpose, at) =
                            raw.aim(&consents, &emergencies, &users, &org_classes);
                        Request {
                            requester: requester(u),
                            participant_id,
                            participant_org_id: participant_org[(participant_id - 1) as usize],
                            category,
                            purpose,
                            at,
                        }
                    })
                    .collect();
                History {
                    consents,
                    emergencies,
                    requests,
                }
            },
        )
}

#[derive(Debug, Clone)]
enum RawRecipient {
    Org(i64),
    /// A user, as a member of their current organisation or (stale) of another one.
    Person(usize, Option<i64>),
    Class(RecipientClass),
}

#[derive(Debug, Clone)]
struct RawConsent {
    participant_id: i64,
    /// None: the participant's own organisation; Some: any organisation.
    program_org: Option<i64>,
    kind: ConsentKind,
    categories: Vec<Category>,
    recipients: Vec<RawRecipient>,
    purpose: Purpose,
    signed_at: NaiveDateTime,
    expiry: Expiry,
    irrevocable_until: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
}

impl RawConsent {
    fn build(self, id: i64, users: &[(i64, i64)], participant_org: &[i64]) -> Consent {
        let recipients = self
            .recipients
            .into_iter()
            .map(|r| match r {
                RawRecipient::Org(org_id) => Recipient::Organisation { org_id },
                RawRecipient::Person(u, stale_org) => Recipient::Person {
                    org_id: stale_org.unwrap_or(users[u].1),
                    user_id: users[u].0,
                },
                RawRecipient::Class(class) => Recipient::Class { class },
            })
            .collect();
        Consent {
            id,
            participant_id: self.participant_id,
            program_org_id: self
                .program_org
                .unwrap_or(participant_org[(self.participant_id - 1) as usize]),
            kind: self.kind,
            categories: self.categories,
            recipients,
            purpose: self.purpose,
            signed_at: self.signed_at,
            expiry: self.expiry,
            irrevocable_until: self.irrevocable_until,
            revoked_at: self.revoked_at,
        }
    }
}

fn arb_consent(n_orgs: i64, n_users: usize) -> impl Strategy<Value = RawConsent> {
    let recipient = prop_oneof![
        (1..=n_orgs).prop_map(RawRecipient::Org),
        (0..n_users, prop::option::weighted(0.2, 1..=n_orgs))
            .prop_map(|(u, stale)| RawRecipient::Person(u, stale)),
        arb_class().prop_map(RawRecipient::Class),
    ];
    (
        (
            1..=PARTICIPANTS,
            prop::option::weighted(0.25, 1..=n_orgs),
            prop_oneof![
                Just(ConsentKind::Standard),
                Just(ConsentKind::CriminalJustice)
            ],
            arb_categories(),
            prop_oneof![
                1 => Just(Vec::new()),
                6 => prop::collection::vec(recipient, 1..3),
            ],
        ),
        (
            arb_purpose(),
            // Signed mostly in the first three days, so that most consents have an active window.
            prop_oneof![3 => arb_time().prop_map(|t| t - (t - base()) / 2), 1 => arb_time()],
            arb_expiry(),
            prop::option::of(arb_time()),
            prop::option::weighted(0.3, arb_time()),
        ),
    )
        .prop_map(
            |(
                (participant_id, program_org, kind, categories, recipients),
                (purpose, signed_at, expiry, irrevocable_until, revoked_at),
            )| RawConsent {
                participant_id,
                program_org,
                kind,
                categories,
                recipients,
                purpose,
                signed_at,
                expiry,
                irrevocable_until,
                revoked_at,
            },
        )
}

type RawEmergency = (usize, i64, NaiveDateTime, i64, i64);

fn arb_emergency(n_users: usize) -> impl Strategy<Value = RawEmergency> {
    (
        0..n_users,
        1..=PARTICIPANTS,
        arb_time(),
        0i64..30,
        prop_oneof![Just(0i64), 0i64..60],
    )
}

/// Where a request is aimed: anywhere (all fields random), or at a random consent or
/// emergency access of the history (a user it names, its participant, category and purpose,
/// at one of its boundaries), so that allows and boundary instants are frequent.
#[derive(Debug, Clone)]
enum Aim {
    Anywhere,
    AtConsent,
    AtEmergency,
}

#[derive(Debug, Clone)]
struct RawRequest {
    user: usize,
    participant_id: i64,
    category: Category,
    purpose: Purpose,
    at: NaiveDateTime,
    aim: Aim,
    pick: prop::sample::Index,
    who: prop::sample::Index,
    when: u8,
    category_from_consent: bool,
    purpose_from_consent: bool,
}

type Resolved = (usize, i64, Category, Purpose, NaiveDateTime);

impl RawRequest {
    fn aim(
        &self,
        consents: &[Consent],
        emergencies: &[EmergencyAccess],
        users: &[(i64, i64)],
        org_classes: &[Option<RecipientClass>],
    ) -> Resolved {
        let random = (
            self.user,
            self.participant_id,
            self.category,
            self.purpose,
            self.at,
        );
        match self.aim {
            Aim::Anywhere => random,
            Aim::AtConsent if !consents.is_empty() => {
                let c = &consents[self.pick.index(consents.len())];
                let named: Vec<usize> = (0..users.len())
                    .filter(|&u| {
                        let (user_id, org_id) = users[u];
                        c.recipients.iter().any(|r| match *r {
                            Recipient::Organisation { org_id: o } => o == org_id,
                            Recipient::Person {
                                org_id: o,
                                user_id: p,
                            } => o == org_id && p == user_id,
                            Recipient::Class { class } => {
                                org_classes[(org_id - 1) as usize] == Some(class)
                            }
                        })
                    })
                    .collect();
                let user = if named.is_empty() {
                    self.user
                } else {
                    named[self.who.index(named.len())]
                };
                let category = if self.category_from_consent && !c.categories.is_empty() {
                    c.categories[self.who.index(c.categories.len())]
                } else {
                    self.category
                };
                let purpose = if self.purpose_from_consent {
                    c.purpose
                } else {
                    self.purpose
                };
                let at = match self.when % 6 {
                    0 => Some(c.signed_at),
                    1 => c.revoked_at,
                    2 => match &c.expiry {
                        Expiry::OnEvent { occurred_at, .. } => *occurred_at,
                        Expiry::OnDate(last) => {
                            Some((*last + Duration::days(1)).and_time(NaiveTime::MIN))
                        }
                    },
                    3 => match &c.expiry {
                        Expiry::OnDate(last) => last.and_hms_opt(23, 59, 59),
                        Expiry::OnEvent { occurred_at, .. } => {
                            occurred_at.map(|o| o - Duration::seconds(1))
                        }
                    },
                    // Some time in the two days after signing.
                    _ => Some(c.signed_at + (self.at - base()) / 3),
                }
                .unwrap_or(self.at);
                (user, c.participant_id, category, purpose, at)
            }
            Aim::AtEmergency if !emergencies.is_empty() => {
                let e = &emergencies[self.pick.index(emergencies.len())];
                let user = users
                    .iter()
                    .position(|(id, _)| *id == e.user_id)
                    .unwrap_or(self.user);
                let at = match self.when % 4 {
                    0 => e.granted_at,
                    1 => e.expires_at,
                    2 => e.expires_at - Duration::seconds(1),
                    _ => self.at,
                };
                (user, e.participant_id, self.category, self.purpose, at)
            }
            _ => random,
        }
    }
}

fn arb_request(n_users: usize) -> impl Strategy<Value = RawRequest> {
    (
        (
            0..n_users,
            1..=PARTICIPANTS,
            arb_category(),
            arb_purpose(),
            arb_time(),
        ),
        (
            prop_oneof![
                2 => Just(Aim::Anywhere),
                3 => Just(Aim::AtConsent),
                1 => Just(Aim::AtEmergency),
            ],
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            any::<u8>(),
            prop::bool::weighted(0.8),
            prop::bool::weighted(0.85),
        ),
    )
        .prop_map(
            |(
                (user, participant_id, category, purpose, at),
                (aim, pick, who, when, category_from_consent, purpose_from_consent),
            )| RawRequest {
                user,
                participant_id,
                category,
                purpose,
                at,
                aim,
                pick,
                who,
                when,
                category_from_consent,
                purpose_from_consent,
            },
        )
}

fn allowed_set(h: &History) -> Vec<bool> {
    h.requests
        .iter()
        .map(|r| decide(r, &h.consents, &h.emergencies).is_allowed())
        .collect()
}

fn assert_not_more_allowed(before: &History, after: &History) -> Result<(), TestCaseError> {
    for ((r, b), a) in before
        .requests
        .iter()
        .zip(allowed_set(before))
        .zip(allowed_set(after))
    {
        prop_assert!(b || !a, "newly allowed after narrowing: {:?}", r);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2500))]

    #[test]
    fn decide_agrees_with_the_reference_model(h in arb_history()) {
        for r in &h.requests {
            let got = decide(r, &h.consents, &h.emergencies);
            let want = reference(r, &h.consents, &h.emergencies);
            prop_assert!(same(got, want), "decide {:?} vs reference {:?} for {:?}", got, want, r);
            // The convenience view agrees with one-category decisions.
            let ctx = RequestContext {
                requester: r.requester.clone(),
                participant_id: r.participant_id,
                participant_org_id: r.participant_org_id,
                purpose: r.purpose,
                at: r.at,
            };
            let visible = visible_categories(&ctx, &h.consents, &h.emergencies);
            let in_view = visible.iter().find(|(c, _)| *c == r.category).map(|(_, b)| *b);
            prop_assert_eq!(in_view, got.basis());
        }
    }

    #[test]
    fn encounter_notes_need_a_consent_naming_them(h in arb_history()) {
        for r in h.requests.iter().filter(|r| r.category == Category::EncounterNotes) {
            if let Decision::Allow(Basis::Consent { consent_id }) =
                decide(r, &h.consents, &h.emergencies)
            {
                let c = h.consents.iter().find(|c| c.id == consent_id).unwrap();
                prop_assert!(c.categories.contains(&Category::EncounterNotes));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn revoking_never_allows_more(h in arb_history(), pick in any::<prop::sample::Index>(), at in arb_time()) {
        if h.consents.is_empty() {
            return Ok(());
        }
        let mut after = h.clone();
        let c = &mut after.consents[pick.index(h.consents.len())];
        c.revoked_at = Some(c.revoked_at.map_or(at, |r| r.min(at)));
        assert_not_more_allowed(&h, &after)?;
    }

    #[test]
    fn expiring_never_allows_more(
        h in arb_history(),
        pick in any::<prop::sample::Index>(),
        at in arb_time(),
        by_date in any::<bool>(),
    ) {
        if h.consents.is_empty() {
            return Ok(());
        }
        let mut after = h.clone();
        let c = &mut after.consents[pick.index(h.consents.len())];
        c.expiry = match (&c.expiry, by_date) {
            (Expiry::OnDate(last), _) => Expiry::OnDate((*last).min(at.date())),
            // An open-ended event expiry narrowed to a date.
            (Expiry::OnEvent { occurred_at: None, .. }, true) => Expiry::OnDate(at.date()),
            (Expiry::OnEvent { description, occurred_at }, _) => Expiry::OnEvent {
                description: description.clone(),
                occurred_at: Some(occurred_at.map_or(at, |o| o.min(at))),
            },
        };
        assert_not_more_allowed(&h, &after)?;
    }

    #[test]
    fn revocation_is_refused_exactly_while_irrevocable(h in arb_history(), at in arb_time()) {
        for c in &h.consents {
            let refused_irrevocable = matches!(can_revoke(c, at), Err(RevokeError::Irrevocable { .. }));
            let should = c.revoked_at.is_none()
                && c.signed_at <= at
                && c.kind == ConsentKind::CriminalJustice
                && c.irrevocable_until.is_some_and(|u| at < u);
            prop_assert_eq!(refused_irrevocable, should);
            if let Ok(()) = can_revoke(c, at) {
                // An accepted revocation takes effect at once.
                let revoked = Consent { revoked_at: Some(at), ..c.clone() };
                prop_assert!(!revoked.is_active_at(at));
            }
        }
    }
}

// ---- Validation: total, and Ok only for consents that respect the rules -----------------

fn arb_draft() -> impl Strategy<Value = ConsentDraft> {
    let text = prop_oneof![
        Just(None),
        Just(Some(" ".to_string())),
        Just(Some("x".to_string()))
    ];
    let recipient = prop_oneof![
        (1i64..4).prop_map(|org_id| Recipient::Organisation { org_id }),
        (1i64..4, 1i64..9).prop_map(|(org_id, user_id)| Recipient::Person { org_id, user_id }),
        arb_class().prop_map(|class| Recipient::Class { class }),
    ];
    let signature = prop_oneof![
        (
            arb_time(),
            prop_oneof![Just(String::new()), Just("Ana".to_string())]
        )
            .prop_map(|(signed_at, signer_name)| Signature::OnScreen {
                signed_at,
                signer_name
            }),
        (
            arb_time(),
            prop_oneof![Just(String::new()), Just("scan-1".to_string())]
        )
            .prop_map(|(t, scan_ref)| Signature::PaperAttested {
                signed_on: t.date(),
                attested_by_user_id: 1,
                scan_ref,
            }),
    ];
    (
        (
            prop::option::of(1i64..4),
            prop::option::of(1i64..4),
            prop::option::of(prop_oneof![
                Just(ConsentKind::Standard),
                Just(ConsentKind::CriminalJustice)
            ]),
            arb_categories(),
            prop::collection::vec(recipient, 0..3),
            prop::option::of(arb_purpose()),
            text.clone(),
            prop::option::of(arb_expiry()),
        ),
        (
            prop::option::of(signature),
            any::<bool>(),
            any::<bool>(),
            text.clone(),
            prop::option::of(arb_time()),
            text,
            prop::option::of(arb_time().prop_map(|t| t.date())),
        ),
    )
        .prop_map(|(a, b)| ConsentDraft {
            participant_id: a.0,
            program_org_id: a.1,
            kind: a.2,
            categories: a.3,
            recipients: a.4,
            purpose: a.5,
            purpose_text: a.6,
            expiry: a.7,
            signature: b.0,
            right_to_revoke_acknowledged: b.1,
            signer_is_representative: b.2,
            representative_authority: b.3,
            irrevocable_until: b.4,
            cj_condition_of_release: b.5,
            cj_final_disposition_on: b.6,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn validate_reports_known_fields_and_accepts_only_lawful_consents(
        draft in arb_draft(),
        now in arb_time(),
    ) {
        match validate(draft.clone(), now) {
            Err(errs) => {
                prop_assert!(!errs.is_empty());
                for e in &errs {
                    prop_assert!(fields::ALL.contains(&e.field), "{}", e.field);
                    prop_assert!(!e.message.is_empty());
                }
            }
            Ok(v) => {
                prop_assert!(draft.right_to_revoke_acknowledged);
                prop_assert!(!v.categories.is_empty() && !v.recipients.is_empty());
                prop_assert!(v.signed_at <= now);
                match &v.expiry {
                    Expiry::OnDate(last) => prop_assert!(*last >= now.date()),
                    Expiry::OnEvent { description, occurred_at } => {
                        prop_assert!(!description.trim().is_empty() && occurred_at.is_none());
                    }
                }
                if v.signer_is_representative {
                    prop_assert!(v.representative_authority.is_some());
                }
                match v.kind {
                    ConsentKind::Standard => {
                        prop_assert_eq!(v.irrevocable_until, None);
                        prop_assert_ne!(v.purpose, Purpose::MonitoringProgress);
                    }
                    ConsentKind::CriminalJustice => {
                        prop_assert_eq!(v.purpose, Purpose::MonitoringProgress);
                        prop_assert!(!v.categories.contains(&Category::EncounterNotes));
                        prop_assert!(v.cj_condition_of_release.is_some());
                        // 42 CFR 2.35(a): "those persons within the criminal justice system
                        // who have made participation in the program a condition": a named
                        // agency or a person there, never a class (validate.rs).
                        for r in &v.recipients {
                            let ok = matches!(
                                r,
                                Recipient::Organisation { .. } | Recipient::Person { .. }
                            );
                            prop_assert!(ok, "{:?}", r);
                        }
                        if let (Some(u), Some(fd)) = (v.irrevocable_until, v.cj_final_disposition_on) {
                            prop_assert!(u.date() <= fd);
                        }
                        if let (Some(u), Expiry::OnDate(last)) = (v.irrevocable_until, &v.expiry) {
                            prop_assert!(u.date() <= *last);
                        }
                    }
                }
            }
        }
    }
}

// ---- The generator reaches every outcome and every boundary ---------------------------

#[test]
fn generator_covers_every_basis_and_the_boundaries() {
    let mut runner = TestRunner::deterministic();
    let strategy = arb_history();
    let (mut own, mut consent, mut emergency, mut deny) = (0, 0, 0, 0);
    let (mut on_revocation, mut on_event, mut on_day_after, mut on_em_end) = (0, 0, 0, 0);
    for _ in 0..600 {
        let h = strategy.new_tree(&mut runner).unwrap().current();
        for r in &h.requests {
            match decide(r, &h.consents, &h.emergencies) {
                Decision::Allow(Basis::OwnOrganisation) => own += 1,
                Decision::Allow(Basis::Consent { .. }) => consent += 1,
                Decision::Allow(Basis::Emergency { .. }) => emergency += 1,
                Decision::Deny => deny += 1,
            }
            for c in h
                .consents
                .iter()
                .filter(|c| c.participant_id == r.participant_id)
            {
                on_revocation += usize::from(c.revoked_at == Some(r.at));
                if let Expiry::OnEvent {
                    occurred_at: Some(o),
                    ..
                } = c.expiry
                {
                    on_event += usize::from(o == r.at);
                }
                if let Expiry::OnDate(last) = c.expiry {
                    on_day_after += usize::from(
                        r.at.date() == last + Duration::days(1) && r.at.time() == NaiveTime::MIN,
                    );
                }
            }
            on_em_end += h
                .emergencies
                .iter()
                .filter(|e| e.expires_at == r.at)
                .count();
        }
    }
    let counts = [
        own,
        consent,
        emergency,
        deny,
        on_revocation,
        on_event,
        on_day_after,
        on_em_end,
    ];
    println!(
        "own, consent, emergency, deny, at revocation, at event, day after last, emergency end: {counts:?}"
    );
    assert!(
        counts.iter().all(|&n| n >= 10),
        "coverage too thin: {counts:?}"
    );
    assert!(consent >= 200, "too few consent-based allows: {counts:?}");
}
