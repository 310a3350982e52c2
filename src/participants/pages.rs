//! Participant pages: list, enrol, view.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::store::{self, ListQuery, NewParticipant, Participant, ParticipantInput};
use crate::platform::access::{self, Actor, Intent};
use crate::platform::audit::{self, Event};
use crate::platform::error::{AppError, FieldError};
use crate::platform::time;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{CsrfForm, PageId, PageUser, QueryFields, parse};
use crate::platform::web::layout::Chrome;
use crate::platform::web::{AppState, CsrfToken, PageRoute};

pub fn routes() -> Vec<PageRoute> {
    vec![
        PageRoute {
            path: "/participants",
            methods: &["GET", "POST"],
            participant_scoped: false,
            handler: get(list_page).post(create),
        },
        PageRoute {
            path: "/participants/new",
            methods: &["GET"],
            participant_scoped: false,
            handler: get(new_page),
        },
        PageRoute {
            path: "/participants/{id}",
            methods: &["GET"],
            participant_scoped: true,
            handler: get(view_page),
        },
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "participants/list.html")]
struct ListPage {
    chrome: Chrome,
    participants: Vec<Participant>,
    name: String,
    mine: bool,
    can_create: bool,
}

async fn list_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    QueryFields(q): QueryFields,
) -> Result<impl IntoResponse, PageError> {
    let mine = q.get("mine") == "1";
    let query = ListQuery {
        name: q.opt("name"),
        peer_id: mine.then_some(actor.user_id),
        limit: parse::opt_i64("limit", q.get("limit"), 1, 500)
            .map_err(|e| AppError::Invalid(vec![e]))?
            .unwrap_or(200),
        offset: 0,
    };
    let participants = match access::list_scope(&actor) {
        Some(scope) => {
            let who = actor.who();
            state
                .db
                .write(move |tx| {
                    let list = store::list(tx.conn(), &scope, &query)?;
                    audit::append(
                        tx,
                        &who,
                        Event::new("participant.list", "participant", None)
                            .detail(format!("{} shown", list.len())),
                    )?;
                    Ok(list)
                })
                .await?
        }
        None => vec![],
    };
    Ok(ListPage {
        chrome: Chrome::new(
            &actor,
            "Participants",
            "/participants",
            &csrf.0,
            state.config.demo,
        ),
        participants,
        name: q.get("name").to_string(),
        mine,
        can_create: access::create_participant(&actor).is_ok(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "participants/new.html")]
struct NewPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    first_name: String,
    last_name: String,
    preferred_name: String,
    date_of_birth: String,
    assigned_peer_id: String,
    peers: Vec<(i64, String)>,
}

impl NewPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

async fn new_form(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    errors: Vec<FieldError>,
    input: &ParticipantInput,
) -> Result<NewPage, PageError> {
    let org = access::create_participant(actor)?;
    let peers = state
        .db
        .run(move |c| store::assignable_peers(c, org))
        .await?;
    Ok(NewPage {
        chrome: Chrome::new(
            actor,
            "Enrol a participant",
            "/participants",
            csrf,
            state.config.demo,
        ),
        errors,
        first_name: input.first_name.clone(),
        last_name: input.last_name.clone(),
        preferred_name: input.preferred_name.clone().unwrap_or_default(),
        date_of_birth: input.date_of_birth.clone(),
        assigned_peer_id: input
            .assigned_peer_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
        peers,
    })
}

async fn new_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
) -> Result<impl IntoResponse, PageError> {
    let input = ParticipantInput {
        assigned_peer_id: (actor.role == access::Role::Peer).then_some(actor.user_id),
        ..Default::default()
    };
    new_form(&state, &actor, &csrf.0, vec![], &input).await
}

async fn create(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let org = access::create_participant(&actor)?;
    let mut errs = Vec::new();
    let assigned_peer_id = parse::opt_id("assigned_peer_id", form.get("assigned_peer_id"))
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    let input = ParticipantInput {
        first_name: form.get("first_name").into(),
        last_name: form.get("last_name").into(),
        preferred_name: form.opt("preferred_name"),
        date_of_birth: form.get("date_of_birth").into(),
        assigned_peer_id,
    };
    let parsed = NewParticipant::parse(&input, time::today());
    let result = match parsed {
        Ok(new) if errs.is_empty() => {
            let who = actor.who();
            state
                .db
                .write(move |tx| {
                    let p = store::create(tx, org, &new)?;
                    audit::append(
                        tx,
                        &who,
                        Event::new("participant.create", "participant", Some(p.id))
                            .with_participant(p.id),
                    )?;
                    Ok(p)
                })
                .await
        }
        Ok(_) => Err(AppError::Invalid(errs)),
        Err(mut more) => {
            errs.append(&mut more);
            Err(AppError::Invalid(errs))
        }
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/participants/{}", p.id)).into_response()),
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            new_form(&state, &actor, &csrf.0, errs, &input).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "participants/view.html")]
struct ViewPage {
    chrome: Chrome,
    p: Participant,
    peer_name: Option<String>,
}

async fn view_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    PageId(id): PageId,
) -> Result<impl IntoResponse, PageError> {
    let a = actor.clone();
    let (p, peer_name) = state
        .db
        .write(move |tx| {
            let grant = access::participant(
                tx,
                &a,
                id,
                Intent::Read,
                Event::new("participant.view", "participant", Some(id)),
            )?;
            let p = store::get(tx.conn(), &grant)?;
            let peers = store::assignable_peers(tx.conn(), grant.org_id())?;
            let peer_name = p
                .assigned_peer_id
                .and_then(|pid| peers.into_iter().find(|(i, _)| *i == pid).map(|(_, n)| n));
            Ok((p, peer_name))
        })
        .await?;
    Ok(ViewPage {
        chrome: Chrome::new(
            &actor,
            p.display_name(),
            "/participants",
            &csrf.0,
            state.config.demo,
        ),
        p,
        peer_name,
    })
}
