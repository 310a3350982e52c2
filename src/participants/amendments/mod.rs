//! Amendments: the one way a recorded value of a participant's record changes (decision 0016).
//!
//! A record about a participant (identity and identifiers, follow-ups, GPRA interviews,
//! encounters, BARC-10, stage of change, plan goals and steps, referrals, checklist items) is
//! changed only here. [`amend`] reads the value it replaces, writes the new one and appends an
//! `amendments` row (record, field, old value, new value, reason, who, when) in the caller's
//! transaction, under a `ParticipantGrant` for `Need::Write` (whose making already appended the
//! audit entry). Nothing is ever deleted from `amendments`.
//!
//! Each amendable field is declared once in [`RecordType::fields`] with its kind and nature:
//! - an *answer* (a follow-up's `employed`, a name) may be filled in when blank, but replacing a
//!   recorded answer requires a reason;
//! - a *transition* (a checklist item done or re-opened, a goal's status, a step done) is workflow:
//!   every change is kept in the history with who and when, and a reason is optional;
//! - a *derived* column (a BARC-10 total, an identifier's normalised form) follows another field
//!   and is not shown in the history.
//!
//! [`fill`] records answers into a row that was scheduled blank (a follow-up): it claims the row
//! with one conditional statement (`... WHERE guard IS NULL`), so a second recording of the same
//! row is refused rather than overwriting, and it replaces nothing, so it writes no history.
//!
//! Table and column names in the SQL come only from the declarations below, never from input.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Integer, Nullable, Text, Timestamp};
use serde::Serialize;

use crate::consent::rules::Category;
use crate::platform::access::{Actor, Need, ParticipantGrant, Via};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::ids::new_id;
use crate::platform::time;

mod columns;
mod fields;

use columns::*;
pub use fields::*;

diesel::table! {
    amendments (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        record_type -> Text,
        record_id -> BigInt,
        field -> Text,
        old_value -> Nullable<Text>,
        new_value -> Nullable<Text>,
        reason -> Text,
        amended_by -> Nullable<BigInt>,
        amended_by_name -> Text,
        amended_at -> Timestamp,
    }
}

/// One kept change: the value before, the value after, who, when and why.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = amendments)]
pub struct Amendment {
    pub id: i64,
    /// participant, identifier, followup, checklist_item, goal, goal_step, encounter, barc10,
    /// stage, referral, gpra_interview
    #[schema(value_type = RecordType)]
    pub record_type: String,
    pub record_id: i64,
    pub field: String,
    /// The value before (null: blank). Dates are YYYY-MM-DD, yes/no answers true/false.
    pub old_value: Option<String>,
    /// The value after (null: blank).
    pub new_value: Option<String>,
    /// Why it changed (empty for a workflow transition recorded without one).
    pub reason: String,
    /// The staff member (null: the server's command line).
    pub amended_by: Option<i64>,
    pub amended_by_name: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub amended_at: NaiveDateTime,
}

impl Amendment {
    pub fn old_shown(&self) -> &str {
        self.old_value.as_deref().unwrap_or("(blank)")
    }
    pub fn new_shown(&self) -> &str {
        self.new_value.as_deref().unwrap_or("(blank)")
    }
    /// "Amended on 30 Nov 2026, 2:05 pm CST by Pat Peer (wrong date): 2026-08-28 → 2026-08-29",
    /// on the clock of `zone`.
    pub fn sentence(&self, zone: &crate::platform::time::Zone) -> String {
        let why = if self.reason.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.reason)
        };
        format!(
            "Amended on {} by {}{}: {}: {} → {}",
            zone.show(self.amended_at),
            self.amended_by_name,
            why,
            self.field,
            self.old_shown(),
            self.new_shown()
        )
    }
}

/// A stored value, typed as its column is.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Text(String),
    Bool(bool),
    Int(i64),
    Date(NaiveDate),
}

impl Value {
    pub fn opt_text(v: Option<String>) -> Value {
        v.map(Value::Text).unwrap_or(Value::Null)
    }
    pub fn opt_bool(v: Option<bool>) -> Value {
        v.map(Value::Bool).unwrap_or(Value::Null)
    }
    pub fn opt_int(v: Option<i64>) -> Value {
        v.map(Value::Int).unwrap_or(Value::Null)
    }
    pub fn opt_date(v: Option<NaiveDate>) -> Value {
        v.map(Value::Date).unwrap_or(Value::Null)
    }
    /// The value as the history keeps it.
    pub fn canonical(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Text(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Date(d) => Some(d.format("%Y-%m-%d").to_string()),
        }
    }
}

/// An amendment of one record (API body): the changed fields and why.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendmentInput {
    /// Why the recorded values change (required; kept with the earlier values).
    #[serde(default)]
    pub reason: String,
    /// `{field: new value}`; null (or "") blanks an optional field.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub changes: serde_json::Map<String, serde_json::Value>,
}

/// An amendment of any amendable record of a participant (API body).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordAmendmentInput {
    /// participant, identifier, followup, checklist_item, goal, goal_step, encounter, barc10,
    /// stage, referral, gpra_interview
    #[schema(value_type = RecordType)]
    pub record_type: String,
    pub record_id: i64,
    /// Why the recorded values change (required; kept with the earlier values).
    #[serde(default)]
    pub reason: String,
    /// `{field: new value}`; null (or "") blanks an optional field. BARC-10 `answers` is an
    /// array of ten numbers; a GPRA interview's `answers` is the whole interview.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub changes: serde_json::Map<String, serde_json::Value>,
}

/// Amend any amendable record of the grant's participant (the generic route). A reason is
/// required; nothing-changed is refused so a re-submission is never a silent no-op.
pub fn amend_record(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    by: &Actor,
    input: &RecordAmendmentInput,
) -> AppResult<Vec<Amendment>> {
    let mut errs = Vec::new();
    let record = RecordType::parse(input.record_type.trim());
    if record.is_none() {
        errs.push(FieldError::keyed(
            "record_type",
            "error-unknown-record-type",
            &[
                ("value", format!("{:?}", input.record_type)),
                (
                    "allowed",
                    RecordType::ALL
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
        ));
    }
    if input.reason.trim().is_empty() {
        errs.push(FieldError::keyed(
            "reason",
            "error-amend-reason-required",
            &[],
        ));
    }
    let changes = match record.map(|r| parse_changes(r, &input.changes)) {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            errs.extend(e);
            vec![]
        }
        None => vec![],
    };
    let Some(record) = record.filter(|_| errs.is_empty()) else {
        return Err(AppError::Invalid(errs));
    };
    if record == RecordType::Followup {
        let done: Option<Option<String>> =
            current(tx.conn(), grant, record, input.record_id, &FOLLOWUP[0])?;
        if done.as_ref().is_some_and(std::option::Option::is_none) {
            return Err(AppError::conflict("error-amend-followup-not-recorded", &[]));
        }
        keep_completion_date(&changes)?;
    }
    let written = amend(
        tx,
        grant,
        by,
        record,
        input.record_id,
        &input.reason,
        &changes,
    )?;
    require_change(written)
}

fn by_of(by: &Actor) -> (Option<i64>, String) {
    if by.via == Via::CommandLine {
        (None, by.name.clone())
    } else {
        (Some(by.user_id), by.name.clone())
    }
}

fn require_write(grant: &ParticipantGrant) -> AppResult<()> {
    if grant.need() == Need::Write && !grant.is_disclosure() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A recorded follow-up keeps its completion date: a change may correct it, not blank it (the
/// error names `changes.completed_on`).
pub fn keep_completion_date(changes: &[(&str, Value)]) -> AppResult<()> {
    if changes
        .iter()
        .any(|(f, v)| *f == "completed_on" && *v == Value::Null)
    {
        return Err(AppError::keyed(
            "changes.completed_on",
            "error-followup-keeps-completion-date",
            &[],
        ));
    }
    Ok(())
}

/// What a request to amend answers: the history rows [`amend`] wrote; when every value was the
/// same as recorded (nothing written), the request is refused (the error names `changes`).
pub fn require_change(written: Vec<Amendment>) -> AppResult<Vec<Amendment>> {
    if written.is_empty() {
        return Err(AppError::keyed("changes", "error-nothing-changed", &[]));
    }
    Ok(written)
}

/// Change fields of one record, keeping each replaced value in the history with `reason`, `by`
/// and now. A recorded answer is replaced only with a reason (the error names the field);
/// unchanged fields are skipped; derived columns of a changed field follow it. Returns the
/// history rows written (empty when nothing differed).
pub fn amend(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    by: &Actor,
    record: RecordType,
    record_id: i64,
    reason: &str,
    changes: &[(&str, Value)],
) -> AppResult<Vec<Amendment>> {
    require_write(grant)?;
    let reason = reason.trim();
    let mut errs = Vec::new();
    if reason.chars().count() > 500 {
        errs.push(FieldError::keyed(
            "reason",
            "error-too-long",
            &[("max", "500".into())],
        ));
    }
    // Parse everything first: the derived columns follow their source.
    let mut planned: Vec<(&'static FieldSpec, Value)> = Vec::new();
    for (name, v) in changes {
        let Some(spec) = record.field(name) else {
            errs.push(FieldError::keyed(*name, "error-not-amendable", &[]));
            continue;
        };
        if let Err(m) = (spec.check)(v) {
            errs.push(FieldError::said(*name, m));
            continue;
        }
        if let Some(derive) = spec.derive {
            for (d, dv) in derive(v) {
                if let Some(ds) = record.field(d) {
                    planned.push((ds, dv));
                }
            }
        }
        planned.push((spec, v.clone()));
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let (by_id, by_name) = by_of(by);
    let now = time::now();
    let mut written = Vec::new();
    let mut to_set = Vec::new();
    for (spec, v) in planned {
        let old = current(tx.conn(), grant, record, record_id, spec)?.ok_or(AppError::NotFound)?;
        let new = v.canonical();
        if old == new {
            continue;
        }
        let replaces = old.as_deref().is_some_and(|o| !o.is_empty());
        // An answer replaced, or a recorded date moved to another date (not done/undone).
        let needs_reason = match spec.nature {
            Nature::Answer => replaces,
            Nature::Transition => spec.kind == Kind::OptDate && replaces && new.is_some(),
            Nature::Derived => false,
        };
        if needs_reason && reason.is_empty() {
            errs.push(FieldError::keyed(
                "reason",
                "error-amend-reason-for-recorded",
                &[
                    ("field", spec.name.to_string()),
                    ("value", format!("{:?}", old.unwrap_or_default())),
                ],
            ));
            continue;
        }
        to_set.push((spec, v));
        if spec.nature != Nature::Derived {
            written.push(Amendment {
                id: new_id(),
                record_type: record.as_str().into(),
                record_id,
                field: spec.name.into(),
                old_value: old,
                new_value: new,
                reason: reason.to_string(),
                amended_by: by_id,
                amended_by_name: by_name.clone(),
                amended_at: now,
            });
        }
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    for (spec, v) in &to_set {
        set(tx.conn(), grant, record, record_id, spec, v, None)?;
    }
    if record == RecordType::Participant && !to_set.is_empty() {
        diesel::sql_query("UPDATE participants SET updated_at = $1 WHERE id = $2")
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(grant.participant_id())
            .execute(tx.conn())?;
    }
    insert_rows(tx, grant.org_id(), grant.participant_id(), &written)?;
    Ok(written)
}

/// Record answers into a row scheduled blank: `guard` (a field of `fields`) is claimed with one
/// conditional statement (`WHERE guard IS NULL`), then the rest are written. `Ok(false)`: the
/// row was already answered and nothing was written. Writes no history: nothing is replaced.
pub fn fill(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    record: RecordType,
    record_id: i64,
    guard: (&str, Value),
    rest: &[(&str, Value)],
) -> AppResult<bool> {
    require_write(grant)?;
    let spec = record
        .field(guard.0)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no field {}", guard.0)))?;
    if set(
        tx.conn(),
        grant,
        record,
        record_id,
        spec,
        &guard.1,
        Some(spec.name),
    )? == 0
    {
        return Ok(false);
    }
    for (name, v) in rest {
        let spec = record
            .field(name)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("no field {name}")))?;
        set(tx.conn(), grant, record, record_id, spec, v, None)?;
    }
    Ok(true)
}

/// A record added after the fact (an identifier added to a person's record): kept in the
/// history as a change from blank, so the record shows when, by whom and why it appeared.
pub struct Added<'a> {
    pub participant_id: i64,
    pub record: RecordType,
    pub record_id: i64,
    pub field: &'a str,
    pub value: String,
    pub reason: String,
}

/// Keep additions in the history (multi-row inserts; for bulk work such as a roster import, the
/// caller holds a write grant for each participant).
pub fn record_additions(
    tx: &mut Tx,
    org_id: i64,
    by: &Actor,
    added: &[Added],
) -> AppResult<Vec<Amendment>> {
    let (by_id, by_name) = by_of(by);
    let now = time::now();
    let kept: Vec<Amendment> = added
        .iter()
        .map(|a| Amendment {
            id: new_id(),
            record_type: a.record.as_str().into(),
            record_id: a.record_id,
            field: a.field.to_string(),
            old_value: None,
            new_value: Some(a.value.clone()),
            reason: a.reason.clone(),
            amended_by: by_id,
            amended_by_name: by_name.clone(),
            amended_at: now,
        })
        .collect();
    let rows: Vec<_> = added
        .iter()
        .zip(&kept)
        .map(|(a, k)| {
            (
                amendments::id.eq(k.id),
                amendments::org_id.eq(org_id),
                amendments::participant_id.eq(a.participant_id),
                amendments::record_type.eq(a.record.as_str()),
                amendments::record_id.eq(a.record_id),
                amendments::field.eq(a.field.to_string()),
                amendments::old_value.eq(None::<String>),
                amendments::new_value.eq(Some(a.value.clone())),
                amendments::reason.eq(a.reason.clone()),
                amendments::amended_by.eq(by_id),
                amendments::amended_by_name.eq(by_name.clone()),
                amendments::amended_at.eq(now),
            )
        })
        .collect();
    for chunk in rows.chunks(500) {
        crate::on_backend!(tx.conn(), c => diesel::insert_into(amendments::table).values(chunk).execute(c))?;
    }
    Ok(kept)
}

fn insert_rows(tx: &mut Tx, org_id: i64, participant_id: i64, rows: &[Amendment]) -> AppResult<()> {
    for a in rows {
        diesel::insert_into(amendments::table)
            .values((
                amendments::id.eq(a.id),
                amendments::org_id.eq(org_id),
                amendments::participant_id.eq(participant_id),
                amendments::record_type.eq(&a.record_type),
                amendments::record_id.eq(a.record_id),
                amendments::field.eq(&a.field),
                amendments::old_value.eq(&a.old_value),
                amendments::new_value.eq(&a.new_value),
                amendments::reason.eq(&a.reason),
                amendments::amended_by.eq(a.amended_by),
                amendments::amended_by_name.eq(&a.amended_by_name),
                amendments::amended_at.eq(a.amended_at),
            ))
            .execute(tx.conn())?;
    }
    Ok(())
}

/// The participant's history of amendments, oldest first, for the participant's own program
/// (a disclosure grant gets none: partners see consented records as they stand), and only the
/// kinds of record the grant may see.
pub fn history(conn: &mut DbConn, grant: &ParticipantGrant) -> AppResult<Vec<Amendment>> {
    if grant.is_disclosure() {
        return Ok(vec![]);
    }
    let rows: Vec<Amendment> = amendments::table
        .filter(amendments::participant_id.eq(grant.participant_id()))
        .filter(amendments::org_id.eq(grant.org_id()))
        .order((amendments::amended_at, amendments::id))
        .select(Amendment::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|a| match RecordType::parse(&a.record_type) {
            Some(RecordType::Encounter) if a.field == "note" => {
                grant.sees(Category::EncounterNotes)
            }
            Some(r) => match r.category() {
                None => !grant.is_disclosure(),
                Some(c) => grant.sees(c),
            },
            None => false,
        })
        .collect())
}

/// The history of one record, from a participant's whole history.
pub fn of_record(all: &[Amendment], record: RecordType, record_id: i64) -> Vec<&Amendment> {
    all.iter()
        .filter(|a| a.record_type == record.as_str() && a.record_id == record_id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_type_round_trips_and_names_real_fields() {
        for r in RecordType::ALL {
            assert_eq!(RecordType::parse(r.as_str()), Some(*r));
            assert!(!r.fields().is_empty());
            for f in r.fields() {
                assert!(
                    f.name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                );
            }
        }
    }

    #[test]
    fn values_parse_from_json_and_forms_naming_the_field() {
        use serde_json::json;
        assert_eq!(
            parse_value("employed", Kind::OptBool, &json!("yes")),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            parse_value("employed", Kind::OptBool, &json!(null)),
            Ok(Value::Null)
        );
        assert_eq!(
            parse_value("completed_on", Kind::OptDate, &json!("2026-08-28")),
            Ok(Value::Date(NaiveDate::from_ymd_opt(2026, 8, 28).unwrap()))
        );
        let e = parse_value("completed_on", Kind::Date, &json!("28/08/2026")).unwrap_err();
        assert_eq!(e.field, "completed_on");
        let e = parse_value("barc10_total", Kind::OptInt, &json!("forty")).unwrap_err();
        assert_eq!(e.field, "barc10_total");
    }

    #[test]
    fn barc10_answers_derive_the_total() {
        let v = Value::Text("4,4,4,4,4,4,4,4,4,4".into());
        assert!(barc_answers(&v).is_ok());
        assert_eq!(barc_derive(&v), vec![("total", Value::Int(40))]);
        assert!(barc_answers(&Value::Text("4,4".into())).is_err());
    }

    /// Keep it honest: outside this module, no code updates a column of a record about a
    /// participant, except the listed paths, each of which is not an answer or keeps its own
    /// history. A new `diesel::update` (or raw `UPDATE`) of these tables fails this test.
    #[test]
    fn only_the_amendment_module_updates_participant_records() {
        // (file, table, occurrences, why it is not an overwrite of an answer)
        let allowed: &[(&str, &str, usize, &str)] = &[
            (
                "src/participants/store/mod.rs",
                "participants",
                1,
                "assign: who the assigned peer is (caseload routing, audited), not an answer",
            ),
            (
                "src/participants/merge.rs",
                "participants",
                2,
                "merged_into_id: merges are kept in `merges` and reversible",
            ),
            (
                "src/journey/store/followups.rs",
                "followups",
                1,
                "due_on of unanswered follow-ups re-anchored at release: the schedule, not an answer",
            ),
            (
                "src/journey/store/checklist.rs",
                "checklist_items",
                4,
                "the plan (due_on, planned_on, achievable, a peer meeting's kind at release; re-planned dates by one statement on each backend) and who and when of a not-applicable reason written through `amend`: plans, not answers (decision 0037)",
            ),
            (
                "src/journey/store/referrals.rs",
                "referrals",
                1,
                "status and linked_on: every status change is appended to referral_events with who, when and why",
            ),
        ];
        let tables: Vec<&str> = RecordType::ALL.iter().map(|r| r.table()).collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found: std::collections::BTreeMap<(String, String), usize> =
            std::collections::BTreeMap::default();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                if p.extension().and_then(|x| x.to_str()) != Some("rs") {
                    continue;
                }
                let rel = format!(
                    "src/{}",
                    p.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/")
                );
                if rel.starts_with("src/participants/amendments/") {
                    continue;
                }
                let src = std::fs::read_to_string(&p).unwrap();
                let squashed: String = src.split_whitespace().collect::<Vec<_>>().join(" ");
                for (i, _) in squashed.match_indices("diesel::update(") {
                    let rest = &squashed[i + "diesel::update(".len()..];
                    let rest = rest.trim_start();
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let name = name.rsplit("::").next().unwrap_or("").to_string();
                    // `participants_t` and similar aliases name the same table.
                    let table = tables
                        .iter()
                        .find(|t| name == **t || name.strip_suffix("_t") == Some(*t))
                        .copied();
                    if let Some(t) = table {
                        *found.entry((rel.clone(), t.to_string())).or_default() += 1;
                    }
                }
                for t in &tables {
                    let n = squashed.matches(&format!("UPDATE {t} ")).count();
                    if n > 0 {
                        *found.entry((rel.clone(), t.to_string())).or_default() += n;
                    }
                }
            }
        }
        let mut unexpected = Vec::new();
        for ((file, table), n) in &found {
            let ok = allowed
                .iter()
                .any(|(f, t, c, _)| f == file && t == table && c == n);
            if !ok {
                unexpected.push(format!("{file}: {n} update(s) of {table}"));
            }
        }
        assert!(
            unexpected.is_empty(),
            "records about a participant change only through participants::amendments: {unexpected:?}"
        );
        // And each allowance is still used (an allowance for removed code is stale).
        for (f, t, c, _) in allowed {
            assert_eq!(
                found.get(&(f.to_string(), t.to_string())),
                Some(c),
                "stale allowance for {f} / {t}"
            );
        }
    }
}
