//! Platform endpoints of the JSON API: who am I, the audit log. The OpenAPI base document
//! (title, security scheme) lives here too.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::error::ApiError;
use super::extract::{ApiUser, QueryFields};
use crate::platform::access::{self, OrgKind, Role};
use crate::platform::audit::{self, Line};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Throughcare API",
        description = "Peer recovery support services for people in the justice system. Every \
                       read of participant data passes the access policy and is audited.",
        version = "1"
    ),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

impl ApiDoc {
    pub fn openapi_base() -> utoipa::openapi::OpenApi {
        <ApiDoc as OpenApi>::openapi()
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(audit_log))
}

/// The signed-in caller.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub org_id: i64,
    pub org_name: String,
    pub org_kind: OrgKind,
}

/// Who am I?
#[utoipa::path(get, path = "/api/v1/me", tag = "platform",
    responses((status = 200, body = Me), (status = 401, body = super::error::Problem)))]
async fn me(ApiUser(actor): ApiUser) -> Json<Me> {
    Json(Me {
        user_id: actor.user_id,
        email: actor.email,
        name: actor.name,
        role: actor.role,
        org_id: actor.org_id,
        org_name: actor.org_name,
        org_kind: actor.org_kind,
    })
}

/// Browse the audit log of your organisation (auditors and admins), newest first: your staff's
/// entries and every entry about your participants, whoever made it (partners' views, emergency
/// openings, exports, other organisations' denied attempts), each with the actor's organisation.
#[utoipa::path(get, path = "/api/v1/audit", tag = "platform",
    params(
        ("actor" = Option<String>, Query, description = "part of the actor's e-mail"),
        ("action" = Option<String>, Query, description = "action prefix, e.g. `participant.`"),
        ("participant" = Option<i64>, Query, description = "participant id"),
        ("from" = Option<String>, Query, description = "YYYY-MM-DD or YYYY-MM-DDTHH:MM"),
        ("to" = Option<String>, Query, description = "exclusive upper bound"),
        ("before" = Option<i64>, Query, description = "entries before this sequence number"),
        ("limit" = Option<i64>, Query, description = "1..1000, default 100"),
    ),
    responses((status = 200, body = Vec<Line>), (status = 403, body = super::error::Problem), (status = 422, body = super::error::Problem)))]
async fn audit_log(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    QueryFields(q): QueryFields,
) -> Result<Json<Vec<Line>>, ApiError> {
    let org = access::read_audit(&actor)?;
    let filter = super::pages::audit_filter(org, &q)?;
    let who = actor.who();
    let entries = state
        .db
        .read(move |tx| {
            let entries = audit::lines(tx.conn(), &filter)?;
            audit::append(
                tx,
                &who,
                audit::Event::new("audit.browse", "audit_log", None),
            )?;
            Ok(entries)
        })
        .await?;
    Ok(Json(entries))
}
