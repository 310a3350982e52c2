//! The home page of each role: the first screen after sign-in.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use diesel::prelude::*;

use crate::journey::caseload::{self, CaseloadRow};
use crate::platform::access::{self, Role};
use crate::platform::audit::{self, Entry};
use crate::platform::schema::{facilities, participants as participants_t, users};
use crate::platform::time;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::PageUser;
use crate::platform::web::layout::Chrome;
use crate::platform::web::{AppState, CsrfToken, PageRoute};

pub fn routes() -> Vec<PageRoute> {
    vec![PageRoute {
        path: "/",
        methods: &["GET"],
        participant_scoped: false,
        handler: get(home),
    }]
}

pub struct TeamMember {
    pub name: String,
    pub email: String,
    pub caseload: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    role: &'static str,
    caseload: Vec<CaseloadRow>,
    escalations: Vec<CaseloadRow>,
    team: Vec<TeamMember>,
    counts: Vec<(&'static str, i64)>,
    recent_audit: Vec<Entry>,
    team_workforce: Vec<crate::workforce::store::PeerSummary>,
}

async fn home(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
) -> Result<impl IntoResponse, PageError> {
    let chrome = Chrome::new(&actor, "Home", "/", &csrf.0, state.config.demo);
    let mut page = HomePage {
        chrome,
        role: actor.role.as_str(),
        caseload: vec![],
        escalations: vec![],
        team: vec![],
        counts: vec![],
        recent_audit: vec![],
        team_workforce: vec![],
    };
    let a = actor.clone();
    match actor.role {
        Role::Peer => {
            let rows = state
                .db
                .write(move |tx| {
                    caseload::for_actor(tx, &a, &caseload::Filter::default(), time::now())
                })
                .await?;
            page.caseload = rows
                .into_iter()
                .filter(|r| r.urgency != "routine")
                .take(15)
                .collect();
        }
        Role::Supervisor => {
            let a2 = a.clone();
            page.escalations = state
                .db
                .write(move |tx| caseload::escalations(tx, &a2, time::now()))
                .await?;
            page.team = state
                .db
                .run(move |c| {
                    let peers: Vec<(i64, String, String)> = users::table
                        .filter(users::supervisor_id.eq(a.user_id))
                        .filter(users::disabled_at.is_null())
                        .order(users::name)
                        .select((users::id, users::name, users::email))
                        .load(c)?;
                    let mut team = Vec::new();
                    for (id, name, email) in peers {
                        let caseload: i64 = participants_t::table
                            .filter(participants_t::assigned_peer_id.eq(id))
                            .filter(participants_t::org_id.eq(a.org_id))
                            .count()
                            .get_result(c)?;
                        team.push(TeamMember {
                            name,
                            email,
                            caseload,
                        });
                    }
                    Ok(team)
                })
                .await?;
            page.team_workforce = crate::workforce::api::peer_list(&state, &actor).await?;
        }
        Role::Admin => {
            page.counts = state
                .db
                .run(move |c| {
                    let staff: i64 = users::table
                        .filter(users::org_id.eq(a.org_id))
                        .count()
                        .get_result(c)?;
                    let facs: i64 = facilities::table
                        .filter(facilities::org_id.eq(a.org_id))
                        .count()
                        .get_result(c)?;
                    let parts: i64 = participants_t::table
                        .filter(participants_t::org_id.eq(a.org_id))
                        .count()
                        .get_result(c)?;
                    Ok(vec![
                        ("Participants", parts),
                        ("Staff", staff),
                        ("Facilities", facs),
                    ])
                })
                .await?;
        }
        Role::Auditor => {
            let org = access::read_audit(&actor)?;
            page.recent_audit = state
                .db
                .run(move |c| {
                    audit::list(
                        c,
                        &audit::Filter {
                            org_id: org,
                            limit: 10,
                            ..Default::default()
                        },
                    )
                })
                .await?;
        }
        Role::Team => {}
    }
    Ok(page)
}
