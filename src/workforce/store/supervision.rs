//! Supervision that develops people (decision 0051): sessions (logged, signed by both parties,
//! amended keeping the prior value), periodic competency reviews, and ethics and boundary
//! consultations. Reads and writes take the peer's [`StaffGrant`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::parse::*;
use super::*;
use crate::platform::access::{Signer, StaffGrant};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::ids::new_id;
use crate::platform::schema::users;
use crate::platform::time;
use crate::workforce::codes::{Competency, SupervisionFormat};
use crate::workforce::schema::*;
use crate::workforce::supervision::rules::{self, ConsultationHours, LengthError};

// ---------------------------------------------------------------- sessions

/// A session's columns parsed from its input.
struct SessionFields {
    held_on: NaiveDate,
    format: String,
    minutes: i64,
    hours: f64,
    competencies: Vec<&'static str>,
    wellness_checkin: String,
    action_items: String,
}

fn length_error(e: LengthError) -> FieldError {
    match e {
        LengthError::Missing => FieldError::keyed("minutes", "error-required", &[]),
        LengthError::OutOfRange => FieldError::keyed(
            "minutes",
            "wf-error-minutes-range",
            &[("max", rules::MAX_MINUTES.to_string())],
        ),
        LengthError::Disagree => FieldError::keyed("hours", "wf-error-hours-minutes-disagree", &[]),
    }
}

fn session_fields(input: &SupervisionInput, today: NaiveDate) -> AppResult<SessionFields> {
    let mut errs = Vec::new();
    let on = date("held_on", &input.held_on, &mut errs);
    not_future("held_on", on, today, &mut errs);
    let format = code::<SupervisionFormat>("format", &input.format, &mut errs);
    let length = rules::length(input.hours, input.minutes)
        .map_err(|e| errs.push(length_error(e)))
        .ok();
    let mut competencies = Vec::new();
    for (i, t) in input.topics.iter().enumerate() {
        if let Some(c) = code::<Competency>(&format!("topics[{i}]"), t, &mut errs)
            && !competencies.contains(&c.as_str())
        {
            competencies.push(c.as_str());
        }
    }
    let wellness_checkin = text(
        "wellness_checkin",
        &input.wellness_checkin,
        2000,
        false,
        &mut errs,
    );
    let action_items = text("action_items", &input.action_items, 2000, false, &mut errs);
    done(errs)?;
    let (minutes, hours) = length.unwrap_or((60, 1.0));
    Ok(SessionFields {
        held_on: on.unwrap_or(today),
        format: format
            .map_or("individual", SupervisionFormat::as_str)
            .into(),
        minutes,
        hours,
        competencies,
        wellness_checkin,
        action_items,
    })
}

fn write_competencies(
    tx: &mut Tx,
    org_id: i64,
    session_id: i64,
    competencies: &[&'static str],
) -> AppResult<()> {
    diesel::delete(
        supervision_competencies::table.filter(supervision_competencies::session_id.eq(session_id)),
    )
    .execute(tx.conn())?;
    let rows: Vec<_> = competencies
        .iter()
        .map(|c| {
            (
                supervision_competencies::session_id.eq(session_id),
                supervision_competencies::org_id.eq(org_id),
                supervision_competencies::competency.eq(*c),
            )
        })
        .collect();
    if !rows.is_empty() {
        crate::on_backend!(tx.conn(), c => diesel::insert_into(supervision_competencies::table).values(&rows).execute(c))?;
    }
    Ok(())
}

/// Log a supervision session held by `supervisor_id` with the grant's peer (unsigned).
pub fn add_supervision(
    tx: &mut Tx,
    grant: &StaffGrant,
    supervisor_id: i64,
    input: &SupervisionInput,
    today: NaiveDate,
) -> AppResult<SupervisionSession> {
    let f = session_fields(input, today)?;
    let r = SupervisionSession {
        id: new_id(),
        org_id: grant.org_id(),
        supervisor_id,
        peer_id: grant.user_id(),
        held_on: f.held_on,
        format: f.format,
        hours: f.hours,
        topics: f.competencies.join(","),
        wellness_checkin: f.wellness_checkin,
        action_items: f.action_items,
        created_at: time::now(),
        minutes: i32::try_from(f.minutes).unwrap_or(0),
        supervisor_signed_by: None,
        supervisor_signed_at: None,
        peer_signed_by: None,
        peer_signed_at: None,
        amended_at: None,
    };
    diesel::insert_into(supervision_sessions::table)
        .values(&r)
        .execute(tx.conn())?;
    write_competencies(tx, r.org_id, r.id, &f.competencies)?;
    Ok(r)
}

/// One session (names no more than its id and parties: the caller asks the policy next).
pub fn supervision_session(conn: &mut DbConn, id: i64) -> AppResult<Option<SupervisionSession>> {
    Ok(supervision_sessions::table
        .find(id)
        .select(SupervisionSession::as_select())
        .first(conn)
        .optional()?)
}

/// Sign the session as `signer` (the grant's caller `user`). Each party signs once: a second
/// signature is a conflict.
pub fn sign_supervision(
    tx: &mut Tx,
    grant: &StaffGrant,
    id: i64,
    signer: Signer,
    user: i64,
) -> AppResult<SupervisionSession> {
    let now = time::now();
    let base = supervision_sessions::table
        .filter(supervision_sessions::id.eq(id))
        .filter(supervision_sessions::peer_id.eq(grant.user_id()));
    let n = match signer {
        Signer::Supervisor => {
            diesel::update(base.filter(supervision_sessions::supervisor_signed_at.is_null()))
                .set((
                    supervision_sessions::supervisor_signed_by.eq(user),
                    supervision_sessions::supervisor_signed_at.eq(now),
                ))
                .execute(tx.conn())?
        }
        Signer::Peer => diesel::update(base.filter(supervision_sessions::peer_signed_at.is_null()))
            .set((
                supervision_sessions::peer_signed_by.eq(user),
                supervision_sessions::peer_signed_at.eq(now),
            ))
            .execute(tx.conn())?,
    };
    if n == 0 {
        return Err(AppError::conflict("wf-error-already-signed", &[]));
    }
    supervision_session(tx.conn(), id)?.ok_or(AppError::NotFound)
}

/// A change to a supervision session: why, and the session as it should now read.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupervisionAmendmentInput {
    /// Why it is changed (kept with the prior value).
    pub reason: String,
    /// The session as it should read (all of it).
    pub session: SupervisionInput,
}

/// A session's value before an amendment.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = supervision_amendments, treat_none_as_default_value = false)]
pub struct SupervisionAmendment {
    pub id: i64,
    pub org_id: i64,
    pub session_id: i64,
    pub amended_by: i64,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub amended_at: NaiveDateTime,
    pub reason: String,
    /// The session as it read before (JSON of the session, its signatures among it).
    pub prior: String,
}

/// Amend the session `id` of the grant's peer: keep its prior value (signatures included),
/// write the new one and clear both signatures, which are asked for again.
pub fn amend_supervision(
    tx: &mut Tx,
    grant: &StaffGrant,
    id: i64,
    user: i64,
    input: &SupervisionAmendmentInput,
    today: NaiveDate,
) -> AppResult<SupervisionSession> {
    let mut errs = Vec::new();
    let reason = text("reason", &input.reason, 1000, true, &mut errs);
    let fields = session_fields(&input.session, today);
    done(errs)?;
    let f = fields?;
    let prior = supervision_session(tx.conn(), id)?
        .filter(|s| s.peer_id == grant.user_id())
        .ok_or(AppError::NotFound)?;
    let now = time::now();
    diesel::insert_into(supervision_amendments::table)
        .values(&SupervisionAmendment {
            id: new_id(),
            org_id: prior.org_id,
            session_id: id,
            amended_by: user,
            amended_at: now,
            reason,
            prior: serde_json::to_string(&prior).map_err(AppError::internal)?,
        })
        .execute(tx.conn())?;
    diesel::update(supervision_sessions::table.find(id))
        .set((
            supervision_sessions::held_on.eq(f.held_on),
            supervision_sessions::format.eq(&f.format),
            supervision_sessions::hours.eq(f.hours),
            supervision_sessions::minutes.eq(i32::try_from(f.minutes).unwrap_or(0)),
            supervision_sessions::topics.eq(f.competencies.join(",")),
            supervision_sessions::wellness_checkin.eq(&f.wellness_checkin),
            supervision_sessions::action_items.eq(&f.action_items),
            supervision_sessions::supervisor_signed_by.eq(None::<i64>),
            supervision_sessions::supervisor_signed_at.eq(None::<NaiveDateTime>),
            supervision_sessions::peer_signed_by.eq(None::<i64>),
            supervision_sessions::peer_signed_at.eq(None::<NaiveDateTime>),
            supervision_sessions::amended_at.eq(Some(now)),
        ))
        .execute(tx.conn())?;
    write_competencies(tx, prior.org_id, id, &f.competencies)?;
    supervision_session(tx.conn(), id)?.ok_or(AppError::NotFound)
}

/// The amendments of a session, oldest first.
pub fn supervision_amendments_of(
    conn: &mut DbConn,
    session_id: i64,
) -> AppResult<Vec<SupervisionAmendment>> {
    Ok(supervision_amendments::table
        .filter(supervision_amendments::session_id.eq(session_id))
        .order((
            supervision_amendments::amended_at,
            supervision_amendments::id,
        ))
        .select(SupervisionAmendment::as_select())
        .load(conn)?)
}

/// The competencies discussed in a session, as stored (one row per area), in the list's order.
pub fn competencies_of(conn: &mut DbConn, session_id: i64) -> AppResult<Vec<String>> {
    let mut codes: Vec<String> = supervision_competencies::table
        .filter(supervision_competencies::session_id.eq(session_id))
        .select(supervision_competencies::competency)
        .load(conn)?;
    codes.sort_by_key(|c| Competency::ALL.iter().position(|a| a.as_str() == c));
    Ok(codes)
}

/// The sessions of the caller's organisation that wait for `user`'s signature, oldest first
/// (at most 20): for their home page.
pub fn awaiting_signature(
    conn: &mut DbConn,
    org_id: i64,
    user: i64,
) -> AppResult<Vec<(SupervisionSession, String)>> {
    let as_supervisor = supervision_sessions::supervisor_id
        .eq(user)
        .and(supervision_sessions::supervisor_signed_at.is_null());
    let as_peer = supervision_sessions::peer_id
        .eq(user)
        .and(supervision_sessions::peer_signed_at.is_null());
    Ok(supervision_sessions::table
        .inner_join(users::table.on(users::id.eq(supervision_sessions::peer_id)))
        .filter(supervision_sessions::org_id.eq(org_id))
        .filter(as_supervisor.or(as_peer))
        .order((supervision_sessions::held_on, supervision_sessions::id))
        .limit(20)
        .select((SupervisionSession::as_select(), users::name))
        .load(conn)?)
}

// ---------------------------------------------------------------- competency reviews

/// One SAMHSA area of a review.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    #[schema(value_type = crate::workforce::codes::Competency)]
    pub competency: String,
    /// The peer's own rating, 1-4 (1 not yet demonstrated, 2 developing, 3 competent,
    /// 4 advanced).
    #[serde(default)]
    pub self_rating: Option<i32>,
    /// The supervisor's rating on the same scale.
    #[serde(default)]
    pub supervisor_rating: Option<i32>,
    /// The goal for the next period in this area.
    #[serde(default)]
    pub goal: String,
}

/// A periodic competency review of a peer.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    #[schema(format = Date)]
    pub reviewed_on: String,
    #[serde(default)]
    pub notes: String,
    /// One per area reviewed (each area at most once).
    pub ratings: Vec<RatingInput>,
}

/// A change to a competency review: why, and the review as it should now read.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewAmendmentInput {
    pub reason: String,
    pub review: ReviewInput,
}

/// A review's rating in one area.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Queryable,
    Selectable,
    Insertable,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[diesel(table_name = competency_ratings, treat_none_as_default_value = false)]
pub struct Rating {
    #[serde(skip)]
    pub review_id: i64,
    #[serde(skip)]
    pub org_id: i64,
    #[schema(value_type = crate::workforce::codes::Competency)]
    pub competency: String,
    pub self_rating: Option<i32>,
    pub supervisor_rating: Option<i32>,
    pub goal: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = competency_reviews, treat_none_as_default_value = false)]
struct ReviewRow {
    id: i64,
    org_id: i64,
    peer_id: i64,
    reviewer_id: i64,
    reviewed_on: NaiveDate,
    notes: String,
    created_at: NaiveDateTime,
    amended_at: Option<NaiveDateTime>,
}

/// A competency review with its ratings (in the list's order).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Review {
    pub id: i64,
    pub peer_id: i64,
    pub reviewer_id: i64,
    pub reviewed_on: NaiveDate,
    pub notes: String,
    pub ratings: Vec<Rating>,
    /// Mean of the supervisor's ratings (1-4), if any.
    pub supervisor_mean: Option<f64>,
    /// Mean of the self ratings (1-4), if any.
    pub self_mean: Option<f64>,
    /// When it was last amended (its prior values are kept).
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub amended_at: Option<NaiveDateTime>,
}

/// A review's value before an amendment.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = competency_review_amendments, treat_none_as_default_value = false)]
pub struct ReviewAmendment {
    pub id: i64,
    pub org_id: i64,
    pub review_id: i64,
    pub amended_by: i64,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub amended_at: NaiveDateTime,
    pub reason: String,
    /// The review as it read before (JSON).
    pub prior: String,
}

fn rating(field: &str, r: Option<i32>, errs: &mut Vec<FieldError>) {
    if r.is_some_and(|r| !rules::valid_rating(r)) {
        errs.push(FieldError::keyed(
            field,
            "wf-error-rating-scale",
            &[
                ("min", rules::RATING_MIN.to_string()),
                ("max", rules::RATING_MAX.to_string()),
            ],
        ));
    }
}

/// Parse a review: its date, notes and ratings (each area once, ratings on the scale).
fn review_fields(
    input: &ReviewInput,
    org_id: i64,
    review_id: i64,
    today: NaiveDate,
) -> AppResult<(NaiveDate, String, Vec<Rating>)> {
    let mut errs = Vec::new();
    let on = date("reviewed_on", &input.reviewed_on, &mut errs);
    not_future("reviewed_on", on, today, &mut errs);
    let notes = text("notes", &input.notes, 4000, false, &mut errs);
    if input.ratings.is_empty() {
        errs.push(FieldError::keyed("ratings", "error-required", &[]));
    }
    let mut ratings: Vec<Rating> = Vec::new();
    for (i, r) in input.ratings.iter().enumerate() {
        let c = code::<Competency>(
            &format!("ratings[{i}].competency"),
            &r.competency,
            &mut errs,
        );
        rating(
            &format!("ratings[{i}].self_rating"),
            r.self_rating,
            &mut errs,
        );
        rating(
            &format!("ratings[{i}].supervisor_rating"),
            r.supervisor_rating,
            &mut errs,
        );
        let goal = text(
            &format!("ratings[{i}].goal"),
            &r.goal,
            1000,
            false,
            &mut errs,
        );
        if let Some(c) = c {
            if ratings.iter().any(|x| x.competency == c.as_str()) {
                errs.push(FieldError::keyed(
                    format!("ratings[{i}].competency"),
                    "wf-error-area-twice",
                    &[],
                ));
            }
            ratings.push(Rating {
                review_id,
                org_id,
                competency: c.as_str().into(),
                self_rating: r.self_rating,
                supervisor_rating: r.supervisor_rating,
                goal,
            });
        }
    }
    done(errs)?;
    ratings.sort_by_key(|r| {
        Competency::ALL
            .iter()
            .position(|a| a.as_str() == r.competency)
    });
    Ok((on.unwrap_or(today), notes, ratings))
}

/// Record a competency review of the grant's peer by `reviewer`.
pub fn add_review(
    tx: &mut Tx,
    grant: &StaffGrant,
    reviewer: i64,
    input: &ReviewInput,
    today: NaiveDate,
) -> AppResult<Review> {
    let id = new_id();
    let (on, notes, ratings) = review_fields(input, grant.org_id(), id, today)?;
    diesel::insert_into(competency_reviews::table)
        .values(&ReviewRow {
            id,
            org_id: grant.org_id(),
            peer_id: grant.user_id(),
            reviewer_id: reviewer,
            reviewed_on: on,
            notes,
            created_at: time::now(),
            amended_at: None,
        })
        .execute(tx.conn())?;
    crate::on_backend!(tx.conn(), c => diesel::insert_into(competency_ratings::table).values(&ratings).execute(c))?;
    review(tx.conn(), id)?.ok_or(AppError::NotFound)
}

/// The peer a review belongs to (not found: 404).
pub fn review_peer(conn: &mut DbConn, id: i64) -> AppResult<i64> {
    competency_reviews::table
        .find(id)
        .select(competency_reviews::peer_id)
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// Amend a review of the grant's peer: keep the prior value, write the new one.
pub fn amend_review(
    tx: &mut Tx,
    grant: &StaffGrant,
    id: i64,
    user: i64,
    input: &ReviewAmendmentInput,
    today: NaiveDate,
) -> AppResult<Review> {
    let mut errs = Vec::new();
    let reason = text("reason", &input.reason, 1000, true, &mut errs);
    let parsed = review_fields(&input.review, grant.org_id(), id, today);
    done(errs)?;
    let (on, notes, ratings) = parsed?;
    let prior = review(tx.conn(), id)?
        .filter(|r| r.peer_id == grant.user_id())
        .ok_or(AppError::NotFound)?;
    let now = time::now();
    diesel::insert_into(competency_review_amendments::table)
        .values(&ReviewAmendment {
            id: new_id(),
            org_id: grant.org_id(),
            review_id: id,
            amended_by: user,
            amended_at: now,
            reason,
            prior: serde_json::to_string(&prior).map_err(AppError::internal)?,
        })
        .execute(tx.conn())?;
    diesel::update(competency_reviews::table.find(id))
        .set((
            competency_reviews::reviewed_on.eq(on),
            competency_reviews::notes.eq(notes),
            competency_reviews::amended_at.eq(Some(now)),
        ))
        .execute(tx.conn())?;
    diesel::delete(competency_ratings::table.filter(competency_ratings::review_id.eq(id)))
        .execute(tx.conn())?;
    crate::on_backend!(tx.conn(), c => diesel::insert_into(competency_ratings::table).values(&ratings).execute(c))?;
    review(tx.conn(), id)?.ok_or(AppError::NotFound)
}

/// The amendments of a review, oldest first.
pub fn review_amendments_of(conn: &mut DbConn, review_id: i64) -> AppResult<Vec<ReviewAmendment>> {
    Ok(competency_review_amendments::table
        .filter(competency_review_amendments::review_id.eq(review_id))
        .order((
            competency_review_amendments::amended_at,
            competency_review_amendments::id,
        ))
        .select(ReviewAmendment::as_select())
        .load(conn)?)
}

fn assemble(rows: Vec<ReviewRow>, mut ratings: Vec<Rating>) -> Vec<Review> {
    ratings.sort_by_key(|r| {
        Competency::ALL
            .iter()
            .position(|a| a.as_str() == r.competency)
    });
    rows.into_iter()
        .map(|r| {
            let mine: Vec<Rating> = ratings
                .iter()
                .filter(|x| x.review_id == r.id)
                .cloned()
                .collect();
            Review {
                id: r.id,
                peer_id: r.peer_id,
                reviewer_id: r.reviewer_id,
                reviewed_on: r.reviewed_on,
                notes: r.notes,
                supervisor_mean: rules::mean(mine.iter().map(|x| x.supervisor_rating)),
                self_mean: rules::mean(mine.iter().map(|x| x.self_rating)),
                ratings: mine,
                amended_at: r.amended_at,
            }
        })
        .collect()
}

/// One review with its ratings.
pub fn review(conn: &mut DbConn, id: i64) -> AppResult<Option<Review>> {
    let rows: Vec<ReviewRow> = competency_reviews::table
        .filter(competency_reviews::id.eq(id))
        .select(ReviewRow::as_select())
        .load(conn)?;
    let ratings: Vec<Rating> = competency_ratings::table
        .filter(competency_ratings::review_id.eq(id))
        .select(Rating::as_select())
        .load(conn)?;
    Ok(assemble(rows, ratings).into_iter().next())
}

/// The peer's reviews, oldest first (by date, then as recorded): their history.
pub fn reviews_of(conn: &mut DbConn, peer: i64) -> AppResult<Vec<Review>> {
    let rows: Vec<ReviewRow> = competency_reviews::table
        .filter(competency_reviews::peer_id.eq(peer))
        .order((
            competency_reviews::reviewed_on,
            competency_reviews::created_at,
            competency_reviews::id,
        ))
        .select(ReviewRow::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let ratings: Vec<Rating> = competency_ratings::table
        .filter(competency_ratings::review_id.eq_any(&ids))
        .select(Rating::as_select())
        .load(conn)?;
    Ok(assemble(rows, ratings))
}

// ---------------------------------------------------------------- ethics consultations

/// An ethics or boundary consultation of a peer.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsultationInput {
    #[schema(format = Date)]
    pub held_on: String,
    /// The programme supervisor (or admin) consulted, a user id; the consultation then counts
    /// as supervision received toward the peer's credential.
    #[serde(default)]
    pub consulted_with_id: Option<i64>,
    /// Who was consulted, when not a user of the programme (e.g. "State board ethics line").
    #[serde(default)]
    pub consulted_with: String,
    pub minutes: i64,
    pub question: String,
    pub guidance: String,
    #[serde(default)]
    pub outcome: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = ethics_consultations, treat_none_as_default_value = false)]
pub struct Consultation {
    pub id: i64,
    pub org_id: i64,
    pub peer_id: i64,
    pub held_on: NaiveDate,
    pub consulted_with_id: Option<i64>,
    /// The name of who was consulted.
    pub consulted_with: String,
    pub minutes: i32,
    pub question: String,
    pub guidance: String,
    pub outcome: String,
    pub recorded_by: i64,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
}

impl Consultation {
    /// Counts toward the supervision hours of the peer's pathways (decision 0051).
    pub fn counts_as_supervision(&self) -> bool {
        self.consulted_with_id.is_some()
    }
    pub fn hours(&self) -> ConsultationHours {
        ConsultationHours {
            on: self.held_on,
            minutes: i64::from(self.minutes),
            with_supervisor: self.counts_as_supervision(),
        }
    }
}

/// Log an ethics or boundary consultation of the grant's peer, recorded by `user`. A consulted
/// user must be a supervisor or admin of the peer's organisation (not the peer).
pub fn add_consultation(
    tx: &mut Tx,
    grant: &StaffGrant,
    user: i64,
    input: &ConsultationInput,
    today: NaiveDate,
) -> AppResult<Consultation> {
    let mut errs = Vec::new();
    let on = date("held_on", &input.held_on, &mut errs);
    not_future("held_on", on, today, &mut errs);
    let mut name = text(
        "consulted_with",
        &input.consulted_with,
        200,
        false,
        &mut errs,
    );
    if let Some(uid) = input.consulted_with_id {
        let found: Option<(String, String)> = users::table
            .filter(users::id.eq(uid))
            .filter(users::org_id.eq(grant.org_id()))
            .filter(users::role.eq_any(["supervisor", "admin"]))
            .filter(users::id.ne(grant.user_id()))
            .select((users::name, users::role))
            .first(tx.conn())
            .optional()?;
        match found {
            Some((n, _)) => name = n,
            None => errs.push(FieldError::keyed(
                "consulted_with_id",
                "wf-error-not-a-supervisor",
                &[],
            )),
        }
    } else if name.is_empty() {
        errs.push(FieldError::keyed("consulted_with", "error-required", &[]));
    }
    if !(1..=rules::MAX_MINUTES).contains(&input.minutes) {
        errs.push(FieldError::keyed(
            "minutes",
            "wf-error-minutes-range",
            &[("max", rules::MAX_MINUTES.to_string())],
        ));
    }
    let question = text("question", &input.question, 4000, true, &mut errs);
    let guidance = text("guidance", &input.guidance, 4000, true, &mut errs);
    let outcome = text("outcome", &input.outcome, 4000, false, &mut errs);
    done(errs)?;
    let c = Consultation {
        id: new_id(),
        org_id: grant.org_id(),
        peer_id: grant.user_id(),
        held_on: on.unwrap_or(today),
        consulted_with_id: input.consulted_with_id,
        consulted_with: name,
        minutes: i32::try_from(input.minutes).unwrap_or(0),
        question,
        guidance,
        outcome,
        recorded_by: user,
        created_at: time::now(),
    };
    diesel::insert_into(ethics_consultations::table)
        .values(&c)
        .execute(tx.conn())?;
    Ok(c)
}

/// The peer's consultations, latest first.
pub fn consultations_of(conn: &mut DbConn, peer: i64) -> AppResult<Vec<Consultation>> {
    Ok(ethics_consultations::table
        .filter(ethics_consultations::peer_id.eq(peer))
        .order((
            ethics_consultations::held_on.desc(),
            ethics_consultations::id,
        ))
        .select(Consultation::as_select())
        .load(conn)?)
}
