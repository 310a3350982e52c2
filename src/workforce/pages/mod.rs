//! Workforce pages, a file a screen: the overview and credential standards (`standards.rs`, from
//! templates, editable), a peer's pathway with the forms that feed it (`peer.rs`), the
//! certification barriers and facility access reports with a hand-written SVG chart
//! (`reports.rs`), and the start-up readiness checklist with printable job descriptions
//! (`readiness.rs`). Each handler reads the request, calls one operation (`ops.rs`) and renders.

mod peer;
mod readiness;
mod reports;
mod standards;
mod supervision;

pub use reports::FACILITIES_PER_PAGE;

use axum::routing::get;

use super::ops;
use crate::platform::web::PageRoute;

pub fn routes() -> Vec<PageRoute> {
    let r = PageRoute::general;
    let post = |path, handler| r(path, &["POST"], handler);
    vec![
        r("/workforce", &["GET"], get(standards::index)),
        r(
            "/workforce/standards/new",
            &["GET"],
            get(standards::new_standard),
        ),
        post(
            "/workforce/standards",
            axum::routing::post(standards::create_standard),
        ),
        r(
            "/workforce/standards/{id}",
            &["GET", "POST"],
            get(standards::edit_standard).post(standards::update_standard),
        ),
        r("/workforce/peers/{id}", &["GET"], get(peer::peer_page)),
        post(
            "/workforce/peers/{id}/pathway",
            peer::form("pathways", None, peer::pathway),
        ),
        post(
            "/workforce/peers/{id}/training",
            peer::form("training", None, peer::training),
        ),
        post(
            "/workforce/peers/{id}/work-hours",
            peer::form("work", None, peer::work_hours),
        ),
        post(
            "/workforce/peers/{id}/supervision",
            peer::form("supervision", None, peer::supervision),
        ),
        post(
            "/workforce/supervision/{id}/sign",
            peer::form(
                "supervision",
                Some(supervision::session_peer),
                supervision::sign,
            ),
        ),
        post(
            "/workforce/peers/{id}/competency-reviews",
            peer::form("reviews", None, supervision::review),
        ),
        post(
            "/workforce/peers/{id}/ethics-consultations",
            peer::form("consultations", None, supervision::consultation),
        ),
        post(
            "/workforce/peers/{id}/exemptions",
            peer::form("barriers", None, peer::exemption),
        ),
        post(
            "/workforce/peers/{id}/sanctions",
            peer::form("barriers", None, peer::sanction),
        ),
        post(
            "/workforce/peers/{id}/clearances",
            peer::form("clearances", None, peer::clearance),
        ),
        post(
            "/workforce/peers/{id}/visits",
            peer::form("visits", None, peer::visit),
        ),
        post(
            "/workforce/exemptions/{id}",
            peer::form(
                "barriers",
                Some(ops::exemption_peer),
                peer::exemption_update,
            ),
        ),
        post(
            "/workforce/clearances/{id}/events",
            peer::form(
                "clearances",
                Some(ops::clearance_peer),
                peer::clearance_event,
            ),
        ),
        r(
            "/workforce/reports/facility-access",
            &["GET"],
            get(reports::facility_report),
        ),
        r(
            "/workforce/reports/certification-barriers",
            &["GET"],
            get(reports::barriers_report),
        ),
        r(
            "/workforce/readiness",
            &["GET"],
            get(readiness::readiness_page),
        ),
        post(
            "/workforce/readiness/{id}",
            axum::routing::post(readiness::post_readiness),
        ),
        r(
            "/workforce/job-descriptions/{kind}",
            &["GET", "POST"],
            get(readiness::job_page).post(readiness::post_job),
        ),
    ]
}

/// The navigation entry every workforce page belongs to.
const WORKFORCE: &str = "/workforce";

#[cfg(test)]
mod tests {
    use crate::platform::i18n::{code_key, sources};
    use crate::workforce::codes::{
        ClearanceStatus, CompetencyArea, DenialReason, ExemptionDecision, JobKind, SanctionKind,
        SupervisionFormat, VisitOutcome,
    };
    use crate::workforce::credentials::RequirementKind;
    use crate::workforce::figures::BARRIER_LINES;
    use crate::workforce::readiness::{FiveP, ItemStatus, OrgStage};

    /// The workforce pages show coded values by their message (`tr.code`): every code has one
    /// in every language, and the English one is the vocabulary's own label, so the API, the
    /// CSV and the English pages agree.
    #[test]
    fn every_code_the_workforce_pages_show_has_its_message() {
        let mut codes = Vec::new();
        codes.extend(sources::codes_of::<CompetencyArea>("wf-competency"));
        codes.extend(sources::codes_of::<SupervisionFormat>("wf-format"));
        codes.extend(sources::codes_of::<ClearanceStatus>("wf-clearance"));
        codes.extend(sources::codes_of::<DenialReason>("wf-denial-reason"));
        codes.extend(sources::codes_of::<VisitOutcome>("wf-outcome"));
        codes.extend(sources::codes_of::<ExemptionDecision>("wf-decision"));
        codes.extend(sources::codes_of::<SanctionKind>("wf-sanction"));
        codes.extend(sources::codes_of::<JobKind>("wf-job"));
        codes.extend(sources::codes_of::<OrgStage>("wf-stage"));
        codes.extend(sources::codes_of::<FiveP>("wf-five-p"));
        codes.extend(sources::codes_of::<ItemStatus>("wf-item-status"));
        // Training is named with its domain ("Training: Ethics"), the others as they are.
        codes.extend(
            sources::codes_of::<RequirementKind>("wf-requirement")
                .into_iter()
                .filter(|(k, _)| k != "wf-requirement-training"),
        );
        codes.extend(
            BARRIER_LINES
                .iter()
                .map(|l| (code_key("wf-barrier", l.key), l.label.to_string())),
        );
        codes.extend(
            crate::workforce::store::templates()
                .into_iter()
                .map(|(c, l, _)| (code_key("wf-template", c), l.to_string())),
        );
        sources::assert_labelled(&codes);
    }
}
