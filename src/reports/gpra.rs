//! SAMHSA GPRA rules for "clients in recovery": interview timepoints, the 6-month follow-up due date
//! and window (30 days before to 60 days after the due date, both ends inclusive), per-client
//! follow-up status, the programme's follow-up rate against the 80% target, and a field model of the
//! interview sufficient to fill the federal tool's sections.
//!
//! Pure: no I/O, no clock (callers pass `today`), no database.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Declares a field-less enum with serde snake_case codes, `ALL`, `as_str`, `parse` and `label`.
macro_rules! labeled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => ($code:literal, $label:literal), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable snake_case code (identical to the serde representation).
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses a code produced by [`Self::as_str`]; `None` for anything else.
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// Human-readable label for screens and reports.
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

labeled_enum! {
    /// A GPRA interview timepoint.
    pub enum Timepoint {
        /// Baseline interview at programme entry.
        Intake => ("intake", "Intake"),
        /// Follow-up six calendar months after intake (see [`six_month_window`]).
        SixMonth => ("six_month", "6-month follow-up"),
        /// Interview at discharge from the programme.
        Discharge => ("discharge", "Discharge"),
    }
}

/// Days before the due date on which the 6-month window opens.
pub const WINDOW_OPENS_DAYS_BEFORE: u64 = 30;
/// Days after the due date on which the 6-month window closes (inclusive).
pub const WINDOW_CLOSES_DAYS_AFTER: u64 = 60;
/// SAMHSA's follow-up rate target (80%).
pub const TARGET: f64 = 0.80;

/// Due date of the 6-month follow-up: intake plus six calendar months, clamped to the end of the
/// month (31 August → 28/29 February). Saturates at `NaiveDate::MAX` for dates beyond chrono's range.
pub fn six_month_due(intake: NaiveDate) -> NaiveDate {
    intake
        .checked_add_months(Months::new(6))
        .unwrap_or(NaiveDate::MAX)
}

/// The 6-month follow-up window; `opens..=closes` both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// First valid interview day: `due - 30 days`.
    pub opens: NaiveDate,
    /// The due date: `intake + 6 months`.
    pub due: NaiveDate,
    /// Last valid interview day: `due + 60 days` (inclusive).
    pub closes: NaiveDate,
}

impl Window {
    /// Whether `day` lies in `opens..=closes`.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.opens <= day && day <= self.closes
    }
}

/// The 6-month follow-up window for a client whose intake was on `intake`.
pub fn six_month_window(intake: NaiveDate) -> Window {
    let due = six_month_due(intake);
    Window {
        opens: due
            .checked_sub_days(Days::new(WINDOW_OPENS_DAYS_BEFORE))
            .unwrap_or(NaiveDate::MIN),
        due,
        closes: due
            .checked_add_days(Days::new(WINDOW_CLOSES_DAYS_AFTER))
            .unwrap_or(NaiveDate::MAX),
    }
}

/// Where one client stands on the 6-month follow-up.
///
/// Instead of a separate "Overdue" state, an open window carries `past_due`: a client past the due
/// date but inside the window can still be interviewed validly, so the state is the same ("do it
/// now") and only the urgency differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FollowUpStatus {
    /// The window has not opened yet (`today < opens`); opens in `opens_in_days` (≥ 1).
    NotYetDue {
        /// Days until the window opens.
        opens_in_days: i64,
    },
    /// The window is open (`opens <= today <= closes`) and no interview is recorded.
    InWindow {
        /// Days after today still inside the window (`closes - today`); 0 on the last valid day.
        days_left: i64,
        /// `today > due`: still valid, but late.
        past_due: bool,
    },
    /// The window closed (`today > closes`) without an interview.
    Missed,
    /// The interview date lies in the window: counts toward the rate.
    CompletedInWindow,
    /// An interview was recorded outside the window: does not count toward the rate.
    CompletedOutOfWindow,
    /// Discharged before the window opened and never interviewed: excluded from the rate.
    NotApplicable,
}

labeled_enum! {
    /// The variant of a [`FollowUpStatus`] without its data, for filters and counts.
    pub enum FollowUpKind {
        /// See [`FollowUpStatus::NotYetDue`].
        NotYetDue => ("not_yet_due", "Not yet due"),
        /// See [`FollowUpStatus::InWindow`].
        InWindow => ("in_window", "Window open"),
        /// See [`FollowUpStatus::Missed`].
        Missed => ("missed", "Missed"),
        /// See [`FollowUpStatus::CompletedInWindow`].
        CompletedInWindow => ("completed_in_window", "Completed in window"),
        /// See [`FollowUpStatus::CompletedOutOfWindow`].
        CompletedOutOfWindow => ("completed_out_of_window", "Completed out of window"),
        /// See [`FollowUpStatus::NotApplicable`].
        NotApplicable => ("not_applicable", "Not applicable (discharged early)"),
    }
}

impl FollowUpStatus {
    /// The variant without data.
    pub const fn kind(self) -> FollowUpKind {
        match self {
            FollowUpStatus::NotYetDue { .. } => FollowUpKind::NotYetDue,
            FollowUpStatus::InWindow { .. } => FollowUpKind::InWindow,
            FollowUpStatus::Missed => FollowUpKind::Missed,
            FollowUpStatus::CompletedInWindow => FollowUpKind::CompletedInWindow,
            FollowUpStatus::CompletedOutOfWindow => FollowUpKind::CompletedOutOfWindow,
            FollowUpStatus::NotApplicable => FollowUpKind::NotApplicable,
        }
    }

    /// Code of the variant (see [`FollowUpKind::as_str`]).
    pub const fn as_str(self) -> &'static str {
        self.kind().as_str()
    }

    /// Label of the variant (see [`FollowUpKind::label`]).
    pub const fn label(self) -> &'static str {
        self.kind().label()
    }
}

/// Status of one client's 6-month follow-up on `today`.
///
/// Rules, in order:
/// 1. An interview date decides alone: in the window → `CompletedInWindow`, else
///    `CompletedOutOfWindow`. Pass the in-window interview when there are several.
/// 2. No interview, discharged on or before `today` and before the window opened → `NotApplicable`.
///    (A discharge interview held inside the window may be passed as `interview_on`. Funders that
///    require follow-up after discharge: pass `discharged_on = None`.)
/// 3. Otherwise by `today`: before `opens` → `NotYetDue`; in the window → `InWindow`; after → `Missed`.
pub fn six_month_status(
    intake: NaiveDate,
    interview_on: Option<NaiveDate>,
    discharged_on: Option<NaiveDate>,
    today: NaiveDate,
) -> FollowUpStatus {
    let w = six_month_window(intake);
    if let Some(day) = interview_on {
        return if w.contains(day) {
            FollowUpStatus::CompletedInWindow
        } else {
            FollowUpStatus::CompletedOutOfWindow
        };
    }
    if let Some(d) = discharged_on
        && d < w.opens
        && d <= today
    {
        return FollowUpStatus::NotApplicable;
    }
    if today < w.opens {
        FollowUpStatus::NotYetDue {
            opens_in_days: (w.opens - today).num_days(),
        }
    } else if today <= w.closes {
        FollowUpStatus::InWindow {
            days_left: (w.closes - today).num_days(),
            past_due: today > w.due,
        }
    } else {
        FollowUpStatus::Missed
    }
}

/// A programme's 6-month follow-up rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FollowUpRate {
    /// Interviews completed inside the window.
    pub numerator: u64,
    /// Completed in window + completed out of window + missed (everyone whose outcome is settled).
    pub denominator: u64,
    /// Not yet due or window still open without an interview: excluded from the denominator.
    pub pending: u64,
    /// Discharged before the window opened: excluded.
    pub not_applicable: u64,
    /// `numerator / denominator`; `None` when the denominator is zero.
    pub rate: Option<f64>,
    /// `rate >= TARGET`; `None` when there is no rate.
    pub meets_target: Option<bool>,
}

/// Follow-up rate over clients' statuses. Only interviews inside the window count; clients whose
/// window is still open (or not yet open) are left out until they complete or the window closes.
pub fn follow_up_rate(statuses: &[FollowUpStatus]) -> FollowUpRate {
    let mut tally = FollowUpTally::default();
    for s in statuses {
        tally.add(*s);
    }
    tally.rate()
}

/// People counted per follow-up outcome, one at a time, so that a programme's rate is computed
/// without holding every person's status at once (`reports::store::tracker` at 1,000,000 people).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FollowUpTally {
    counts: [u64; 6],
}

impl FollowUpTally {
    const fn slot(kind: FollowUpKind) -> usize {
        match kind {
            FollowUpKind::NotYetDue => 0,
            FollowUpKind::InWindow => 1,
            FollowUpKind::Missed => 2,
            FollowUpKind::CompletedInWindow => 3,
            FollowUpKind::CompletedOutOfWindow => 4,
            FollowUpKind::NotApplicable => 5,
        }
    }

    /// Count one person's status.
    pub fn add(&mut self, status: FollowUpStatus) {
        self.counts[Self::slot(status.kind())] += 1;
    }

    /// People counted with this outcome.
    pub const fn count(&self, kind: FollowUpKind) -> u64 {
        self.counts[Self::slot(kind)]
    }

    /// The rate over everyone counted: only interviews inside the window are in the numerator.
    pub fn rate(&self) -> FollowUpRate {
        let numerator = self.count(FollowUpKind::CompletedInWindow);
        let denominator = numerator
            + self.count(FollowUpKind::CompletedOutOfWindow)
            + self.count(FollowUpKind::Missed);
        let pending = self.count(FollowUpKind::NotYetDue) + self.count(FollowUpKind::InWindow);
        let not_applicable = self.count(FollowUpKind::NotApplicable);
        // Division is correctly rounded, so an exact 4/5 compares equal to TARGET.
        let rate = (denominator > 0).then(|| numerator as f64 / denominator as f64);
        FollowUpRate {
            numerator,
            denominator,
            pending,
            not_applicable,
            rate,
            meets_target: rate.map(|r| r >= TARGET),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Interview field model
// ---------------------------------------------------------------------------------------------

labeled_enum! {
    /// Client type on the GPRA tool.
    pub enum ClientType {
        /// Receiving treatment services.
        TreatmentClient => ("treatment_client", "Treatment client"),
        /// Receiving recovery support services only (peer recovery support): Throughcare's case.
        ClientInRecovery => ("client_in_recovery", "Client in recovery"),
    }
}

labeled_enum! {
    /// Drugs whose days of use in the past 30 days are asked about (alcohol has its own fields).
    pub enum Substance {
        /// Cannabis / marijuana.
        Cannabis => ("cannabis", "Cannabis"),
        /// Cocaine or crack.
        Cocaine => ("cocaine", "Cocaine / crack"),
        /// Heroin.
        Heroin => ("heroin", "Heroin"),
        /// Illicit fentanyl or analogues.
        Fentanyl => ("fentanyl", "Fentanyl"),
        /// Prescription opioids not taken as prescribed.
        PrescriptionOpioids => ("prescription_opioids", "Prescription opioids (not as prescribed)"),
        /// Methamphetamine.
        Methamphetamine => ("methamphetamine", "Methamphetamine"),
        /// Other stimulants not as prescribed.
        OtherStimulants => ("other_stimulants", "Other stimulants"),
        /// Benzodiazepines, tranquilizers, sedatives not as prescribed.
        Benzodiazepines => ("benzodiazepines", "Benzodiazepines / sedatives"),
        /// Hallucinogens.
        Hallucinogens => ("hallucinogens", "Hallucinogens"),
        /// Inhalants.
        Inhalants => ("inhalants", "Inhalants"),
        /// Any other illegal drug.
        OtherDrug => ("other_drug", "Other drug"),
    }
}

labeled_enum! {
    /// Where the client has been living most of the time in the past 30 days.
    pub enum HousingType {
        /// Emergency shelter.
        Shelter => ("shelter", "Shelter"),
        /// Street or outdoors.
        StreetOutdoors => ("street_outdoors", "Street / outdoors"),
        /// Jail or prison.
        JailPrison => ("jail_prison", "Jail / prison"),
        /// Hospital or residential treatment.
        HospitalResidentialTreatment => ("hospital_residential_treatment", "Hospital / residential treatment"),
        /// Recovery residence or transitional housing.
        RecoveryTransitionalHousing => ("recovery_transitional_housing", "Recovery residence / transitional housing"),
        /// Own or rented home.
        OwnOrRent => ("own_or_rent", "Own or rent"),
        /// Someone else's home.
        SomeoneElsesHome => ("someone_elses_home", "Someone else's home"),
        /// Other housed.
        Other => ("other", "Other"),
    }
}

labeled_enum! {
    /// Highest level of education completed.
    pub enum EducationLevel {
        /// Less than high school.
        LessThanHighSchool => ("less_than_high_school", "Less than high school"),
        /// High school diploma or equivalent (GED/HiSET).
        HighSchoolOrEquivalent => ("high_school_or_equivalent", "High school / equivalent"),
        /// Some college or vocational training.
        SomeCollegeOrVocational => ("some_college_or_vocational", "Some college / vocational"),
        /// Bachelor's degree or higher.
        BachelorsOrHigher => ("bachelors_or_higher", "Bachelor's or higher"),
    }
}

labeled_enum! {
    /// Employment status.
    pub enum EmploymentStatus {
        /// Employed full time (35+ hours a week).
        FullTime => ("full_time", "Employed full time"),
        /// Employed part time.
        PartTime => ("part_time", "Employed part time"),
        /// Unemployed, looking for work.
        UnemployedLooking => ("unemployed_looking", "Unemployed, looking"),
        /// Unemployed, not looking for work.
        UnemployedNotLooking => ("unemployed_not_looking", "Unemployed, not looking"),
        /// Not in the labour force (student, retired, disabled, homemaker).
        NotInLaborForce => ("not_in_labor_force", "Not in labor force"),
        /// Other.
        Other => ("other", "Other"),
    }
}

labeled_enum! {
    /// A source of income received in the past 30 days.
    pub enum IncomeSource {
        /// Wages.
        Wages => ("wages", "Wages"),
        /// Public assistance.
        PublicAssistance => ("public_assistance", "Public assistance"),
        /// Retirement.
        Retirement => ("retirement", "Retirement"),
        /// Disability.
        Disability => ("disability", "Disability"),
        /// Family or friends.
        FamilyFriends => ("family_friends", "Family / friends"),
        /// Non-legal income.
        NonLegal => ("non_legal", "Non-legal"),
        /// Other.
        Other => ("other", "Other"),
    }
}

labeled_enum! {
    /// Self-rated overall health.
    pub enum SelfRatedHealth {
        /// Excellent.
        Excellent => ("excellent", "Excellent"),
        /// Very good.
        VeryGood => ("very_good", "Very good"),
        /// Good.
        Good => ("good", "Good"),
        /// Fair.
        Fair => ("fair", "Fair"),
        /// Poor.
        Poor => ("poor", "Poor"),
    }
}

labeled_enum! {
    /// Whom the client turns to when having trouble.
    pub enum SupportSource {
        /// No one.
        NoOne => ("no_one", "No one"),
        /// Clergy or spiritual leader.
        Clergy => ("clergy", "Clergy / spiritual leader"),
        /// Family member.
        FamilyMember => ("family_member", "Family member"),
        /// Friends.
        Friends => ("friends", "Friends"),
        /// Peer recovery support worker or sponsor.
        PeerOrSponsor => ("peer_or_sponsor", "Peer / sponsor"),
        /// Other.
        Other => ("other", "Other"),
    }
}

/// Days of use of one drug in the past 30 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubstanceDays {
    /// The drug.
    pub substance: Substance,
    /// Days used, 0..=30.
    pub days: u8,
}

/// Income from one source in the past 30 days, whole US dollars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomeAmount {
    /// The source.
    pub source: IncomeSource,
    /// Dollars received.
    pub usd: u32,
}

/// One GPRA interview. `None` means not asked / refused / unknown; "past 30" means the 30 days
/// before the interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GpraInterview {
    /// Which interview this is.
    pub timepoint: Timepoint,
    /// Client type (Throughcare: [`ClientType::ClientInRecovery`]).
    pub client_type: ClientType,
    /// Date the interview was conducted.
    pub interview_on: NaiveDate,
    // Substance use
    /// Days any alcohol was used.
    pub days_any_alcohol: Option<u8>,
    /// Days alcohol was used to intoxication (≤ `days_any_alcohol`).
    pub days_alcohol_intoxication: Option<u8>,
    /// Days any illegal drug was used.
    pub days_illegal_drugs: Option<u8>,
    /// Days alcohol and drugs were both used on the same day.
    pub days_alcohol_and_drugs: Option<u8>,
    /// Days used per drug (each ≤ `days_illegal_drugs`, no drug twice).
    pub substance_days: Vec<SubstanceDays>,
    // Living conditions
    /// Where the client lived most of the past 30 days.
    pub housing: Option<HousingType>,
    // Education, employment, income
    /// Currently enrolled in school or job training.
    pub enrolled_in_education: Option<bool>,
    /// Highest education completed.
    pub education_level: Option<EducationLevel>,
    /// Employment status.
    pub employment: Option<EmploymentStatus>,
    /// Income by source (no source twice).
    pub income: Vec<IncomeAmount>,
    // Crime and criminal justice
    /// Times arrested in the past 30 days.
    pub arrests_past_30: Option<u8>,
    /// Nights spent in jail or prison in the past 30 days.
    pub nights_in_jail_past_30: Option<u8>,
    /// Currently on probation.
    pub on_probation: Option<bool>,
    /// Currently on parole.
    pub on_parole: Option<bool>,
    /// Awaiting charges, trial or sentencing.
    pub awaiting_court: Option<bool>,
    // Health
    /// Self-rated overall health.
    pub overall_health: Option<SelfRatedHealth>,
    /// Emergency-room visits in the past 30 days.
    pub er_visits_past_30: Option<u8>,
    /// Nights in hospital in the past 30 days.
    pub inpatient_nights_past_30: Option<u8>,
    /// Overdoses in the past 30 days.
    pub overdoses_past_30: Option<u8>,
    // Social connectedness
    /// Days attended voluntary self-help or mutual-aid groups.
    pub days_self_help_past_30: Option<u8>,
    /// Interacted with family or friends supportive of recovery.
    pub supportive_family_friends: Option<bool>,
    /// Whom the client turns to when in trouble.
    pub turns_to_when_in_trouble: Option<SupportSource>,
}

/// Upper bound on any "in the past 30 days" day, night or count field.
pub const MAX_PAST_30: u8 = 30;

/// A validation problem: `(field name, message)`.
pub type FieldError = (&'static str, String);

impl GpraInterview {
    /// A client-in-recovery interview with every answer unset.
    pub fn new(timepoint: Timepoint, interview_on: NaiveDate) -> Self {
        GpraInterview {
            timepoint,
            client_type: ClientType::ClientInRecovery,
            interview_on,
            days_any_alcohol: None,
            days_alcohol_intoxication: None,
            days_illegal_drugs: None,
            days_alcohol_and_drugs: None,
            substance_days: Vec::new(),
            housing: None,
            enrolled_in_education: None,
            education_level: None,
            employment: None,
            income: Vec::new(),
            arrests_past_30: None,
            nights_in_jail_past_30: None,
            on_probation: None,
            on_parole: None,
            awaiting_court: None,
            overall_health: None,
            er_visits_past_30: None,
            inpatient_nights_past_30: None,
            overdoses_past_30: None,
            days_self_help_past_30: None,
            supportive_family_friends: None,
            turns_to_when_in_trouble: None,
        }
    }

    /// Checks ranges (every past-30 field 0..=30) and cross-field consistency; returns every
    /// problem found, each as `(field, message)`.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errs: Vec<FieldError> = Vec::new();
        let ranged: [(&'static str, Option<u8>); 10] = [
            ("days_any_alcohol", self.days_any_alcohol),
            ("days_alcohol_intoxication", self.days_alcohol_intoxication),
            ("days_illegal_drugs", self.days_illegal_drugs),
            ("days_alcohol_and_drugs", self.days_alcohol_and_drugs),
            ("arrests_past_30", self.arrests_past_30),
            ("nights_in_jail_past_30", self.nights_in_jail_past_30),
            ("er_visits_past_30", self.er_visits_past_30),
            ("inpatient_nights_past_30", self.inpatient_nights_past_30),
            ("overdoses_past_30", self.overdoses_past_30),
            ("days_self_help_past_30", self.days_self_help_past_30),
        ];
        for (field, v) in ranged {
            if let Some(v) = v
                && v > MAX_PAST_30
            {
                errs.push((
                    field,
                    format!("must be between 0 and {MAX_PAST_30}, got {v}"),
                ));
            }
        }
        if let (Some(intox), Some(any)) = (self.days_alcohol_intoxication, self.days_any_alcohol)
            && intox > any
        {
            errs.push((
                "days_alcohol_intoxication",
                format!("{intox} days to intoxication exceeds {any} days of any alcohol"),
            ));
        }
        if let Some(both) = self.days_alcohol_and_drugs {
            for (name, v) in [
                ("days_any_alcohol", self.days_any_alcohol),
                ("days_illegal_drugs", self.days_illegal_drugs),
            ] {
                if let Some(v) = v
                    && both > v
                {
                    errs.push((
                        "days_alcohol_and_drugs",
                        format!("{both} days of both exceeds {v} ({name})"),
                    ));
                }
            }
        }
        for (i, sd) in self.substance_days.iter().enumerate() {
            if sd.days > MAX_PAST_30 {
                errs.push((
                    "substance_days",
                    format!(
                        "{}: must be between 0 and {MAX_PAST_30}, got {}",
                        sd.substance.label(),
                        sd.days
                    ),
                ));
            }
            if let Some(any) = self.days_illegal_drugs
                && sd.days > any
            {
                errs.push((
                    "substance_days",
                    format!(
                        "{}: {} days exceeds {any} days of any illegal drug",
                        sd.substance.label(),
                        sd.days
                    ),
                ));
            }
            if self.substance_days[..i]
                .iter()
                .any(|o| o.substance == sd.substance)
            {
                errs.push((
                    "substance_days",
                    format!("{} is listed more than once", sd.substance.label()),
                ));
            }
        }
        for (i, inc) in self.income.iter().enumerate() {
            if self.income[..i].iter().any(|o| o.source == inc.source) {
                errs.push((
                    "income",
                    format!("{} is listed more than once", inc.source.label()),
                ));
            }
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn snake(name: &str) -> String {
        let mut out = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    macro_rules! check_enum {
        ($t:ty) => {
            for v in <$t>::ALL {
                assert_eq!(<$t>::parse(v.as_str()), Some(*v));
                assert_eq!(v.as_str(), snake(&format!("{v:?}")));
                assert!(!v.label().is_empty());
            }
            assert_eq!(<$t>::parse("nonsense"), None);
        };
    }

    #[test]
    fn enum_codes_round_trip_and_are_snake_case() {
        check_enum!(Timepoint);
        check_enum!(FollowUpKind);
        check_enum!(ClientType);
        check_enum!(Substance);
        check_enum!(HousingType);
        check_enum!(EducationLevel);
        check_enum!(EmploymentStatus);
        check_enum!(IncomeSource);
        check_enum!(SelfRatedHealth);
        check_enum!(SupportSource);
    }

    #[test]
    fn due_date_clamps_to_month_end() {
        assert_eq!(six_month_due(d(2024, 1, 15)), d(2024, 7, 15));
        assert_eq!(six_month_due(d(2023, 8, 31)), d(2024, 2, 29));
        assert_eq!(six_month_due(d(2022, 8, 31)), d(2023, 2, 28));
        assert_eq!(six_month_due(d(2024, 12, 31)), d(2025, 6, 30));
    }

    #[test]
    fn window_bounds() {
        let w = six_month_window(d(2024, 1, 15));
        assert_eq!(w.opens, d(2024, 6, 15));
        assert_eq!(w.due, d(2024, 7, 15));
        assert_eq!(w.closes, d(2024, 9, 13));
        assert!(w.contains(w.opens) && w.contains(w.closes));
        assert!(!w.contains(d(2024, 6, 14)) && !w.contains(d(2024, 9, 14)));
    }

    #[test]
    fn statuses_over_time() {
        let intake = d(2024, 1, 15);
        let s = |today| six_month_status(intake, None, None, today);
        assert_eq!(
            s(d(2024, 6, 14)),
            FollowUpStatus::NotYetDue { opens_in_days: 1 }
        );
        assert_eq!(
            s(d(2024, 6, 15)),
            FollowUpStatus::InWindow {
                days_left: 90,
                past_due: false
            }
        );
        assert_eq!(
            s(d(2024, 7, 15)),
            FollowUpStatus::InWindow {
                days_left: 60,
                past_due: false
            }
        );
        assert_eq!(
            s(d(2024, 7, 16)),
            FollowUpStatus::InWindow {
                days_left: 59,
                past_due: true
            }
        );
        assert_eq!(
            s(d(2024, 9, 13)),
            FollowUpStatus::InWindow {
                days_left: 0,
                past_due: true
            }
        );
        assert_eq!(s(d(2024, 9, 14)), FollowUpStatus::Missed);
        let done = |on| six_month_status(intake, Some(on), None, d(2025, 1, 1));
        assert_eq!(done(d(2024, 6, 15)), FollowUpStatus::CompletedInWindow);
        assert_eq!(done(d(2024, 9, 13)), FollowUpStatus::CompletedInWindow);
        assert_eq!(done(d(2024, 6, 14)), FollowUpStatus::CompletedOutOfWindow);
        assert_eq!(done(d(2024, 9, 14)), FollowUpStatus::CompletedOutOfWindow);
    }

    #[test]
    fn discharge_before_window_is_not_applicable() {
        let intake = d(2024, 1, 15);
        let today = d(2024, 12, 1);
        assert_eq!(
            six_month_status(intake, None, Some(d(2024, 3, 1)), today),
            FollowUpStatus::NotApplicable
        );
        // Discharged inside the window: still owed a follow-up.
        assert_eq!(
            six_month_status(intake, None, Some(d(2024, 7, 1)), today),
            FollowUpStatus::Missed
        );
        // A recorded interview wins over discharge.
        assert_eq!(
            six_month_status(intake, Some(d(2024, 7, 1)), Some(d(2024, 3, 1)), today),
            FollowUpStatus::CompletedInWindow
        );
        // A future discharge date is ignored until it happens.
        assert_eq!(
            six_month_status(intake, None, Some(d(2024, 5, 1)), d(2024, 4, 1)),
            FollowUpStatus::NotYetDue { opens_in_days: 75 }
        );
    }

    #[test]
    fn rate_counts_and_target() {
        use FollowUpStatus::*;
        let r = follow_up_rate(&[]);
        assert_eq!((r.rate, r.meets_target), (None, None));
        let mut s = vec![CompletedInWindow; 4];
        s.push(Missed);
        s.push(InWindow {
            days_left: 3,
            past_due: true,
        });
        s.push(NotYetDue { opens_in_days: 9 });
        s.push(NotApplicable);
        let r = follow_up_rate(&s);
        assert_eq!(
            (r.numerator, r.denominator, r.pending, r.not_applicable),
            (4, 5, 2, 1)
        );
        assert_eq!(r.rate, Some(0.8));
        assert_eq!(r.meets_target, Some(true));
        s.push(CompletedOutOfWindow);
        let r = follow_up_rate(&s);
        assert_eq!((r.numerator, r.denominator), (4, 6));
        assert_eq!(r.meets_target, Some(false));
    }

    #[test]
    fn status_codes_and_serde_tags() {
        let s = FollowUpStatus::InWindow {
            days_left: 1,
            past_due: false,
        };
        assert_eq!(s.as_str(), "in_window");
        assert_eq!(s.kind(), FollowUpKind::InWindow);
        assert_eq!(FollowUpStatus::Missed.label(), "Missed");
    }

    #[test]
    fn interview_validation() {
        let mut i = GpraInterview::new(Timepoint::Intake, d(2024, 1, 15));
        assert_eq!(i.client_type, ClientType::ClientInRecovery);
        assert!(i.validate().is_ok());
        i.days_any_alcohol = Some(3);
        i.days_alcohol_intoxication = Some(5);
        i.days_illegal_drugs = Some(31);
        i.nights_in_jail_past_30 = Some(40);
        i.days_alcohol_and_drugs = Some(4);
        i.substance_days = vec![
            SubstanceDays {
                substance: Substance::Fentanyl,
                days: 2,
            },
            SubstanceDays {
                substance: Substance::Fentanyl,
                days: 3,
            },
        ];
        i.income = vec![
            IncomeAmount {
                source: IncomeSource::Wages,
                usd: 100,
            },
            IncomeAmount {
                source: IncomeSource::Wages,
                usd: 5,
            },
        ];
        let errs = i.validate().unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.0).collect();
        for f in [
            "days_alcohol_intoxication",
            "days_illegal_drugs",
            "nights_in_jail_past_30",
            "days_alcohol_and_drugs",
            "substance_days",
            "income",
        ] {
            assert!(fields.contains(&f), "missing {f} in {errs:?}");
        }
        let mut ok = GpraInterview::new(Timepoint::SixMonth, d(2024, 7, 15));
        ok.days_any_alcohol = Some(30);
        ok.days_alcohol_intoxication = Some(30);
        ok.days_illegal_drugs = Some(0);
        ok.substance_days = vec![SubstanceDays {
            substance: Substance::Cannabis,
            days: 0,
        }];
        ok.arrests_past_30 = Some(0);
        assert!(ok.validate().is_ok());
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (1950i32..2150, 1u32..=12, 1u32..=31).prop_map(|(y, m, day)| {
            NaiveDate::from_ymd_opt(y, m, day)
                .or_else(|| NaiveDate::from_ymd_opt(y, m, 28))
                .unwrap()
        })
    }

    fn near(base: NaiveDate) -> impl Strategy<Value = NaiveDate> {
        (-100i64..400).prop_map(move |o| base + chrono::Duration::days(o))
    }

    fn status() -> impl Strategy<Value = FollowUpStatus> {
        prop_oneof![
            (1i64..100).prop_map(|o| FollowUpStatus::NotYetDue { opens_in_days: o }),
            (0i64..91, any::<bool>()).prop_map(|(d, p)| FollowUpStatus::InWindow {
                days_left: d,
                past_due: p
            }),
            Just(FollowUpStatus::Missed),
            Just(FollowUpStatus::CompletedInWindow),
            Just(FollowUpStatus::CompletedOutOfWindow),
            Just(FollowUpStatus::NotApplicable),
        ]
    }

    proptest! {
        #[test]
        fn window_contains_due_and_is_ordered(intake in date()) {
            let w = six_month_window(intake);
            prop_assert!(w.opens < w.due && w.due < w.closes);
            prop_assert!(w.contains(w.due));
            prop_assert_eq!((w.due - w.opens).num_days(), 30);
            prop_assert_eq!((w.closes - w.due).num_days(), 60);
            prop_assert!(w.due > intake);
            let months = (w.due.year_ce().1 as i32 - intake.year_ce().1 as i32) * 12
                + w.due.month0() as i32 - intake.month0() as i32;
            prop_assert_eq!(months, 6);
            prop_assert!(w.due.day() <= intake.day());
        }

        #[test]
        fn status_consistent_with_dates(
            (intake, interview, discharge, today) in date().prop_flat_map(|i| {
                (Just(i), proptest::option::of(near(i)), proptest::option::of(near(i)), near(i))
            })
        ) {
            let w = six_month_window(intake);
            let s = six_month_status(intake, interview, discharge, today);
            prop_assert_eq!(
                s == FollowUpStatus::CompletedInWindow,
                interview.is_some_and(|i| w.opens <= i && i <= w.closes)
            );
            prop_assert_eq!(
                s == FollowUpStatus::CompletedOutOfWindow,
                interview.is_some_and(|i| !w.contains(i))
            );
            if interview.is_none() {
                let na = discharge.is_some_and(|d| d < w.opens && d <= today);
                prop_assert_eq!(s == FollowUpStatus::NotApplicable, na);
                if !na {
                    match s {
                        FollowUpStatus::NotYetDue { opens_in_days } => {
                            prop_assert!(today < w.opens);
                            prop_assert_eq!(today + chrono::Duration::days(opens_in_days), w.opens);
                        }
                        FollowUpStatus::InWindow { days_left, past_due } => {
                            prop_assert!(w.contains(today));
                            prop_assert_eq!(today + chrono::Duration::days(days_left), w.closes);
                            prop_assert_eq!(past_due, today > w.due);
                        }
                        FollowUpStatus::Missed => prop_assert!(today > w.closes),
                        other => prop_assert!(false, "unexpected {:?}", other),
                    }
                }
            }
        }

        #[test]
        fn rate_in_unit_interval(statuses in proptest::collection::vec(status(), 0..60)) {
            let r = follow_up_rate(&statuses);
            prop_assert!(r.numerator <= r.denominator);
            let of = |k: FollowUpKind| statuses.iter().filter(|s| s.kind() == k).count() as u64;
            prop_assert_eq!(r.numerator, of(FollowUpKind::CompletedInWindow));
            prop_assert_eq!(r.not_applicable, of(FollowUpKind::NotApplicable));
            let mut tally = FollowUpTally::default();
            for s in &statuses {
                tally.add(*s);
            }
            for k in FollowUpKind::ALL {
                prop_assert_eq!(tally.count(*k), of(*k));
            }
            prop_assert_eq!(
                (r.denominator + r.pending + r.not_applicable) as usize,
                statuses.len()
            );
            if let Some(rate) = r.rate {
                prop_assert!((0.0..=1.0).contains(&rate));
                prop_assert_eq!(r.meets_target, Some(rate >= TARGET));
            } else {
                prop_assert_eq!(r.denominator, 0);
            }
        }
    }
}
