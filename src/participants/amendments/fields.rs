//! What can be amended: each record type's amendable fields, declared once with their kind,
//! nature and validation, and the parsing of a requested change into a typed value.

use super::*;
use crate::participants::matching;
use crate::platform::error::Said;

/// How a column is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    OptText,
    OptBool,
    Int,
    OptInt,
    Date,
    OptDate,
}

/// What a change to the field means (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nature {
    Answer,
    Transition,
    Derived,
}

/// Computes the columns that follow a changed field.
pub type Derive = fn(&Value) -> Vec<(&'static str, Value)>;

/// One amendable column.
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: Kind,
    pub nature: Nature,
    /// Domain check of a new value (vocabulary, range, length), in plain words.
    pub check: fn(&Value) -> Result<(), Said>,
    /// Columns computed from this one (a BARC-10's total from its answers).
    pub derive: Option<Derive>,
}

pub(super) const fn f(name: &'static str, kind: Kind, nature: Nature) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        nature,
        check: any,
        derive: None,
    }
}

pub(super) const fn fc(
    name: &'static str,
    kind: Kind,
    nature: Nature,
    check: fn(&Value) -> Result<(), Said>,
) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        nature,
        check,
        derive: None,
    }
}

/// "must be from `min` to `max`".
fn from_to(min: i64, max: i64) -> Said {
    Said::new(
        "error-from-to",
        &[("min", min.to_string()), ("max", max.to_string())],
    )
}

pub(super) fn any(_: &Value) -> Result<(), Said> {
    Ok(())
}

pub(super) fn text_len(v: &Value, max: usize, required: bool) -> Result<(), Said> {
    match v {
        Value::Text(s) if required && s.trim().is_empty() => Err(Said::new("error-required", &[])),
        Value::Text(s) if s.chars().count() > max => {
            Err(Said::new("error-too-long", &[("max", max.to_string())]))
        }
        _ => Ok(()),
    }
}
pub(super) fn name_100(v: &Value) -> Result<(), Said> {
    text_len(v, 100, true)
}
pub(super) fn short_100(v: &Value) -> Result<(), Said> {
    text_len(v, 100, false)
}
pub(super) fn short_60(v: &Value) -> Result<(), Said> {
    text_len(v, 60, false)
}
pub(super) fn short_40(v: &Value) -> Result<(), Said> {
    text_len(v, 40, false)
}
pub(super) fn email_254(v: &Value) -> Result<(), Said> {
    text_len(v, 254, false)
}
pub(super) fn ident_60(v: &Value) -> Result<(), Said> {
    text_len(v, 60, true)
}
pub(super) fn text_200_req(v: &Value) -> Result<(), Said> {
    text_len(v, 200, true)
}
pub(super) fn text_200(v: &Value) -> Result<(), Said> {
    text_len(v, 200, false)
}
pub(super) fn text_500(v: &Value) -> Result<(), Said> {
    text_len(v, 500, false)
}
pub(super) fn text_1000(v: &Value) -> Result<(), Said> {
    text_len(v, 1000, false)
}
pub(super) fn text_1000_req(v: &Value) -> Result<(), Said> {
    text_len(v, 1000, true)
}
pub(super) fn text_2000(v: &Value) -> Result<(), Said> {
    text_len(v, 2000, false)
}
pub(super) fn one_of(v: &Value, all: &[&str]) -> Result<(), Said> {
    match v {
        Value::Text(s) if !all.contains(&s.as_str()) => Err(Said::new(
            "error-unknown-value",
            &[("value", format!("{s:?}")), ("allowed", all.join(", "))],
        )),
        _ => Ok(()),
    }
}
pub(super) fn overdose(v: &Value) -> Result<(), Said> {
    one_of(v, &["none", "non_fatal", "fatal"])
}
pub(super) fn housing(v: &Value) -> Result<(), Said> {
    one_of(
        v,
        &["stable", "temporary", "shelter", "street", "institution"],
    )
}
pub(super) fn barc_total(v: &Value) -> Result<(), Said> {
    match v {
        Value::Int(t) if !(10..=60).contains(t) => Err(from_to(10, 60)),
        _ => Ok(()),
    }
}
pub(super) fn minutes(v: &Value) -> Result<(), Said> {
    match v {
        Value::Int(t) if !(0..=1440).contains(t) => Err(from_to(0, 1440)),
        _ => Ok(()),
    }
}
pub(super) fn not_future(v: &Value) -> Result<(), Said> {
    match v {
        Value::Date(d) if *d > time::today() => Err(Said::new("error-in-the-future", &[])),
        _ => Ok(()),
    }
}
pub(super) fn date_of_birth(v: &Value) -> Result<(), Said> {
    match v {
        Value::Date(d) if *d > time::today() => Err(Said::new("error-in-the-future", &[])),
        Value::Date(d) if chrono::Datelike::year(d) < 1900 => {
            Err(Said::new("error-before-1900", &[]))
        }
        _ => Ok(()),
    }
}
pub(super) fn goal_status(v: &Value) -> Result<(), Said> {
    use crate::journey::rules::GoalStatus;
    let all: Vec<&str> = GoalStatus::ALL
        .iter()
        .map(crate::journey::rules::GoalStatus::as_str)
        .collect();
    one_of(v, &all)
}
pub(super) fn encounter_mode(v: &Value) -> Result<(), Said> {
    use crate::journey::rules::EncounterMode;
    let all: Vec<&str> = EncounterMode::ALL
        .iter()
        .map(crate::journey::rules::EncounterMode::as_str)
        .collect();
    one_of(v, &all)
}
pub(super) fn encounter_outcome(v: &Value) -> Result<(), Said> {
    use crate::journey::rules::EncounterOutcome;
    let all: Vec<&str> = EncounterOutcome::ALL
        .iter()
        .map(crate::journey::rules::EncounterOutcome::as_str)
        .collect();
    one_of(v, &all)
}
pub(super) fn encounter_service(v: &Value) -> Result<(), Said> {
    use crate::journey::rules::EncounterService;
    let all: Vec<&str> = EncounterService::ALL
        .iter()
        .map(crate::journey::rules::EncounterService::as_str)
        .collect();
    one_of(v, &all)
}
pub(super) fn stage(v: &Value) -> Result<(), Said> {
    use crate::assessments::stages::StageOfChange;
    let all: Vec<&str> = StageOfChange::ALL
        .iter()
        .map(crate::assessments::stages::StageOfChange::as_str)
        .collect();
    one_of(v, &all)
}
pub(super) fn barc_answers(v: &Value) -> Result<(), Said> {
    match v {
        Value::Text(s) => parse_barc(s).map(|_| ()),
        _ => Err(Said::new("error-barc-answers-required", &[])),
    }
}
pub(super) fn parse_barc(s: &str) -> Result<crate::assessments::barc10::Barc10Answers, Said> {
    let nums: Result<Vec<i64>, _> = s.split(',').map(|x| x.trim().parse::<i64>()).collect();
    let nums = nums.map_err(|_| Said::new("error-barc-ten-numbers", &[]))?;
    crate::assessments::barc10::Barc10Answers::parse(&nums)
        .map_err(|e| Said::new("error-barc-ten-answers", &[("detail", format!("{e:?}"))]))
}
pub(super) fn barc_derive(v: &Value) -> Vec<(&'static str, Value)> {
    match v {
        Value::Text(s) => parse_barc(s)
            .map(|a| vec![("total", Value::Int(i64::from(a.total())))])
            .unwrap_or_default(),
        _ => vec![],
    }
}
pub(super) fn gpra_answers(v: &Value) -> Result<(), Said> {
    match v {
        Value::Text(s) => serde_json::from_str::<crate::reports::gpra::GpraInterview>(s)
            .map_err(|e| Said::new("error-not-a-gpra-interview", &[("detail", e.to_string())]))
            .and_then(|i| {
                i.validate().map_err(|errs| {
                    let list = errs
                        .into_iter()
                        .map(|e| format!("{}: {}", e.field, e.message))
                        .collect::<Vec<_>>()
                        .join("; ");
                    Said::new("error-gpra-answers", &[("detail", list)])
                })
            }),
        _ => Err(Said::new("error-required", &[])),
    }
}

pub(super) fn gpra_derive(v: &Value) -> Vec<(&'static str, Value)> {
    match v {
        Value::Text(s) => serde_json::from_str::<crate::reports::gpra::GpraInterview>(s)
            .map(|i| {
                vec![
                    ("interview_on", Value::Date(i.interview_on)),
                    ("timepoint", Value::Text(i.timepoint.as_str().to_string())),
                ]
            })
            .unwrap_or_default(),
        _ => vec![],
    }
}

use Kind as K;
use Nature as N;

/// A name's folded form for search follows the name (`participants.search_*_name`).
pub(super) fn first_name_derive(v: &Value) -> Vec<(&'static str, Value)> {
    match v {
        Value::Text(s) => vec![(
            "search_first_name",
            Value::Text(matching::normalize_name(s)),
        )],
        _ => vec![],
    }
}
pub(super) fn last_name_derive(v: &Value) -> Vec<(&'static str, Value)> {
    match v {
        Value::Text(s) => vec![("search_last_name", Value::Text(matching::normalize_name(s)))],
        _ => vec![],
    }
}

pub(super) static PARTICIPANT: &[FieldSpec] = &[
    FieldSpec {
        name: "first_name",
        kind: K::Text,
        nature: N::Answer,
        check: name_100,
        derive: Some(first_name_derive),
    },
    FieldSpec {
        name: "last_name",
        kind: K::Text,
        nature: N::Answer,
        check: name_100,
        derive: Some(last_name_derive),
    },
    f("search_first_name", K::Text, N::Derived),
    f("search_last_name", K::Text, N::Derived),
    fc("preferred_name", K::OptText, N::Answer, short_100),
    fc("date_of_birth", K::Date, N::Answer, date_of_birth),
    fc("pronouns", K::OptText, N::Answer, short_40),
    fc("language", K::OptText, N::Answer, short_60),
    fc("phone", K::OptText, N::Answer, short_40),
    fc("email", K::OptText, N::Answer, email_254),
];
pub(super) static IDENTIFIER: &[FieldSpec] = &[
    fc("typed_value", K::Text, N::Answer, ident_60),
    f("value", K::Text, N::Derived),
];
pub(super) static FOLLOWUP: &[FieldSpec] = &[
    fc("completed_on", K::OptDate, N::Answer, not_future),
    f("rearrested", K::OptBool, N::Answer),
    f("reincarcerated", K::OptBool, N::Answer),
    fc("overdose", K::OptText, N::Answer, overdose),
    f("in_treatment", K::OptBool, N::Answer),
    fc("housing", K::OptText, N::Answer, housing),
    f("employed", K::OptBool, N::Answer),
    f("insured", K::OptBool, N::Answer),
    fc("barc10_total", K::OptInt, N::Answer, barc_total),
    fc("note", K::Text, N::Answer, text_1000),
];
pub(super) static CHECKLIST_ITEM: &[FieldSpec] = &[
    fc("done_on", K::OptDate, N::Transition, not_future),
    fc("note", K::Text, N::Answer, text_500),
    fc("not_applicable_reason", K::OptText, N::Transition, text_500),
];
pub(super) static GOAL: &[FieldSpec] = &[
    fc("status", K::Text, N::Transition, goal_status),
    fc("statement", K::Text, N::Answer, text_1000_req),
    fc("owner", K::Text, N::Answer, text_200_req),
    f("due_on", K::OptDate, N::Answer),
];
pub(super) static GOAL_STEP: &[FieldSpec] = &[
    fc("done_on", K::OptDate, N::Transition, not_future),
    fc("description", K::Text, N::Answer, text_1000_req),
    fc("owner", K::Text, N::Answer, text_200),
    f("due_on", K::OptDate, N::Answer),
];
pub(super) static ENCOUNTER: &[FieldSpec] = &[
    fc("mode", K::Text, N::Answer, encounter_mode),
    fc("outcome", K::Text, N::Answer, encounter_outcome),
    fc("service", K::Text, N::Answer, encounter_service),
    fc("duration_minutes", K::Int, N::Answer, minutes),
    fc("note", K::Text, N::Answer, text_2000),
];
pub(super) static BARC10: &[FieldSpec] = &[
    fc("taken_on", K::Date, N::Answer, not_future),
    FieldSpec {
        name: "answers",
        kind: K::Text,
        nature: N::Answer,
        check: barc_answers,
        derive: Some(barc_derive),
    },
    f("total", K::Int, N::Derived),
];
pub(super) static STAGE: &[FieldSpec] = &[
    fc("stage", K::Text, N::Answer, stage),
    fc("recorded_on", K::Date, N::Answer, not_future),
    fc("note", K::Text, N::Answer, text_1000),
];
pub(super) static REFERRAL: &[FieldSpec] = &[
    fc("provider_name", K::Text, N::Answer, text_200_req),
    fc("provider_contact", K::Text, N::Answer, text_200),
    fc("referred_on", K::Date, N::Answer, not_future),
];
pub(super) static GPRA: &[FieldSpec] = &[
    FieldSpec {
        name: "answers",
        kind: K::Text,
        nature: N::Answer,
        check: gpra_answers,
        derive: Some(gpra_derive),
    },
    f("interview_on", K::Date, N::Derived),
    f("timepoint", K::Text, N::Derived),
];

/// The kinds of record that can be amended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    Participant,
    Identifier,
    Followup,
    ChecklistItem,
    Goal,
    GoalStep,
    Encounter,
    Barc10,
    Stage,
    Referral,
    GpraInterview,
}

impl RecordType {
    pub const ALL: &'static [RecordType] = &[
        RecordType::Participant,
        RecordType::Identifier,
        RecordType::Followup,
        RecordType::ChecklistItem,
        RecordType::Goal,
        RecordType::GoalStep,
        RecordType::Encounter,
        RecordType::Barc10,
        RecordType::Stage,
        RecordType::Referral,
        RecordType::GpraInterview,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Participant => "participant",
            RecordType::Identifier => "identifier",
            RecordType::Followup => "followup",
            RecordType::ChecklistItem => "checklist_item",
            RecordType::Goal => "goal",
            RecordType::GoalStep => "goal_step",
            RecordType::Encounter => "encounter",
            RecordType::Barc10 => "barc10",
            RecordType::Stage => "stage",
            RecordType::Referral => "referral",
            RecordType::GpraInterview => "gpra_interview",
        }
    }
    pub fn parse(s: &str) -> Option<RecordType> {
        RecordType::ALL.iter().copied().find(|r| r.as_str() == s)
    }
    /// The table the record lives in.
    pub fn table(self) -> &'static str {
        match self {
            RecordType::Participant => "participants",
            RecordType::Identifier => "participant_identifiers",
            RecordType::Followup => "followups",
            RecordType::ChecklistItem => "checklist_items",
            RecordType::Goal => "goals",
            RecordType::GoalStep => "goal_steps",
            RecordType::Encounter => "encounters",
            RecordType::Barc10 => "barc10_assessments",
            RecordType::Stage => "stage_records",
            RecordType::Referral => "referrals",
            RecordType::GpraInterview => "gpra_interviews",
        }
    }
    /// The fields that can change, and how.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            RecordType::Participant => PARTICIPANT,
            RecordType::Identifier => IDENTIFIER,
            RecordType::Followup => FOLLOWUP,
            RecordType::ChecklistItem => CHECKLIST_ITEM,
            RecordType::Goal => GOAL,
            RecordType::GoalStep => GOAL_STEP,
            RecordType::Encounter => ENCOUNTER,
            RecordType::Barc10 => BARC10,
            RecordType::Stage => STAGE,
            RecordType::Referral => REFERRAL,
            RecordType::GpraInterview => GPRA,
        }
    }
    pub fn field(self, name: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|f| f.name == name)
    }
    /// Who may read the history of this kind of record: a category of the consent rules, or
    /// `None` for identity (the participant's own organisation only).
    pub fn category(self) -> Option<Category> {
        match self {
            RecordType::Participant | RecordType::Identifier => None,
            RecordType::Followup
            | RecordType::Barc10
            | RecordType::Stage
            | RecordType::GpraInterview => Some(Category::Assessments),
            RecordType::ChecklistItem => Some(Category::ReleasePlan),
            RecordType::Goal | RecordType::GoalStep => Some(Category::Plan),
            RecordType::Encounter => Some(Category::Participation),
            RecordType::Referral => Some(Category::Referrals),
        }
    }
    /// The participant's own rows are keyed `participant_id`, except the participant itself.
    pub(super) fn owner_column(self) -> &'static str {
        match self {
            RecordType::Participant => "id",
            _ => "participant_id",
        }
    }
}

/// Parse a value for a field from JSON (API) or a string (a form field): every failure names
/// the field. Strings are trimmed; an empty string is blank.
pub fn parse_value(field: &str, kind: Kind, v: &serde_json::Value) -> Result<Value, FieldError> {
    use serde_json::Value as J;
    let bad = |key: &'static str| FieldError::keyed(field, key, &[]);
    let s = match v {
        J::String(s) => Some(s.trim().to_string()),
        _ => None,
    };
    let blank = matches!(v, J::Null) || s.as_deref() == Some("");
    let out = match kind {
        Kind::Text => match (v, &s) {
            (J::Null, _) => return Err(bad("error-not-blank")),
            (_, Some(s)) => Value::Text(s.clone()),
            _ => return Err(bad("error-must-be-text")),
        },
        Kind::OptText => match &s {
            _ if blank => Value::Null,
            Some(s) => Value::Text(s.clone()),
            None => return Err(bad("error-must-be-text-or-null")),
        },
        Kind::OptBool => match (v, s.as_deref()) {
            _ if blank => Value::Null,
            (J::Bool(b), _) => Value::Bool(*b),
            (_, Some("yes" | "true")) => Value::Bool(true),
            (_, Some("no" | "false")) => Value::Bool(false),
            _ => return Err(bad("error-must-be-true-false-or-null")),
        },
        Kind::Int | Kind::OptInt => match (v, s.as_deref()) {
            _ if blank && kind == Kind::OptInt => Value::Null,
            (J::Number(n), _) => Value::Int(n.as_i64().ok_or_else(|| bad("error-whole-number"))?),
            (_, Some(t)) => Value::Int(t.parse().map_err(|_| bad("error-whole-number"))?),
            _ => return Err(bad("error-whole-number")),
        },
        Kind::Date | Kind::OptDate => match s.as_deref() {
            _ if blank && kind == Kind::OptDate => Value::Null,
            Some(t) => Value::Date(NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
                FieldError::keyed(field, "error-not-a-date", &[("value", format!("{t:?}"))])
            })?),
            None => return Err(bad("error-must-be-a-date")),
        },
    };
    Ok(out)
}

/// Parse `{field: value, ...}` for a record type (the generic amendment route): unknown and
/// computed fields are refused by name; derived columns are added.
pub fn parse_changes(
    record: RecordType,
    changes: &serde_json::Map<String, serde_json::Value>,
) -> Result<Vec<(&'static str, Value)>, Vec<FieldError>> {
    let mut errs = Vec::new();
    let mut out = Vec::new();
    for (name, v) in changes {
        let key = format!("changes.{name}");
        let Some(spec) = record.field(name) else {
            errs.push(FieldError::keyed(
                key,
                "error-not-amendable-on",
                &[
                    ("record", record.as_str().to_string()),
                    (
                        "allowed",
                        record
                            .fields()
                            .iter()
                            .filter(|f| f.nature != Nature::Derived)
                            .map(|f| f.name)
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ],
            ));
            continue;
        };
        if spec.nature == Nature::Derived {
            errs.push(FieldError::keyed(key, "error-computed", &[]));
            continue;
        }
        let v = &match (record, spec.name, v) {
            (RecordType::Barc10, "answers", serde_json::Value::Array(a)) => {
                serde_json::Value::String(
                    a.iter()
                        .map(std::string::ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                )
            }
            (RecordType::GpraInterview, "answers", serde_json::Value::Object(_)) => {
                serde_json::Value::String(v.to_string())
            }
            _ => v.clone(),
        };
        match parse_value(&key, spec.kind, v) {
            Ok(val) => out.push((spec.name, val)),
            Err(e) => errs.push(e),
        }
    }
    if changes.is_empty() {
        errs.push(FieldError::keyed("changes", "error-nothing-to-amend", &[]));
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}
