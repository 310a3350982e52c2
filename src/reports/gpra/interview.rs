//! The field model of a GPRA "client in recovery" interview, sufficient to fill the federal tool's
//! sections, and its validation ([`GpraInterview::validate`] names each wrong field).

use crate::platform::vocabulary::vocabulary;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Timepoint;

vocabulary! {
    /// Client type on the GPRA tool.
    pub enum ClientType {
        /// Receiving treatment services.
        TreatmentClient = "treatment_client" => "Treatment client",
        /// Receiving recovery support services only (peer recovery support): Throughcare's case.
        ClientInRecovery = "client_in_recovery" => "Client in recovery",
    }
}

vocabulary! {
    /// Drugs whose days of use in the past 30 days are asked about (alcohol has its own fields).
    pub enum Substance {
        /// Cannabis / marijuana.
        Cannabis = "cannabis" => "Cannabis",
        /// Cocaine or crack.
        Cocaine = "cocaine" => "Cocaine / crack",
        /// Heroin.
        Heroin = "heroin" => "Heroin",
        /// Illicit fentanyl or analogues.
        Fentanyl = "fentanyl" => "Fentanyl",
        /// Prescription opioids not taken as prescribed.
        PrescriptionOpioids = "prescription_opioids" => "Prescription opioids (not as prescribed)",
        /// Methamphetamine.
        Methamphetamine = "methamphetamine" => "Methamphetamine",
        /// Other stimulants not as prescribed.
        OtherStimulants = "other_stimulants" => "Other stimulants",
        /// Benzodiazepines, tranquilizers, sedatives not as prescribed.
        Benzodiazepines = "benzodiazepines" => "Benzodiazepines / sedatives",
        /// Hallucinogens.
        Hallucinogens = "hallucinogens" => "Hallucinogens",
        /// Inhalants.
        Inhalants = "inhalants" => "Inhalants",
        /// Any other illegal drug.
        OtherDrug = "other_drug" => "Other drug",
    }
}

vocabulary! {
    /// Where the client has been living most of the time in the past 30 days.
    pub enum HousingType {
        /// Emergency shelter.
        Shelter = "shelter" => "Shelter",
        /// Street or outdoors.
        StreetOutdoors = "street_outdoors" => "Street / outdoors",
        /// Jail or prison.
        JailPrison = "jail_prison" => "Jail / prison",
        /// Hospital or residential treatment.
        HospitalResidentialTreatment = "hospital_residential_treatment" => "Hospital / residential treatment",
        /// Recovery residence or transitional housing.
        RecoveryTransitionalHousing = "recovery_transitional_housing" => "Recovery residence / transitional housing",
        /// Own or rented home.
        OwnOrRent = "own_or_rent" => "Own or rent",
        /// Someone else's home.
        SomeoneElsesHome = "someone_elses_home" => "Someone else's home",
        /// Other housed.
        Other = "other" => "Other",
    }
}

vocabulary! {
    /// Highest level of education completed.
    pub enum EducationLevel {
        /// Less than high school.
        LessThanHighSchool = "less_than_high_school" => "Less than high school",
        /// High school diploma or equivalent (GED/HiSET).
        HighSchoolOrEquivalent = "high_school_or_equivalent" => "High school / equivalent",
        /// Some college or vocational training.
        SomeCollegeOrVocational = "some_college_or_vocational" => "Some college / vocational",
        /// Bachelor's degree or higher.
        BachelorsOrHigher = "bachelors_or_higher" => "Bachelor's or higher",
    }
}

vocabulary! {
    /// Employment status.
    pub enum EmploymentStatus {
        /// Employed full time (35+ hours a week).
        FullTime = "full_time" => "Employed full time",
        /// Employed part time.
        PartTime = "part_time" => "Employed part time",
        /// Unemployed, looking for work.
        UnemployedLooking = "unemployed_looking" => "Unemployed, looking",
        /// Unemployed, not looking for work.
        UnemployedNotLooking = "unemployed_not_looking" => "Unemployed, not looking",
        /// Not in the labour force (student, retired, disabled, homemaker).
        NotInLaborForce = "not_in_labor_force" => "Not in labor force",
        /// Other.
        Other = "other" => "Other",
    }
}

vocabulary! {
    /// A source of income received in the past 30 days.
    pub enum IncomeSource {
        /// Wages.
        Wages = "wages" => "Wages",
        /// Public assistance.
        PublicAssistance = "public_assistance" => "Public assistance",
        /// Retirement.
        Retirement = "retirement" => "Retirement",
        /// Disability.
        Disability = "disability" => "Disability",
        /// Family or friends.
        FamilyFriends = "family_friends" => "Family / friends",
        /// Non-legal income.
        NonLegal = "non_legal" => "Non-legal",
        /// Other.
        Other = "other" => "Other",
    }
}

vocabulary! {
    /// Self-rated overall health.
    pub enum SelfRatedHealth {
        /// Excellent.
        Excellent = "excellent" => "Excellent",
        /// Very good.
        VeryGood = "very_good" => "Very good",
        /// Good.
        Good = "good" => "Good",
        /// Fair.
        Fair = "fair" => "Fair",
        /// Poor.
        Poor = "poor" => "Poor",
    }
}

vocabulary! {
    /// Whom the client turns to when having trouble.
    pub enum SupportSource {
        /// No one.
        NoOne = "no_one" => "No one",
        /// Clergy or spiritual leader.
        Clergy = "clergy" => "Clergy / spiritual leader",
        /// Family member.
        FamilyMember = "family_member" => "Family member",
        /// Friends.
        Friends = "friends" => "Friends",
        /// Peer recovery support worker or sponsor.
        PeerOrSponsor = "peer_or_sponsor" => "Peer / sponsor",
        /// Other.
        Other = "other" => "Other",
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

/// A validation problem, naming its field, its words a message (English for the API, the
/// reader's language on a page).
pub use crate::platform::error::FieldError;

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
                errs.push(FieldError::keyed(
                    field,
                    "error-between-got",
                    &[
                        ("min", "0".into()),
                        ("max", MAX_PAST_30.to_string()),
                        ("value", v.to_string()),
                    ],
                ));
            }
        }
        if let (Some(intox), Some(any)) = (self.days_alcohol_intoxication, self.days_any_alcohol)
            && intox > any
        {
            errs.push(FieldError::keyed(
                "days_alcohol_intoxication",
                "error-gpra-intoxication-exceeds",
                &[("days", intox.to_string()), ("any", any.to_string())],
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
                    errs.push(FieldError::keyed(
                        "days_alcohol_and_drugs",
                        "error-gpra-both-exceeds",
                        &[
                            ("days", both.to_string()),
                            ("value", v.to_string()),
                            ("name", name.to_string()),
                        ],
                    ));
                }
            }
        }
        for (i, sd) in self.substance_days.iter().enumerate() {
            if sd.days > MAX_PAST_30 {
                errs.push(FieldError::keyed(
                    "substance_days",
                    "error-gpra-substance-between",
                    &[
                        ("substance", sd.substance.label().to_string()),
                        ("max", MAX_PAST_30.to_string()),
                        ("value", sd.days.to_string()),
                    ],
                ));
            }
            if let Some(any) = self.days_illegal_drugs
                && sd.days > any
            {
                errs.push(FieldError::keyed(
                    "substance_days",
                    "error-gpra-substance-exceeds",
                    &[
                        ("substance", sd.substance.label().to_string()),
                        ("days", sd.days.to_string()),
                        ("any", any.to_string()),
                    ],
                ));
            }
            if self.substance_days[..i]
                .iter()
                .any(|o| o.substance == sd.substance)
            {
                errs.push(FieldError::keyed(
                    "substance_days",
                    "error-listed-more-than-once",
                    &[("name", sd.substance.label().to_string())],
                ));
            }
        }
        for (i, inc) in self.income.iter().enumerate() {
            if self.income[..i].iter().any(|o| o.source == inc.source) {
                errs.push(FieldError::keyed(
                    "income",
                    "error-listed-more-than-once",
                    &[("name", inc.source.label().to_string())],
                ));
            }
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::test_dates::ymd as d;

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
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
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
}
