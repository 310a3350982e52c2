//! Workforce pages, a file a screen: the overview and credential standards (`standards.rs`, from
//! templates, editable), a peer's pathway with the forms that feed it (`peer.rs`), the
//! certification barriers and facility access reports with a hand-written SVG chart
//! (`reports.rs`), and the start-up readiness checklist with printable job descriptions
//! (`readiness.rs`). Each handler reads the request, calls one operation (`ops.rs`) and renders.

mod peer;
mod readiness;
mod reports;
mod standards;

use axum::Extension;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::ops;
use crate::platform::access::Actor;
use crate::platform::web::extract::PageUser;
use crate::platform::web::layout::Chrome;
use crate::platform::web::{AppState, CsrfToken, PageRoute};

pub fn routes() -> Vec<PageRoute> {
    let r = |path, methods, handler| PageRoute {
        path,
        methods,
        participant_scoped: false,
        handler,
    };
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

/// A request for a workforce page: the application, the CSRF token its forms carry and the
/// signed-in caller (someone signed out is sent to sign in).
struct Screen {
    state: AppState,
    csrf: String,
    actor: Actor,
}

impl FromRequestParts<AppState> for Screen {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Extension(CsrfToken(csrf)) = Extension::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let PageUser(actor) = PageUser::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Screen {
            state: state.clone(),
            csrf,
            actor,
        })
    }
}

impl Screen {
    /// The layout of a workforce page titled `title`.
    fn chrome(&self, title: impl Into<String>) -> Chrome {
        Chrome::new(
            &self.actor,
            title,
            "/workforce",
            &self.csrf,
            self.state.config.demo,
        )
    }
}
