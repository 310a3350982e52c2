//! Journey pages: the participant's record (identity, episodes, custody events, release
//! checklist, the 14-day window countdown, encounters, BARC-10 with its trend, stage of change,
//! plan, referrals, follow-ups), its forms, the caseload, and the printable blank encounter form
//! and plan for facilities where devices are not allowed.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, NaiveDateTime};

use super::caseload;
use super::rules::{
    CompetencyArea, CustodyEventKind, DischargeReason, EncounterMode, EncounterOutcome,
    FollowUpPoint, GoalDomain, GoalStatus, ReferralStatus, ReferralType, ReleaseDateCertainty,
    Setting, TargetState,
};
use super::store::{self, *};
use crate::assessments::barc10::{ITEMS, SCALE_LABELS};
use crate::assessments::stages::StageOfChange;
use crate::consent::rules::Category;
use crate::consent::store as consent_store;
use crate::organisations::store::{self as orgs, Facility};
use crate::participants::amendments::{self, Amendment, AmendmentInput};
use crate::participants::merge::{self, Merge};
use crate::participants::store::{self as participants, Identifier, Participant};
use crate::platform::access::{self, Actor, Need, Role};
use crate::platform::audit::Event;
use crate::platform::error::{AppError, FieldError};
use crate::platform::time;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{
    CsrfForm, FormFields, PageId, PageIdPair, PageUser, QueryFields,
};
use crate::platform::web::layout::Chrome;
use crate::platform::web::{AppState, CsrfToken, PageRoute};
use crate::reports::charts;

pub fn routes() -> Vec<PageRoute> {
    let p = |path: &'static str, methods: &'static [&'static str], handler| PageRoute {
        path,
        methods,
        participant_scoped: true,
        handler,
    };
    vec![
        p("/participants/{id}", &["GET"], get(view)),
        p("/participants/{id}/plan", &["GET"], get(print_plan)),
        p("/participants/{id}/episodes", &["POST"], post(open_episode)),
        p("/participants/{id}/discharge", &["POST"], post(discharge)),
        p(
            "/participants/{id}/custody-events",
            &["POST"],
            post(custody_event),
        ),
        p("/participants/{id}/checklist", &["POST"], post(checklist)),
        p("/participants/{id}/encounters", &["POST"], post(encounter)),
        p("/participants/{id}/barc10", &["POST"], post(barc10)),
        p("/participants/{id}/stages", &["POST"], post(stage)),
        p("/participants/{id}/goals", &["POST"], post(goal)),
        p(
            "/participants/{id}/goals/{goal_id}",
            &["POST"],
            post(goal_update),
        ),
        p("/participants/{id}/referrals", &["POST"], post(referral)),
        p(
            "/participants/{id}/referrals/{referral_id}/status",
            &["POST"],
            post(referral_status),
        ),
        p("/participants/{id}/followups", &["POST"], post(followup)),
        p(
            "/participants/{id}/followups/amend",
            &["POST"],
            post(followup_amend),
        ),
        p("/participants/{id}/identity", &["POST"], post(identity)),
        PageRoute {
            path: "/caseload",
            methods: &["GET"],
            participant_scoped: false,
            handler: get(caseload_page),
        },
        PageRoute {
            path: "/forms/encounter",
            methods: &["GET"],
            participant_scoped: false,
            handler: get(blank_encounter_form),
        },
    ]
}

/// The 14-day window as the page shows it.
pub struct WindowView {
    pub day: u32,
    pub ends_at: NaiveDateTime,
    pub first_contact: &'static str,
    pub first_contact_due: NaiveDateTime,
    pub contacts_done: u32,
    pub min_contacts: u32,
    pub hours_to_next_deadline: Option<i64>,
    pub at_risk: bool,
}

fn target_label(t: &TargetState) -> &'static str {
    match t {
        TargetState::Met => "met",
        TargetState::Pending { .. } => "pending",
        TargetState::Missed { .. } => "missed",
    }
}

type Codes = Vec<(&'static str, &'static str)>;

fn codes<T: Copy>(
    all: &[T],
    as_str: fn(&T) -> &'static str,
    label: fn(&T) -> &'static str,
) -> Codes {
    all.iter().map(|x| (as_str(x), label(x))).collect()
}

/// Which parts of the record the viewer may see (from the grant).
#[derive(Debug, Clone, Copy)]
pub struct Sees {
    /// Program staff of the participant's own organisation: everything, with forms.
    pub own: bool,
    pub participation: bool,
    pub assessments: bool,
    pub plan: bool,
    pub referrals: bool,
    pub release: bool,
    pub notes: bool,
}

impl Sees {
    pub fn of(g: &access::ParticipantGrant) -> Sees {
        Sees {
            own: !g.is_disclosure(),
            participation: g.sees(Category::Participation),
            assessments: g.sees(Category::Assessments),
            plan: g.sees(Category::Plan),
            referrals: g.sees(Category::Referrals),
            release: g.sees(Category::ReleasePlan),
            notes: g.sees(Category::EncounterNotes),
        }
    }
}

/// The redisclosure notice and the consent a disclosed page rests on.
pub struct DisclosureNotice {
    pub notice: String,
    pub consents: Vec<String>,
    pub basis: String,
    /// Opened under emergency access (42 CFR 2.51), not disclosed with consent.
    pub emergency: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/participant.html")]
struct ParticipantPage {
    chrome: Chrome,
    sees: Sees,
    disclosure: Option<DisclosureNotice>,
    p: Participant,
    peer_name: Option<String>,
    identifiers: Vec<Identifier>,
    episodes: Vec<Episode>,
    current: Option<Episode>,
    events: Vec<CustodyEvent>,
    checklist: Vec<ChecklistRow>,
    window: Option<WindowView>,
    encounters: Vec<Encounter>,
    barc10: Vec<Barc10Row>,
    barc_chart: String,
    stages: Vec<StageRow>,
    goals: Vec<Goal>,
    referrals: Vec<Referral>,
    followups: Vec<FollowUp>,
    /// The follow-up point the form offers first: the next unanswered one.
    next_point: String,
    /// Every kept change of the records the viewer may see (oldest first).
    amendments: Vec<Amendment>,
    /// Likely duplicates found again after an identity correction.
    duplicates: Vec<participants::Candidate>,
    identifier_kinds: &'static [(&'static str, &'static str)],
    merges: Vec<Merge>,
    peers: Vec<(i64, String)>,
    facilities: Vec<Facility>,
    errors: Vec<FieldError>,
    today: NaiveDate,
    now_local: String,
    can_reassign: bool,
    settings: Codes,
    event_kinds: Codes,
    certainties: Codes,
    discharge_reasons: Codes,
    modes: Codes,
    outcomes: Codes,
    topics: Codes,
    stages_all: Codes,
    domains: Codes,
    goal_statuses: Codes,
    referral_types: Codes,
    referral_statuses: Codes,
    points: Codes,
    items: &'static [&'static str],
    scale: &'static [&'static str],
    overdose_codes: &'static [&'static str],
    housing_codes: &'static [&'static str],
}

impl ParticipantPage {
    fn facility_name(&self, id: &Option<i64>) -> String {
        id.and_then(|i| self.facilities.iter().find(|f| f.id == i))
            .map(|f| f.name.clone())
            .unwrap_or_default()
    }
    fn followup_state(&self, f: &FollowUp) -> &'static str {
        f.state(self.today).label()
    }
    fn is_assigned(&self, peer: &i64) -> bool {
        self.p.assigned_peer_id == Some(*peer)
    }
    fn latest_stage(&self) -> Option<&StageRow> {
        self.stages.first()
    }
    fn is_next_point(&self, code: &str) -> bool {
        self.next_point == code
    }
    fn is_answered(&self, code: &str) -> bool {
        participants_next_answered(&self.followups, code)
    }
    fn tri_fields(&self, f: &FollowUp) -> Vec<(&'static str, &'static str, Option<bool>)> {
        vec![
            ("rearrested", "Re-arrested", f.rearrested),
            ("reincarcerated", "Re-incarcerated", f.reincarcerated),
            ("in_treatment", "In treatment", f.in_treatment),
            ("employed", "Employed", f.employed),
            ("insured", "Health insurance", f.insured),
        ]
    }
    fn tri_selected(&self, v: &Option<bool>, want: &str) -> bool {
        matches!(
            (v, want),
            (Some(true), "yes") | (Some(false), "no") | (None, "")
        )
    }
}

/// Is the latest scheduled follow-up at `code` already answered?
fn participants_next_answered(followups: &[FollowUp], code: &str) -> bool {
    followups
        .iter()
        .filter(|f| f.point == code)
        .max_by_key(|f| f.due_on)
        .is_some_and(|f| f.completed_on.is_some())
}

async fn render(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    id: i64,
    errors: Vec<FieldError>,
) -> Result<ParticipantPage, PageError> {
    let a = actor.clone();
    let now = time::now();
    let page = state
        .db
        .read(move |tx| {
            let g = access::participant(
                tx,
                &a,
                id,
                Need::Overview,
                Event::new("participant.view", "participant", Some(id)),
            )?;
            let p = participants::get(tx.conn(), &g)?;
            let sees = Sees::of(&g);
            let own = sees.own;
            let peers = if own {
                participants::assignable_peers(tx.conn(), g.org_id())?
            } else {
                vec![]
            };
            let peer_name = p.assigned_peer_id.and_then(|pid| {
                peers
                    .iter()
                    .find(|(i, _)| *i == pid)
                    .map(|(_, n)| n.clone())
            });
            let current = if sees.participation || sees.release {
                store::current_episode(tx.conn(), &g)?
            } else {
                None
            };
            let targets = store::contact_targets(tx.conn(), g.org_id())?;
            let window = match current
                .as_ref()
                .filter(|_| sees.release)
                .and_then(|e| store::window_of(e, targets, now))
            {
                Some(w) => {
                    let contacts: Vec<NaiveDateTime> =
                        store::completed_contacts_since(tx.conn(), &[id], w.released_at())?
                            .into_iter()
                            .map(|(_, t)| t)
                            .collect();
                    let s = w.assess(&contacts, now);
                    Some(WindowView {
                        day: w.day_of_window(now).unwrap_or(0),
                        ends_at: w.ends_at(),
                        first_contact: target_label(&s.first_contact),
                        first_contact_due: w.first_contact_due(),
                        contacts_done: s.completed_in_window,
                        min_contacts: targets.min_contacts,
                        hours_to_next_deadline: s.hours_to_next_deadline,
                        at_risk: s.at_risk,
                    })
                }
                None => None,
            };
            let checklist = match &current {
                Some(e) if sees.release => store::checklist(tx.conn(), &g, Some(e.id))?,
                _ => vec![],
            };
            let barc10 = if sees.assessments {
                store::barc10(tx.conn(), &g)?
            } else {
                vec![]
            };
            let disclosure = if own {
                None
            } else {
                let ids: Vec<i64> = match g.basis() {
                    access::GrantBasis::Consent(ids) => ids.clone(),
                    _ => vec![],
                };
                let summaries = consent_store::list(tx.conn(), &g)?
                    .into_iter()
                    .filter(|c| ids.contains(&c.id))
                    .map(|c| c.summary())
                    .collect();
                let (basis, emergency) = match g.basis() {
                    access::GrantBasis::Emergency(eid) => {
                        let line = match crate::consent::emergency::find(tx.conn(), *eid)? {
                            Some(e) => format!(
                                "Opened for a medical emergency by {} of {}, until {} UTC \
                                 (42 CFR 2.51). The reason given: {}",
                                e.opened_by,
                                e.opened_by_organisation,
                                e.until().format("%Y-%m-%d %H:%M"),
                                e.reason
                            ),
                            None => "Opened for a medical emergency (42 CFR 2.51).".to_string(),
                        };
                        (line, true)
                    }
                    _ => (String::new(), false),
                };
                Some(DisclosureNotice {
                    notice: consent_store::notice(tx.conn(), g.org_id())?,
                    consents: summaries,
                    basis,
                    emergency,
                })
            };
            let mut encounters = if sees.participation {
                store::encounters(tx.conn(), &g, 20)?
            } else {
                vec![]
            };
            if !sees.notes {
                for e in &mut encounters {
                    e.note.clear();
                }
            }
            let points: Vec<(String, f64)> = barc10
                .iter()
                .map(|b| {
                    (
                        b.taken_on.format("%Y-%m-%d").to_string(),
                        f64::from(b.total),
                    )
                })
                .collect();
            let barc_chart = if points.is_empty() {
                String::new()
            } else {
                charts::line_chart(
                    "BARC-10 total over time",
                    &points,
                    10.0,
                    60.0,
                    Some((47.0, "47: cutoff")),
                )
            };
            let followups = if sees.assessments {
                store::followups(tx.conn(), &g)?
            } else {
                vec![]
            };
            let next_point = store::next_unanswered(&followups)
                .map(|f| f.point.clone())
                .unwrap_or_default();
            Ok(ParticipantPage {
                chrome: Chrome::new(&a, p.display_name(), "/participants", "", false),
                identifiers: if own {
                    participants::identifiers(tx.conn(), &g)?
                } else {
                    vec![]
                },
                episodes: if sees.participation {
                    store::episodes(tx.conn(), &g)?
                } else {
                    vec![]
                },
                events: if sees.release {
                    store::custody_events(tx.conn(), &g)?
                } else {
                    vec![]
                },
                encounters,
                stages: if sees.assessments {
                    store::stages(tx.conn(), &g)?
                } else {
                    vec![]
                },
                goals: if sees.plan {
                    store::goals(tx.conn(), &g)?
                } else {
                    vec![]
                },
                referrals: if sees.referrals {
                    store::referrals(tx.conn(), &g)?
                } else {
                    vec![]
                },
                followups,
                next_point,
                amendments: amendments::history(tx.conn(), &g)?,
                duplicates: vec![],
                identifier_kinds: participants::IDENTIFIER_KINDS,
                merges: if own {
                    merge::merges_of(tx.conn(), &g)?
                } else {
                    vec![]
                },
                sees,
                disclosure,
                facilities: orgs::facilities(tx.conn())?,
                p,
                peer_name,
                current,
                checklist,
                window,
                barc10,
                barc_chart,
                peers,
                errors: vec![],
                today: now.date(),
                now_local: now.format("%Y-%m-%dT%H:%M").to_string(),
                can_reassign: own && access::reassign(&a).is_ok(),
                settings: codes(Setting::ALL, Setting::as_str, Setting::label),
                event_kinds: codes(
                    CustodyEventKind::ALL,
                    CustodyEventKind::as_str,
                    CustodyEventKind::label,
                ),
                certainties: codes(
                    ReleaseDateCertainty::ALL,
                    ReleaseDateCertainty::as_str,
                    ReleaseDateCertainty::label,
                ),
                discharge_reasons: codes(
                    DischargeReason::ALL,
                    DischargeReason::as_str,
                    DischargeReason::label,
                ),
                modes: codes(
                    EncounterMode::ALL,
                    EncounterMode::as_str,
                    EncounterMode::label,
                ),
                outcomes: codes(
                    EncounterOutcome::ALL,
                    EncounterOutcome::as_str,
                    EncounterOutcome::label,
                ),
                topics: codes(
                    CompetencyArea::ALL,
                    CompetencyArea::as_str,
                    CompetencyArea::label,
                ),
                stages_all: codes(
                    StageOfChange::ALL,
                    StageOfChange::as_str,
                    StageOfChange::label,
                ),
                domains: codes(GoalDomain::ALL, GoalDomain::as_str, GoalDomain::label),
                goal_statuses: codes(GoalStatus::ALL, GoalStatus::as_str, GoalStatus::label),
                referral_types: codes(ReferralType::ALL, ReferralType::as_str, ReferralType::label),
                referral_statuses: codes(
                    ReferralStatus::ALL,
                    ReferralStatus::as_str,
                    ReferralStatus::label,
                ),
                points: codes(
                    FollowUpPoint::ALL,
                    FollowUpPoint::as_str,
                    FollowUpPoint::label,
                ),
                items: &ITEMS,
                scale: &SCALE_LABELS,
                overdose_codes: OVERDOSE_CODES,
                housing_codes: HOUSING_CODES,
            })
        })
        .await?;
    Ok(ParticipantPage {
        chrome: Chrome::new(
            actor,
            page.p.display_name(),
            "/participants",
            csrf,
            state.config.demo,
        ),
        errors,
        ..page
    })
}

async fn view(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    Ok(render(&state, &actor, &csrf.0, id, vec![])
        .await?
        .into_response())
}

/// Run one form's write; on bad input, show the record again with the problems named.
async fn submit<F>(
    state: AppState,
    actor: Actor,
    csrf: String,
    id: i64,
    anchor: &str,
    kind: &str,
    f: F,
) -> Result<Response, PageError>
where
    F: FnOnce(
            &mut crate::platform::db::Tx,
            &crate::platform::access::ParticipantGrant,
            &Actor,
        ) -> Result<(), AppError>
        + Send
        + 'static,
{
    let a = actor.clone();
    let ev = Event::new(&format!("{kind}.write"), kind, None).with_participant(id);
    let result = state
        .db
        .write(move |tx| {
            let g = access::participant(tx, &a, id, Need::Write, ev)?;
            f(tx, &g, &a)
        })
        .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/participants/{id}#{anchor}")).into_response()),
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &actor, &csrf, id, errs).await?,
        )
            .into_response()),
        // Refused because it would replace what is recorded: say so on the record.
        Err(AppError::Conflict(m)) => Ok((
            StatusCode::CONFLICT,
            render(&state, &actor, &csrf, id, vec![FieldError::new(kind, m)]).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Bad input caught before the write: show the record with the problems, but only to someone
/// who may write it (the policy is asked first, as for every write).
async fn invalid_form(
    s: &AppState,
    a: &Actor,
    csrf: &str,
    id: i64,
    errs: Vec<FieldError>,
) -> Result<Response, PageError> {
    let actor = a.clone();
    s.db.write(move |tx| {
        access::participant(
            tx,
            &actor,
            id,
            Need::Write,
            Event::new("form.invalid", "participant", Some(id)),
        )
        .map(|_| ())
    })
    .await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        render(s, a, csrf, id, errs).await?,
    )
        .into_response())
}

fn opt(form: &FormFields, k: &str) -> Option<String> {
    form.opt(k)
}

fn opt_id(form: &FormFields, k: &str) -> Result<Option<i64>, AppError> {
    crate::platform::web::extract::parse::opt_id(k, form.get(k))
        .map_err(|e| AppError::Invalid(vec![e]))
}

async fn open_episode(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let facility_id = opt_id(&form, "facility_id")?;
    let input = EpisodeInput {
        setting: form.get("setting").into(),
        facility_id,
        started_on: form.get("started_on").into(),
        services_consent_on: form.get("services_consent_on").into(),
        expected_release_on: opt(&form, "expected_release_on"),
        release_certainty: opt(&form, "release_certainty"),
        supervision_office: opt(&form, "supervision_office"),
    };
    submit(s, a, c.0, id, "episodes", "episode", move |tx, g, _| {
        let new = NewEpisode::parse(&input, time::today())?;
        store::open_episode(tx, g, &new).map(|_| ())
    })
    .await
}

async fn discharge(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = DischargeInput {
        reason: form.get("reason").into(),
        ended_on: form.get("ended_on").into(),
    };
    submit(s, a, c.0, id, "episodes", "episode", move |tx, g, _| {
        store::discharge(tx, g, &input).map(|_| ())
    })
    .await
}

async fn custody_event(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let facility_id = opt_id(&form, "facility_id")?;
    let input = CustodyEventInput {
        kind: form.get("kind").into(),
        occurred_on: form.get("occurred_on").into(),
        at_time: opt(&form, "at_time"),
        certainty: opt(&form, "certainty"),
        facility_id,
        office: opt(&form, "office"),
        detail: opt(&form, "detail"),
    };
    submit(
        s,
        a,
        c.0,
        id,
        "release",
        "custody_event",
        move |tx, g, a| {
            store::record_custody_event(tx, g, a.user_id, &input, time::now()).map(|_| ())
        },
    )
    .await
}

async fn checklist(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = ChecklistUpdate {
        kind: form.get("kind").into(),
        done_on: opt(&form, "done_on"),
        note: opt(&form, "note"),
        reason: opt(&form, "reason"),
    };
    submit(s, a, c.0, id, "checklist", "checklist", move |tx, g, a| {
        store::update_checklist(tx, g, a, &input).map(|_| ())
    })
    .await
}

async fn encounter(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let duration = form
        .get("duration_minutes")
        .trim()
        .parse::<i64>()
        .map_err(|_| {
            AppError::invalid(
                "duration_minutes",
                format!(
                    "{:?} is not a number of minutes",
                    form.get("duration_minutes")
                ),
            )
        });
    let duration = match duration {
        Ok(d) => d,
        Err(AppError::Invalid(e)) => return invalid_form(&s, &a, &c.0, id, e).await,
        Err(e) => return Err(e.into()),
    };
    let input = EncounterInput {
        kind: if form.get("kind").is_empty() {
            "individual".into()
        } else {
            form.get("kind").into()
        },
        mode: form.get("mode").into(),
        outcome: form.get("outcome").into(),
        occurred_at: form.get("occurred_at").into(),
        duration_minutes: duration,
        topics: form.all("topics").into_iter().map(str::to_string).collect(),
        note: form.get("note").into(),
        also_participant_ids: vec![],
    };
    submit(s, a, c.0, id, "encounters", "encounter", move |tx, g, a| {
        let new = NewEncounter::parse(&input, time::now())?;
        store::record_encounter(tx, &[g], a.user_id, &new, None).map(|_| ())
    })
    .await
}

async fn barc10(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let mut answers = Vec::new();
    let mut errs = Vec::new();
    for i in 0..10 {
        let raw = form.get(&format!("a{i}"));
        match raw.trim().parse::<i64>() {
            Ok(v) => answers.push(v),
            Err(_) => errs.push(FieldError::new(
                format!("answers[{i}]"),
                format!("statement {} needs an answer from 1 to 6", i + 1),
            )),
        }
    }
    if !errs.is_empty() {
        return invalid_form(&s, &a, &c.0, id, errs).await;
    }
    let input = Barc10Input {
        taken_on: form.get("taken_on").into(),
        answers,
    };
    submit(s, a, c.0, id, "barc10", "barc10", move |tx, g, a| {
        let (on, ans) = store::parse_barc10(&input, time::today())?;
        store::record_barc10(tx, g, a.user_id, on, &ans).map(|_| ())
    })
    .await
}

async fn stage(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = StageInput {
        stage: form.get("stage").into(),
        recorded_on: form.get("recorded_on").into(),
        note: form.get("note").into(),
    };
    submit(s, a, c.0, id, "stage", "stage", move |tx, g, a| {
        store::record_stage(tx, g, a.user_id, &input).map(|_| ())
    })
    .await
}

async fn goal(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let steps = form
        .all("step")
        .into_iter()
        .filter(|d| !d.trim().is_empty())
        .map(|d| StepInput {
            description: d.into(),
            owner: form.get("owner").into(),
            due_on: None,
        })
        .collect();
    let input = GoalInput {
        domain: form.get("domain").into(),
        statement: form.get("statement").into(),
        owner: form.get("owner").into(),
        due_on: opt(&form, "due_on"),
        steps,
    };
    submit(s, a, c.0, id, "plan", "goal", move |tx, g, a| {
        store::add_goal(tx, g, a.user_id, &input).map(|_| ())
    })
    .await
}

async fn goal_update(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageIdPair(id, goal_id): PageIdPair,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let step = opt_id(&form, "step_done_id")?;
    let input = GoalUpdate {
        status: opt(&form, "status"),
        step_done_id: step,
        done_on: None,
        reason: opt(&form, "reason"),
    };
    submit(s, a, c.0, id, "plan", "goal", move |tx, g, a| {
        store::update_goal(tx, g, a, goal_id, &input)
    })
    .await
}

async fn referral(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = ReferralInput {
        referral_type: form.get("referral_type").into(),
        provider_name: form.get("provider_name").into(),
        provider_contact: form.get("provider_contact").into(),
        referred_on: form.get("referred_on").into(),
    };
    submit(s, a, c.0, id, "referrals", "referral", move |tx, g, a| {
        store::add_referral(tx, g, a.user_id, &input).map(|_| ())
    })
    .await
}

async fn referral_status(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageIdPair(id, rid): PageIdPair,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let input = ReferralStatusInput {
        status: form.get("status").into(),
        reason: opt(&form, "reason"),
        occurred_on: opt(&form, "occurred_on"),
    };
    submit(s, a, c.0, id, "referrals", "referral", move |tx, g, a| {
        store::change_referral_status(tx, g, a.user_id, rid, &input).map(|_| ())
    })
    .await
}

fn tri(form: &FormFields, k: &str) -> Option<bool> {
    match form.get(k) {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

async fn followup(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let barc = form.get("barc10_total").trim();
    let barc10_total = if barc.is_empty() {
        None
    } else {
        match barc.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                return invalid_form(
                    &s,
                    &a,
                    &c.0,
                    id,
                    vec![FieldError::new("barc10_total", "is not a number")],
                )
                .await;
            }
        }
    };
    let input = FollowUpInput {
        point: form.get("point").into(),
        completed_on: form.get("completed_on").into(),
        rearrested: tri(&form, "rearrested"),
        reincarcerated: tri(&form, "reincarcerated"),
        overdose: opt(&form, "overdose"),
        in_treatment: tri(&form, "in_treatment"),
        housing: opt(&form, "housing"),
        employed: tri(&form, "employed"),
        insured: tri(&form, "insured"),
        barc10_total,
        note: form.get("note").into(),
    };
    submit(s, a, c.0, id, "followups", "followup", move |tx, g, _| {
        store::record_followup(tx, g, &input, time::today()).map(|_| ())
    })
    .await
}

/// Amend a recorded follow-up from the page: every answer of the form, and a required reason.
async fn followup_amend(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let point = form.get("point").to_string();
    let mut changes = serde_json::Map::new();
    for k in [
        "completed_on",
        "rearrested",
        "reincarcerated",
        "overdose",
        "in_treatment",
        "housing",
        "employed",
        "insured",
        "barc10_total",
        "note",
    ] {
        changes.insert(k.into(), serde_json::Value::String(form.get(k).into()));
    }
    let input = AmendmentInput {
        reason: form.get("reason").into(),
        changes,
    };
    submit(s, a, c.0, id, "followups", "followup", move |tx, g, a| {
        store::amend_followup(tx, g, a, &point, &input).map(|_| ())
    })
    .await
}

/// Correct identity from the page: the record's fields (unchanged ones are skipped), stored
/// identifiers, one identifier to add, and a reason. Likely duplicates of the corrected identity
/// are shown on the record.
async fn identity(
    State(s): State<AppState>,
    Extension(c): Extension<CsrfToken>,
    PageUser(a): PageUser,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let mut changes = serde_json::Map::new();
    for k in [
        "first_name",
        "last_name",
        "preferred_name",
        "date_of_birth",
        "pronouns",
        "language",
        "phone",
        "email",
    ] {
        if form.all(k).is_empty() {
            continue;
        }
        changes.insert(k.into(), serde_json::Value::String(form.get(k).into()));
    }
    let mut corrections = Vec::new();
    for (i, raw) in form.all("identifier_id").into_iter().enumerate() {
        let Ok(ident) = raw.trim().parse::<i64>() else {
            return invalid_form(
                &s,
                &a,
                &c.0,
                id,
                vec![FieldError::new(
                    format!("identifiers[{i}].id"),
                    "is not an id",
                )],
            )
            .await;
        };
        corrections.push(participants::IdentifierCorrection {
            id: ident,
            value: form.get(&format!("identifier_{ident}")).into(),
        });
    }
    let mut add = Vec::new();
    if !form.get("add_value").trim().is_empty() {
        add.push(participants::IdentifierInput {
            kind: form.get("add_kind").into(),
            value: form.get("add_value").into(),
            facility_id: opt_id(&form, "add_facility_id")?,
        });
    }
    let input = participants::IdentityCorrection {
        reason: form.get("reason").into(),
        changes,
        identifiers: corrections,
        add_identifiers: add,
    };
    let actor = a.clone();
    let result =
        s.db.write(move |tx| {
            let g = access::participant(
                tx,
                &actor,
                id,
                Need::Write,
                Event::new("participant.identity", "participant", Some(id)),
            )?;
            let scope = access::list_scope(&actor).ok_or(AppError::Forbidden)?;
            participants::correct_identity(tx, &g, &actor, &scope, &input)
        })
        .await;
    match result {
        Ok(out) if out.likely_duplicates.is_empty() => {
            Ok(Redirect::to(&format!("/participants/{id}#identity")).into_response())
        }
        Ok(out) => {
            let page = render(&s, &a, &c.0, id, vec![]).await?;
            Ok(ParticipantPage {
                duplicates: out.likely_duplicates,
                ..page
            }
            .into_response())
        }
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&s, &a, &c.0, id, errs).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/plan_print.html")]
struct PlanPrint {
    chrome: Chrome,
    p: Participant,
    goals: Vec<Goal>,
    checklist: Vec<ChecklistRow>,
    printed_on: NaiveDate,
}

async fn print_plan(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let a = actor.clone();
    let (p, goals, checklist) = state
        .db
        .read(move |tx| {
            let g = access::participant(
                tx,
                &a,
                id,
                Need::Read(Category::Plan),
                Event::new("plan.print", "goal", None).with_participant(id),
            )?;
            let current = store::current_episode(tx.conn(), &g)?;
            let checklist = match current {
                Some(e) => store::checklist(tx.conn(), &g, Some(e.id))?,
                None => vec![],
            };
            Ok((
                participants::get(tx.conn(), &g)?,
                store::goals(tx.conn(), &g)?,
                checklist,
            ))
        })
        .await?;
    Ok(PlanPrint {
        chrome: Chrome::new(
            &actor,
            format!("Plan: {}", p.display_name()),
            "/participants",
            &csrf.0,
            state.config.demo,
        ),
        p,
        goals,
        checklist,
        printed_on: time::today(),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/encounter_form.html")]
struct BlankEncounterForm {
    chrome: Chrome,
    modes: Codes,
    outcomes: Codes,
    topics: Codes,
}

async fn blank_encounter_form(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
) -> impl IntoResponse {
    BlankEncounterForm {
        chrome: Chrome::new(
            &actor,
            "Blank encounter form",
            "/caseload",
            &csrf.0,
            state.config.demo,
        ),
        modes: codes(
            EncounterMode::ALL,
            EncounterMode::as_str,
            EncounterMode::label,
        ),
        outcomes: codes(
            EncounterOutcome::ALL,
            EncounterOutcome::as_str,
            EncounterOutcome::label,
        ),
        topics: codes(
            CompetencyArea::ALL,
            CompetencyArea::as_str,
            CompetencyArea::label,
        ),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/caseload.html")]
struct CaseloadPage {
    chrome: Chrome,
    caseload: caseload::CaseloadPage,
    /// The filter as a query string (without the page), for the pager's links.
    query: String,
    peers: Vec<(i64, String)>,
    facilities: Vec<Facility>,
    settings: Codes,
    peer: String,
    setting: String,
    facility: String,
    error: Option<String>,
    show_peer: bool,
    /// Peers in the organisation (the filter may offer fewer: `caseload::peer_choices`).
    peers_total: usize,
}

async fn caseload_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    let (filter, error) = match caseload::Filter::parse(&q) {
        Ok(f) => (f, None),
        Err(e) => (caseload::Filter::default(), Some(e.to_string())),
    };
    let a = actor.clone();
    let org = actor.org_id;
    let query = match (filter.query(), filter.per_page != caseload::PER_PAGE) {
        (q, false) => q,
        (q, true) if q.is_empty() => format!("per_page={}", filter.per_page),
        (q, true) => format!("{q}&per_page={}", filter.per_page),
    };
    let chosen = filter.peer;
    let (caseload, (peers, peers_total), facilities) = state
        .db
        .read(move |tx| {
            let all = participants::assignable_peers(tx.conn(), org)?;
            Ok((
                caseload::for_actor(tx, &a, &filter, time::now())?,
                caseload::peer_choices(tx, &a, all, chosen)?,
                orgs::facilities(tx.conn())?,
            ))
        })
        .await?;
    Ok(CaseloadPage {
        chrome: Chrome::new(&actor, "Caseload", "/caseload", &csrf.0, state.config.demo),
        caseload,
        query,
        peers,
        peers_total,
        facilities,
        settings: codes(Setting::ALL, Setting::as_str, Setting::label),
        peer: q.get("peer").into(),
        setting: q.get("setting").into(),
        facility: q.get("facility").into(),
        error,
        show_peer: actor.role != Role::Peer || !q.get("peer").is_empty(),
    }
    .into_response())
}
