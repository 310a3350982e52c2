//! Reentry use cases. Each asks the access policy (which records the access in the audit log),
//! then parses the input and calls the store; `api.rs` only parses the request, calls one of
//! these and renders the answer (decision 0031).
//!
//! A screening is part of the participant's release plan, so a partner organisation reads it
//! only under a consent to the `release_plan` category (42 CFR 2.31; decision 0046); only the
//! participant's own programme staff record one (`Need::Write`). So are the warm handoffs and
//! the MOUD records.

use chrono::NaiveDate;
use serde::Deserialize;

use super::rules::{
    self, HealthCondition, MedicaidStatus, ProgrammeRules, ScreeningAnswers, Template,
};
use super::store::{
    self, Handoff, HandoffInput, Moud, MoudInput, NewHandoff, NewMoud, NewScreening, Programme,
    ReentryStatus, Screening, ScreeningInput,
};
use crate::consent::rules::Category;
use crate::participants::ops::ParticipantRecord;
use crate::platform::access::{self, Actor, Need, ParticipantGrant};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::fields::{self, Fields};
use crate::platform::schema::participants;
use crate::platform::time;

use diesel::prelude::*;

/// A programme choice as the API and the admin form send it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeInput {
    /// federal_minimum, california, washington, montana, new_hampshire
    #[schema(value_type = Template)]
    pub template: String,
    /// Days of the adult pre-release window (1..=90); absent: the template's.
    pub window_days: Option<i64>,
}

/// The organisation's reentry programme (any of its staff).
pub fn programme(tx: &mut Tx, a: &Actor) -> AppResult<Programme> {
    store::programme(tx.conn(), a.org_id)
}

/// Every programme choice of the organisation, newest first (admins).
pub fn programme_history(tx: &mut Tx, a: &Actor) -> AppResult<Vec<Programme>> {
    access::administer(a)?;
    store::programme_history(tx.conn(), a.org_id)
}

/// Choose the organisation's template and window (admins). The earlier choice is kept.
pub fn set_programme(
    tx: &mut Tx,
    a: &Actor,
    input: impl FnOnce() -> AppResult<ProgrammeInput>,
) -> AppResult<Programme> {
    access::administer(a)?;
    let input = input()?;
    let mut f = Fields::new();
    let template = f
        .take(Template::parse(&input.template).ok_or_else(|| {
            fields::unknown_value("template", &input.template, Template::choices())
        }));
    f.finish()?;
    let Some(template) = template else {
        return store::programme(tx.conn(), a.org_id);
    };
    let shipped = ProgrammeRules::of(template);
    let rules = match input.window_days {
        None => shipped,
        Some(d) => u16::try_from(d)
            .ok()
            .and_then(|d| shipped.with_window_days(d).ok())
            .ok_or_else(|| {
                AppError::Invalid(vec![fields::not_from_to(
                    "window_days",
                    1,
                    rules::MAX_WINDOW_DAYS,
                )])
            })?,
    };
    store::set_programme(tx, a.org_id, a.user_id, &rules, time::now())?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::SettingsReentry, "organisation", Some(a.org_id)),
    )?;
    store::programme(tx.conn(), a.org_id)
}

/// The participant's eligibility screenings, newest first.
pub fn screenings(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<Screening>> {
    let g = access::participant(
        tx,
        a,
        id,
        Need::Read(Category::ReleasePlan),
        Event::new(Action::ReentryScreeningRead, "reentry_screening", None).with_participant(id),
    )?;
    store::screenings(tx.conn(), &g)
}

/// Record an eligibility screening: the answers are decided under the organisation's programme
/// rules, with the age at the expected release (from the date of birth and the open episode's
/// expected release, or today when none is set).
pub fn record_screening(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<ScreeningInput>,
) -> AppResult<Screening> {
    let g = access::participant(
        tx,
        a,
        id,
        Need::Write,
        Event::new(Action::ReentryScreeningWrite, "reentry_screening", None).with_participant(id),
    )?;
    let input = input()?;
    let mut f = Fields::new();
    let medicaid = f.take(
        MedicaidStatus::parse(&input.medicaid_status).ok_or_else(|| {
            fields::unknown_value(
                "medicaid_status",
                &input.medicaid_status,
                MedicaidStatus::choices(),
            )
        }),
    );
    let applied_on = f.take_opt(fields::opt_date(
        "medicaid_applied_on",
        input.medicaid_applied_on.as_deref().unwrap_or(""),
    ));
    let zone = time::zone_of(tx.conn(), g.org_id())?;
    let today = zone.today();
    f.check(
        applied_on.is_some_and(|d| d > today),
        "medicaid_applied_on",
        "reentry-error-date-in-the-future",
    );
    f.check(
        medicaid == Some(MedicaidStatus::ApplicationPending) && applied_on.is_none(),
        "medicaid_applied_on",
        "reentry-error-application-date-required",
    );
    let mut conditions = Vec::new();
    for (i, c) in input.conditions.iter().enumerate() {
        match HealthCondition::parse(c) {
            Some(h) if !conditions.contains(&h) => conditions.push(h),
            Some(_) => {}
            None => f.push(fields::unknown_value(
                &format!("conditions[{i}]"),
                c,
                HealthCondition::choices(),
            )),
        }
    }
    f.finish()?;
    let Some(medicaid) = medicaid else {
        return Err(AppError::Invalid(vec![FieldError::keyed(
            "medicaid_status",
            "error-required",
            &[],
        )]));
    };
    conditions.sort();
    let born: NaiveDate = participants::table
        .find(g.participant_id())
        .select(participants::date_of_birth)
        .first(tx.conn())?;
    let expected = crate::journey::ops::episodes(tx, a, id)?
        .into_iter()
        .find(|e| e.ended_on.is_none())
        .and_then(|e| e.expected_release_on);
    let age_at_release = rules::age_on(born, expected.unwrap_or(today).max(today));
    let programme = store::programme(tx.conn(), g.org_id())?.rules();
    let answers = ScreeningAnswers {
        medicaid,
        conditions: conditions.clone(),
        age_at_release,
        former_foster_youth: input.former_foster_youth,
    };
    let eligibility = rules::decide(&programme, &answers);
    let new = NewScreening {
        medicaid_status: medicaid,
        medicaid_applied_on: applied_on,
        conditions,
        former_foster_youth: input.former_foster_youth,
        age_at_release,
        rules: programme,
        eligibility,
    };
    store::record_screening(tx, &g, a.user_id, &new, time::now())
}

/// Where the participant stands in reentry today (see [`ReentryStatus`]). Reads the release
/// plan (the screenings) and, through the journey's own operation, the episodes.
pub fn status(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<ReentryStatus> {
    let g = access::participant(
        tx,
        a,
        id,
        Need::Read(Category::ReleasePlan),
        Event::new(Action::ReentryStatusRead, "reentry_screening", None).with_participant(id),
    )?;
    status_under(tx, a, &g)
}

/// [`status`] under a grant already given.
fn status_under(tx: &mut Tx, a: &Actor, g: &ParticipantGrant) -> AppResult<ReentryStatus> {
    let id = g.participant_id();
    let latest = store::screenings(tx.conn(), g)?.into_iter().next();
    let programme = store::programme(tx.conn(), g.org_id())?;
    let zone = time::zone_of(tx.conn(), g.org_id())?;
    let now = time::now();
    let today = zone.date_of(now);
    let open = crate::journey::ops::episodes(tx, a, id)?
        .into_iter()
        .find(|e| e.ended_on.is_none());
    let released = open
        .as_ref()
        .and_then(|e| e.released_at.map(|at| (at, e.expected_release_on)));
    let custody = open.filter(|e| {
        crate::journey::rules::Setting::parse(&e.setting).is_some_and(|s| s.is_custody())
            && e.released_at.is_none()
    });
    let youth = latest.as_ref().is_some_and(|s| s.youth);
    let window_days = programme.rules().window_days_for(youth);
    let booked_on = custody.as_ref().map(|e| e.started_on);
    let expected = custody.as_ref().and_then(|e| e.expected_release_on);
    let screening = booked_on.map(|b| {
        let since_booking = latest
            .as_ref()
            .is_some_and(|s| s.screened_at >= zone.start_of(b));
        rules::screening_state(b, since_booking, &zone, now)
    });
    let window = expected.map(|d| rules::PreReleaseWindow::new(d, window_days));
    // Unplanned: no expected date, or released earlier than expected (the journey's release
    // flags; the checklist is not asked here, so one planned date is a plan).
    let unplanned = released.is_some_and(|(at, exp)| {
        crate::journey::rules::release_flags(exp, 1, 1, zone.date_of(at))
            .iter()
            .any(crate::journey::rules::ReleaseFlag::is_unannounced)
    });
    let handoff_due = match (&custody, released) {
        (Some(_), _) => rules::handoff_due(expected, None, false, &zone),
        (None, Some((at, exp))) => rules::handoff_due(exp, Some(at), unplanned, &zone),
        (None, None) => None,
    };
    let held = store::handoffs(tx.conn(), g)?
        .iter()
        .filter_map(|h| h.held_at)
        .min();
    let handoff_status = handoff_due.map(|due| match rules::handoff_state(due, held, now) {
        rules::HandoffState::Held => "held",
        rules::HandoffState::HeldLate => "held_late",
        rules::HandoffState::Due(_) => "due",
        rules::HandoffState::Overdue(_) => "overdue",
    });
    Ok(ReentryStatus {
        in_custody: custody.is_some(),
        booked_on,
        screening_status: screening.map(|s| s.status().as_str().to_string()),
        screening_due_at: screening.and_then(|s| s.due_at()),
        expected_release_on: expected,
        window_days,
        window_opens_on: window.map(|w| w.opens_on()),
        in_window: window.is_some_and(|w| matches!(w.state(today), rules::WindowState::Open(_))),
        handoff_due_at: handoff_due,
        unplanned_release: unplanned,
        handoff_status: handoff_status.map(str::to_string),
        programme,
        screening: latest,
    })
}

/// The participant's warm handoffs, newest first (release plan).
pub fn handoffs(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<Handoff>> {
    let g = access::participant(
        tx,
        a,
        id,
        Need::Read(Category::ReleasePlan),
        Event::new(Action::ReentryHandoffRead, "reentry_handoff", None).with_participant(id),
    )?;
    store::handoffs(tx.conn(), &g)
}

/// Record a warm handoff to the post-release provider (the participant's own programme staff).
pub fn record_handoff(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<HandoffInput>,
) -> AppResult<Handoff> {
    let g = access::participant(
        tx,
        a,
        id,
        Need::Write,
        Event::new(Action::ReentryHandoffWrite, "reentry_handoff", None).with_participant(id),
    )?;
    let input = input()?;
    let zone = time::zone_of(tx.conn(), g.org_id())?;
    let now = time::now();
    let mut f = Fields::new();
    let to_provider = f.take(fields::text("to_provider", &input.to_provider, 200, true));
    let to_organisation = f.take(fields::text(
        "to_organisation",
        &input.to_organisation,
        200,
        false,
    ));
    let method = match input
        .method
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        None => None,
        Some(m) => f
            .take(rules::HandoffMethod::parse(m).ok_or_else(|| {
                fields::unknown_value("method", m, rules::HandoffMethod::choices())
            })),
    };
    let instant = |f: &mut Fields, field: &str, v: Option<&str>| match v
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => None,
        Some(v) => f.take(zone.instant(field, v)),
    };
    let scheduled_at = instant(&mut f, "scheduled_at", input.scheduled_at.as_deref());
    let held_at = instant(&mut f, "held_at", input.held_at.as_deref());
    f.check(
        held_at.is_some_and(|h| h > now),
        "held_at",
        "reentry-error-date-in-the-future",
    );
    f.finish()?;
    let new = NewHandoff {
        to_provider: to_provider.unwrap_or_default(),
        to_organisation: to_organisation.unwrap_or_default(),
        method,
        scheduled_at,
        held_at,
    };
    store::record_handoff(tx, &g, a.user_id, &new, now)
}

/// The participant's MOUD records, newest first: the first stands (release plan).
pub fn moud(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Vec<Moud>> {
    let g = access::participant(
        tx,
        a,
        id,
        Need::Read(Category::ReleasePlan),
        Event::new(Action::ReentryMoudRead, "reentry_moud", None).with_participant(id),
    )?;
    store::moud_records(tx.conn(), &g)
}

/// The most naloxone kits one record says were given at release.
pub const MAX_NALOXONE_KITS: i64 = 20;

/// Record medication for opioid use disorder around release (the participant's own programme
/// staff). The first post-release dose is required when it started after release; when it was
/// continued at release it is the release date unless given. A stop is not before the first
/// dose. The earlier records are kept.
pub fn record_moud(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<MoudInput>,
) -> AppResult<Moud> {
    let g = access::participant(
        tx,
        a,
        id,
        Need::Write,
        Event::new(Action::ReentryMoudWrite, "reentry_moud", None).with_participant(id),
    )?;
    let input = input()?;
    let zone = time::zone_of(tx.conn(), g.org_id())?;
    let today = zone.today();
    let mut f = Fields::new();
    let status = f.take(
        rules::MoudStatus::parse(input.status.trim()).ok_or_else(|| {
            fields::unknown_value("status", &input.status, rules::MoudStatus::choices())
        }),
    );
    let first_dose_on = f.take_opt(fields::opt_date(
        "first_dose_on",
        input.first_dose_on.as_deref().unwrap_or(""),
    ));
    let stopped_on = f.take_opt(fields::opt_date(
        "stopped_on",
        input.stopped_on.as_deref().unwrap_or(""),
    ));
    let naloxone = input.naloxone_at_release.unwrap_or(0);
    if !(0..=MAX_NALOXONE_KITS).contains(&naloxone) {
        f.push(fields::not_from_to(
            "naloxone_at_release",
            0,
            MAX_NALOXONE_KITS,
        ));
    }
    f.check(
        first_dose_on.is_some_and(|d| d > today),
        "first_dose_on",
        "reentry-error-date-in-the-future",
    );
    f.check(
        stopped_on.is_some_and(|d| d > today),
        "stopped_on",
        "reentry-error-date-in-the-future",
    );
    let after_release = matches!(
        status,
        Some(rules::MoudStatus::ContinuedAtRelease | rules::MoudStatus::StartedAfterRelease)
    );
    // No dose after release to date when there was none, or it is still given in custody.
    f.check(
        status.is_some() && !after_release && first_dose_on.is_some(),
        "first_dose_on",
        "reentry-error-no-dose-after-release",
    );
    f.check(
        status == Some(rules::MoudStatus::StartedAfterRelease) && first_dose_on.is_none(),
        "first_dose_on",
        "reentry-error-first-dose-required",
    );
    f.check(
        status == Some(rules::MoudStatus::None) && stopped_on.is_some(),
        "stopped_on",
        "reentry-error-no-moud-to-stop",
    );
    f.finish()?;
    let Some(status) = status else {
        return Err(AppError::Invalid(vec![FieldError::keyed(
            "status",
            "error-required",
            &[],
        )]));
    };
    // Continued at release: the first dose after release is the release day itself.
    let first_dose_on = match (status, first_dose_on) {
        (rules::MoudStatus::ContinuedAtRelease, None) => crate::journey::ops::episodes(tx, a, id)?
            .into_iter()
            .filter_map(|e| e.released_at)
            .max()
            .map(|at| zone.date_of(at)),
        (_, d) => d,
    };
    if let (Some(first), Some(stop)) = (first_dose_on, stopped_on)
        && stop < first
    {
        return Err(AppError::Invalid(vec![FieldError::keyed(
            "stopped_on",
            "reentry-error-stopped-before-first-dose",
            &[],
        )]));
    }
    let new = NewMoud {
        status,
        first_dose_on,
        stopped_on,
        naloxone_at_release: i32::try_from(naloxone).unwrap_or(0),
    };
    store::record_moud(tx, &g, a.user_id, &new, time::now())
}

/// Everything the participant's reentry page shows, read under one grant of the release plan.
pub struct ReentryRecord {
    /// Who the participant is (as far as the viewer may see).
    pub record: ParticipantRecord,
    pub status: ReentryStatus,
    /// Newest first.
    pub screenings: Vec<Screening>,
    /// Newest first.
    pub handoffs: Vec<Handoff>,
    /// Newest first: the first stands.
    pub moud: Vec<Moud>,
    /// The viewer is of the participant's own programme: the page offers the forms.
    pub own: bool,
    /// The names of the staff who recorded any of these.
    pub staff: Vec<(i64, String)>,
    /// The clock of the participant's organisation.
    pub zone: time::Zone,
}

/// The participant's reentry record: where they stand, the screenings, the warm handoffs and
/// the MOUD records (release plan; the read audited once as `reentry.view`).
pub fn reentry_record(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<ReentryRecord> {
    let record = crate::participants::ops::record(tx, a, id)?;
    let g = access::participant(
        tx,
        a,
        id,
        Need::Read(Category::ReleasePlan),
        Event::new(Action::ReentryView, "participant", Some(id)).with_participant(id),
    )?;
    let status = status_under(tx, a, &g)?;
    let screenings = store::screenings(tx.conn(), &g)?;
    let handoffs = store::handoffs(tx.conn(), &g)?;
    let moud = store::moud_records(tx.conn(), &g)?;
    let mut ids: Vec<i64> = screenings
        .iter()
        .filter_map(|s| s.screened_by)
        .chain(handoffs.iter().filter_map(|h| h.made_by))
        .chain(moud.iter().filter_map(|m| m.recorded_by))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let staff = store::staff_names(tx.conn(), g.org_id(), &ids)?;
    let zone = time::zone_of(tx.conn(), g.org_id())?;
    Ok(ReentryRecord {
        zone,
        record,
        status,
        screenings,
        handoffs,
        moud,
        own: !g.is_disclosure(),
        staff,
    })
}

/// An item of the release checklist as the care plan prints it.
pub struct PlanItem {
    /// The checklist item's code (`journey::rules::ChecklistItemKind`).
    pub kind: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub not_applicable: bool,
}

/// A goal of the participant's plan as the care plan prints it.
pub struct PlanGoal {
    /// `journey::rules::GoalDomain`
    pub domain: String,
    /// In the participant's own words.
    pub statement: String,
    /// `journey::rules::GoalStatus`
    pub status: String,
    pub due_on: Option<NaiveDate>,
}

/// The reentry care plan as printed for the participant: the minimum elements of a reentry
/// care plan under CMS SMD #23-003 (needs, medications, appointments made, housing and
/// benefits).
pub struct CarePlan {
    pub record: ParticipantRecord,
    pub programme: Programme,
    pub status: ReentryStatus,
    /// The day of the latest episode's release, once released.
    pub released_on: Option<NaiveDate>,
    /// The newest screening: its conditions are needs, its Medicaid status the benefits.
    pub screening: Option<Screening>,
    /// The newest MOUD record.
    pub moud: Option<Moud>,
    /// The warm handoffs, newest first: the appointments made.
    pub handoffs: Vec<Handoff>,
    /// The open (or latest) episode's release checklist.
    pub checklist: Vec<PlanItem>,
    /// The plan's goals, when the viewer may read the plan.
    pub goals: Vec<PlanGoal>,
}

/// The care plan to print for the participant. Printing is a disclosure to them, so the read
/// is audited as `reentry_plan.print` (like the journey's release handout); the checklist and
/// goals are read through the journey's operations.
pub fn care_plan(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<CarePlan> {
    let record = crate::participants::ops::record(tx, a, id)?;
    let g = access::participant(
        tx,
        a,
        id,
        Need::Read(Category::ReleasePlan),
        Event::new(Action::ReentryPlanPrint, "participant", Some(id)).with_participant(id),
    )?;
    let status = status_under(tx, a, &g)?;
    let programme = store::programme(tx.conn(), g.org_id())?;
    let screening = store::screenings(tx.conn(), &g)?.into_iter().next();
    let moud = store::moud_records(tx.conn(), &g)?.into_iter().next();
    let handoffs = store::handoffs(tx.conn(), &g)?;
    let latest = crate::journey::ops::episodes(tx, a, id)?
        .into_iter()
        .max_by_key(|e| (e.ended_on.is_none(), e.started_on, e.id));
    let zone = time::zone_of(tx.conn(), g.org_id())?;
    let released_on = latest
        .as_ref()
        .and_then(|e| e.released_at)
        .map(|at| zone.date_of(at));
    let episode = latest.map(|e| e.id);
    let checklist = match episode {
        Some(episode) => crate::journey::ops::checklist(tx, a, id)?
            .into_iter()
            .filter(|c| c.episode_id == episode)
            .map(|c| PlanItem {
                not_applicable: c.not_applicable_reason.is_some(),
                kind: c.kind,
                due_on: c.due_on,
                done_on: c.done_on,
            })
            .collect(),
        None => vec![],
    };
    let goals = if g.sees(Category::Plan) {
        crate::journey::ops::goals(tx, a, id)?
            .into_iter()
            .map(|g| PlanGoal {
                domain: g.goal.domain,
                statement: g.goal.statement,
                status: g.goal.status,
                due_on: g.goal.due_on,
            })
            .collect()
    } else {
        vec![]
    };
    Ok(CarePlan {
        record,
        programme,
        status,
        released_on,
        screening,
        moud,
        handoffs,
        checklist,
        goals,
    })
}

/// The organisation's reentry settings as its admin sees them: the programme, every earlier
/// choice (newest first) and the names of who chose.
pub struct ProgrammeSettings {
    pub current: Programme,
    pub history: Vec<Programme>,
    pub staff: Vec<(i64, String)>,
}

/// The reentry settings (admins).
pub fn programme_settings(tx: &mut Tx, a: &Actor) -> AppResult<ProgrammeSettings> {
    let history = programme_history(tx, a)?;
    let current = store::programme(tx.conn(), a.org_id)?;
    let mut ids: Vec<i64> = history.iter().filter_map(|p| p.set_by).collect();
    ids.sort_unstable();
    ids.dedup();
    let staff = store::staff_names(tx.conn(), a.org_id, &ids)?;
    Ok(ProgrammeSettings {
        current,
        history,
        staff,
    })
}
