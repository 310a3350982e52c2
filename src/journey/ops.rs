//! Journey use cases. Each one asks the access policy (which records the access in the audit
//! log), then parses the input and calls the store, so the API (`api.rs`) and the pages
//! (`pages/`) only parse the request, call one of these and render the answer.
//!
//! Reads need the consent category of what they show (42 CFR 2.31: a partner organisation sees
//! only the categories a participant consented to); writes need the program staff of the
//! participant's own organisation (`Need::Write`). Every write takes its input as a closure,
//! called after the policy, so that someone without access learns nothing from validation
//! messages (docs/decisions/0031).

use super::store::{
    self, AmendedFollowUp, Attendee, Barc10Input, Barc10Result, Barc10Row, ChecklistNotApplicable,
    ChecklistRow, ChecklistUpdate, CustodyEvent, CustodyEventInput, CustodyEventOutcome,
    DischargeInput, Encounter, EncounterInput, Enrolled, Episode, EpisodeInput, FollowUp,
    FollowUpInput, Goal, GoalInput, GoalUpdate, GroupSessionInput, GroupSessionLine, NewEncounter,
    NewEpisode, Referral, ReferralInput, ReferralStatusInput, StageInput, StageRow,
};
use crate::consent::rules::Category;
use crate::participants::amendments::{self, Amendment, AmendmentInput, RecordAmendmentInput};
use crate::platform::access::{self, Actor, Need, ParticipantGrant};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::fields;
use crate::platform::time;

/// The kinds of a participant's journey records, each audited as its own read and write.
#[derive(Debug, Clone, Copy)]
enum Records {
    Episode,
    CustodyEvent,
    Checklist,
    Encounter,
    Barc10,
    Stage,
    Goal,
    Referral,
    Followup,
    Overdose,
    Appointment,
    Amendment,
}

impl Records {
    /// The record type the audit entry names.
    fn name(self) -> &'static str {
        match self {
            Records::Episode => "episode",
            Records::CustodyEvent => "custody_event",
            Records::Checklist => "checklist",
            Records::Encounter => "encounter",
            Records::Barc10 => "barc10",
            Records::Stage => "stage",
            Records::Goal => "goal",
            Records::Referral => "referral",
            Records::Followup => "followup",
            Records::Overdose => "overdose",
            Records::Appointment => "appointment",
            Records::Amendment => "amendment",
        }
    }
    fn read(self) -> Action {
        match self {
            Records::Episode => Action::EpisodeRead,
            Records::CustodyEvent => Action::CustodyEventRead,
            Records::Checklist => Action::ChecklistRead,
            Records::Encounter => Action::EncounterRead,
            Records::Barc10 => Action::Barc10Read,
            Records::Stage => Action::StageRead,
            Records::Goal => Action::GoalRead,
            Records::Referral => Action::ReferralRead,
            Records::Followup => Action::FollowupRead,
            Records::Overdose => Action::OverdoseRead,
            Records::Appointment => Action::AppointmentRead,
            Records::Amendment => Action::AmendmentRead,
        }
    }
    fn write(self) -> Action {
        match self {
            Records::Episode => Action::EpisodeWrite,
            Records::CustodyEvent => Action::CustodyEventWrite,
            Records::Checklist => Action::ChecklistWrite,
            Records::Encounter => Action::EncounterWrite,
            Records::Barc10 => Action::Barc10Write,
            Records::Stage => Action::StageWrite,
            Records::Goal => Action::GoalWrite,
            Records::Referral => Action::ReferralWrite,
            Records::Followup => Action::FollowupWrite,
            Records::Overdose => Action::OverdoseWrite,
            Records::Appointment => Action::AppointmentWrite,
            Records::Amendment => Action::AmendmentWrite,
        }
    }
}

/// The audit event of a read of one kind of the participant's records.
fn read_event(kind: Records, participant_id: i64) -> Event {
    Event::new(kind.read(), kind.name(), None).with_participant(participant_id)
}

/// The audit event of a write of one kind of the participant's records.
fn write_event(kind: Records, participant_id: i64) -> Event {
    Event::new(kind.write(), kind.name(), None).with_participant(participant_id)
}

/// Read one kind of the participant's records: the policy answers for `need` and records the
/// read of `kind`, then `load` runs with the grant.
fn read<T>(
    tx: &mut Tx,
    a: &Actor,
    participant_id: i64,
    need: Need,
    kind: Records,
    load: impl FnOnce(&mut DbConn, &ParticipantGrant) -> AppResult<T>,
) -> AppResult<T> {
    let g = access::participant(
        tx,
        a,
        participant_id,
        need,
        read_event(kind, participant_id),
    )?;
    load(tx.conn(), &g)
}

/// Write one kind of the participant's records: the policy answers (program staff only) and
/// records the write of `kind`, and only then is the input parsed and `store` run with it.
fn write<I, T>(
    tx: &mut Tx,
    a: &Actor,
    participant_id: i64,
    kind: Records,
    input: impl FnOnce() -> AppResult<I>,
    store: impl FnOnce(&mut Tx, &ParticipantGrant, I) -> AppResult<T>,
) -> AppResult<T> {
    let g = access::participant(
        tx,
        a,
        participant_id,
        Need::Write,
        write_event(kind, participant_id),
    )?;
    let input = input()?;
    store(tx, &g, input)
}

/// Today on the clock of the participant's organisation (decision 0040).
fn today(tx: &mut Tx, g: &ParticipantGrant) -> AppResult<chrono::NaiveDate> {
    Ok(time::zone_of(tx.conn(), g.org_id())?.today())
}

/// Enrolment episodes, newest first.
pub fn episodes(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<Episode>> {
    let need = Need::Read(Category::Participation);
    read(tx, a, id, need, Records::Episode, store::episodes)
}

/// Enrol in a new episode (closes an open one).
pub fn open_episode(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<EpisodeInput>,
) -> AppResult<Episode> {
    write(tx, a, id, Records::Episode, input, |tx, g, input| {
        let new = NewEpisode::parse(&input, today(tx, g)?)?;
        store::open_episode(tx, g, &new)
    })
}

/// Discharge the open episode with a reason.
pub fn discharge(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<DischargeInput>,
) -> AppResult<Episode> {
    write(tx, a, id, Records::Episode, input, |tx, g, input| {
        store::discharge(tx, g, &input)
    })
}

/// Custody and supervision events, newest first.
pub fn custody_events(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<CustodyEvent>> {
    let need = Need::Read(Category::ReleasePlan);
    read(
        tx,
        a,
        id,
        need,
        Records::CustodyEvent,
        store::custody_events,
    )
}

/// Record a custody or supervision event, with what it changes.
pub fn record_custody_event(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<CustodyEventInput>,
) -> AppResult<CustodyEventOutcome> {
    write(tx, a, id, Records::CustodyEvent, input, |tx, g, input| {
        store::record_custody_event(tx, g, a.user_id, &input, time::now())
    })
}

/// The release-readiness checklist (all episodes).
pub fn checklist(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<ChecklistRow>> {
    let need = Need::Read(Category::ReleasePlan);
    read(tx, a, id, need, Records::Checklist, |conn, g| {
        store::checklist(conn, g, None)
    })
}

/// Mark a checklist item of the open episode done (or re-open it).
pub fn update_checklist(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<ChecklistUpdate>,
) -> AppResult<ChecklistRow> {
    write(tx, a, id, Records::Checklist, input, |tx, g, input| {
        store::update_checklist(tx, g, a, &input)
    })
}

/// Mark a checklist item of the open episode not applicable, with a reason.
pub fn mark_checklist_not_applicable(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<ChecklistNotApplicable>,
) -> AppResult<ChecklistRow> {
    write(tx, a, id, Records::Checklist, input, |tx, g, input| {
        store::mark_checklist_not_applicable(tx, g, a, &input)
    })
}

/// Encounters, newest first, at most `limit`; their notes only for those who may read them.
pub fn encounters(tx: &mut Tx, a: &Actor, id: i64, limit: i64) -> AppResult<Vec<Encounter>> {
    read(
        tx,
        a,
        id,
        Need::Encounters,
        Records::Encounter,
        |conn, g| {
            let mut list = store::encounters(conn, g, limit)?;
            disclose_encounters(g, &mut list);
            Ok(list)
        },
    )
}

/// What of their encounters the grant's holder may learn: the notes only with the "encounter
/// notes" category; outside the program, a group encounter stays "group" but loses its
/// `group_id`, which would tie the participant to the other people present (their own Part 2
/// records; decision 0039).
pub fn disclose_encounters(g: &ParticipantGrant, list: &mut [Encounter]) {
    for e in list {
        if !g.sees(Category::EncounterNotes) {
            e.note.clear();
        }
        if g.is_disclosure() {
            e.group_id = None;
        }
    }
}

/// Record an encounter; for a group, the others present (`also_participant_ids`) each pass the
/// policy too, and one the caller may not write is named as not found.
pub fn record_encounter(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<EncounterInput>,
) -> AppResult<Vec<Encounter>> {
    let g = access::participant(tx, a, id, Need::Write, write_event(Records::Encounter, id))?;
    let mut input = input()?;
    // A time without an offset is on the clock of the participant's organisation: the parser
    // reads the UTC time it means (decision 0040).
    let zone = time::zone_of(tx.conn(), g.org_id())?;
    input.occurred_at = zone
        .to_utc_text("occurred_at", &input.occurred_at)
        .map_err(|e| AppError::Invalid(vec![e]))?;
    let new = NewEncounter::parse(&input, time::now())?;
    let mut grants = vec![g];
    for (n, other) in input.also_participant_ids.iter().enumerate() {
        if *other == id || grants.iter().any(|g| g.participant_id() == *other) {
            continue;
        }
        let g = access::participant(
            tx,
            a,
            *other,
            Need::Write,
            write_event(Records::Encounter, *other),
        )
        .map_err(|_| {
            AppError::keyed(
                format!("also_participant_ids[{n}]"),
                "error-no-such-participant",
                &[],
            )
        })?;
        grants.push(g);
    }
    let refs: Vec<&_> = grants.iter().collect();
    store::record_encounter(tx, &refs, a.user_id, &new, None)
}

/// BARC-10 assessments, oldest first (the trend).
pub fn barc10(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<Barc10Row>> {
    let need = Need::Read(Category::Assessments);
    read(tx, a, id, need, Records::Barc10, store::barc10)
}

/// Record a BARC-10.
pub fn record_barc10(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<Barc10Input>,
) -> AppResult<Barc10Result> {
    write(tx, a, id, Records::Barc10, input, |tx, g, input| {
        let (on, answers) = store::parse_barc10(&input, today(tx, g)?)?;
        store::record_barc10(tx, g, a.user_id, on, &answers)
    })
}

/// Stage-of-change records, newest first.
pub fn stages(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<StageRow>> {
    let need = Need::Read(Category::Assessments);
    read(tx, a, id, need, Records::Stage, store::stages)
}

/// Record the participant's stage of change.
pub fn record_stage(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<StageInput>,
) -> AppResult<StageRow> {
    write(tx, a, id, Records::Stage, input, |tx, g, input| {
        store::record_stage(tx, g, a.user_id, &input)
    })
}

/// The recovery and reentry plan: goals with their steps.
pub fn goals(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<Goal>> {
    read(
        tx,
        a,
        id,
        Need::Read(Category::Plan),
        Records::Goal,
        store::goals,
    )
}

/// Add a goal with its steps.
pub fn add_goal(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<GoalInput>,
) -> AppResult<Goal> {
    write(tx, a, id, Records::Goal, input, |tx, g, input| {
        store::add_goal(tx, g, a.user_id, &input)
    })
}

/// Change a goal's status or mark one of its steps done; answers the plan as it now stands.
pub fn update_goal(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    goal_id: i64,
    input: impl FnOnce() -> AppResult<GoalUpdate>,
) -> AppResult<Vec<Goal>> {
    write(tx, a, id, Records::Goal, input, |tx, g, input| {
        store::update_goal(tx, g, a, goal_id, &input)?;
        store::goals(tx.conn(), g)
    })
}

/// Referrals with their status history.
pub fn referrals(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<Referral>> {
    let need = Need::Read(Category::Referrals);
    read(tx, a, id, need, Records::Referral, store::referrals)
}

/// Refer to a service (starts as pending).
pub fn add_referral(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<ReferralInput>,
) -> AppResult<Referral> {
    write(tx, a, id, Records::Referral, input, |tx, g, input| {
        store::add_referral(tx, g, a.user_id, &input)
    })
}

/// Move a referral to a new status.
pub fn change_referral_status(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    referral_id: i64,
    input: impl FnOnce() -> AppResult<ReferralStatusInput>,
) -> AppResult<Referral> {
    write(tx, a, id, Records::Referral, input, |tx, g, input| {
        store::change_referral_status(tx, g, a.user_id, referral_id, &input)
    })
}

/// Follow-ups after release (or community enrolment).
pub fn followups(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<FollowUp>> {
    let need = Need::Read(Category::Assessments);
    read(tx, a, id, need, Records::Followup, store::followups)
}

/// Record a follow-up interview (one already recorded is never replaced).
pub fn record_followup(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<FollowUpInput>,
) -> AppResult<FollowUp> {
    write(tx, a, id, Records::Followup, input, |tx, g, input| {
        let today = today(tx, g)?;
        store::record_followup(tx, g, &input, today)
    })
}

/// Amend a recorded follow-up at `point`, keeping every replaced answer.
pub fn amend_followup(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    point: &str,
    input: impl FnOnce() -> AppResult<AmendmentInput>,
) -> AppResult<AmendedFollowUp> {
    write(tx, a, id, Records::Followup, input, |tx, g, input| {
        store::amend_followup(tx, g, a, point, &input)
    })
}

/// The participant's overdoses, newest first (health information: the assessments category,
/// as the follow-ups' overdose answers are).
pub fn overdoses(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<store::Overdose>> {
    let need = Need::Read(Category::Assessments);
    read(tx, a, id, need, Records::Overdose, store::overdoses)
}

/// Record an overdose the programme learned of (never replaces one on record).
pub fn record_overdose(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<store::OverdoseInput>,
) -> AppResult<store::Overdose> {
    let by = a.user_id;
    write(tx, a, id, Records::Overdose, input, |tx, g, input| {
        let new = store::NewOverdose::parse(&input, today(tx, g)?)?;
        store::record_overdose(tx, g, by, &new, time::now())
    })
}

/// The participant's appointments (the recovery and reentry plan's category: an appointment
/// says where the person is expected, and a medication dose says they are in treatment).
pub fn appointments(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<store::Appointment>> {
    let need = Need::Read(Category::Plan);
    read(tx, a, id, need, Records::Appointment, store::appointments)
}

/// The participant's appointments page: who, the appointments, and whether the viewer may
/// write (their own programme's staff).
pub struct AppointmentBook {
    pub participant_id: i64,
    pub name: String,
    pub appointments: Vec<store::Appointment>,
    pub own: bool,
    /// Today on the clock of the participant's organisation.
    pub today: chrono::NaiveDate,
}

/// The appointments page's reads: the record's overview and the appointments (each audited).
pub fn appointment_book(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<AppointmentBook> {
    let record = crate::participants::ops::record(tx, a, id)?;
    let g = access::participant(
        tx,
        a,
        id,
        Need::Read(Category::Plan),
        read_event(Records::Appointment, id),
    )?;
    let appointments = store::appointments(tx.conn(), &g)?;
    Ok(AppointmentBook {
        participant_id: id,
        name: record.participant.display_name(),
        appointments,
        own: !g.is_disclosure(),
        today: today(tx, &g)?,
    })
}

/// Make an appointment (today or later).
pub fn add_appointment(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<store::AppointmentInput>,
) -> AppResult<store::Appointment> {
    let by = a.user_id;
    write(tx, a, id, Records::Appointment, input, |tx, g, input| {
        let new = store::NewAppointment::parse(&input, today(tx, g)?)?;
        store::add_appointment(tx, g, by, &new, time::now())
    })
}

/// Write what became of an appointment: kept, missed or cancelled, once.
pub fn record_appointment_outcome(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    appointment_id: i64,
    input: impl FnOnce() -> AppResult<store::AppointmentOutcomeInput>,
) -> AppResult<store::Appointment> {
    let by = a.user_id;
    write(tx, a, id, Records::Appointment, input, |tx, g, input| {
        let new = store::NewAppointmentOutcome::parse(&input)?;
        let today = today(tx, g)?;
        store::record_appointment_outcome(tx, g, appointment_id, by, &new, today, time::now())
    })
}

/// The history of amendments of the participant's records, for the participant's own program
/// only (`Need::Write` is the policy's "program staff of the participant's own organisation").
pub fn amendments(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<Amendment>> {
    read(
        tx,
        a,
        id,
        Need::Write,
        Records::Amendment,
        amendments::history,
    )
}

/// Amend any recorded record of the participant, keeping every replaced value.
pub fn amend_record(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<RecordAmendmentInput>,
) -> AppResult<Vec<Amendment>> {
    write(tx, a, id, Records::Amendment, input, |tx, g, input| {
        amendments::amend_record(tx, g, a, &input)
    })
}

/// The organisation's latest group sessions (program staff), newest first, at most `limit`.
pub fn group_sessions(tx: &mut Tx, a: &Actor, limit: i64) -> AppResult<Vec<GroupSessionLine>> {
    let scope = access::list_scope(a).ok_or(AppError::Forbidden)?;
    let list = store::group_sessions(tx.conn(), &scope, limit)?;
    let event = Event::new(Action::GroupSessionList, "group_session", None)
        .detail(format!("{} shown", list.len()));
    audit::append(tx, &a.who(), event)?;
    Ok(list)
}

/// Who may attend a group at `facility_id`: the facility's name and the people enrolled there
/// (an open episode) whom the caller may write to, by name. `action` is the audit event (the
/// form's attendance list, or a printed sign-in sheet). An unknown facility is not found.
pub fn attendance_list(
    tx: &mut Tx,
    a: &Actor,
    facility_id: i64,
    action: Action,
) -> AppResult<(String, Vec<Enrolled>)> {
    let scope = access::list_scope(a).ok_or(AppError::Forbidden)?;
    let name = store::facility_name(tx.conn(), facility_id)?.ok_or(AppError::NotFound)?;
    let list = store::enrolled_at(tx.conn(), &scope, facility_id)?;
    let event = Event::new(action, "facility", Some(facility_id))
        .detail(format!("{} enrolled shown", list.len()));
    audit::append(tx, &a.who(), event)?;
    Ok((name, list))
}

/// One group session with its attendees, for the program's own staff: each attendee passes
/// the policy (their encounters), which records the read (`action`: the page, or the printed
/// sign-in sheet) against their record. Anyone else: not found.
pub fn group_session(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    action: Action,
) -> AppResult<(GroupSessionLine, Vec<Attendee>)> {
    let scope = access::list_scope(a).ok_or(AppError::NotFound)?;
    let line = store::group_session(tx.conn(), &scope, id)?.ok_or(AppError::NotFound)?;
    let mut attendees = Vec::new();
    for pid in store::attendee_ids(tx.conn(), &scope, id)? {
        let event = Event::new(action, "group_session", Some(id));
        let g = access::participant(tx, a, pid, Need::Encounters, event)?;
        if let Some(mut at) = store::attendee(tx.conn(), &g, id)? {
            disclose_encounters(&g, std::slice::from_mut(&mut at.encounter));
            attendees.push(at);
        }
    }
    attendees.sort_by(|x, y| x.name.cmp(&y.name));
    Ok((line, attendees))
}

/// Record a group session at a facility: one encounter for each attendee, sharing the session's
/// id, in the caller's one transaction. Each attendee passes the policy (`Need::Write`, which
/// records the write against their record) and must be enrolled at the facility; every refused
/// attendee is named by their row (`attendees[n]`), and then nothing is written. Answers the
/// session's id.
pub fn record_group_session(
    tx: &mut Tx,
    a: &Actor,
    input: impl FnOnce() -> AppResult<GroupSessionInput>,
) -> AppResult<i64> {
    access::list_scope(a).ok_or(AppError::Forbidden)?;
    let input = input()?;
    let mut errs = Vec::new();
    // A time without an offset is on the clock of the caller's organisation, whose people the
    // group's are (decision 0040).
    let occurred_at = match a.zone.to_utc_text("occurred_at", &input.occurred_at) {
        Ok(t) => t,
        Err(e) => {
            errs.push(e);
            input.occurred_at.clone()
        }
    };
    let shared = EncounterInput {
        kind: "group".into(),
        mode: input.mode.clone(),
        outcome: input.outcome.clone(),
        // A group session is peer support.
        service: String::new(),
        occurred_at,
        duration_minutes: input.duration_minutes,
        topics: input.topics.clone(),
        life_domains: input.life_domains.clone(),
        note: String::new(),
        also_participant_ids: vec![],
    };
    let new = match NewEncounter::parse(&shared, time::now()) {
        Ok(new) => Some(new),
        Err(AppError::Invalid(e)) => {
            errs.extend(e);
            None
        }
        Err(e) => return Err(e),
    };
    let group_note = fields::text("note", &input.note, 2000, false)
        .map_err(|e| errs.push(e))
        .unwrap_or_default();
    let facility = match input.facility_id {
        None => {
            errs.push(FieldError::keyed(
                "facility_id",
                "error-choose-facility",
                &[],
            ));
            None
        }
        Some(f) => match store::facility_name(tx.conn(), f)? {
            Some(name) => Some((f, name)),
            None => {
                errs.push(FieldError::keyed(
                    "facility_id",
                    "error-unknown-facility",
                    &[],
                ));
                None
            }
        },
    };
    if input.attendees.is_empty() {
        errs.push(FieldError::keyed("attendees", "error-tick-attendee", &[]));
    }
    let mut grants: Vec<ParticipantGrant> = Vec::new();
    let mut notes = Vec::new();
    for (n, at) in input.attendees.iter().enumerate() {
        let pid = at.participant_id;
        if grants.iter().any(|g| g.participant_id() == pid) {
            continue;
        }
        let row = format!("attendees[{n}]");
        let g = match access::participant(
            tx,
            a,
            pid,
            Need::Write,
            write_event(Records::Encounter, pid),
        ) {
            Ok(g) => g,
            Err(AppError::Denied(_) | AppError::NotFound) => {
                errs.push(FieldError::keyed(&row, "error-no-such-participant", &[]));
                continue;
            }
            Err(e) => return Err(e),
        };
        if let Some((f, facility)) = &facility
            && !store::is_enrolled_at(tx.conn(), &g, *f)?
        {
            let name = store::name_of(tx.conn(), &g)?;
            errs.push(FieldError::keyed(
                &row,
                "error-not-enrolled-at",
                &[("name", name), ("facility", facility.clone())],
            ));
        }
        let note = fields::text(&format!("{row}.note"), &at.note, 2000, false)
            .map_err(|e| errs.push(e))
            .unwrap_or_default();
        grants.push(g);
        notes.push(note);
    }
    let (Some(new), Some((facility_id, _)), true) = (new, facility, errs.is_empty()) else {
        return Err(AppError::Invalid(errs));
    };
    let rows: Vec<(&ParticipantGrant, &str)> = grants
        .iter()
        .zip(notes.iter().map(String::as_str))
        .collect();
    let id = store::record_group_session(tx, &rows, a.user_id, &new, facility_id, &group_note)?;
    let event = Event::new(Action::GroupSessionWrite, "group_session", Some(id))
        .detail(format!("{} attended", rows.len()));
    audit::append(tx, &a.who(), event)?;
    Ok(id)
}

/// The organisation's encounters in `[from, to)` (UTC instants) as a billing office reads them.
/// The `ReportScope` is the policy's answer (admins and supervisors of that organisation); the
/// caller appends the audit entry of what it makes of them.
pub fn encounters_for_billing(
    tx: &mut Tx,
    scope: &access::ReportScope,
    from: chrono::NaiveDateTime,
    to: chrono::NaiveDateTime,
) -> AppResult<Vec<store::EncounterForBilling>> {
    store::encounters_for_billing(tx.conn(), scope.org_id(), from, to)
}
