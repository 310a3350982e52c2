//! The participant's record as one page: identity, episodes, custody events, the release
//! checklist, the 14-day window countdown, encounters, BARC-10 with its trend, stage of change,
//! plan, referrals, follow-ups and amendments, each part shown as far as the grant lets the
//! viewer see it.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, NaiveDateTime};

use super::consent_store;
use super::labels::{self, Codes, codes};
use super::orgs::{self, Facility};
use super::participants::{self, Identifier, Participant};
use crate::assessments::stages::StageOfChange;
use crate::consent::rules::Category;
use crate::journey::rules::{
    CompetencyArea, CustodyEventKind, DischargeReason, EncounterMode, EncounterOutcome,
    EncounterService, FollowUpPoint, GoalDomain, GoalStatus, ReferralStatus, ReferralType,
    ReleaseDateCertainty, Setting,
};
use crate::journey::store::{self, *};
use crate::participants::amendments::{self, Amendment};
use crate::participants::merge::{self, Merge};
use crate::platform::access::{self, Actor, Need};
use crate::platform::audit::{Action, Event};
use crate::platform::db::Tx;
use crate::platform::error::{AppResult, FieldError};
use crate::platform::i18n::Tr;
use crate::platform::time;
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
/// message of the confirmation said after a form of that part saved.
const SECTIONS: &[(&str, &str)] = &[
    ("identity", "record-saved-identity"),
    ("episodes", "record-saved-episodes"),
    ("release", "record-saved-release"),
    ("checklist", "record-saved-checklist"),
    ("encounters", "record-saved-encounters"),
    ("barc10", "record-saved-barc10"),
    ("stage", "record-saved-stage"),
    ("plan", "record-saved-plan"),
    ("referrals", "record-saved-referrals"),
    ("followups", "record-saved-followups"),
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
    /// Overdoses learned of, dated (assessments category, as the follow-ups).
    overdoses: Vec<crate::journey::store::Overdose>,
    overdose_sources: Codes,
    /// The follow-up point the form offers first: the next unanswered one.
    next_point: String,
    /// Every kept change of the records the viewer may see (oldest first).
    amendments: Vec<Amendment>,
    /// Likely duplicates found again after an identity correction.
    duplicates: Vec<participants::Candidate>,
    identifier_kinds: Codes,
    merges: Vec<Merge>,
    peers: Vec<(i64, String)>,
    facilities: Vec<Facility>,
    errors: Vec<FieldError>,
    /// What was just saved, said at the top of the page (and focused): after a form's write.
    saved: Option<String>,
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
    /// The services an encounter can deliver (`EncounterService`).
    services: Codes,
    topics: Codes,
    life_domains: Codes,
    stages_all: Codes,
    domains: Codes,
    goal_statuses: Codes,
    referral_types: Codes,
    referral_statuses: Codes,
    points: Codes,
    items: Vec<String>,
    scale: Vec<String>,
    overdose_codes: Codes,
    housing_codes: Codes,
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
    /// An instant on the clock of the participant's organisation, in the page's language.
    fn at(&self, t: impl time::Stored) -> String {
        self.zone.show_in(t, self.chrome.tr)
    }
    fn followup_state(&self, f: &FollowUp) -> String {
        self.chrome
            .tr
            .code(labels::FOLLOWUP_STATE, f.state(self.today).as_str())
    }
    /// The life domains an encounter talked about, in the page's language.
    fn domains_of(&self, e: &Encounter) -> String {
        e.life_domains
            .split_whitespace()
            .map(|c| labels::life_domain(self.chrome.tr, c))
            .collect::<Vec<_>>()
            .join(", ")
    }
    /// What may help at a recorded stage of change, in the page's language.
    fn stage_tips(&self, s: &StageRow) -> Vec<String> {
        labels::stage_tips(self.chrome.tr, &s.stage)
    }
    /// A kept change in a sentence, in the page's language: "Amended on 30 Nov 2026, 2:05 pm
    /// CST by Pat Peer (wrong date): due_on: 2026-08-28 → 2026-08-29".
    fn amended(&self, h: &Amendment) -> String {
        amended_in(self.chrome.tr, &self.zone, h)
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
    /// The yes-or-no questions of a follow-up, with their labels and a recorded follow-up's
    /// answers (`None`: a blank form's).
    fn tri_fields(&self, f: Option<&FollowUp>) -> Vec<(&'static str, String, Option<bool>)> {
        let tr = self.chrome.tr;
        let answer = |pick: fn(&FollowUp) -> Option<bool>| f.and_then(pick);
        vec![
            (
                "rearrested",
                tr.t("followup-q-rearrested"),
                answer(|f| f.rearrested),
            ),
            (
                "reincarcerated",
                tr.t("followup-q-reincarcerated"),
                answer(|f| f.reincarcerated),
            ),
            (
                "in_treatment",
                tr.t("followup-q-in-treatment"),
                answer(|f| f.in_treatment),
            ),
            (
                "employed",
                tr.t("followup-q-employed"),
                answer(|f| f.employed),
            ),
            ("insured", tr.t("followup-q-insured"), answer(|f| f.insured)),
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

/// A kept change in a sentence, in `tr`'s language, its time on `zone`'s clock.
pub(super) fn amended_in(tr: Tr, zone: &time::Zone, h: &Amendment) -> String {
    let why = if h.reason.is_empty() {
        String::new()
    } else {
        format!(" ({})", h.reason)
    };
    // A value as recorded, but a yes-or-no answer and a coded value in words, and a blank as
    // "blank".
    let words = coded_words(&h.record_type, &h.field);
    let shown = |v: &Option<String>| match (v.as_deref(), words) {
        (None, _) => tr.t("record-blank"),
        (Some("true"), _) => tr.t("journey-yes"),
        (Some("false"), _) => tr.t("journey-no"),
        (Some(code), Some(prefix)) => tr.code(prefix, code),
        (Some(v), None) => v.to_string(),
    };
    format!(
        "{}{why}: {}: {} → {}",
        tr.t2(
            "record-amended",
            "when",
            zone.show_in(h.amended_at, tr),
            "who",
            &h.amended_by_name
        ),
        crate::platform::i18n::field_label(tr.lang, &h.field),
        shown(&h.old_value),
        shown(&h.new_value)
    )
}

/// The messages' prefix of an amendable field that holds a coded value (its words are
/// `{prefix}-{code}`), by record type and field; `None` for a field whose value is shown as
/// recorded. Each prefix's vocabulary has a test that every code has its words.
pub(super) fn coded_words(record_type: &str, field: &str) -> Option<&'static str> {
    Some(match (record_type, field) {
        ("followup", "overdose") => "rpt-overdose",
        ("followup", "housing") => "followups-housing",
        ("goal", "status") => "goal-status",
        ("encounter", "mode") => "encounter-mode",
        ("encounter", "outcome") => "encounter-outcome",
        ("encounter", "service") => "encounter-service",
        ("stage", "stage") => "stage",
        _ => return None,
    })
}

/// One participant's page or printed document, read under the access policy: the grant for
/// `need` (refused, or audited as `event`), the participant, and what `load` reads with the
/// grant, in one read transaction. Every page about one participant starts here: the record
/// and the documents printed for the participant (`printed.rs`).
pub(super) async fn read_participant<T, F>(
    state: &AppState,
    actor: &Actor,
    id: i64,
    need: Need,
    event: Event,
    load: F,
) -> Result<(Participant, T), PageError>
where
    T: Send + 'static,
    F: FnOnce(&mut Tx, &access::ParticipantGrant, &Participant) -> AppResult<T> + Send + 'static,
{
    let a = actor.clone();
    Ok(state
        .db
        .read(move |tx| {
            let g = access::participant(tx, &a, id, need, event)?;
            let p = participants::get(tx.conn(), &g)?;
            let loaded = load(tx, &g, &p)?;
            Ok((p, loaded))
        })
        .await?)
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
    let tr = Tr::new(actor.language.unwrap_or_default());
    let (_, page) = read_participant(
        state,
        actor,
        id,
        Need::Overview,
        Event::new(Action::ParticipantView, "participant", Some(id)),
        move |tx, g, p| {
            let p = p.clone();
            let zone = time::zone_of(tx.conn(), g.org_id())?;
            let sees = Sees::of(g);
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
                store::current_episode(tx.conn(), g)?
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
                Some(e) if sees.release => store::checklist(tx.conn(), g, Some(e.id))?,
                _ => vec![],
            };
            let barc10 = shown(sees.assessments, || store::barc10(tx.conn(), g))?;
            let disclosure = if own {
                None
            } else {
                let ids: Vec<i64> = match g.basis() {
                    access::GrantBasis::Consent(ids) => ids.clone(),
                    _ => vec![],
                };
                let summaries = consent_store::list(tx.conn(), g)?
                    .into_iter()
                    .filter(|c| ids.contains(&c.id))
                    .map(|c| c.summary(tr))
                    .collect();
                let (basis, emergency) = match g.basis() {
                    access::GrantBasis::Emergency(eid) => {
                        let line = match crate::consent::emergency::find(tx.conn(), *eid)? {
                            Some(e) => format!(
                                "{} {}",
                                tr.t3(
                                    "record-emergency-by",
                                    "who",
                                    &e.opened_by,
                                    "organisation",
                                    &e.opened_by_organisation,
                                    "until",
                                    zone.show_in(e.until(), tr)
                                ),
                                tr.t1("record-emergency-reason", "reason", &e.reason)
                            ),
                            None => tr.t("record-emergency-opened"),
                        };
                        (line, true)
                    }
                    _ => (String::new(), false),
                };
                let notice = consent_store::notice(tx.conn(), g.org_id())?;
                Some(DisclosureNotice {
                    // The standard notice (42 CFR 2.32) in the page's language; a programme's
                    // own as it wrote it.
                    notice: if notice == consent_store::DEFAULT_NOTICE {
                        tr.t("part2-notice")
                    } else {
                        notice
                    },
                    consents: summaries,
                    basis,
                    emergency,
                })
            };
            let mut encounters = shown(sees.participation, || store::encounters(tx.conn(), g, 20))?;
            let group_ids: Vec<i64> = encounters.iter().filter_map(|e| e.group_id).collect();
            let group_notes = store::group_notes(tx.conn(), g, &group_ids)?;
            crate::journey::ops::disclose_encounters(g, &mut encounters);
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
                    &tr.t("record-barc-chart-title"),
                    &points,
                    10.0,
                    60.0,
                    Some((47.0, &tr.t("record-barc-chart-cutoff"))),
                )
            };
            let followups = shown(sees.assessments, || store::followups(tx.conn(), g))?;
            let next_point = store::next_unanswered(&followups)
                .map(|f| f.point.clone())
                .unwrap_or_default();
            let today = zone.date_of(now);
            let mut next_due: Vec<NextDue> = checklist
                .iter()
                .filter(|i| i.done_on.is_none() && i.not_applicable_reason.is_none())
                .map(|i| NextDue {
                    what: tr.code(labels::CHECKLIST, &i.kind),
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
                        what: tr.code(labels::FOLLOWUP_POINT, &f.point),
                        due_on: f.due_on,
                        overdue: f.due_on < today,
                        section: "followups",
                    }),
            );
            next_due.sort_by_key(|d| d.due_on);
            next_due.truncate(4);
            Ok(ParticipantPage {
                chrome: Chrome::new(&a, p.display_name(), "/participants", "", false),
                identifiers: shown(own, || participants::identifiers(tx.conn(), g))?,
                episodes: shown(sees.participation, || store::episodes(tx.conn(), g))?,
                events: shown(sees.release, || store::custody_events(tx.conn(), g))?,
                encounters,
                group_notes,
                stages: shown(sees.assessments, || store::stages(tx.conn(), g))?,
                goals: shown(sees.plan, || store::goals(tx.conn(), g))?,
                referrals: shown(sees.referrals, || store::referrals(tx.conn(), g))?,
                followups,
                overdoses: shown(sees.assessments, || store::overdoses(tx.conn(), g))?,
                overdose_sources: codes::<crate::journey::rules::OverdoseSource>(
                    tr,
                    labels::OVERDOSE_SOURCE,
                ),
                next_point,
                amendments: amendments::history(tx.conn(), g)?,
                duplicates: vec![],
                identifier_kinds: participants::IDENTIFIER_KINDS
                    .iter()
                    .map(|(k, _)| (*k, tr.code("identifier", k)))
                    .collect(),
                merges: shown(own, || merge::merges_of(tx.conn(), g))?,
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
                settings: codes::<Setting>(tr, labels::SETTING),
                event_kinds: codes::<CustodyEventKind>(tr, labels::CUSTODY_EVENT),
                certainties: codes::<ReleaseDateCertainty>(tr, labels::RELEASE_CERTAINTY),
                discharge_reasons: codes::<DischargeReason>(tr, labels::DISCHARGE_REASON),
                modes: codes::<EncounterMode>(tr, labels::ENCOUNTER_MODE),
                outcomes: codes::<EncounterOutcome>(tr, labels::ENCOUNTER_OUTCOME),
                services: codes::<EncounterService>(tr, labels::ENCOUNTER_SERVICE),
                topics: codes::<CompetencyArea>(tr, labels::ENCOUNTER_TOPIC),
                life_domains: labels::life_domains(tr),
                stages_all: codes::<StageOfChange>(tr, labels::STAGE),
                domains: codes::<GoalDomain>(tr, labels::GOAL_DOMAIN),
                goal_statuses: codes::<GoalStatus>(tr, labels::GOAL_STATUS),
                referral_types: codes::<ReferralType>(tr, labels::REFERRAL_TYPE),
                referral_statuses: codes::<ReferralStatus>(tr, labels::REFERRAL_STATUS),
                points: codes::<FollowUpPoint>(tr, labels::FOLLOWUP_POINT),
                items: labels::barc10_items(tr),
                scale: labels::barc10_scale(tr),
                overdose_codes: labels::listed(tr, labels::OVERDOSE, OVERDOSE_CODES),
                housing_codes: labels::listed(tr, labels::HOUSING, HOUSING_CODES),
            })
        },
    )
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
    let tr = page.chrome.tr;
    Ok(ParticipantPage {
        saved: saved
            .map(|(_, m)| m)
            .filter(|m| !m.is_empty())
            .map(|m| tr.t(m)),
        section,
        ..page
    }
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::{SECTIONS, coded_words};
    use crate::assessments::stages::StageOfChange;
    use crate::journey::rules::{EncounterMode, EncounterOutcome, EncounterService, GoalStatus};
    use crate::journey::store::{HOUSING_CODES, OVERDOSE_CODES};
    use crate::platform::i18n::{Language, code_key, sources};

    /// Every code an amendment of a coded field can hold is shown in words, in both languages.
    #[test]
    fn every_coded_value_in_the_history_has_its_words() {
        let codes = |all: &[&'static str]| all.to_vec();
        let fields: [(&str, &str, Vec<&str>); 7] = [
            ("followup", "overdose", codes(OVERDOSE_CODES)),
            ("followup", "housing", codes(HOUSING_CODES)),
            (
                "goal",
                "status",
                GoalStatus::ALL.iter().map(GoalStatus::as_str).collect(),
            ),
            (
                "encounter",
                "mode",
                EncounterMode::ALL
                    .iter()
                    .map(EncounterMode::as_str)
                    .collect(),
            ),
            (
                "encounter",
                "outcome",
                EncounterOutcome::ALL
                    .iter()
                    .map(EncounterOutcome::as_str)
                    .collect(),
            ),
            (
                "encounter",
                "service",
                EncounterService::ALL
                    .iter()
                    .map(EncounterService::as_str)
                    .collect(),
            ),
            (
                "stage",
                "stage",
                StageOfChange::ALL
                    .iter()
                    .map(StageOfChange::as_str)
                    .collect(),
            ),
        ];
        for lang in Language::ALL {
            let messages = sources::messages(lang.code());
            for (record_type, field, codes) in &fields {
                let prefix = coded_words(record_type, field)
                    .unwrap_or_else(|| panic!("{record_type}.{field} is shown as recorded"));
                for code in codes {
                    let key = code_key(prefix, code);
                    assert!(messages.contains_key(&key), "{key} in {lang}");
                }
            }
        }
        assert_eq!(coded_words("encounter", "note"), None);
    }

    /// A changed housing answer reads as the answers themselves, in the reader's language.
    #[test]
    fn a_changed_coded_answer_reads_in_words() {
        use crate::participants::amendments::Amendment;
        use crate::platform::{i18n::Tr, time::Zone};
        let h = Amendment {
            id: 1,
            record_type: "followup".into(),
            record_id: 2,
            field: "housing".into(),
            old_value: Some("shelter".into()),
            new_value: Some("stable".into()),
            reason: String::new(),
            amended_by: None,
            amended_by_name: "Pat".into(),
            amended_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
                .and_then(|d| d.and_hms_opt(15, 0, 0))
                .expect("a time"),
        };
        let zone = Zone::from_stored(Some("America/Chicago"));
        let en = super::amended_in(Tr::new(Language::En), &zone, &h);
        assert!(en.contains("In a shelter → In a stable place"), "{en}");
        let es = super::amended_in(Tr::new(Language::Es), &zone, &h);
        assert!(es.contains("En un albergue → En un lugar estable"), "{es}");
    }

    /// The confirmations after a form's write are keys held in data: each has its message.
    #[test]
    fn every_confirmation_has_its_message() {
        for lang in Language::ALL {
            let messages = sources::messages(lang.code());
            for (section, key) in SECTIONS.iter().filter(|(_, k)| !k.is_empty()) {
                assert!(messages.contains_key(*key), "{section}: {key} in {lang}");
            }
        }
    }
}
