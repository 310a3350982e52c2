//! The rules of a participant's journey: custody, release, the high-risk window, the community
//! phase, follow-ups and discharge.
//!
//! This module owns:
//! - the journey vocabularies (settings, custody events, encounters, goals, referrals, discharge,
//!   SAMHSA core competency areas), each with a stable snake_case code and an English label;
//! - the release readiness checklist and how it is re-planned when the expected release date moves;
//! - the high-risk window (day 0 to day 14 after release) and its contact targets;
//! - flags raised at release (no plan, early release, incomplete checklist);
//! - the follow-up schedule (30, 90, 180, 365 days) and its tolerance window;
//! - caseload urgency, so that people in the high-risk window are shown first.
//!
//! It is pure: no I/O, no database, no clock. Every function that depends on the time takes `now`
//! (UTC `NaiveDateTime`) or `today` (`NaiveDate`) as an argument.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

/// Declares a closed vocabulary: a unit-variant enum with a stable snake_case code (identical to its
/// serde form), a human label, `ALL`, `as_str` and `parse`. Declaration order is the `Ord` order.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $code:literal => $label:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[ $( Self::$variant ),+ ];

            /// Stable snake_case code, identical to the serde representation.
            pub const fn as_str(&self) -> &'static str {
                match self { $( Self::$variant => $code ),+ }
            }

            /// Parses exactly the snake_case code returned by `as_str`; anything else is `None`.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $( $code => Some(Self::$variant), )+
                    _ => None,
                }
            }

            /// Human-readable English label.
            pub const fn label(&self) -> &'static str {
                match self { $( Self::$variant => $label ),+ }
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Date and time arithmetic that never panics
// ---------------------------------------------------------------------------------------------

/// `date + days`, saturating at the ends of the calendar instead of panicking.
fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    let saturated = if days < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    };
    TimeDelta::try_days(days)
        .and_then(|delta| date.checked_add_signed(delta))
        .unwrap_or(saturated)
}

/// `at + delta`, saturating at the end of time; `None` delta means "too large to represent".
fn add_forward(at: NaiveDateTime, delta: Option<TimeDelta>) -> NaiveDateTime {
    delta
        .and_then(|delta| at.checked_add_signed(delta))
        .unwrap_or(NaiveDateTime::MAX)
}

// ---------------------------------------------------------------------------------------------
// a) Settings and vocabularies
// ---------------------------------------------------------------------------------------------

vocabulary! {
    /// Where on the justice continuum a participant is served (seed 002's continuum).
    pub enum Setting {
        /// Jails and pretrial detention; release dates unknown or sudden.
        ShortTerm = "short_term" => "Short-term (jail, pretrial)",
        /// Jail sentences and short prison terms, up to about a year.
        MediumTerm = "medium_term" => "Medium-term (jail sentence, short prison term)",
        /// Prisons; years.
        LongTerm = "long_term" => "Long-term (prison)",
        /// Probation, parole, treatment courts, reentry centres.
        Community = "community" => "Community corrections (probation, parole, treatment court, reentry)",
    }
}

impl Setting {
    /// Whether the participant is in custody in this setting (everything but community).
    pub const fn is_custody(&self) -> bool {
        !matches!(self, Self::Community)
    }
}

vocabulary! {
    /// Why a participant's enrolment ended.
    pub enum DischargeReason {
        Completed = "completed" => "Completed",
        LostContact = "lost_contact" => "Lost contact",
        /// The participant may re-enrol in a custody setting.
        Reincarcerated = "reincarcerated" => "Re-incarcerated",
        Moved = "moved" => "Moved away",
        Withdrew = "withdrew" => "Withdrew",
        Deceased = "deceased" => "Deceased",
        Transferred = "transferred" => "Transferred to another program",
    }
}

vocabulary! {
    /// A dated event in a participant's custody or supervision history.
    pub enum CustodyEventKind {
        Booking = "booking" => "Booking",
        Transfer = "transfer" => "Transfer between facilities",
        CourtDate = "court_date" => "Court date",
        ExpectedRelease = "expected_release" => "Expected release date set or changed",
        Release = "release" => "Release",
        SupervisionStart = "supervision_start" => "Supervision started (probation or parole)",
        SupervisionEnd = "supervision_end" => "Supervision ended",
    }
}

vocabulary! {
    /// How sure the program is of an expected release date.
    pub enum ReleaseDateCertainty {
        Unknown = "unknown" => "Unknown",
        Estimated = "estimated" => "Estimated",
        Confirmed = "confirmed" => "Confirmed",
    }
}

vocabulary! {
    /// Where or how an encounter took place.
    pub enum EncounterMode {
        InFacility = "in_facility" => "In facility",
        InCommunity = "in_community" => "In the community",
        Phone = "phone" => "Phone",
        Video = "video" => "Video",
        Text = "text" => "Text message",
    }
}

vocabulary! {
    /// Whether an encounter was one-to-one or in a group.
    pub enum EncounterKind {
        Individual = "individual" => "Individual",
        Group = "group" => "Group",
    }
}

vocabulary! {
    /// Whether contact was actually made.
    pub enum EncounterOutcome {
        /// The peer tried but did not reach the participant.
        Attempted = "attempted" => "Attempted (no contact made)",
        /// Contact was made.
        Completed = "completed" => "Completed",
    }
}

impl EncounterOutcome {
    /// Whether an encounter with this outcome counts toward the high-risk window's contact targets.
    pub const fn counts_as_contact(&self) -> bool {
        matches!(self, Self::Completed)
    }
}

vocabulary! {
    /// The life domains a recovery and reentry plan's goals fall into.
    pub enum GoalDomain {
        SubstanceUse = "substance_use" => "Substance use",
        MentalHealth = "mental_health" => "Mental health",
        PhysicalHealth = "physical_health" => "Physical health and medication (incl. MOUD)",
        Housing = "housing" => "Housing",
        EmploymentEducation = "employment_education" => "Employment and education",
        IncomeBenefitsInsurance = "income_benefits_insurance" => "Income, benefits and health insurance",
        IdentityDocuments = "identity_documents" => "Identity documents",
        FamilySocialSupport = "family_social_support" => "Family and social support",
        LegalObligations = "legal_obligations" => "Legal obligations (court dates, supervision, fines and fees)",
        Transportation = "transportation" => "Transportation",
    }
}

vocabulary! {
    /// Progress of a goal or goal step.
    pub enum GoalStatus {
        NotStarted = "not_started" => "Not started",
        InProgress = "in_progress" => "In progress",
        Done = "done" => "Done",
        Dropped = "dropped" => "Dropped",
    }
}

impl GoalStatus {
    /// Whether the goal still needs work (not started or in progress).
    pub const fn is_open(&self) -> bool {
        matches!(self, Self::NotStarted | Self::InProgress)
    }
}

vocabulary! {
    /// What a referral is for.
    pub enum ReferralType {
        Treatment = "treatment" => "Substance use treatment",
        Moud = "moud" => "Medication for opioid use disorder (MOUD)",
        MentalHealth = "mental_health" => "Mental health",
        Housing = "housing" => "Housing",
        Employment = "employment" => "Employment",
        Benefits = "benefits" => "Benefits and health insurance",
        Medical = "medical" => "Medical care",
        RecoveryCommunity = "recovery_community" => "Recovery community",
        Legal = "legal" => "Legal help",
        Other = "other" => "Other",
    }
}

vocabulary! {
    /// Status of a closed-loop referral (after findhelp's statuses).
    pub enum ReferralStatus {
        Pending = "pending" => "Pending",
        NeedsClientAction = "needs_client_action" => "Needs client action",
        Scheduled = "scheduled" => "Scheduled",
        /// The participant attended: the referral is linked.
        Attended = "attended" => "Attended",
        CouldNotContact = "could_not_contact" => "Could not contact",
        NotEligible = "not_eligible" => "Not eligible",
        NoCapacity = "no_capacity" => "No capacity",
        CouldNotGetHelp = "could_not_get_help" => "Could not get help",
        NoLongerInterested = "no_longer_interested" => "No longer interested",
        ReferredElsewhere = "referred_elsewhere" => "Referred elsewhere",
    }
}

impl ReferralStatus {
    /// Whether moving to this status needs a written reason (the unsuccessful outcomes).
    pub const fn requires_reason(&self) -> bool {
        matches!(
            self,
            Self::CouldNotContact
                | Self::NotEligible
                | Self::NoCapacity
                | Self::CouldNotGetHelp
                | Self::NoLongerInterested
                | Self::ReferredElsewhere
        )
    }

    /// Whether this status means the participant was linked to the service (attended).
    pub const fn is_linkage(&self) -> bool {
        matches!(self, Self::Attended)
    }

    /// Whether the referral is still in progress (pending, needs client action, scheduled).
    pub const fn is_open(&self) -> bool {
        matches!(
            self,
            Self::Pending | Self::NeedsClientAction | Self::Scheduled
        )
    }
}

/// Checks that a referral can move to `status` with the given `reason`.
///
/// Unsuccessful statuses ([`ReferralStatus::requires_reason`]) need a reason that is not blank.
/// The error message starts with the field name `reason`.
pub fn validate_referral_transition(
    status: ReferralStatus,
    reason: Option<&str>,
) -> Result<(), String> {
    let has_reason = reason.is_some_and(|r| !r.trim().is_empty());
    if status.requires_reason() && !has_reason {
        return Err(format!(
            "reason: a reason is required when a referral is marked \"{}\"",
            status.label()
        ));
    }
    Ok(())
}

vocabulary! {
    /// SAMHSA's 12 core competency areas for peer workers; tags training and supervision topics.
    pub enum CompetencyArea {
        Engaging = "engaging" => "Engages peers in collaborative and caring relationships",
        Supporting = "supporting" => "Provides support",
        SharingLivedExperience = "sharing_lived_experience" => "Shares lived experiences of recovery",
        Personalizing = "personalizing" => "Personalizes peer support",
        RecoveryPlanning = "recovery_planning" => "Supports recovery planning",
        LinkingToResources = "linking_to_resources" => "Links to resources, services and supports",
        HealthWellnessInformation = "health_wellness_information" => "Provides information about skills related to health, wellness and recovery",
        Crisis = "crisis" => "Helps peers to manage crises",
        Communication = "communication" => "Values communication",
        Collaboration = "collaboration" => "Supports collaboration and teamwork",
        Advocacy = "advocacy" => "Promotes leadership and advocacy",
        Growth = "growth" => "Promotes growth and development",
    }
}

// ---------------------------------------------------------------------------------------------
// b) Release readiness checklist
// ---------------------------------------------------------------------------------------------

vocabulary! {
    /// One item of the release readiness checklist.
    pub enum ChecklistItemKind {
        IdentityDocuments = "identity_documents" => "Identity documents",
        HealthInsurance = "health_insurance" => "Health insurance",
        MoudContinuity = "moud_continuity" => "MOUD continuity",
        Naloxone = "naloxone" => "Naloxone kit and training",
        FirstNightHousing = "first_night_housing" => "First-night housing",
        TransportFromGate = "transport_from_gate" => "Transport from the gate",
        CommunityProviderAppointment = "community_provider_appointment" => "Community provider appointment",
        PeerMeeting = "peer_meeting" => "Peer meeting at release",
    }
}

impl ChecklistItemKind {
    /// Plain-language description of what "done" means for this item.
    pub const fn description(&self) -> &'static str {
        match self {
            Self::IdentityDocuments => {
                "State ID, birth certificate and Social Security card are in hand or ordered, so the person can get benefits, housing and work."
            }
            Self::HealthInsurance => {
                "Medicaid or other health insurance is reinstated or applied for, so care and medication are covered from the first day."
            }
            Self::MoudContinuity => {
                "For anyone on medication for opioid use disorder: an appointment with a community prescriber within 72 hours of release, and a bridge supply to cover the gap."
            }
            Self::Naloxone => {
                "A naloxone kit in hand at release, and training on how to use it. Tolerance drops in custody, so overdose risk is highest in the first two weeks out."
            }
            Self::FirstNightHousing => {
                "A safe place to sleep on the night of release is confirmed."
            }
            Self::TransportFromGate => {
                "A ride or fare is arranged from the facility to housing and to the first appointments."
            }
            Self::CommunityProviderAppointment => {
                "An appointment is booked with a community treatment, mental health or medical provider."
            }
            Self::PeerMeeting => {
                "A peer meets the person at the gate or within 24 hours of release."
            }
        }
    }
}

/// Which checklist items a program uses and when each is due, in days relative to the expected
/// release date (negative = before release). Each kind should appear at most once; if a kind is
/// repeated, its first offset is the one used when re-planning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistTemplate {
    /// `(item, due offset in days relative to the expected release date)`.
    pub items: Vec<(ChecklistItemKind, i32)>,
}

impl Default for ChecklistTemplate {
    /// Every item, due early enough to be arranged before the gate opens.
    fn default() -> Self {
        Self {
            items: vec![
                (ChecklistItemKind::IdentityDocuments, -30),
                (ChecklistItemKind::HealthInsurance, -30),
                (ChecklistItemKind::MoudContinuity, -14),
                (ChecklistItemKind::Naloxone, -7),
                (ChecklistItemKind::FirstNightHousing, -14),
                (ChecklistItemKind::TransportFromGate, -3),
                (ChecklistItemKind::CommunityProviderAppointment, -7),
                (ChecklistItemKind::PeerMeeting, 0),
            ],
        }
    }
}

impl ChecklistTemplate {
    /// The due offset of `kind` (its first entry), or `None` if the template does not use it.
    pub fn offset_for(&self, kind: ChecklistItemKind) -> Option<i32> {
        self.items
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, offset)| *offset)
    }

    /// The due date of `kind` for a given expected release date, or `None` if not in the template.
    pub fn due_on(
        &self,
        kind: ChecklistItemKind,
        expected_release: NaiveDate,
    ) -> Option<NaiveDate> {
        self.offset_for(kind)
            .map(|offset| add_days(expected_release, i64::from(offset)))
    }
}

/// One item of a participant's release readiness checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// What has to be arranged.
    pub kind: ChecklistItemKind,
    /// When it should be done by.
    pub due_on: NaiveDate,
    /// When it was done, if it has been.
    pub done_on: Option<NaiveDate>,
}

impl ChecklistItem {
    /// Whether the item has been done.
    pub const fn is_done(&self) -> bool {
        self.done_on.is_some()
    }

    /// Whether the item is still open and its due date has passed.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        !self.is_done() && self.due_on < today
    }
}

/// A fresh checklist for an expected release date: one open item per template entry, in template
/// order, each due `offset` days from `expected_release` (saturating at the ends of the calendar).
pub fn plan(template: &ChecklistTemplate, expected_release: NaiveDate) -> Vec<ChecklistItem> {
    template
        .items
        .iter()
        .map(|&(kind, offset)| ChecklistItem {
            kind,
            due_on: add_days(expected_release, i64::from(offset)),
            done_on: None,
        })
        .collect()
}

/// Re-plans a checklist when the expected release date changes.
///
/// - Done items are returned unchanged (same `due_on` and `done_on`).
/// - Open items get the due date the template gives for `new_expected_release`, but never earlier
///   than `today`: when a release moves earlier, an item starts out due today rather than overdue.
/// - Open items whose kind is not in the template keep their due date.
///
/// The result has the same items, in the same order; nothing is added or removed. Re-planning twice
/// for the same date and day gives the same result.
pub fn replan(
    items: &[ChecklistItem],
    template: &ChecklistTemplate,
    new_expected_release: NaiveDate,
    today: NaiveDate,
) -> Vec<ChecklistItem> {
    items
        .iter()
        .map(|item| {
            if item.is_done() {
                return item.clone();
            }
            match template.due_on(item.kind, new_expected_release) {
                Some(computed) => ChecklistItem {
                    due_on: computed.max(today),
                    ..item.clone()
                },
                None => item.clone(),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// c) The high-risk window after release
// ---------------------------------------------------------------------------------------------

/// Contact targets for the high-risk window after release. Configurable per program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContactTargets {
    /// First completed contact due this many hours after release (default 24).
    pub first_contact_hours: u32,
    /// At least this many completed contacts within the window (default 3).
    pub min_contacts: u32,
    /// Length of the window in days after release (default 14).
    pub window_days: u32,
}

impl Default for ContactTargets {
    fn default() -> Self {
        Self {
            first_contact_hours: 24,
            min_contacts: 3,
            window_days: 14,
        }
    }
}

/// Whether a contact target has been met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TargetState {
    /// The target has been met.
    Met,
    /// Not met yet, and there is still time until `due`.
    Pending {
        /// Deadline for the target.
        due: NaiveDateTime,
    },
    /// Not met by `due`, which has passed.
    Missed {
        /// The deadline that was missed.
        due: NaiveDateTime,
    },
}

impl TargetState {
    /// Stable snake_case code of the state (the serde tag).
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::Pending { .. } => "pending",
            Self::Missed { .. } => "missed",
        }
    }

    /// Human-readable English label.
    pub const fn label(&self) -> &'static str {
        match self {
            Self::Met => "Met",
            Self::Pending { .. } => "Pending",
            Self::Missed { .. } => "Missed",
        }
    }

    /// The deadline, unless the target is met.
    pub const fn due(&self) -> Option<NaiveDateTime> {
        match self {
            Self::Met => None,
            Self::Pending { due } | Self::Missed { due } => Some(*due),
        }
    }

    /// Whether the target was missed.
    pub const fn is_missed(&self) -> bool {
        matches!(self, Self::Missed { .. })
    }

    /// 0 = met, 1 = pending, 2 = missed: higher is worse.
    pub const fn severity(&self) -> u8 {
        match self {
            Self::Met => 0,
            Self::Pending { .. } => 1,
            Self::Missed { .. } => 2,
        }
    }
}

/// A pending deadline this close (or closer) makes the participant at risk.
pub const AT_RISK_HOURS: i64 = 24;

/// Where a participant stands against the contact targets of the high-risk window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WindowStatus {
    /// A completed contact within `first_contact_hours` of release.
    pub first_contact: TargetState,
    /// At least `min_contacts` completed contacts within the window.
    pub contacts: TargetState,
    /// Completed contacts that fell inside the window.
    pub completed_in_window: u32,
    /// Whole hours from `now` to the nearest pending deadline; `None` if nothing is pending.
    pub hours_to_next_deadline: Option<i64>,
    /// A target was missed, or a pending deadline is within [`AT_RISK_HOURS`]: escalate.
    pub at_risk: bool,
}

/// The high-risk window after a release: from `released_at` to `released_at + window_days`
/// (both ends included). Day 0 is the first 24 hours after release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RiskWindow {
    released_at: NaiveDateTime,
    targets: ContactTargets,
}

impl RiskWindow {
    /// The window for a release at `released_at` (UTC) with the program's contact targets.
    pub const fn new(released_at: NaiveDateTime, targets: ContactTargets) -> Self {
        Self {
            released_at,
            targets,
        }
    }

    /// When the participant was released (UTC).
    pub const fn released_at(&self) -> NaiveDateTime {
        self.released_at
    }

    /// The contact targets in force.
    pub const fn targets(&self) -> ContactTargets {
        self.targets
    }

    /// End of the window: `released_at + window_days`.
    pub fn ends_at(&self) -> NaiveDateTime {
        add_forward(
            self.released_at,
            TimeDelta::try_days(i64::from(self.targets.window_days)),
        )
    }

    /// Deadline for the first contact: `released_at + first_contact_hours`.
    pub fn first_contact_due(&self) -> NaiveDateTime {
        add_forward(
            self.released_at,
            TimeDelta::try_hours(i64::from(self.targets.first_contact_hours)),
        )
    }

    /// Whether `now` lies within the window (`released_at <= now <= ends_at`).
    pub fn in_window(&self, now: NaiveDateTime) -> bool {
        self.released_at <= now && now <= self.ends_at()
    }

    /// Whole days since release (0 in the first 24 hours) while `now` is in the window, else `None`.
    /// Ranges over `0..=window_days`; it equals `window_days` only at the window's last instant.
    pub fn day_of_window(&self, now: NaiveDateTime) -> Option<u32> {
        if !self.in_window(now) {
            return None;
        }
        u32::try_from((now - self.released_at).num_days()).ok()
    }

    /// Assesses the contact targets at `now`, given the times of completed contacts.
    ///
    /// Pass only contacts that were actually made ([`EncounterOutcome::counts_as_contact`]).
    /// Contacts before release or after the end of the window are ignored.
    /// - First contact: met if a contact was completed by its deadline; missed if none was and the
    ///   deadline has passed (a late contact does not turn a missed target into a met one).
    /// - Contacts: met once `min_contacts` were completed in the window; missed if the window is
    ///   over (`now >= ends_at`) with fewer.
    /// - At risk: any target missed, or a pending deadline within [`AT_RISK_HOURS`] of `now`.
    pub fn assess(&self, completed_contacts: &[NaiveDateTime], now: NaiveDateTime) -> WindowStatus {
        let ends_at = self.ends_at();
        let first_due = self.first_contact_due();
        let in_window: Vec<NaiveDateTime> = completed_contacts
            .iter()
            .copied()
            .filter(|&at| self.released_at <= at && at <= ends_at)
            .collect();
        let completed_in_window = u32::try_from(in_window.len()).unwrap_or(u32::MAX);

        let first_contact = if in_window.iter().any(|&at| at <= first_due) {
            TargetState::Met
        } else if now > first_due {
            TargetState::Missed { due: first_due }
        } else {
            TargetState::Pending { due: first_due }
        };

        let contacts = if completed_in_window >= self.targets.min_contacts {
            TargetState::Met
        } else if now >= ends_at {
            TargetState::Missed { due: ends_at }
        } else {
            TargetState::Pending { due: ends_at }
        };

        let next_deadline = [first_contact, contacts]
            .iter()
            .filter_map(|state| match state {
                TargetState::Pending { due } => Some(*due),
                _ => None,
            })
            .min();
        let hours_to_next_deadline = next_deadline.map(|due| (due - now).num_hours());
        let at_risk = first_contact.is_missed()
            || contacts.is_missed()
            || next_deadline.is_some_and(|due| due - now <= TimeDelta::hours(AT_RISK_HOURS));

        WindowStatus {
            first_contact,
            contacts,
            completed_in_window,
            hours_to_next_deadline,
            at_risk,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// d) Flags raised at release
// ---------------------------------------------------------------------------------------------

/// A release this many days (or fewer) before the expected date is not flagged as early.
pub const EARLY_RELEASE_TOLERANCE_DAYS: i64 = 2;

/// Something about a release that the peer and supervisor should know at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum ReleaseFlag {
    /// Released with no expected release date or no readiness checklist: an unannounced release.
    NoPlan,
    /// Released more than [`EARLY_RELEASE_TOLERANCE_DAYS`] before the expected date.
    Early {
        /// Days between the release and the expected date.
        days: i64,
    },
    /// Released with checklist items still open.
    ChecklistIncomplete {
        /// Number of open items.
        open: usize,
    },
}

impl ReleaseFlag {
    /// Stable snake_case code of the flag (the serde tag).
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::NoPlan => "no_plan",
            Self::Early { .. } => "early",
            Self::ChecklistIncomplete { .. } => "checklist_incomplete",
        }
    }

    /// Human-readable English label.
    pub const fn label(&self) -> &'static str {
        match self {
            Self::NoPlan => "Released without a release plan",
            Self::Early { .. } => "Released earlier than expected",
            Self::ChecklistIncomplete { .. } => "Released with the readiness checklist incomplete",
        }
    }

    /// Whether the release came without (enough) warning: no plan, or early.
    pub const fn is_unannounced(&self) -> bool {
        matches!(self, Self::NoPlan | Self::Early { .. })
    }
}

/// The flags to raise for a release on `released_on`.
///
/// - [`ReleaseFlag::NoPlan`] if there was no expected release date or no checklist at all.
/// - [`ReleaseFlag::Early`] if released more than [`EARLY_RELEASE_TOLERANCE_DAYS`] days before the
///   expected date.
/// - [`ReleaseFlag::ChecklistIncomplete`] if a checklist exists and some items are still open.
///
/// Flags come in that order. An empty result means the release went to plan.
pub fn release_flags(
    expected_release: Option<NaiveDate>,
    checklist_done_count: usize,
    checklist_len: usize,
    released_on: NaiveDate,
) -> Vec<ReleaseFlag> {
    let mut flags = Vec::new();
    if expected_release.is_none() || checklist_len == 0 {
        flags.push(ReleaseFlag::NoPlan);
    }
    if let Some(expected) = expected_release {
        let days = (expected - released_on).num_days();
        if days > EARLY_RELEASE_TOLERANCE_DAYS {
            flags.push(ReleaseFlag::Early { days });
        }
    }
    let open = checklist_len.saturating_sub(checklist_done_count);
    if open > 0 {
        flags.push(ReleaseFlag::ChecklistIncomplete { open });
    }
    flags
}

// ---------------------------------------------------------------------------------------------
// e) Follow-ups
// ---------------------------------------------------------------------------------------------

vocabulary! {
    /// A follow-up point after the anchor date (usually release or enrolment in the community).
    pub enum FollowUpPoint {
        Day30 = "day30" => "30-day follow-up",
        Day90 = "day90" => "90-day follow-up",
        Day180 = "day180" => "180-day follow-up",
        Day365 = "day365" => "365-day follow-up",
    }
}

impl FollowUpPoint {
    /// Days after the anchor date that the follow-up is due.
    pub const fn days(&self) -> u32 {
        match self {
            Self::Day30 => 30,
            Self::Day90 => 90,
            Self::Day180 => 180,
            Self::Day365 => 365,
        }
    }
}

/// A follow-up becomes due this many days before its due date.
pub const FOLLOWUP_OPENS_DAYS_BEFORE: i64 = 7;

/// A follow-up not done more than this many days after its due date is overdue.
pub const FOLLOWUP_GRACE_DAYS_AFTER: i64 = 14;

vocabulary! {
    /// Where a follow-up stands on a given day.
    pub enum FollowUpState {
        /// More than [`FOLLOWUP_OPENS_DAYS_BEFORE`] days before the due date.
        Upcoming = "upcoming" => "Upcoming",
        /// From [`FOLLOWUP_OPENS_DAYS_BEFORE`] days before to [`FOLLOWUP_GRACE_DAYS_AFTER`] days after.
        Due = "due" => "Due now",
        /// More than [`FOLLOWUP_GRACE_DAYS_AFTER`] days after the due date and not done.
        Overdue = "overdue" => "Overdue",
        /// Completed.
        Done = "done" => "Done",
    }
}

/// The follow-up dates for an anchor date, in order. A point that would fall past the end of the
/// calendar is left out (never happens for real dates).
pub fn followup_schedule(anchor: NaiveDate) -> Vec<(FollowUpPoint, NaiveDate)> {
    FollowUpPoint::ALL
        .iter()
        .filter_map(|&point| {
            TimeDelta::try_days(i64::from(point.days()))
                .and_then(|delta| anchor.checked_add_signed(delta))
                .map(|due| (point, due))
        })
        .collect()
}

/// The state of a follow-up due on `due`, completed on `completed_on` (if it was), on `today`.
pub fn followup_state(
    due: NaiveDate,
    completed_on: Option<NaiveDate>,
    today: NaiveDate,
) -> FollowUpState {
    if completed_on.is_some() {
        return FollowUpState::Done;
    }
    let days_after_due = (today - due).num_days();
    if days_after_due < -FOLLOWUP_OPENS_DAYS_BEFORE {
        FollowUpState::Upcoming
    } else if days_after_due <= FOLLOWUP_GRACE_DAYS_AFTER {
        FollowUpState::Due
    } else {
        FollowUpState::Overdue
    }
}

// ---------------------------------------------------------------------------------------------
// f) Caseload urgency
// ---------------------------------------------------------------------------------------------

/// A release this many days away (or fewer, down to today) makes the participant "release soon".
pub const RELEASE_SOON_DAYS: i64 = 7;

vocabulary! {
    /// How urgently a participant needs attention. Ordered most urgent first, so sorting a caseload
    /// by `Urgency` puts people in the high-risk window at the top.
    pub enum Urgency {
        /// In the high-risk window and a contact target is missed or due within 24 hours.
        WindowAtRisk = "window_at_risk" => "High-risk window: contact needed now",
        /// In the high-risk window.
        InWindow = "in_window" => "In the high-risk window",
        /// Expected release within a week.
        ReleaseSoon = "release_soon" => "Release within 7 days",
        /// Overdue tasks or follow-ups.
        Overdue = "overdue" => "Overdue work",
        /// Nothing pressing.
        Routine = "routine" => "Routine",
    }
}

/// What the caseload knows about one participant, for [`urgency`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrgencyInput {
    /// The window assessment, only while the participant is in the high-risk window
    /// ([`RiskWindow::in_window`]); `None` otherwise.
    pub window: Option<WindowStatus>,
    /// Days from today to the expected release date (negative if it has passed), if known.
    pub days_to_expected_release: Option<i64>,
    /// Overdue plan steps and checklist items.
    pub overdue_tasks: u32,
    /// Overdue follow-ups.
    pub overdue_followups: u32,
}

/// The participant's urgency: the first that applies of window at risk, in window, release within
/// [`RELEASE_SOON_DAYS`] days (0..=7), overdue work, routine.
pub fn urgency(input: &UrgencyInput) -> Urgency {
    if let Some(window) = &input.window {
        return if window.at_risk {
            Urgency::WindowAtRisk
        } else {
            Urgency::InWindow
        };
    }
    if input
        .days_to_expected_release
        .is_some_and(|days| (0..=RELEASE_SOON_DAYS).contains(&days))
    {
        return Urgency::ReleaseSoon;
    }
    if input.overdue_tasks > 0 || input.overdue_followups > 0 {
        return Urgency::Overdue;
    }
    Urgency::Routine
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};
    use std::collections::HashSet;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        date(y, m, d)
            .and_hms_opt(h, min, 0)
            .expect("valid test time")
    }

    // --- vocabularies -------------------------------------------------------------------------

    /// Checks one vocabulary: codes round-trip through `parse` and serde, are unique snake_case,
    /// labels are non-empty.
    macro_rules! check_vocabulary {
        ($($ty:ty),+ $(,)?) => {$(
            {
                let mut codes = HashSet::new();
                for value in <$ty>::ALL {
                    let code = value.as_str();
                    assert_eq!(<$ty>::parse(code), Some(*value), "parse {code}");
                    let de: StrDeserializer<'_, DeError> = code.into_deserializer();
                    assert_eq!(<$ty>::deserialize(de), Ok(*value), "serde {code}");
                    assert!(code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
                    assert!(!value.label().trim().is_empty(), "label of {code}");
                    assert!(codes.insert(code), "duplicate code {code}");
                    assert_eq!(<$ty>::parse(&code.to_uppercase()), None);
                }
                assert_eq!(<$ty>::parse(""), None);
            }
        )+};
    }

    #[test]
    fn vocabularies_are_consistent() {
        check_vocabulary!(
            Setting,
            DischargeReason,
            CustodyEventKind,
            ReleaseDateCertainty,
            EncounterMode,
            EncounterKind,
            EncounterOutcome,
            GoalDomain,
            GoalStatus,
            ReferralType,
            ReferralStatus,
            CompetencyArea,
            ChecklistItemKind,
            FollowUpPoint,
            FollowUpState,
            Urgency,
        );
    }

    #[test]
    fn vocabulary_sizes_match_the_domain() {
        assert_eq!(Setting::ALL.len(), 4);
        assert_eq!(DischargeReason::ALL.len(), 7);
        assert_eq!(CustodyEventKind::ALL.len(), 7);
        assert_eq!(GoalDomain::ALL.len(), 10);
        assert_eq!(ReferralType::ALL.len(), 10);
        assert_eq!(ReferralStatus::ALL.len(), 10);
        assert_eq!(CompetencyArea::ALL.len(), 12);
        assert_eq!(ChecklistItemKind::ALL.len(), 8);
        assert_eq!(Setting::ShortTerm.label(), "Short-term (jail, pretrial)");
        assert_eq!(
            CompetencyArea::parse("health_wellness_information"),
            Some(CompetencyArea::HealthWellnessInformation)
        );
        assert_eq!(
            GoalDomain::parse("physical_health"),
            Some(GoalDomain::PhysicalHealth)
        );
        assert!(GoalDomain::PhysicalHealth.label().contains("MOUD"));
    }

    #[test]
    fn settings_know_custody() {
        assert!(Setting::ShortTerm.is_custody());
        assert!(Setting::MediumTerm.is_custody());
        assert!(Setting::LongTerm.is_custody());
        assert!(!Setting::Community.is_custody());
    }

    #[test]
    fn only_completed_encounters_count_as_contact() {
        assert!(EncounterOutcome::Completed.counts_as_contact());
        assert!(!EncounterOutcome::Attempted.counts_as_contact());
    }

    #[test]
    fn goal_status_openness() {
        assert!(GoalStatus::NotStarted.is_open());
        assert!(GoalStatus::InProgress.is_open());
        assert!(!GoalStatus::Done.is_open());
        assert!(!GoalStatus::Dropped.is_open());
    }

    #[test]
    fn referral_statuses_needing_a_reason() {
        let needing: Vec<_> = ReferralStatus::ALL
            .iter()
            .filter(|s| s.requires_reason())
            .map(super::ReferralStatus::as_str)
            .collect();
        assert_eq!(
            needing,
            [
                "could_not_contact",
                "not_eligible",
                "no_capacity",
                "could_not_get_help",
                "no_longer_interested",
                "referred_elsewhere"
            ]
        );
        let linkage: Vec<_> = ReferralStatus::ALL
            .iter()
            .filter(|s| s.is_linkage())
            .collect();
        assert_eq!(linkage, [&ReferralStatus::Attended]);
        // Every status is exactly one of open, linked, or unsuccessful.
        for status in ReferralStatus::ALL {
            let kinds = [
                status.is_open(),
                status.is_linkage(),
                status.requires_reason(),
            ];
            assert_eq!(
                kinds.iter().filter(|k| **k).count(),
                1,
                "{}",
                status.as_str()
            );
        }
    }

    #[test]
    fn referral_transition_requires_a_non_blank_reason() {
        assert_eq!(
            validate_referral_transition(ReferralStatus::Scheduled, None),
            Ok(())
        );
        assert_eq!(
            validate_referral_transition(ReferralStatus::Attended, None),
            Ok(())
        );
        assert_eq!(
            validate_referral_transition(ReferralStatus::NoCapacity, Some("Waitlist of 6 weeks")),
            Ok(())
        );
        let err = validate_referral_transition(ReferralStatus::NoCapacity, None)
            .expect_err("reason required");
        assert!(err.starts_with("reason: "), "{err}");
        assert!(err.contains("No capacity"), "{err}");
        let err = validate_referral_transition(ReferralStatus::NotEligible, Some("  \t\n"))
            .expect_err("blank reason");
        assert!(err.starts_with("reason: "), "{err}");
    }

    // --- checklist ----------------------------------------------------------------------------

    #[test]
    fn default_template_covers_every_item_once() {
        let template = ChecklistTemplate::default();
        let kinds: HashSet<_> = template.items.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds.len(), template.items.len());
        assert_eq!(kinds.len(), ChecklistItemKind::ALL.len());
        assert_eq!(
            template.offset_for(ChecklistItemKind::IdentityDocuments),
            Some(-30)
        );
        assert_eq!(template.offset_for(ChecklistItemKind::PeerMeeting), Some(0));
        assert!(template.items.iter().all(|(_, offset)| *offset <= 0));
        for kind in ChecklistItemKind::ALL {
            assert!(kind.description().len() > 20);
        }
        assert!(
            ChecklistItemKind::MoudContinuity
                .description()
                .contains("72 hours")
        );
    }

    #[test]
    fn plan_sets_due_dates_from_the_expected_release() {
        let release = date(2025, 6, 30);
        let items = plan(&ChecklistTemplate::default(), release);
        assert_eq!(items.len(), 8);
        assert!(items.iter().all(|i| i.done_on.is_none()));
        let due = |kind| {
            items
                .iter()
                .find(|i| i.kind == kind)
                .map(|i| i.due_on)
                .expect("kind present")
        };
        assert_eq!(due(ChecklistItemKind::IdentityDocuments), date(2025, 5, 31));
        assert_eq!(due(ChecklistItemKind::MoudContinuity), date(2025, 6, 16));
        assert_eq!(due(ChecklistItemKind::TransportFromGate), date(2025, 6, 27));
        assert_eq!(due(ChecklistItemKind::PeerMeeting), release);
    }

    #[test]
    fn plan_saturates_instead_of_panicking() {
        let template = ChecklistTemplate {
            items: vec![
                (ChecklistItemKind::Naloxone, i32::MAX),
                (ChecklistItemKind::PeerMeeting, i32::MIN),
            ],
        };
        let items = plan(&template, date(2025, 1, 1));
        assert_eq!(items[0].due_on, NaiveDate::MAX);
        assert_eq!(items[1].due_on, NaiveDate::MIN);
    }

    #[test]
    fn replan_moves_open_items_and_keeps_done_ones() {
        let template = ChecklistTemplate::default();
        let mut items = plan(&template, date(2025, 7, 31));
        let ids = items
            .iter_mut()
            .find(|i| i.kind == ChecklistItemKind::IdentityDocuments)
            .expect("present");
        ids.done_on = Some(date(2025, 6, 20));
        let done_before = ids.clone();

        // The release moves later: open items follow it.
        let today = date(2025, 6, 25);
        let later = replan(&items, &template, date(2025, 8, 31), today);
        let naloxone = later
            .iter()
            .find(|i| i.kind == ChecklistItemKind::Naloxone)
            .expect("present");
        assert_eq!(naloxone.due_on, date(2025, 8, 24));
        assert!(later.contains(&done_before));

        // The release moves earlier, to three days from now: nothing starts out overdue.
        let sooner = replan(&items, &template, date(2025, 6, 28), today);
        for item in &sooner {
            if item.is_done() {
                assert_eq!(item, &done_before);
            } else {
                assert!(item.due_on >= today, "{item:?}");
                assert!(!item.is_overdue(today));
            }
        }
        let gate = sooner
            .iter()
            .find(|i| i.kind == ChecklistItemKind::PeerMeeting)
            .expect("present");
        assert_eq!(gate.due_on, date(2025, 6, 28));
        let insurance = sooner
            .iter()
            .find(|i| i.kind == ChecklistItemKind::HealthInsurance)
            .expect("present");
        assert_eq!(insurance.due_on, today);
    }

    #[test]
    fn replan_keeps_items_the_template_no_longer_has() {
        let custom = ChecklistItem {
            kind: ChecklistItemKind::Naloxone,
            due_on: date(2025, 3, 1),
            done_on: None,
        };
        let template = ChecklistTemplate {
            items: vec![(ChecklistItemKind::PeerMeeting, 0)],
        };
        let out = replan(
            std::slice::from_ref(&custom),
            &template,
            date(2025, 4, 1),
            date(2025, 3, 10),
        );
        assert_eq!(out, vec![custom]);
    }

    #[test]
    fn checklist_item_overdue() {
        let item = ChecklistItem {
            kind: ChecklistItemKind::Naloxone,
            due_on: date(2025, 3, 1),
            done_on: None,
        };
        assert!(!item.is_overdue(date(2025, 3, 1)));
        assert!(item.is_overdue(date(2025, 3, 2)));
        let done = ChecklistItem {
            done_on: Some(date(2025, 3, 5)),
            ..item
        };
        assert!(!done.is_overdue(date(2025, 3, 9)));
    }

    // --- high-risk window ---------------------------------------------------------------------

    fn default_window() -> RiskWindow {
        RiskWindow::new(at(2025, 3, 10, 9, 0), ContactTargets::default())
    }

    #[test]
    fn window_bounds_and_days() {
        let w = default_window();
        assert_eq!(w.ends_at(), at(2025, 3, 24, 9, 0));
        assert_eq!(w.first_contact_due(), at(2025, 3, 11, 9, 0));
        assert!(!w.in_window(at(2025, 3, 10, 8, 59)));
        assert!(w.in_window(at(2025, 3, 10, 9, 0)));
        assert!(w.in_window(at(2025, 3, 24, 9, 0)));
        assert!(!w.in_window(at(2025, 3, 24, 9, 1)));
        assert_eq!(w.day_of_window(at(2025, 3, 10, 8, 0)), None);
        assert_eq!(w.day_of_window(at(2025, 3, 10, 9, 0)), Some(0));
        assert_eq!(w.day_of_window(at(2025, 3, 11, 8, 59)), Some(0));
        assert_eq!(w.day_of_window(at(2025, 3, 11, 9, 0)), Some(1));
        assert_eq!(w.day_of_window(at(2025, 3, 24, 9, 0)), Some(14));
        assert_eq!(w.day_of_window(at(2025, 3, 25, 9, 0)), None);
    }

    #[test]
    fn just_released_with_no_contact_is_at_risk() {
        let w = default_window();
        let status = w.assess(&[], at(2025, 3, 10, 12, 0));
        assert_eq!(
            status.first_contact,
            TargetState::Pending {
                due: at(2025, 3, 11, 9, 0)
            }
        );
        assert_eq!(
            status.contacts,
            TargetState::Pending {
                due: at(2025, 3, 24, 9, 0)
            }
        );
        assert_eq!(status.completed_in_window, 0);
        assert_eq!(status.hours_to_next_deadline, Some(21));
        assert!(status.at_risk);
    }

    #[test]
    fn first_contact_made_in_time() {
        let w = default_window();
        let status = w.assess(&[at(2025, 3, 10, 15, 0)], at(2025, 3, 12, 9, 0));
        assert_eq!(status.first_contact, TargetState::Met);
        assert_eq!(status.completed_in_window, 1);
        assert_eq!(status.hours_to_next_deadline, Some(12 * 24));
        assert!(!status.at_risk);
    }

    #[test]
    fn first_contact_missed_even_if_made_late() {
        let w = default_window();
        let due = at(2025, 3, 11, 9, 0);
        let none = w.assess(&[], at(2025, 3, 11, 10, 0));
        assert_eq!(none.first_contact, TargetState::Missed { due });
        assert!(none.at_risk);
        let late = w.assess(&[at(2025, 3, 11, 12, 0)], at(2025, 3, 12, 10, 0));
        assert_eq!(late.first_contact, TargetState::Missed { due });
        assert_eq!(late.completed_in_window, 1);
        assert!(late.at_risk);
        // At the deadline itself it is still pending.
        let on_time = w.assess(&[], due);
        assert_eq!(on_time.first_contact, TargetState::Pending { due });
    }

    #[test]
    fn contact_target_met_missed_and_closing() {
        let w = default_window();
        let three = [
            at(2025, 3, 10, 10, 0),
            at(2025, 3, 13, 10, 0),
            at(2025, 3, 17, 10, 0),
        ];
        let met = w.assess(&three, at(2025, 3, 18, 0, 0));
        assert_eq!(met.contacts, TargetState::Met);
        assert_eq!(met.first_contact, TargetState::Met);
        assert_eq!(met.hours_to_next_deadline, None);
        assert!(!met.at_risk);

        let two = &three[..2];
        let mid = w.assess(two, at(2025, 3, 18, 0, 0));
        assert!(!mid.at_risk);
        let closing = w.assess(two, at(2025, 3, 23, 10, 0));
        assert_eq!(closing.hours_to_next_deadline, Some(23));
        assert!(closing.at_risk);
        let over = w.assess(two, at(2025, 3, 24, 9, 0));
        assert_eq!(
            over.contacts,
            TargetState::Missed {
                due: at(2025, 3, 24, 9, 0)
            }
        );
        assert!(over.at_risk);
    }

    #[test]
    fn at_risk_exactly_24_hours_before_a_deadline() {
        let w = default_window();
        let status = w.assess(&[], w.released_at());
        assert_eq!(status.hours_to_next_deadline, Some(24));
        assert!(status.at_risk);
    }

    #[test]
    fn contacts_outside_the_window_do_not_count() {
        let w = default_window();
        let outside = [at(2025, 3, 9, 9, 0), at(2025, 3, 24, 9, 1)];
        let status = w.assess(&outside, at(2025, 3, 30, 0, 0));
        assert_eq!(status.completed_in_window, 0);
        assert!(status.first_contact.is_missed());
        assert!(status.contacts.is_missed());
    }

    #[test]
    fn zero_min_contacts_is_always_met() {
        let targets = ContactTargets {
            min_contacts: 0,
            ..ContactTargets::default()
        };
        let w = RiskWindow::new(at(2025, 3, 10, 9, 0), targets);
        assert_eq!(
            w.assess(&[], at(2025, 4, 1, 0, 0)).contacts,
            TargetState::Met
        );
    }

    #[test]
    fn huge_targets_saturate_instead_of_panicking() {
        let targets = ContactTargets {
            first_contact_hours: u32::MAX,
            min_contacts: u32::MAX,
            window_days: u32::MAX,
        };
        let w = RiskWindow::new(at(2025, 3, 10, 9, 0), targets);
        assert_eq!(w.ends_at(), NaiveDateTime::MAX);
        assert_eq!(w.first_contact_due(), NaiveDateTime::MAX);
        let status = w.assess(&[at(2025, 3, 11, 0, 0)], at(2025, 3, 12, 0, 0));
        assert_eq!(status.first_contact, TargetState::Met);
        assert!(matches!(status.contacts, TargetState::Pending { .. }));
    }

    #[test]
    fn target_state_accessors() {
        let due = at(2025, 1, 1, 0, 0);
        assert_eq!(TargetState::Met.due(), None);
        assert_eq!(TargetState::Pending { due }.due(), Some(due));
        assert_eq!(TargetState::Missed { due }.as_str(), "missed");
        assert_eq!(TargetState::Pending { due }.label(), "Pending");
        assert!(TargetState::Met.severity() < TargetState::Pending { due }.severity());
    }

    // --- release flags ------------------------------------------------------------------------

    #[test]
    fn release_to_plan_raises_no_flags() {
        let flags = release_flags(Some(date(2025, 5, 1)), 8, 8, date(2025, 5, 1));
        assert!(flags.is_empty());
        // Two days early is within tolerance.
        let flags = release_flags(Some(date(2025, 5, 3)), 8, 8, date(2025, 5, 1));
        assert!(flags.is_empty());
        // Late releases are not flagged.
        let flags = release_flags(Some(date(2025, 4, 20)), 8, 8, date(2025, 5, 1));
        assert!(flags.is_empty());
    }

    #[test]
    fn unannounced_release_is_flagged() {
        let flags = release_flags(None, 0, 0, date(2025, 5, 1));
        assert_eq!(flags, vec![ReleaseFlag::NoPlan]);
        assert!(flags[0].is_unannounced());
        let flags = release_flags(Some(date(2025, 5, 10)), 0, 0, date(2025, 5, 1));
        assert_eq!(
            flags,
            vec![ReleaseFlag::NoPlan, ReleaseFlag::Early { days: 9 }]
        );
    }

    #[test]
    fn early_and_incomplete_release_is_flagged() {
        let flags = release_flags(Some(date(2025, 5, 4)), 5, 8, date(2025, 5, 1));
        assert_eq!(
            flags,
            vec![
                ReleaseFlag::Early { days: 3 },
                ReleaseFlag::ChecklistIncomplete { open: 3 }
            ]
        );
        assert_eq!(flags[1].as_str(), "checklist_incomplete");
        assert!(!flags[1].is_unannounced());
        assert!(!flags[1].label().is_empty());
    }

    // --- follow-ups ---------------------------------------------------------------------------

    #[test]
    fn followup_schedule_from_release() {
        let schedule = followup_schedule(date(2025, 1, 1));
        assert_eq!(
            schedule,
            vec![
                (FollowUpPoint::Day30, date(2025, 1, 31)),
                (FollowUpPoint::Day90, date(2025, 4, 1)),
                (FollowUpPoint::Day180, date(2025, 6, 30)),
                (FollowUpPoint::Day365, date(2026, 1, 1)),
            ]
        );
        assert!(followup_schedule(NaiveDate::MAX).is_empty());
    }

    #[test]
    fn followup_state_boundaries() {
        let due = date(2025, 4, 1);
        assert_eq!(
            followup_state(due, None, date(2025, 3, 24)),
            FollowUpState::Upcoming
        );
        assert_eq!(
            followup_state(due, None, date(2025, 3, 25)),
            FollowUpState::Due
        );
        assert_eq!(followup_state(due, None, due), FollowUpState::Due);
        assert_eq!(
            followup_state(due, None, date(2025, 4, 15)),
            FollowUpState::Due
        );
        assert_eq!(
            followup_state(due, None, date(2025, 4, 16)),
            FollowUpState::Overdue
        );
        assert_eq!(
            followup_state(due, Some(date(2025, 4, 20)), date(2025, 5, 1)),
            FollowUpState::Done
        );
    }

    // --- urgency ------------------------------------------------------------------------------

    fn routine_input() -> UrgencyInput {
        UrgencyInput {
            window: None,
            days_to_expected_release: None,
            overdue_tasks: 0,
            overdue_followups: 0,
        }
    }

    #[test]
    fn urgency_order_puts_the_window_first() {
        let mut all = Urgency::ALL.to_vec();
        all.reverse();
        all.sort();
        assert_eq!(all.first(), Some(&Urgency::WindowAtRisk));
        assert_eq!(all.last(), Some(&Urgency::Routine));
        assert!(Urgency::InWindow < Urgency::ReleaseSoon);
    }

    #[test]
    fn urgency_cases() {
        let w = default_window();
        let at_risk = w.assess(&[], at(2025, 3, 10, 10, 0));
        let calm = w.assess(&[at(2025, 3, 10, 10, 0)], at(2025, 3, 11, 10, 0));
        assert!(at_risk.at_risk && !calm.at_risk);

        assert_eq!(urgency(&routine_input()), Urgency::Routine);
        let input = UrgencyInput {
            window: Some(at_risk),
            overdue_tasks: 4,
            ..routine_input()
        };
        assert_eq!(urgency(&input), Urgency::WindowAtRisk);
        let input = UrgencyInput {
            window: Some(calm),
            ..routine_input()
        };
        assert_eq!(urgency(&input), Urgency::InWindow);
        for days in [0, 7] {
            let input = UrgencyInput {
                days_to_expected_release: Some(days),
                overdue_followups: 1,
                ..routine_input()
            };
            assert_eq!(urgency(&input), Urgency::ReleaseSoon);
        }
        for days in [-1, 8] {
            let input = UrgencyInput {
                days_to_expected_release: Some(days),
                ..routine_input()
            };
            assert_eq!(urgency(&input), Urgency::Routine);
        }
        let input = UrgencyInput {
            overdue_followups: 1,
            ..routine_input()
        };
        assert_eq!(urgency(&input), Urgency::Overdue);
    }

    // --- property tests -----------------------------------------------------------------------

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        // 1900-01-01 .. about 2150.
        (0i64..91_000).prop_map(|d| date(1900, 1, 1) + TimeDelta::days(d))
    }

    fn any_time() -> impl Strategy<Value = NaiveDateTime> {
        // 2000-01-01 .. about 2060, minute resolution.
        (0i64..32_000_000).prop_map(|m| at(2000, 1, 1, 0, 0) + TimeDelta::minutes(m))
    }

    fn any_kind() -> impl Strategy<Value = ChecklistItemKind> {
        prop::sample::select(ChecklistItemKind::ALL)
    }

    fn any_template() -> impl Strategy<Value = ChecklistTemplate> {
        prop::collection::vec((any_kind(), -120i32..60), 0..10)
            .prop_map(|items| ChecklistTemplate { items })
    }

    fn any_items() -> impl Strategy<Value = Vec<ChecklistItem>> {
        prop::collection::vec(
            (any_kind(), any_date(), prop::option::of(any_date())),
            0..12,
        )
        .prop_map(|v| {
            v.into_iter()
                .map(|(kind, due_on, done_on)| ChecklistItem {
                    kind,
                    due_on,
                    done_on,
                })
                .collect()
        })
    }

    fn any_targets() -> impl Strategy<Value = ContactTargets> {
        (1u32..=30, 0u32..=8).prop_flat_map(|(window_days, min_contacts)| {
            (0..=24 * window_days).prop_map(move |first_contact_hours| ContactTargets {
                first_contact_hours,
                min_contacts,
                window_days,
            })
        })
    }

    /// Contacts as minute offsets from release, some before it and some after the window.
    fn any_offsets() -> impl Strategy<Value = Vec<i64>> {
        prop::collection::vec(-3_000i64..50_000, 0..8)
    }

    fn contacts_from(released_at: NaiveDateTime, offsets: &[i64]) -> Vec<NaiveDateTime> {
        offsets
            .iter()
            .map(|m| released_at + TimeDelta::minutes(*m))
            .collect()
    }

    fn not_worse(after: &WindowStatus, before: &WindowStatus) -> bool {
        after.first_contact.severity() <= before.first_contact.severity()
            && after.contacts.severity() <= before.contacts.severity()
            && after.completed_in_window >= before.completed_in_window
            && (!after.at_risk || before.at_risk)
    }

    proptest! {
        #[test]
        fn vocabulary_parse_accepts_only_codes(s in "[a-z_0-9]{0,30}") {
            if let Some(v) = ReferralStatus::parse(&s) {
                prop_assert_eq!(v.as_str(), s.as_str());
            }
            if let Some(v) = GoalDomain::parse(&s) {
                prop_assert_eq!(v.as_str(), s.as_str());
            }
            if let Some(v) = Urgency::parse(&s) {
                prop_assert_eq!(v.as_str(), s.as_str());
            }
        }

        #[test]
        fn referral_reason_rule(index in 0usize..10, reason in prop::option::of("\\PC{0,10}")) {
            let status = ReferralStatus::ALL[index];
            let blank = reason.as_deref().is_none_or(|r| r.trim().is_empty());
            let result = validate_referral_transition(status, reason.as_deref());
            prop_assert_eq!(result.is_err(), status.requires_reason() && blank);
        }

        #[test]
        fn replan_never_touches_done_items(
            items in any_items(),
            template in any_template(),
            new_release in any_date(),
            today in any_date(),
        ) {
            let out = replan(&items, &template, new_release, today);
            prop_assert_eq!(out.len(), items.len());
            for (before, after) in items.iter().zip(&out) {
                prop_assert_eq!(before.kind, after.kind);
                prop_assert_eq!(before.done_on, after.done_on);
                if before.is_done() {
                    prop_assert_eq!(before, after);
                }
            }
        }

        #[test]
        fn replan_open_items_are_never_due_before_min_of_today_and_computed(
            items in any_items(),
            template in any_template(),
            new_release in any_date(),
            today in any_date(),
        ) {
            let out = replan(&items, &template, new_release, today);
            for item in out.iter().filter(|i| !i.is_done()) {
                if let Some(computed) = template.due_on(item.kind, new_release) {
                    prop_assert!(item.due_on >= today.min(computed));
                    prop_assert!(item.due_on >= today);
                    prop_assert_eq!(item.due_on, computed.max(today));
                }
            }
        }

        #[test]
        fn replan_is_idempotent(
            items in any_items(),
            template in any_template(),
            new_release in any_date(),
            today in any_date(),
        ) {
            let once = replan(&items, &template, new_release, today);
            let twice = replan(&once, &template, new_release, today);
            prop_assert_eq!(once, twice);
        }

        #[test]
        fn replan_preserves_the_kinds(
            items in any_items(),
            template in any_template(),
            new_release in any_date(),
            today in any_date(),
        ) {
            let out = replan(&items, &template, new_release, today);
            let before: Vec<_> = items.iter().map(|i| i.kind).collect();
            let after: Vec<_> = out.iter().map(|i| i.kind).collect();
            prop_assert_eq!(before, after);
        }

        #[test]
        fn plan_follows_the_template(template in any_template(), release in any_date()) {
            let items = plan(&template, release);
            prop_assert_eq!(items.len(), template.items.len());
            for (item, (kind, offset)) in items.iter().zip(&template.items) {
                prop_assert_eq!(item.kind, *kind);
                prop_assert_eq!(item.due_on, release + TimeDelta::days(i64::from(*offset)));
                prop_assert!(item.done_on.is_none());
            }
        }

        #[test]
        fn window_deadlines_lie_within_the_window(
            released_at in any_time(),
            targets in any_targets(),
            offsets in any_offsets(),
            now_offset in -3_000i64..60_000,
        ) {
            let w = RiskWindow::new(released_at, targets);
            let limit = released_at + TimeDelta::days(i64::from(targets.window_days));
            prop_assert_eq!(w.ends_at(), limit);
            prop_assert!(released_at <= w.first_contact_due() && w.first_contact_due() <= limit);
            let now = released_at + TimeDelta::minutes(now_offset);
            let status = w.assess(&contacts_from(released_at, &offsets), now);
            for due in [status.first_contact.due(), status.contacts.due()].into_iter().flatten() {
                prop_assert!(released_at <= due && due <= limit);
            }
            if let Some(hours) = status.hours_to_next_deadline {
                prop_assert!(hours >= 0);
            }
        }

        #[test]
        fn adding_a_contact_never_makes_status_worse(
            released_at in any_time(),
            targets in any_targets(),
            offsets in any_offsets(),
            extra in -3_000i64..50_000,
            now_offset in -3_000i64..60_000,
        ) {
            let w = RiskWindow::new(released_at, targets);
            let now = released_at + TimeDelta::minutes(now_offset);
            let contacts = contacts_from(released_at, &offsets);
            let before = w.assess(&contacts, now);
            let mut more = contacts.clone();
            more.push(released_at + TimeDelta::minutes(extra));
            let after = w.assess(&more, now);
            prop_assert!(not_worse(&after, &before), "before {:?}, after {:?}", before, after);
        }

        #[test]
        fn contacts_outside_the_window_change_nothing(
            released_at in any_time(),
            targets in any_targets(),
            offsets in any_offsets(),
            before_release in prop::collection::vec(1i64..100_000, 0..4),
            after_window in prop::collection::vec(1i64..100_000, 0..4),
            now_offset in -3_000i64..60_000,
        ) {
            let w = RiskWindow::new(released_at, targets);
            let now = released_at + TimeDelta::minutes(now_offset);
            let contacts = contacts_from(released_at, &offsets);
            let mut noisy = contacts.clone();
            noisy.extend(before_release.iter().map(|m| released_at - TimeDelta::minutes(*m)));
            noisy.extend(after_window.iter().map(|m| w.ends_at() + TimeDelta::minutes(*m)));
            prop_assert_eq!(w.assess(&noisy, now), w.assess(&contacts, now));
        }

        #[test]
        fn day_of_window_is_bounded(
            released_at in any_time(),
            targets in any_targets(),
            now_offset in -3_000i64..60_000,
        ) {
            let w = RiskWindow::new(released_at, targets);
            let now = released_at + TimeDelta::minutes(now_offset);
            match w.day_of_window(now) {
                Some(day) => {
                    prop_assert!(w.in_window(now));
                    prop_assert!(day <= targets.window_days);
                }
                None => prop_assert!(!w.in_window(now)),
            }
        }

        #[test]
        fn release_flags_rules(
            expected_offset in prop::option::of(-30i64..30),
            done in 0usize..10,
            len in 0usize..10,
            released_on in any_date(),
        ) {
            let expected = expected_offset.map(|d| released_on + TimeDelta::days(d));
            let flags = release_flags(expected, done, len, released_on);
            prop_assert_eq!(
                flags.contains(&ReleaseFlag::NoPlan),
                expected.is_none() || len == 0
            );
            let early = flags.iter().any(|f| matches!(f, ReleaseFlag::Early { .. }));
            prop_assert_eq!(early, expected_offset.is_some_and(|d| d > 2));
            let open = flags.iter().find_map(|f| match f {
                ReleaseFlag::ChecklistIncomplete { open } => Some(*open),
                _ => None,
            });
            prop_assert_eq!(open.unwrap_or(0), len.saturating_sub(done));
        }

        #[test]
        fn followup_schedule_is_anchor_plus_days(anchor in any_date()) {
            let schedule = followup_schedule(anchor);
            prop_assert_eq!(schedule.len(), 4);
            for (point, due) in &schedule {
                prop_assert_eq!(*due, anchor + TimeDelta::days(i64::from(point.days())));
            }
            for pair in schedule.windows(2) {
                prop_assert!(pair[0].1 < pair[1].1);
            }
        }

        #[test]
        fn followup_state_only_moves_forward(due in any_date(), a in -400i64..400, b in -400i64..400) {
            let rank = |s: FollowUpState| match s {
                FollowUpState::Upcoming => 0,
                FollowUpState::Due => 1,
                FollowUpState::Overdue => 2,
                FollowUpState::Done => 3,
            };
            let (early, late) = (a.min(b), a.max(b));
            let s1 = followup_state(due, None, due + TimeDelta::days(early));
            let s2 = followup_state(due, None, due + TimeDelta::days(late));
            prop_assert!(rank(s1) <= rank(s2));
            prop_assert_ne!(s1, FollowUpState::Done);
            prop_assert_eq!(
                followup_state(due, Some(due), due + TimeDelta::days(a)),
                FollowUpState::Done
            );
        }

        #[test]
        fn urgency_window_at_risk_iff_window_at_risk(
            released_at in any_time(),
            offsets in any_offsets(),
            now_offset in 0i64..20_000,
            days in prop::option::of(-20i64..20),
            tasks in 0u32..3,
            followups in 0u32..3,
        ) {
            let w = RiskWindow::new(released_at, ContactTargets::default());
            let status = w.assess(
                &contacts_from(released_at, &offsets),
                released_at + TimeDelta::minutes(now_offset),
            );
            let with_window = UrgencyInput {
                window: Some(status),
                days_to_expected_release: days,
                overdue_tasks: tasks,
                overdue_followups: followups,
            };
            let expected = if status.at_risk { Urgency::WindowAtRisk } else { Urgency::InWindow };
            prop_assert_eq!(urgency(&with_window), expected);
            let without = UrgencyInput { window: None, ..with_window };
            prop_assert!(urgency(&without) > Urgency::InWindow);
        }
    }
}
