//! The view of one peer's record: each pathway's requirements against the standard, its progress
//! and renewal alerts.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::*;
use crate::platform::access::StaffGrant;
use crate::platform::db::DbConn;
use crate::platform::error::AppResult;
use crate::platform::i18n::Tr;
use crate::platform::schema::{facilities, users};
use crate::workforce::credentials::{
    self, CeEntry, DEFAULT_ALERT_DAYS, HoursEntry, PeerProgress, TrainingEntry,
};
use crate::workforce::schema::*;
use crate::workforce::supervision::rules::supervision_received;

/// Progress on one requirement.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RequirementView {
    pub key: String,
    pub label: String,
    /// training, supervised_work, supervision, exam, ethics_attestation, background_check,
    /// education, fees
    #[schema(value_type = crate::workforce::credentials::RequirementKind)]
    pub kind: String,
    pub required: f64,
    pub done: f64,
    /// 0..=1
    pub fraction: f64,
}

impl RequirementView {
    /// Percent for the `<progress>` element (0..=100, whole).
    pub fn percent(&self) -> i64 {
        (self.fraction * 100.0).floor() as i64
    }
    /// The requirement's name in the page's language: a training domain and a formal education
    /// are the standard's own words.
    pub fn label_in(&self, tr: &Tr) -> String {
        match self.kind.as_str() {
            "training" => tr.t1(
                "wf-requirement-training",
                "domain",
                self.label.strip_prefix("Training: ").unwrap_or(&self.label),
            ),
            "education" => match self.label.strip_prefix("Formal education: ") {
                Some(detail) => tr.t1("wf-requirement-education-detail", "detail", detail),
                None => tr.code("wf-requirement", &self.kind),
            },
            kind => tr.code("wf-requirement", kind),
        }
    }
    pub fn is_hours(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "training" | "supervised_work" | "supervision"
        )
    }
}

/// A renewal alert.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertView {
    /// expires_in, expired, ce_behind, ce_ethics_behind
    #[schema(value_type = crate::workforce::credentials::AlertKind)]
    pub kind: String,
    pub message: String,
    /// The alert itself, for a page to write it in its language ([`AlertView::message_in`]).
    #[serde(skip)]
    pub alert: credentials::CredentialAlert,
}

impl AlertView {
    /// The message in the page's language (the API's `message` is English).
    pub fn message_in(&self, tr: &Tr) -> String {
        use credentials::CredentialAlert::*;
        match self.alert {
            ExpiresIn {
                expires_on, days, ..
            } => tr.t2("wf-alert-expires-in", "date", expires_on, "days", days),
            Expired { expired_on } => tr.t1("wf-alert-expired", "date", expired_on),
            CeBehind {
                needed,
                done,
                expected_by_now,
            } => tr.t3(
                "wf-alert-ce-behind",
                "done",
                format!("{done:.1}"),
                "needed",
                format!("{needed:.0}"),
                "expected",
                format!("{expected_by_now:.1}"),
            ),
            CeEthicsBehind {
                needed,
                done,
                expected_by_now,
            } => tr.t3(
                "wf-alert-ce-ethics-behind",
                "done",
                format!("{done:.1}"),
                "needed",
                format!("{needed:.0}"),
                "expected",
                format!("{expected_by_now:.1}"),
            ),
        }
    }
}

/// Progress toward one credential.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PathwayView {
    pub pathway: Pathway,
    pub standard_name: String,
    pub requirements: Vec<RequirementView>,
    /// 0..=1
    pub overall: f64,
    /// At the current pace (hours of the last 90 days); absent when no pace yet.
    pub expected_completion: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub alerts: Vec<AlertView>,
}

impl PathwayView {
    pub fn overall_percent(&self) -> i64 {
        (self.overall * 100.0).floor() as i64
    }
}

/// Everything on one peer's workforce record.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PeerRecord {
    pub peer_id: i64,
    pub name: String,
    pub email: String,
    #[schema(value_type = crate::platform::access::Role)]
    pub role: String,
    pub supervisor_id: Option<i64>,
    pub pathways: Vec<PathwayView>,
    pub training: Vec<TrainingRecord>,
    pub supervised_work_hours: f64,
    pub work_hours: Vec<WorkHours>,
    pub supervision: Vec<SupervisionSession>,
    /// Periodic competency reviews, oldest first (the history).
    pub competency_reviews: Vec<Review>,
    /// Ethics and boundary consultations, latest first.
    pub ethics_consultations: Vec<Consultation>,
    pub exemptions: Vec<Exemption>,
    pub sanctions: Vec<Sanction>,
    pub clearances: Vec<Clearance>,
    pub clearance_history: Vec<ClearanceEvent>,
    pub visits: Vec<Visit>,
    /// Facility names by id, for display.
    #[schema(value_type = std::collections::HashMap<String,String>)]
    pub facility_names: HashMap<i64, String>,
}

impl PeerRecord {
    pub fn facility(&self, id: &i64) -> &str {
        self.facility_names
            .get(id)
            .map(String::as_str)
            .unwrap_or("?")
    }
    pub fn history_of(&self, clearance_id: &i64) -> Vec<&ClearanceEvent> {
        self.clearance_history
            .iter()
            .filter(|e| e.clearance_id == *clearance_id)
            .collect()
    }
}

fn alert_view(a: &credentials::CredentialAlert) -> AlertView {
    use credentials::CredentialAlert::*;
    let message = match a {
        ExpiresIn {
            expires_on, days, ..
        } => format!("Credential expires on {expires_on} (in {days} days)"),
        Expired { expired_on } => format!("Credential expired on {expired_on}"),
        CeBehind {
            needed,
            done,
            expected_by_now,
        } => format!(
            "Continuing education behind: {done:.1} of {needed:.0} hours done, {expected_by_now:.1} expected by now"
        ),
        CeEthicsBehind {
            needed,
            done,
            expected_by_now,
        } => format!(
            "Ethics continuing education behind: {done:.1} of {needed:.0} hours done, {expected_by_now:.1} expected by now"
        ),
    };
    AlertView {
        kind: a.as_str().into(),
        message,
        alert: *a,
    }
}

/// Build the pathway views from the peer's records (pure apart from its inputs); supervision
/// received is the sessions and the ethics consultations that count (decision 0051).
pub fn pathway_views(
    pathways: &[Pathway],
    standards: &[Standard],
    training: &[TrainingRecord],
    work: &[WorkHours],
    (supervision, consultations): (&[SupervisionSession], &[Consultation]),
    exemptions: &[Exemption],
    today: NaiveDate,
) -> Vec<PathwayView> {
    let consulted: Vec<_> = consultations.iter().map(Consultation::hours).collect();
    let exemption_granted = exemptions
        .iter()
        .filter(|e| e.decision.as_deref() == Some("granted"))
        .filter_map(|e| e.decided_on)
        .min();
    let mut out = Vec::new();
    for p in pathways {
        let Some(s) = standards.iter().find(|s| s.id == p.standard_id) else {
            continue;
        };
        let rule = s.rule();
        let input = PeerProgress {
            training: training
                .iter()
                .filter(|t| !t.continuing_education)
                .map(|t| TrainingEntry {
                    domain: t.domain.clone(),
                    hours: t.hours,
                    on: t.completed_on,
                })
                .collect(),
            supervised_work_hours: work
                .iter()
                .map(|w| HoursEntry {
                    on: w.worked_on,
                    hours: w.hours,
                })
                .collect(),
            supervision_hours: supervision_received(
                supervision.iter().map(|s| (s.held_on, s.hours)),
                &consulted,
            ),
            exam_passed_on: p.exam_passed_on,
            ethics_signed_on: p.ethics_signed_on,
            background_check_cleared_on: p.background_cleared_on.or(exemption_granted),
            education_met: p.education_met,
            fees_paid: p.fees_paid,
            certified_on: p.certified_on,
            ce: training
                .iter()
                .filter(|t| t.continuing_education)
                .map(|t| CeEntry {
                    on: t.completed_on,
                    hours: t.hours,
                    ethics: t.ethics,
                })
                .collect(),
        };
        let items = credentials::progress(&rule, &input);
        let overall = credentials::overall_fraction(&items);
        out.push(PathwayView {
            pathway: p.clone(),
            standard_name: rule.name.clone(),
            requirements: items
                .iter()
                .map(|r| RequirementView {
                    key: r.key.clone(),
                    label: r.label.clone(),
                    kind: r.kind.as_str().into(),
                    required: r.required,
                    // `+ 0.0` turns the empty sum's -0.0 into 0.0 for display.
                    done: r.done + 0.0,
                    fraction: r.fraction,
                })
                .collect(),
            overall,
            expected_completion: credentials::expected_completion(&rule, &input, today),
            expires_on: p
                .certified_on
                .map(|c| credentials::expiry(c, &rule))
                .filter(|d| *d != NaiveDate::MAX),
            alerts: credentials::alerts(&rule, &input, today, &DEFAULT_ALERT_DAYS)
                .iter()
                .map(alert_view)
                .collect(),
        });
    }
    out
}

/// The whole record of the peer the grant is for.
pub fn peer_record(
    conn: &mut DbConn,
    grant: &StaffGrant,
    today: NaiveDate,
) -> AppResult<PeerRecord> {
    let peer = grant.user_id();
    let (name, email, role, supervisor_id): (String, String, String, Option<i64>) = users::table
        .find(peer)
        .select((users::name, users::email, users::role, users::supervisor_id))
        .first(conn)?;
    let pathways: Vec<Pathway> = peer_pathways::table
        .filter(peer_pathways::peer_id.eq(peer))
        .order(peer_pathways::created_at)
        .select(Pathway::as_select())
        .load(conn)?;
    let standards = standards_of(conn, grant.org_id())?;
    let training: Vec<TrainingRecord> = training_records::table
        .filter(training_records::peer_id.eq(peer))
        .order((training_records::completed_on.desc(), training_records::id))
        .select(TrainingRecord::as_select())
        .load(conn)?;
    let work: Vec<WorkHours> = work_hours::table
        .filter(work_hours::peer_id.eq(peer))
        .order((work_hours::worked_on.desc(), work_hours::id))
        .select(WorkHours::as_select())
        .load(conn)?;
    let supervision: Vec<SupervisionSession> = supervision_sessions::table
        .filter(supervision_sessions::peer_id.eq(peer))
        .order((
            supervision_sessions::held_on.desc(),
            supervision_sessions::id,
        ))
        .select(SupervisionSession::as_select())
        .load(conn)?;
    let consultations = consultations_of(conn, peer)?;
    let competency_reviews = reviews_of(conn, peer)?;
    let exemptions: Vec<Exemption> = exemption_processes::table
        .filter(exemption_processes::peer_id.eq(peer))
        .order(exemption_processes::applied_on.desc())
        .select(Exemption::as_select())
        .load(conn)?;
    let sanctions: Vec<Sanction> = monetary_sanctions::table
        .filter(monetary_sanctions::peer_id.eq(peer))
        .order(monetary_sanctions::created_at.desc())
        .select(Sanction::as_select())
        .load(conn)?;
    let clearances: Vec<Clearance> = facility_clearances::table
        .filter(facility_clearances::peer_id.eq(peer))
        .order(facility_clearances::requested_on.desc())
        .select(Clearance::as_select())
        .load(conn)?;
    let ids: Vec<i64> = clearances.iter().map(|c| c.id).collect();
    let clearance_history: Vec<ClearanceEvent> = clearance_events::table
        .filter(clearance_events::clearance_id.eq_any(&ids))
        .order((clearance_events::on_date, clearance_events::created_at))
        .select(ClearanceEvent::as_select())
        .load(conn)?;
    let visits: Vec<Visit> = facility_visits::table
        .filter(facility_visits::peer_id.eq(peer))
        .order(facility_visits::scheduled_on.desc())
        .limit(200)
        .select(Visit::as_select())
        .load(conn)?;
    let facility_names: HashMap<i64, String> = facilities::table
        .select((facilities::id, facilities::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let views = pathway_views(
        &pathways,
        &standards,
        &training,
        &work,
        (&supervision, &consultations),
        &exemptions,
        today,
    );
    Ok(PeerRecord {
        peer_id: peer,
        name,
        email,
        role,
        supervisor_id,
        pathways: views,
        supervised_work_hours: work.iter().map(|w| w.hours).sum(),
        training,
        work_hours: work.into_iter().take(50).collect(),
        supervision,
        competency_reviews,
        ethics_consultations: consultations,
        exemptions,
        sanctions,
        clearances,
        clearance_history,
        visits,
        facility_names,
    })
}
