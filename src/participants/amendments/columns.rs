//! Reading and writing one amendable column of one record, by the names the declarations give
//! (never from input).

use super::*;

#[derive(QueryableByName)]
pub(super) struct TextRow {
    #[diesel(sql_type = Nullable<Text>)]
    v: Option<String>,
}

/// The stored value of one field, in the history's canonical form (`None`: no such record).
pub(super) fn current(
    conn: &mut DbConn,
    grant: &ParticipantGrant,
    record: RecordType,
    record_id: i64,
    spec: &FieldSpec,
) -> AppResult<Option<Option<String>>> {
    let sql = format!(
        "SELECT CAST({col} AS TEXT) AS v FROM {table} WHERE id = $1 AND org_id = $2 AND {owner} = $3",
        col = spec.name,
        table = record.table(),
        owner = record.owner_column(),
    );
    let row: Option<TextRow> = diesel::sql_query(sql)
        .bind::<BigInt, _>(record_id)
        .bind::<BigInt, _>(grant.org_id())
        .bind::<BigInt, _>(grant.participant_id())
        .get_result(conn)
        .optional()?;
    Ok(row.map(|r| {
        r.v.map(|s| match spec.kind {
            // SQLite keeps booleans as 0/1; PostgreSQL casts them to true/false.
            Kind::OptBool => match s.as_str() {
                "1" | "true" | "t" => "true".to_string(),
                "0" | "false" | "f" => "false".to_string(),
                _ => s,
            },
            // Dates are YYYY-MM-DD on both (SQLite stores the text).
            Kind::Date | Kind::OptDate => s.chars().take(10).collect(),
            _ => s,
        })
    }))
}

/// Write one column of one record of the grant's participant; the number of rows changed.
pub(super) fn set(
    conn: &mut DbConn,
    grant: &ParticipantGrant,
    record: RecordType,
    record_id: i64,
    spec: &FieldSpec,
    v: &Value,
    guard: Option<&str>,
) -> AppResult<usize> {
    let sql = format!(
        "UPDATE {table} SET {col} = $1 WHERE id = $2 AND org_id = $3 AND {owner} = $4{guard}",
        table = record.table(),
        col = spec.name,
        owner = record.owner_column(),
        guard = guard
            .map(|g| format!(" AND {g} IS NULL"))
            .unwrap_or_default(),
    );
    let wrong = || AppError::keyed(spec.name, "error-wrong-type-of-value", &[]);
    macro_rules! run {
        ($t:ty, $v:expr) => {
            diesel::sql_query(&sql)
                .bind::<$t, _>($v)
                .bind::<BigInt, _>(record_id)
                .bind::<BigInt, _>(grant.org_id())
                .bind::<BigInt, _>(grant.participant_id())
                .execute(conn)?
        };
    }
    Ok(match (spec.kind, v) {
        (Kind::Text, Value::Text(s)) => run!(Text, s),
        (Kind::OptText, Value::Text(s)) => run!(Nullable<Text>, Some(s)),
        (Kind::OptText, Value::Null) => run!(Nullable<Text>, None::<String>),
        (Kind::OptBool, Value::Bool(b)) => run!(Nullable<Bool>, Some(*b)),
        (Kind::OptBool, Value::Null) => run!(Nullable<Bool>, None::<bool>),
        (Kind::Int, Value::Int(i)) => run!(Integer, i32::try_from(*i).map_err(|_| wrong())?),
        (Kind::OptInt, Value::Int(i)) => {
            run!(
                Nullable<Integer>,
                Some(i32::try_from(*i).map_err(|_| wrong())?)
            )
        }
        (Kind::OptInt, Value::Null) => run!(Nullable<Integer>, None::<i32>),
        (Kind::Date, Value::Date(d)) => run!(Date, d),
        (Kind::OptDate, Value::Date(d)) => run!(Nullable<Date>, Some(*d)),
        (Kind::OptDate, Value::Null) => run!(Nullable<Date>, None::<NaiveDate>),
        _ => return Err(wrong()),
    })
}
