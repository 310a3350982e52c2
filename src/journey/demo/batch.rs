//! The demo's rows gathered per batch of people and written in a few multi-row inserts: the
//! episodes, custody events, encounters, referrals and their events of up to a few thousand
//! synthetic journeys at once.

use super::*;

type EpisodeRow = (
    diesel::dsl::Eq<episodes::id, i64>,
    diesel::dsl::Eq<episodes::org_id, i64>,
    diesel::dsl::Eq<episodes::participant_id, i64>,
    diesel::dsl::Eq<episodes::setting, String>,
    diesel::dsl::Eq<episodes::facility_id, Option<i64>>,
    diesel::dsl::Eq<episodes::started_on, NaiveDate>,
    diesel::dsl::Eq<episodes::ended_on, Option<NaiveDate>>,
    diesel::dsl::Eq<episodes::discharge_reason, Option<String>>,
    diesel::dsl::Eq<episodes::services_consent_on, NaiveDate>,
    diesel::dsl::Eq<episodes::expected_release_on, Option<NaiveDate>>,
    diesel::dsl::Eq<episodes::release_certainty, Option<String>>,
    diesel::dsl::Eq<episodes::released_at, Option<NaiveDateTime>>,
    diesel::dsl::Eq<episodes::supervision_office, Option<String>>,
    diesel::dsl::Eq<episodes::created_at, NaiveDateTime>,
);

macro_rules! row_type {
    ($name:ident, $table:ident, $( $col:ident : $ty:ty ),+ $(,)?) => {
        type $name = ( $( diesel::dsl::Eq<$table::$col, $ty>, )+ );
    };
}

row_type!(IdentRow, participant_identifiers, id: i64, org_id: i64, participant_id: i64, kind: String, value: String, facility_id: Option<i64>, created_at: NaiveDateTime, typed_value: String);
row_type!(EventRow, custody_events, id: i64, org_id: i64, participant_id: i64, episode_id: Option<i64>, kind: String, occurred_on: NaiveDate, facility_id: Option<i64>, detail: String, created_by: Option<i64>, created_at: NaiveDateTime);
row_type!(ChecklistRow, checklist_items, id: i64, org_id: i64, participant_id: i64, episode_id: i64, kind: String, due_on: NaiveDate, done_on: Option<NaiveDate>, note: String, planned_on: Option<NaiveDate>, achievable: bool);
row_type!(EncounterRow, encounters, id: i64, org_id: i64, participant_id: i64, kind: String, mode: String, outcome: String, service: String, occurred_at: NaiveDateTime, duration_minutes: i32, topics: String, note: String, created_by: Option<i64>, created_at: NaiveDateTime);
row_type!(BarcRow, barc10_assessments, id: i64, org_id: i64, participant_id: i64, taken_on: NaiveDate, answers: String, total: i32, created_by: Option<i64>, created_at: NaiveDateTime);
row_type!(StageRow, stage_records, id: i64, org_id: i64, participant_id: i64, stage: String, recorded_on: NaiveDate, note: String, created_by: Option<i64>, created_at: NaiveDateTime);
row_type!(GoalRow, goals, id: i64, org_id: i64, participant_id: i64, domain: String, statement: String, owner: String, due_on: Option<NaiveDate>, status: String, created_by: Option<i64>, created_at: NaiveDateTime);
row_type!(StepRow, goal_steps, id: i64, org_id: i64, participant_id: i64, goal_id: i64, description: String, owner: String, due_on: Option<NaiveDate>, done_on: Option<NaiveDate>);
row_type!(ReferralRow, referrals, id: i64, org_id: i64, participant_id: i64, referral_type: String, provider_name: String, provider_contact: String, status: String, referred_on: NaiveDate, linked_on: Option<NaiveDate>, created_by: Option<i64>, created_at: NaiveDateTime);
row_type!(RefEventRow, referral_events, id: i64, org_id: i64, participant_id: i64, referral_id: i64, status: String, reason: Option<String>, occurred_on: NaiveDate, created_by: Option<i64>, created_at: NaiveDateTime);
row_type!(FollowupRow, followups, id: i64, org_id: i64, participant_id: i64, episode_id: i64, point: String, due_on: NaiveDate, completed_on: Option<NaiveDate>, rearrested: Option<bool>, reincarcerated: Option<bool>, overdose: Option<String>, in_treatment: Option<bool>, housing: Option<String>, employed: Option<bool>, insured: Option<bool>, barc10_total: Option<i32>, note: String);

#[derive(Default)]
pub(super) struct Batch {
    pub(super) episodes: Vec<EpisodeRow>,
    pub(super) idents: Vec<IdentRow>,
    pub(super) events: Vec<EventRow>,
    pub(super) checklist: Vec<ChecklistRow>,
    pub(super) encounters: Vec<EncounterRow>,
    pub(super) barc: Vec<BarcRow>,
    pub(super) stages: Vec<StageRow>,
    pub(super) goals: Vec<GoalRow>,
    pub(super) steps: Vec<StepRow>,
    pub(super) referrals: Vec<ReferralRow>,
    pub(super) ref_events: Vec<RefEventRow>,
    pub(super) followups: Vec<FollowupRow>,
}

macro_rules! insert_all {
    ($conn:expr, $rows:expr, $table:path) => {
        for chunk in $rows.chunks(400) {
            on_backend!(&mut *$conn, c => diesel::insert_into($table).values(chunk).execute(c))?;
        }
    };
}

impl Batch {
    pub(super) fn event(
        &mut self,
        p: &Person,
        episode: i64,
        kind: &str,
        on: NaiveDate,
        fac: Option<i64>,
        detail: &str,
    ) {
        self.events.push((
            custody_events::id.eq(new_id()),
            custody_events::org_id.eq(p.org_id),
            custody_events::participant_id.eq(p.id),
            custody_events::episode_id.eq(Some(episode)),
            custody_events::kind.eq(kind.to_string()),
            custody_events::occurred_on.eq(on),
            custody_events::facility_id.eq(fac),
            custody_events::detail.eq(detail.to_string()),
            custody_events::created_by.eq(p.peer),
            custody_events::created_at
                .eq(on.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default())),
        ));
    }

    pub(super) fn encounter(
        &mut self,
        p: &Person,
        at: NaiveDateTime,
        mode: &str,
        outcome: &str,
        rng: &mut StdRng,
    ) {
        let t1 = CompetencyArea::ALL[rng.gen_range(0..CompetencyArea::ALL.len())];
        let t2 = CompetencyArea::ALL[rng.gen_range(0..CompetencyArea::ALL.len())];
        // Inside, some contacts are the pre-release services of a reentry programme; chosen from
        // the draw above so that the rest of the demo stays as it was.
        let service = match (mode, t1 as usize % 6) {
            ("in_facility", 0) => EncounterService::CaseManagement,
            ("in_facility", 1) => EncounterService::Moud,
            (_, 2) if outcome == "completed" => EncounterService::CaseManagement,
            _ => EncounterService::PeerSupport,
        };
        const NOTES: &[&str] = &[
            "Talked about the first week out.",
            "Went over the plan together.",
            "Checked in by phone; doing OK.",
            "Practised what to say at the benefits office.",
            "Shared my own story about the first days out.",
            "",
        ];
        self.encounters.push((
            encounters::id.eq(new_id()),
            encounters::org_id.eq(p.org_id),
            encounters::participant_id.eq(p.id),
            encounters::kind.eq("individual".to_string()),
            encounters::mode.eq(mode.to_string()),
            encounters::outcome.eq(outcome.to_string()),
            encounters::service.eq(service.as_str().to_string()),
            encounters::occurred_at.eq(at),
            encounters::duration_minutes.eq(if outcome == "completed" {
                rng.gen_range(10..75)
            } else {
                0
            }),
            encounters::topics.eq(if t1 == t2 {
                t1.as_str().to_string()
            } else {
                format!("{} {}", t1.as_str(), t2.as_str())
            }),
            encounters::note.eq(NOTES[rng.gen_range(0..NOTES.len())].to_string()),
            encounters::created_by.eq(p.peer),
            encounters::created_at.eq(at),
        ));
    }

    pub(super) fn ref_event(
        &mut self,
        p: &Person,
        rid: i64,
        status: &str,
        reason: Option<String>,
        on: NaiveDate,
    ) {
        self.ref_events.push((
            referral_events::id.eq(new_id()),
            referral_events::org_id.eq(p.org_id),
            referral_events::participant_id.eq(p.id),
            referral_events::referral_id.eq(rid),
            referral_events::status.eq(status.to_string()),
            referral_events::reason.eq(reason),
            referral_events::occurred_on.eq(on),
            referral_events::created_by.eq(p.peer),
            referral_events::created_at
                .eq(on.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default())),
        ));
    }

    pub(super) fn insert(&self, conn: &mut DbConn) -> AppResult<()> {
        insert_all!(conn, self.episodes, episodes::table);
        insert_all!(conn, self.idents, participant_identifiers::table);
        insert_all!(conn, self.events, custody_events::table);
        insert_all!(conn, self.checklist, checklist_items::table);
        insert_all!(conn, self.encounters, encounters::table);
        insert_all!(conn, self.barc, barc10_assessments::table);
        insert_all!(conn, self.stages, stage_records::table);
        insert_all!(conn, self.goals, goals::table);
        insert_all!(conn, self.steps, goal_steps::table);
        insert_all!(conn, self.referrals, referrals::table);
        insert_all!(conn, self.ref_events, referral_events::table);
        insert_all!(conn, self.followups, followups::table);
        Ok(())
    }
}
