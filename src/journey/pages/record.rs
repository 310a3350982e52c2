//! The participant's record as one page: identity, episodes, custody events, the release
//! checklist, the 14-day window countdown, encounters, BARC-10 with its trend, stage of change,
//! plan, referrals, follow-ups and amendments, each part shown as far as the grant lets the
//! viewer see it.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, NaiveDateTime};

use super::consent_store;
use super::orgs::{self, Facility};
use super::participants::{self, Identifier, Participant};
use crate::assessments::barc10::{ITEMS, SCALE_LABELS};
use crate::assessments::stages::StageOfChange;
use crate::consent::rules::Category;
use crate::journey::rules::{
    CompetencyArea, CustodyEventKind, DischargeReason, EncounterMode, EncounterOutcome,
    FollowUpPoint, GoalDomain, GoalStatus, LifeDomain, ReferralStatus, ReferralType,
    ReleaseDateCertainty, Setting,
};
use crate::journey::store::{self, *};
use crate::participants::amendments::{self, Amendment};
use crate::participants::merge::{self, Merge};
use crate::platform::access::{self, Actor, Need};
use crate::platform::audit::Event;
use crate::platform::error::{AppResult, FieldError};
use crate::platform::time;
use crate::platform::vocabulary::Vocabulary;
use crate::platform::web::AppState;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{Page, PageId, QueryFields};
use crate::platform::web::layout::Chrome;
use crate::reports::charts;

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

pub(super) type Codes = Vec<(&'static str, &'static str)>;

/// Every code of a vocabulary with its English label, in declaration order (a form's choices).
pub(super) fn codes<T: Vocabulary>() -> Codes {
    T::VALUES.iter().map(|v| (v.code(), v.english())).collect()
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

/// One thing due next, at the top of the record.
pub struct NextDue {
    pub what: String,
    pub due_on: NaiveDate,
    pub overdue: bool,
    /// The part of the record it is in.
    pub section: &'static str,
}

/// The parts of the record, in page order: the anchors a phone shows one at a time, and the
/// confirmation said after a form of that part saved.
const SECTIONS: &[(&str, &str)] = &[
    ("identity", "Identity saved."),
    ("episodes", "Episode saved."),
    ("release", "Custody event recorded."),
    ("checklist", "Checklist updated."),
    ("encounters", "Encounter recorded."),
    ("barc10", "BARC-10 recorded."),
    ("stage", "Stage of change recorded."),
    ("plan", "Plan updated."),
    ("referrals", "Referral saved."),
    ("followups", "Follow-up saved."),
    ("history", ""),
];

fn section_of(name: &str) -> Option<(&'static str, &'static str)> {
    SECTIONS.iter().find(|(s, _)| *s == name).copied()
}

#[derive(Template, WebTemplate)]
#[template(path = "journey/participant.html")]
pub(super) struct ParticipantPage {
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
    /// The notes of the group sessions among the encounters (the program's own staff only).
    group_notes: Vec<(i64, String)>,
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
    /// What was just saved, said at the top of the page (and focused): after a form's write.
    saved: Option<&'static str>,
    /// The part of the record a phone shows (one part at a time): the one just saved or asked
    /// for with `?section=`, else encounters.
    section: &'static str,
    /// What is due next: open checklist items and the next follow-up, soonest first.
    next_due: Vec<NextDue>,
    /// The clock of the participant's organisation: its today, the times shown and typed.
    zone: time::Zone,
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
    life_domains: Codes,
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
    /// The page with the likely duplicates an identity correction found.
    pub(super) fn with_duplicates(self, duplicates: Vec<participants::Candidate>) -> Self {
        ParticipantPage { duplicates, ..self }
    }
    fn facility_name(&self, id: &Option<i64>) -> String {
        id.and_then(|i| self.facilities.iter().find(|f| f.id == i))
            .map(|f| f.name.clone())
            .unwrap_or_default()
    }
    /// The part a phone shows when no link chose another: `class="current"`.
    fn current(&self, section: &str) -> &'static str {
        if self.section == section {
            " current"
        } else {
            ""
        }
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
    /// The note of the group session `group_id`, if the viewer may read it.
    fn group_note(&self, group_id: &Option<i64>) -> &str {
        group_id
            .and_then(|id| self.group_notes.iter().find(|(g, _)| *g == id))
            .map_or("", |(_, n)| n.as_str())
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
pub(super) fn participants_next_answered(followups: &[FollowUp], code: &str) -> bool {
    followups
        .iter()
        .filter(|f| f.point == code)
        .max_by_key(|f| f.due_on)
        .is_some_and(|f| f.completed_on.is_some())
}

/// One part of the record: loaded when the viewer may see it, nothing otherwise.
fn shown<T>(sees: bool, load: impl FnOnce() -> AppResult<Vec<T>>) -> AppResult<Vec<T>> {
    if sees { load() } else { Ok(Vec::new()) }
}

pub(super) async fn render(
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
            let zone = time::zone_of(tx.conn(), g.org_id())?;
            let sees = Sees::of(&g);
            let own = sees.own;
            let peers = shown(own, || {
                participants::assignable_peers(tx.conn(), g.org_id())
            })?;
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
                        first_contact: s.first_contact.as_str(),
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
            let barc10 = shown(sees.assessments, || store::barc10(tx.conn(), &g))?;
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
                                "Opened for a medical emergency by {} of {}, until {} \
                                 (42 CFR 2.51). The reason given: {}",
                                e.opened_by,
                                e.opened_by_organisation,
                                zone.show(e.until()),
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
            let mut encounters =
                shown(sees.participation, || store::encounters(tx.conn(), &g, 20))?;
            let group_ids: Vec<i64> = encounters.iter().filter_map(|e| e.group_id).collect();
            let group_notes = store::group_notes(tx.conn(), &g, &group_ids)?;
            crate::journey::ops::disclose_encounters(&g, &mut encounters);
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
            let followups = shown(sees.assessments, || store::followups(tx.conn(), &g))?;
            let next_point = store::next_unanswered(&followups)
                .map(|f| f.point.clone())
                .unwrap_or_default();
            let today = zone.date_of(now);
            let mut next_due: Vec<NextDue> = checklist
                .iter()
                .filter(|i| i.done_on.is_none() && i.not_applicable_reason.is_none())
                .map(|i| NextDue {
                    what: i.label().to_string(),
                    due_on: i.due_on,
                    overdue: i.overdue_on(&today),
                    section: "checklist",
                })
                .collect();
            next_due.extend(
                followups
                    .iter()
                    .filter(|f| f.completed_on.is_none())
                    .min_by_key(|f| f.due_on)
                    .map(|f| NextDue {
                        what: format!("{} follow-up", f.point_label()),
                        due_on: f.due_on,
                        overdue: f.due_on < today,
                        section: "followups",
                    }),
            );
            next_due.sort_by_key(|d| d.due_on);
            next_due.truncate(4);
            Ok(ParticipantPage {
                chrome: Chrome::new(&a, p.display_name(), "/participants", "", false),
                identifiers: shown(own, || participants::identifiers(tx.conn(), &g))?,
                episodes: shown(sees.participation, || store::episodes(tx.conn(), &g))?,
                events: shown(sees.release, || store::custody_events(tx.conn(), &g))?,
                encounters,
                group_notes,
                stages: shown(sees.assessments, || store::stages(tx.conn(), &g))?,
                goals: shown(sees.plan, || store::goals(tx.conn(), &g))?,
                referrals: shown(sees.referrals, || store::referrals(tx.conn(), &g))?,
                followups,
                next_point,
                amendments: amendments::history(tx.conn(), &g)?,
                duplicates: vec![],
                identifier_kinds: participants::IDENTIFIER_KINDS,
                merges: shown(own, || merge::merges_of(tx.conn(), &g))?,
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
                saved: None,
                section: if sees.participation {
                    "encounters"
                } else {
                    "identity"
                },
                next_due,
                zone,
                today: zone.date_of(now),
                now_local: zone.wall_clock(now).format("%Y-%m-%dT%H:%M").to_string(),
                can_reassign: own && access::reassign(&a).is_ok(),
                settings: codes::<Setting>(),
                event_kinds: codes::<CustodyEventKind>(),
                certainties: codes::<ReleaseDateCertainty>(),
                discharge_reasons: codes::<DischargeReason>(),
                modes: codes::<EncounterMode>(),
                outcomes: codes::<EncounterOutcome>(),
                topics: codes::<CompetencyArea>(),
                life_domains: codes::<LifeDomain>(),
                stages_all: codes::<StageOfChange>(),
                domains: codes::<GoalDomain>(),
                goal_statuses: codes::<GoalStatus>(),
                referral_types: codes::<ReferralType>(),
                referral_statuses: codes::<ReferralStatus>(),
                points: codes::<FollowUpPoint>(),
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

/// The record; `?saved=PART` (where a form's write goes back to) says what was saved, and
/// `?section=PART` chooses the part a phone shows.
pub(super) async fn view(
    page: Page,
    PageId(id): PageId,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    let (state, actor, csrf) = page.into_parts();
    let page = render(&state, &actor, &csrf, id, vec![]).await?;
    let saved = section_of(q.get("saved"));
    let section = saved
        .or_else(|| section_of(q.get("section")))
        .map_or(page.section, |(s, _)| s);
    Ok(ParticipantPage {
        saved: saved.map(|(_, m)| m).filter(|m| !m.is_empty()),
        section,
        ..page
    }
    .into_response())
}
