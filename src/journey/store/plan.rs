//! The recovery and reentry plan: goals by domain and their steps.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::parse::{code, collect, done, opt_date, text};
use crate::journey::rules::{GoalDomain, GoalStatus, label_of};
use crate::journey::schema::{goal_steps, goals};
use crate::participants::amendments::{self, RecordType, Value};
use crate::platform::access::{Actor, ParticipantGrant};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::ids::new_id;
use crate::platform::time;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = goal_steps)]
pub struct GoalStep {
    pub id: i64,
    pub goal_id: i64,
    pub description: String,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = goals)]
pub struct GoalRow {
    pub id: i64,
    /// substance_use, mental_health, physical_health, housing, employment_education,
    /// income_benefits_insurance, identity_documents, family_social_support, legal_obligations,
    /// transportation
    #[schema(value_type = crate::journey::rules::GoalDomain)]
    pub domain: String,
    /// In the participant's own words.
    pub statement: String,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
    /// not_started, in_progress, done, dropped
    #[schema(value_type = crate::journey::rules::GoalStatus)]
    pub status: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Goal {
    #[serde(flatten)]
    pub goal: GoalRow,
    pub steps: Vec<GoalStep>,
}

impl Goal {
    pub fn domain_label(&self) -> &'static str {
        label_of::<GoalDomain>(&self.goal.domain)
    }
    pub fn status_label(&self) -> &'static str {
        label_of::<GoalStatus>(&self.goal.status)
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    pub description: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalInput {
    #[schema(value_type = crate::journey::rules::GoalDomain)]
    pub domain: String,
    /// The goal in the participant's own words.
    pub statement: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: Option<String>,
    #[serde(default)]
    pub steps: Vec<StepInput>,
}

pub fn add_goal(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    actor_id: i64,
    i: &GoalInput,
) -> AppResult<Goal> {
    let mut errs = Vec::new();
    let domain = collect(
        code("domain", &i.domain, GoalDomain::ALL, GoalDomain::as_str),
        &mut errs,
    );
    let statement = text("statement", &i.statement, true, 1000, &mut errs);
    let owner = text(
        "owner",
        if i.owner.trim().is_empty() {
            "participant"
        } else {
            &i.owner
        },
        false,
        100,
        &mut errs,
    );
    let due_on = collect(opt_date("due_on", i.due_on.as_deref()), &mut errs).flatten();
    let mut steps = Vec::new();
    for (n, s) in i.steps.iter().enumerate() {
        let d = text(
            &format!("steps[{n}].description"),
            &s.description,
            true,
            500,
            &mut errs,
        );
        let o = text(
            &format!("steps[{n}].owner"),
            &s.owner,
            false,
            100,
            &mut errs,
        );
        let due = collect(
            opt_date(&format!("steps[{n}].due_on"), s.due_on.as_deref()),
            &mut errs,
        )
        .flatten();
        steps.push((d, o, due));
    }
    let domain = done(domain, errs)?;
    let goal = GoalRow {
        id: new_id(),
        domain: domain.as_str().into(),
        statement,
        owner,
        due_on,
        status: GoalStatus::NotStarted.as_str().into(),
    };
    diesel::insert_into(goals::table)
        .values((
            goals::id.eq(goal.id),
            goals::org_id.eq(grant.org_id()),
            goals::participant_id.eq(grant.participant_id()),
            goals::domain.eq(&goal.domain),
            goals::statement.eq(&goal.statement),
            goals::owner.eq(&goal.owner),
            goals::due_on.eq(goal.due_on),
            goals::status.eq(&goal.status),
            goals::created_by.eq(Some(actor_id)),
            goals::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    let mut out = Vec::new();
    for (description, owner, due_on) in steps {
        out.push(add_step_row(
            tx,
            grant,
            goal.id,
            description,
            owner,
            due_on,
        )?);
    }
    Ok(Goal { goal, steps: out })
}

pub(super) fn add_step_row(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    goal_id: i64,
    description: String,
    owner: String,
    due_on: Option<NaiveDate>,
) -> AppResult<GoalStep> {
    let s = GoalStep {
        id: new_id(),
        goal_id,
        description,
        owner,
        due_on,
        done_on: None,
    };
    diesel::insert_into(goal_steps::table)
        .values((
            goal_steps::id.eq(s.id),
            goal_steps::org_id.eq(grant.org_id()),
            goal_steps::participant_id.eq(grant.participant_id()),
            goal_steps::goal_id.eq(goal_id),
            goal_steps::description.eq(&s.description),
            goal_steps::owner.eq(&s.owner),
            goal_steps::due_on.eq(s.due_on),
        ))
        .execute(tx.conn())?;
    Ok(s)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalUpdate {
    /// not_started, in_progress, done, dropped
    #[serde(default)]
    #[schema(value_type = Option<crate::journey::rules::GoalStatus>)]
    pub status: Option<String>,
    /// Mark this step done (on `done_on`, default today).
    #[serde(default)]
    pub step_done_id: Option<i64>,
    #[serde(default)]
    #[schema(format = Date)]
    pub done_on: Option<String>,
    /// Why: required to replace a step's recorded done date; status changes are kept in the
    /// history with who and when.
    #[serde(default)]
    pub reason: Option<String>,
}

pub fn update_goal(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    by: &Actor,
    goal_id: i64,
    u: &GoalUpdate,
) -> AppResult<()> {
    let mut errs = Vec::new();
    let status = match u.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => collect(
            code("status", s, GoalStatus::ALL, GoalStatus::as_str),
            &mut errs,
        ),
    };
    let done_on = collect(opt_date("done_on", u.done_on.as_deref()), &mut errs).flatten();
    done(Some(()), errs)?;
    let owner: Option<i64> = goals::table
        .find(goal_id)
        .filter(goals::participant_id.eq(grant.participant_id()))
        .select(goals::id)
        .first(tx.conn())
        .optional()?;
    owner.ok_or(AppError::NotFound)?;
    let reason = u.reason.as_deref().unwrap_or("");
    if let Some(s) = status {
        amendments::amend(
            tx,
            grant,
            by,
            RecordType::Goal,
            goal_id,
            reason,
            &[("status", Value::Text(s.as_str().into()))],
        )?;
    }
    if let Some(step) = u.step_done_id {
        let today = time::zone_of(tx.conn(), grant.org_id())?.today();
        let of_goal: Option<i64> = goal_steps::table
            .find(step)
            .filter(goal_steps::goal_id.eq(goal_id))
            .select(goal_steps::id)
            .first(tx.conn())
            .optional()?;
        if of_goal.is_none() {
            return Err(AppError::keyed(
                "step_done_id",
                "error-not-a-step-of-goal",
                &[],
            ));
        }
        amendments::amend(
            tx,
            grant,
            by,
            RecordType::GoalStep,
            step,
            reason,
            &[("done_on", Value::Date(done_on.unwrap_or(today)))],
        )?;
    }
    Ok(())
}

pub fn goals(conn: &mut DbConn, grant: &ParticipantGrant) -> AppResult<Vec<Goal>> {
    let rows: Vec<GoalRow> = goals::table
        .filter(goals::participant_id.eq(grant.participant_id()))
        .filter(goals::org_id.eq(grant.org_id()))
        .order(goals::created_at)
        .select(GoalRow::as_select())
        .load(conn)?;
    let steps: Vec<GoalStep> = goal_steps::table
        .filter(goal_steps::participant_id.eq(grant.participant_id()))
        .order(goal_steps::id)
        .select(GoalStep::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|g| {
            let s = steps
                .iter()
                .filter(|s| s.goal_id == g.id)
                .cloned()
                .collect();
            Goal { goal: g, steps: s }
        })
        .collect())
}
