//! The datasets an export offers: their columns, the SQL that reads each column and what it
//! means (the data dictionary), and the GPRA fields a wide export spreads into columns.

use super::*;

/// Rows fetched per query.
pub const PAGE: i64 = 10_000;
/// Rows per worksheet before the sheet continues on the next (Excel's limit is 1,048,576).
pub const SHEET_ROWS: u32 = 1_000_000;

/// How a dataset's stored rows become exported rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// As selected.
    Plain,
    /// Encounters → one row per topic (`encounter_id`, `participant_id`, `topic`).
    Topics,
    /// The last column (comma-separated answers) becomes `q1`..`q10`.
    Barc10,
    /// The last column (the interview's JSON) becomes one column per GPRA field.
    Gpra,
}

/// One selected column: its name, SQL (text-valued) and meaning.
pub struct Column {
    pub name: &'static str,
    pub sql: &'static str,
    pub description: &'static str,
}

/// An exportable dataset.
pub struct Dataset {
    pub name: &'static str,
    pub title: &'static str,
    /// `FROM` clause; the table is aliased `t` and has `t.id` and `t.org_id`.
    pub from: &'static str,
    pub columns: &'static [Column],
    pub shape: Shape,
}

pub(super) const fn c(name: &'static str, sql: &'static str, description: &'static str) -> Column {
    Column {
        name,
        sql,
        description,
    }
}

/// A column read as stored (`t.<name>`, a text column).
macro_rules! text {
    ($name:literal, $description:literal) => {
        c($name, concat!("t.", $name), $description)
    };
}

/// A number, date or instant column read as text (`CAST(t.<name> AS TEXT)`).
macro_rules! cast {
    ($name:literal, $description:literal) => {
        c($name, concat!("CAST(t.", $name, " AS TEXT)"), $description)
    };
}

/// A boolean column read as `true` or `false` (empty when NULL).
macro_rules! flag {
    ($name:literal, $description:literal) => {
        c(
            $name,
            concat!(
                "CASE WHEN t.",
                $name,
                " THEN 'true' WHEN NOT t.",
                $name,
                " THEN 'false' END"
            ),
            $description,
        )
    };
}

/// Every dataset, in export order.
pub const DATASETS: &[Dataset] = &[
    Dataset {
        name: "participants",
        title: "Participants",
        from: "participants t",
        shape: Shape::Plain,
        columns: &[
            cast!("id", "Participant id"),
            text!("first_name", "First name"),
            text!("last_name", "Last name"),
            text!("preferred_name", "Preferred name"),
            cast!("date_of_birth", "Date of birth (YYYY-MM-DD)"),
            cast!("assigned_peer_id", "Assigned peer (staff id)"),
            text!("pronouns", "Pronouns"),
            text!("language", "Preferred language"),
            cast!("created_at", "Record created (UTC)"),
            cast!(
                "merged_into_id",
                "Merged into this participant (duplicates)"
            ),
        ],
    },
    Dataset {
        name: "episodes",
        title: "Episodes",
        from: "episodes t",
        shape: Shape::Plain,
        columns: &[
            cast!("id", "Episode id"),
            cast!("participant_id", "Participant id"),
            text!("setting", "short_term, medium_term, long_term, community"),
            cast!("facility_id", "Facility id"),
            cast!("started_on", "Enrolment date"),
            cast!("ended_on", "Discharge date"),
            text!(
                "discharge_reason",
                "completed, lost_contact, reincarcerated, moved, withdrew, deceased, transferred"
            ),
            cast!("services_consent_on", "Consent to peer services"),
            cast!("expected_release_on", "Expected release date"),
            text!("release_certainty", "unknown, estimated, confirmed"),
            cast!("released_at", "Release (UTC)"),
            text!("supervision_office", "Probation or parole office"),
        ],
    },
    Dataset {
        name: "encounters",
        title: "Encounters",
        from: "encounters t",
        shape: Shape::Plain,
        columns: &[
            cast!("id", "Encounter id"),
            cast!("participant_id", "Participant id"),
            cast!("group_id", "Group session id"),
            text!("kind", "individual, group"),
            text!("mode", "in_facility, in_community, phone, video, text"),
            text!("outcome", "attempted, completed"),
            text!(
                "service",
                "peer_support, case_management, moud (medication for opioid use disorder), medication_supply (prescribed medication supplied at release)"
            ),
            cast!("occurred_at", "When (UTC)"),
            cast!("duration_minutes", "Minutes"),
            cast!("facility_id", "Facility id"),
            text!("note", "Peer's note"),
            cast!("created_by", "Recorded by (staff id)"),
        ],
    },
    Dataset {
        name: "encounter_topics",
        title: "Encounter topics",
        from: "encounters t",
        shape: Shape::Topics,
        columns: &[
            c("encounter_id", "CAST(t.id AS TEXT)", "Encounter id"),
            cast!("participant_id", "Participant id"),
            c("topic", "t.topics", "One topic (competency area) per row"),
        ],
    },
    Dataset {
        name: "barc10_assessments",
        title: "BARC-10 assessments",
        from: "barc10_assessments t",
        shape: Shape::Barc10,
        columns: &[
            cast!("id", "Assessment id"),
            cast!("participant_id", "Participant id"),
            cast!("taken_on", "Date"),
            cast!("total", "Total 10–60"),
            text!("answers", "Items 1–10, each 1–6"),
        ],
    },
    Dataset {
        name: "stage_records",
        title: "Stages of change",
        from: "stage_records t",
        shape: Shape::Plain,
        columns: &[
            cast!("id", "Record id"),
            cast!("participant_id", "Participant id"),
            text!("stage", "Stage of change"),
            cast!("recorded_on", "Date"),
            text!("note", "Note"),
        ],
    },
    Dataset {
        name: "referrals",
        title: "Referrals",
        from: "referrals t",
        shape: Shape::Plain,
        columns: &[
            cast!("id", "Referral id"),
            cast!("participant_id", "Participant id"),
            text!(
                "referral_type",
                "treatment, moud, mental_health, housing, employment, benefits, medical, recovery_community, legal, other"
            ),
            text!("provider_name", "Provider"),
            text!("status", "Current status"),
            cast!("referred_on", "Referral date"),
            cast!("linked_on", "Date the person started with the provider"),
        ],
    },
    Dataset {
        name: "followups",
        title: "Follow-ups",
        from: "followups t",
        shape: Shape::Plain,
        columns: &[
            cast!("id", "Follow-up id"),
            cast!("participant_id", "Participant id"),
            cast!("episode_id", "Episode id"),
            text!("point", "day30, day90, day180, day365 after release"),
            cast!("due_on", "Due date"),
            cast!("completed_on", "Completed"),
            flag!("rearrested", "Re-arrested since release"),
            flag!("reincarcerated", "Re-incarcerated since release"),
            text!("overdose", "none, non_fatal, fatal"),
            flag!("in_treatment", "In treatment"),
            text!("housing", "stable, temporary, shelter, street, institution"),
            flag!("employed", "Employed"),
            flag!("insured", "Health insurance"),
            cast!("barc10_total", "BARC-10 total at follow-up"),
            text!("note", "Note"),
        ],
    },
    Dataset {
        name: "gpra_interviews",
        title: "GPRA interviews",
        from: "gpra_interviews t",
        shape: Shape::Gpra,
        columns: &[
            cast!("id", "Interview id"),
            cast!("participant_id", "Participant id"),
            text!("timepoint", "intake, six_month, discharge"),
            cast!("interview_on", "Interview date"),
            text!("answers", "The interview"),
        ],
    },
    Dataset {
        name: "overdoses",
        title: "Overdoses",
        from: "overdoses t",
        shape: Shape::Plain,
        columns: &[
            cast!("id", "Overdose id"),
            cast!("participant_id", "Participant id"),
            cast!("occurred_on", "Date of the overdose"),
            flag!("fatal", "Fatal"),
            text!(
                "source",
                "How the programme learned of it: self_report, family, hospital, medical_examiner, partner, other"
            ),
            cast!("recorded_at", "Recorded (UTC)"),
        ],
    },
    Dataset {
        name: "reentry_screenings",
        title: "Reentry Medicaid screenings",
        from: "reentry_screenings t",
        shape: Shape::Plain,
        columns: &[
            cast!("id", "Screening id"),
            cast!("participant_id", "Participant id"),
            cast!(
                "screened_at",
                "Screened (UTC); due within 72 hours of booking"
            ),
            text!(
                "medicaid_status",
                "active, suspended, application_pending, none"
            ),
            cast!("medicaid_applied_on", "Medicaid application date"),
            text!(
                "conditions",
                "Qualifying health conditions found, space-separated (substance_use_disorder, mental_illness, chronic_condition, pregnancy, …)"
            ),
            text!(
                "template",
                "The programme rules that decided (federal_minimum, california, washington, montana, new_hampshire)"
            ),
            cast!(
                "window_days",
                "The pre-release window those rules give, in days before the expected release"
            ),
            text!("result", "The eligibility decision"),
            text!("criteria_met", "The criteria met, space-separated"),
            flag!(
                "youth",
                "An eligible juvenile (under 21, or former foster youth under 26) under CAA 2023 §5121"
            ),
        ],
    },
    Dataset {
        name: "reentry_handoffs",
        title: "Warm handoffs",
        from: "reentry_handoffs t",
        shape: Shape::Plain,
        columns: &[
            cast!("id", "Handoff id"),
            cast!("participant_id", "Participant id"),
            cast!("made_by", "Made by (staff id)"),
            text!("to_provider", "The post-release provider"),
            text!("to_organisation", "The provider's organisation"),
            text!("method", "How it was held"),
            cast!("scheduled_at", "Scheduled (UTC)"),
            cast!(
                "held_at",
                "Held (UTC); due before the expected release, or within 24 hours of an unplanned release"
            ),
        ],
    },
    Dataset {
        name: "reentry_moud",
        title: "MOUD at release",
        from: "reentry_moud t",
        shape: Shape::Plain,
        columns: &[
            cast!("id", "Record id (the newest of a participant stands)"),
            cast!("participant_id", "Participant id"),
            text!(
                "status",
                "none, in_custody, continued_at_release, started_after_release"
            ),
            cast!(
                "first_dose_on",
                "First post-release dose (the release day when continued at release)"
            ),
            cast!("stopped_on", "Last day on MOUD, when it stopped"),
            cast!("naloxone_at_release", "Naloxone kits given at release"),
            cast!("recorded_at", "Recorded (UTC)"),
        ],
    },
];

/// The dataset called `name`.
pub fn dataset(name: &str) -> Option<&'static Dataset> {
    DATASETS.iter().find(|d| d.name == name)
}

/// The scalar GPRA fields exported as columns, with their meaning.
pub const GPRA_FIELDS: &[(&str, &str)] = &[
    ("client_type", "Client type (client_in_recovery)"),
    (
        "days_any_alcohol",
        "Substance use: days any alcohol, past 30",
    ),
    (
        "days_alcohol_intoxication",
        "Substance use: days alcohol to intoxication, past 30",
    ),
    (
        "days_illegal_drugs",
        "Substance use: days any illegal drug, past 30",
    ),
    (
        "days_alcohol_and_drugs",
        "Substance use: days alcohol and drugs same day, past 30",
    ),
    (
        "housing",
        "Living conditions: where lived most of past 30 days",
    ),
    (
        "enrolled_in_education",
        "Education: enrolled in school or training",
    ),
    ("education_level", "Education: highest completed"),
    ("employment", "Employment status"),
    (
        "arrests_past_30",
        "Crime and criminal justice: arrests, past 30",
    ),
    (
        "nights_in_jail_past_30",
        "Crime and criminal justice: nights in jail, past 30",
    ),
    ("on_probation", "Crime and criminal justice: on probation"),
    ("on_parole", "Crime and criminal justice: on parole"),
    (
        "awaiting_court",
        "Crime and criminal justice: awaiting charges, trial or sentencing",
    ),
    ("overall_health", "Health: self-rated"),
    (
        "er_visits_past_30",
        "Health: emergency-room visits, past 30",
    ),
    (
        "inpatient_nights_past_30",
        "Health: nights in hospital, past 30",
    ),
    ("overdoses_past_30", "Health: overdoses, past 30"),
    (
        "days_self_help_past_30",
        "Social connectedness: days at mutual-aid groups, past 30",
    ),
    (
        "supportive_family_friends",
        "Social connectedness: supportive family or friends",
    ),
    (
        "turns_to_when_in_trouble",
        "Social connectedness: turns to when in trouble",
    ),
];

/// The exported columns of a dataset with their meaning: the selected columns, the last one
/// spread into several by the dataset's [`Shape`].
fn described(ds: &Dataset) -> Vec<(String, String)> {
    let selected = |cs: &[Column]| -> Vec<(String, String)> {
        cs.iter()
            .map(|c| (c.name.to_string(), c.description.to_string()))
            .collect()
    };
    let spread = &ds.columns[..ds.columns.len().saturating_sub(1)];
    match ds.shape {
        Shape::Plain | Shape::Topics => selected(ds.columns),
        Shape::Barc10 => selected(spread)
            .into_iter()
            .chain((1..=10).map(|i| {
                (
                    format!("q{i}"),
                    format!(
                        "BARC-10 item {i}: {} (1 strongly disagree – 6 strongly agree)",
                        crate::assessments::barc10::ITEMS[i - 1]
                    ),
                )
            }))
            .collect(),
        Shape::Gpra => selected(spread)
            .into_iter()
            .chain(
                GPRA_FIELDS
                    .iter()
                    .map(|(n, d)| (n.to_string(), d.to_string())),
            )
            .chain(Substance::ALL.iter().map(|s| {
                (
                    format!("days_{}", s.as_str()),
                    format!("Substance use: days of {}, past 30", s.label()),
                )
            }))
            .chain(IncomeSource::ALL.iter().map(|s| {
                (
                    format!("income_{}_usd", s.as_str()),
                    format!("Income from {}, past 30 days (USD)", s.label()),
                )
            }))
            .collect(),
    }
}

/// The exported column names of a dataset.
pub fn header(ds: &Dataset) -> Vec<String> {
    described(ds).into_iter().map(|(name, _)| name).collect()
}

/// The data dictionary: `(dataset, column, meaning)` for every exported column, then each
/// figure of the dashboard's funder outcomes (`dashboard:funder_outcomes`, measure,
/// definition with its source).
pub fn dictionary() -> Vec<[String; 3]> {
    DATASETS
        .iter()
        .flat_map(|ds| {
            described(ds)
                .into_iter()
                .map(|(name, meaning)| [ds.name.to_string(), name, meaning])
        })
        .chain(
            crate::reports::dashboard::outcomes::DEFINITIONS
                .iter()
                .map(|(code, meaning)| {
                    [
                        "dashboard:funder_outcomes".to_string(),
                        (*code).to_string(),
                        (*meaning).to_string(),
                    ]
                }),
        )
        .collect()
}

/// The most columns any dataset selects.
pub(super) const MAX_COLS: usize = 16;

/// One stored row as read: its id, then `MAX_COLS` text cells (the unused ones NULL). Read by
/// position, not by column name: an export reads millions of rows, and looking each of 17
/// cells up by name cost a fifth of the export's time.
type RawRow = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

type RawSql = (
    BigInt,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
);

/// The first `n` cells of a row (NULL as empty).
fn cells(row: RawRow, n: usize) -> Vec<String> {
    let (_, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15) = row;
    [
        c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15,
    ]
    .into_iter()
    .take(n)
    .map(Option::unwrap_or_default)
    .collect()
}

/// The selected columns of a page: `t.id`, then the dataset's columns as `c0..`, padded with
/// NULLs to `MAX_COLS`, and the `FROM` clause (the filter follows it).
pub(super) fn page_select(ds: &Dataset) -> String {
    let mut cols: Vec<String> = ds
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} AS c{i}", c.sql))
        .collect();
    for i in ds.columns.len()..MAX_COLS {
        cols.push(format!("CAST(NULL AS TEXT) AS c{i}"));
    }
    format!(
        "t.id AS id, {} FROM {} WHERE t.org_id = ",
        cols.join(", "),
        ds.from
    )
}

/// One page of exported rows after record id `after` (`None` when there are no more), and the
/// last id read. Keyset-paged on the `(org_id, id)` index each exported table has.
pub fn page(
    conn: &mut DbConn,
    scope: ReportScope,
    ds: &Dataset,
    after: i64,
) -> AppResult<(Vec<Vec<String>>, Option<i64>)> {
    let mut out = Vec::new();
    let last = each_record(conn, scope, ds, after, PAGE, |cells| {
        out.extend(shape_row(ds, cells));
        Ok(())
    })?;
    Ok((out, last))
}

/// Hand the cells of each of up to `per_page` records after record id `after` to `f` as they
/// are read (the page is never held as rows), and return the last id read (`None` when there
/// are no more). Diesel's default loading mode on both backends: PostgreSQL's client holds the
/// page (small enough to hold) and hands out its rows one by one; its row-by-row mode, which
/// costs a result object a row, was not compared (decision 0058).
pub(super) fn each_record(
    conn: &mut DbConn,
    scope: ReportScope,
    ds: &Dataset,
    after: i64,
    per_page: i64,
    mut f: impl FnMut(Vec<String>) -> AppResult<()>,
) -> AppResult<Option<i64>> {
    use diesel::connection::DefaultLoadingMode;
    use diesel::dsl::sql;
    let query = diesel::select(
        sql::<RawSql>(&page_select(ds))
            .bind::<BigInt, _>(scope.org_id())
            .sql(" AND t.id > ")
            .bind::<BigInt, _>(after)
            .sql(" ORDER BY t.id LIMIT ")
            .bind::<BigInt, _>(per_page),
    );
    let n = ds.columns.len();
    let mut last = None;
    let mut each = |r: RawRow| {
        last = Some(r.0);
        f(cells(r, n))
    };
    match conn {
        DbConn::Sqlite(c) => {
            for r in query.load_iter::<RawRow, DefaultLoadingMode>(c)? {
                each(r?)?;
            }
        }
        DbConn::Pg(c) => {
            for r in query.load_iter::<RawRow, DefaultLoadingMode>(c)? {
                each(r?)?;
            }
        }
    }
    Ok(last)
}

/// Stored row → exported row(s) (pure).
pub fn shape_row(ds: &Dataset, mut cells: Vec<String>) -> Vec<Vec<String>> {
    match ds.shape {
        Shape::Plain => vec![cells],
        Shape::Topics => {
            let topics = cells.pop().unwrap_or_default();
            topics
                .split_whitespace()
                .map(|t| {
                    let mut r = cells.clone();
                    r.push(t.to_string());
                    r
                })
                .collect()
        }
        Shape::Barc10 => {
            let answers = cells.pop().unwrap_or_default();
            let mut items: Vec<String> = answers
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            items.resize(10, String::new());
            cells.extend(items);
            vec![cells]
        }
        Shape::Gpra => {
            let json = cells.pop().unwrap_or_default();
            let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
            let text = |x: &serde_json::Value| match x {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            for (f, _) in GPRA_FIELDS {
                cells.push(text(&v[*f]));
            }
            let list = |key: &str, field: &str, code: &str, value: &str| -> String {
                v[key]
                    .as_array()
                    .and_then(|a| a.iter().find(|e| e[field] == code))
                    .map(|e| text(&e[value]))
                    .unwrap_or_default()
            };
            for s in Substance::ALL {
                cells.push(list("substance_days", "substance", s.as_str(), "days"));
            }
            for s in IncomeSource::ALL {
                cells.push(list("income", "source", s.as_str(), "usd"));
            }
            vec![cells]
        }
    }
}
