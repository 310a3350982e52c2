//! Disclosure rules for 42 CFR Part 2 consent: the pure domain core of who may see which part of a
//! participant's record, when, and on what basis.
//!
//! This module owns:
//! - the vocabulary of a consent (information [`Category`], [`Recipient`] and [`RecipientClass`],
//!   [`ConsentKind`] (§2.31 standard or §2.35 criminal justice), [`Purpose`], [`Expiry`]);
//! - the access decision [`decide`] (and [`visible_categories`]): own-organisation staff, consent,
//!   or medical emergency (§2.51), with the [`Basis`] that must be recorded with every disclosure;
//! - revocation ([`can_revoke`], [`apply_revocation`]), including §2.35 irrevocability;
//! - validation of a consent form ([`validate`]), which names every missing §2.31 / §2.35 element.
//!
//! It is pure: no I/O, no database, no clock (the caller passes `at` / `now`, in UTC), no logging.
//! Callers load the consents and emergency accesses, call these functions, and record the outcome.
//!
//! Decisions taken here (also stated at each item):
//! - Time windows are half-open `[start, end)`: a consent is active from `signed_at` inclusive; a
//!   revocation, an expiry event and the end of an emergency take effect *at* their instant. An
//!   [`Expiry::OnDate`] is the inclusive last day (the consent lapses at 00:00 UTC of the next day).
//! - Auditors never read participant data, in any organisation, not even in an emergency.
//! - Admin, Supervisor and Peer of the participant's organisation see everything. A Team member of
//!   the participant's own organisation is treated like a partner (needs consent or emergency).
//! - Users of another organisation with role Team, Admin, Supervisor or Peer may receive under a
//!   consent that names them: a consent names a *recipient* (organisation, person or class), not a
//!   role, and within the recipient organisation minimum-necessary role limits are the app's job.
//! - A [`Recipient::Person`] matches only while that user is in the named organisation.
//! - When several bases apply, own organisation wins, then consent (lowest consent id), then
//!   emergency (lowest access id): a disclosure under consent is preferred over §2.51.
//! - [`decide`] trusts stored consents as validated; [`validate`] is the gate that keeps encounter
//!   notes out of criminal-justice consents and irrevocability out of standard ones.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/// A part of the participant's record that a consent can cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Enrolment, participation and attendance.
    Participation,
    /// BARC-10 and other assessments, stage of change.
    Assessments,
    /// Recovery and reentry plan.
    Plan,
    /// Referrals and linkage.
    Referrals,
    /// Release plan and readiness checklist.
    ReleasePlan,
    /// Encounter notes: the most sensitive category, granted only when named explicitly.
    EncounterNotes,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 6] = [
        Category::Participation,
        Category::Assessments,
        Category::Plan,
        Category::Referrals,
        Category::ReleasePlan,
        Category::EncounterNotes,
    ];

    /// What an "all categories" shortcut on a form expands to: never encounter notes, which must
    /// be named on their own.
    pub const ALL_EXCEPT_NOTES: [Category; 5] = [
        Category::Participation,
        Category::Assessments,
        Category::Plan,
        Category::Referrals,
        Category::ReleasePlan,
    ];

    /// Stable snake_case code (same as serde).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Participation => "participation",
            Category::Assessments => "assessments",
            Category::Plan => "plan",
            Category::Referrals => "referrals",
            Category::ReleasePlan => "release_plan",
            Category::EncounterNotes => "encounter_notes",
        }
    }

    /// Parses the code produced by [`Category::as_str`].
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    /// True only for encounter notes: never implied by a shortcut, only granted when named.
    pub fn requires_explicit_naming(self) -> bool {
        self == Category::EncounterNotes
    }

    /// English label.
    pub fn label(self) -> &'static str {
        match self {
            Category::Participation => "Participation and attendance",
            Category::Assessments => "Assessments",
            Category::Plan => "Recovery and reentry plan",
            Category::Referrals => "Referrals and linkage",
            Category::ReleasePlan => "Release plan",
            Category::EncounterNotes => "Encounter notes",
        }
    }

    /// Spanish label.
    pub fn label_es(self) -> &'static str {
        match self {
            Category::Participation => "Participación y asistencia",
            Category::Assessments => "Evaluaciones",
            Category::Plan => "Plan de recuperación y reinserción",
            Category::Referrals => "Derivaciones y vinculación",
            Category::ReleasePlan => "Plan de salida",
            Category::EncounterNotes => "Notas de los encuentros",
        }
    }

    /// Plain-language description for the participant, in English.
    pub fn description(self) -> &'static str {
        match self {
            Category::Participation => {
                "Whether you take part in peer support, and the dates you met with your peer."
            }
            Category::Assessments => {
                "Your answers to questionnaires about your recovery (such as the BARC-10) and how \
                 ready you feel for change."
            }
            Category::Plan => {
                "Your goals in your own words, the steps to reach them, who helps and by when."
            }
            Category::Referrals => {
                "The services you were sent to (treatment, housing, work, benefits, medical care) \
                 and what happened."
            }
            Category::ReleasePlan => {
                "Your expected release date and your plan for leaving: ID, insurance, medication, \
                 a place to stay, transport and first appointments."
            }
            Category::EncounterNotes => {
                "What you talked about with your peer at each meeting. This is the most private \
                 part of your record. It is shared only if you choose it on its own."
            }
        }
    }

    /// Plain-language description for the participant, in Spanish.
    pub fn description_es(self) -> &'static str {
        match self {
            Category::Participation => {
                "Si usted participa en el apoyo entre pares y las fechas en que se reunió con su \
                 compañero de apoyo."
            }
            Category::Assessments => {
                "Sus respuestas a cuestionarios sobre su recuperación (como el BARC-10) y qué tan \
                 preparado se siente para el cambio."
            }
            Category::Plan => {
                "Sus metas en sus propias palabras, los pasos para lograrlas, quién le ayuda y \
                 para cuándo."
            }
            Category::Referrals => {
                "Los servicios a los que fue enviado (tratamiento, vivienda, trabajo, beneficios, \
                 atención médica) y qué pasó."
            }
            Category::ReleasePlan => {
                "Su fecha prevista de salida y su plan para salir: identificación, seguro médico, \
                 medicamentos, un lugar donde quedarse, transporte y primeras citas."
            }
            Category::EncounterNotes => {
                "Lo que habló con su compañero de apoyo en cada reunión. Es la parte más privada \
                 de su expediente. Solo se comparte si usted la elige por separado."
            }
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A class of recipients (§2.31 allows naming a class). A user belongs to at most one class,
/// given by the kind of their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientClass {
    Probation,
    Parole,
    Court,
    TreatmentProvider,
    JailHealth,
    MedicalProvider,
}

impl RecipientClass {
    /// Every class, in display order.
    pub const ALL: [RecipientClass; 6] = [
        RecipientClass::Probation,
        RecipientClass::Parole,
        RecipientClass::Court,
        RecipientClass::TreatmentProvider,
        RecipientClass::JailHealth,
        RecipientClass::MedicalProvider,
    ];

    /// Stable snake_case code (same as serde).
    pub fn as_str(self) -> &'static str {
        match self {
            RecipientClass::Probation => "probation",
            RecipientClass::Parole => "parole",
            RecipientClass::Court => "court",
            RecipientClass::TreatmentProvider => "treatment_provider",
            RecipientClass::JailHealth => "jail_health",
            RecipientClass::MedicalProvider => "medical_provider",
        }
    }

    /// Parses the code produced by [`RecipientClass::as_str`].
    pub fn parse(s: &str) -> Option<RecipientClass> {
        RecipientClass::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
    }

    /// English label.
    pub fn label(self) -> &'static str {
        match self {
            RecipientClass::Probation => "Probation",
            RecipientClass::Parole => "Parole",
            RecipientClass::Court => "Court",
            RecipientClass::TreatmentProvider => "Treatment provider",
            RecipientClass::JailHealth => "Jail health services",
            RecipientClass::MedicalProvider => "Medical provider",
        }
    }

    /// Spanish label.
    pub fn label_es(self) -> &'static str {
        match self {
            RecipientClass::Probation => "Libertad a prueba",
            RecipientClass::Parole => "Libertad condicional",
            RecipientClass::Court => "Tribunal",
            RecipientClass::TreatmentProvider => "Proveedor de tratamiento",
            RecipientClass::JailHealth => "Servicios de salud de la cárcel",
            RecipientClass::MedicalProvider => "Proveedor médico",
        }
    }

    /// Organisations of these classes employ medical personnel: the only recipients of a
    /// disclosure without consent in a medical emergency. 42 CFR 2.51(a): "information may be
    /// disclosed to medical personnel to the extent necessary to meet a bona fide medical
    /// emergency in which the patient's prior informed consent cannot be obtained."
    pub fn is_medical(self) -> bool {
        matches!(
            self,
            RecipientClass::MedicalProvider
                | RecipientClass::TreatmentProvider
                | RecipientClass::JailHealth
        )
    }

    /// Agencies a §2.35 criminal-justice consent may name (one of them, never the class).
    pub fn is_criminal_justice(self) -> bool {
        matches!(
            self,
            RecipientClass::Court | RecipientClass::Probation | RecipientClass::Parole
        )
    }
}

impl fmt::Display for RecipientClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who a consent allows to receive the information.
/// Serialized externally tagged, e.g. `{"organisation":{"org_id":3}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// Any user of this organisation.
    Organisation { org_id: i64 },
    /// This user, while a member of this organisation.
    Person { org_id: i64, user_id: i64 },
    /// Any user whose organisation is of this class.
    Class { class: RecipientClass },
}

impl Recipient {
    /// Whether this recipient entry names the requester.
    pub fn names(&self, requester: &Requester) -> bool {
        match *self {
            Recipient::Organisation { org_id } => org_id == requester.org_id,
            Recipient::Person { org_id, user_id } => {
                org_id == requester.org_id && user_id == requester.user_id
            }
            Recipient::Class { class } => requester.class == Some(class),
        }
    }
}

/// §2.31 standard consent or §2.35 criminal-justice consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// 42 CFR 2.31.
    Standard,
    /// 42 CFR 2.35: to a court, probation or parole that made participation a condition.
    CriminalJustice,
}

impl ConsentKind {
    /// Stable snake_case code (same as serde).
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentKind::Standard => "standard",
            ConsentKind::CriminalJustice => "criminal_justice",
        }
    }

    /// Parses the code produced by [`ConsentKind::as_str`].
    pub fn parse(s: &str) -> Option<ConsentKind> {
        match s.trim() {
            "standard" => Some(ConsentKind::Standard),
            "criminal_justice" => Some(ConsentKind::CriminalJustice),
            _ => None,
        }
    }
}

/// Purpose of the disclosure. A request matches a consent only for the same purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Treatment,
    CareCoordination,
    /// Only for criminal-justice consents (§2.35).
    MonitoringProgress,
    Payment,
    Research,
    /// Must be described in `purpose_text`.
    Other,
}

impl Purpose {
    /// Every purpose, in display order.
    pub const ALL: [Purpose; 6] = [
        Purpose::Treatment,
        Purpose::CareCoordination,
        Purpose::MonitoringProgress,
        Purpose::Payment,
        Purpose::Research,
        Purpose::Other,
    ];

    /// Stable snake_case code (same as serde).
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Treatment => "treatment",
            Purpose::CareCoordination => "care_coordination",
            Purpose::MonitoringProgress => "monitoring_progress",
            Purpose::Payment => "payment",
            Purpose::Research => "research",
            Purpose::Other => "other",
        }
    }

    /// Parses the code produced by [`Purpose::as_str`].
    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }

    /// English label.
    pub fn label(self) -> &'static str {
        match self {
            Purpose::Treatment => "Treatment",
            Purpose::CareCoordination => "Care coordination",
            Purpose::MonitoringProgress => "Monitoring progress (criminal justice)",
            Purpose::Payment => "Payment",
            Purpose::Research => "Research",
            Purpose::Other => "Other",
        }
    }

    /// Spanish label.
    pub fn label_es(self) -> &'static str {
        match self {
            Purpose::Treatment => "Tratamiento",
            Purpose::CareCoordination => "Coordinación de la atención",
            Purpose::MonitoringProgress => "Seguimiento del progreso (justicia penal)",
            Purpose::Payment => "Pago",
            Purpose::Research => "Investigación",
            Purpose::Other => "Otro",
        }
    }
}

/// When a consent ends.
/// Serialized externally tagged: `{"on_date":"2025-06-30"}` or
/// `{"on_event":{"description":"...","occurred_at":null}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expiry {
    /// Inclusive last day (UTC): active through 23:59:59.999 of this date.
    OnDate(NaiveDate),
    /// Lapses at the instant the event is recorded as occurred.
    OnEvent {
        description: String,
        occurred_at: Option<NaiveDateTime>,
    },
}

impl Expiry {
    /// True when the consent has lapsed at `at`.
    pub fn has_lapsed(&self, at: NaiveDateTime) -> bool {
        match self {
            Expiry::OnDate(last_day) => at.date() > *last_day,
            Expiry::OnEvent { occurred_at, .. } => occurred_at.is_some_and(|t| at >= t),
        }
    }
}

/// A signed consent to disclose, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub id: i64,
    pub participant_id: i64,
    /// The program (organisation) that may disclose.
    pub program_org_id: i64,
    pub kind: ConsentKind,
    /// Categories named on the consent. Encounter notes are covered only if listed here.
    pub categories: Vec<Category>,
    pub recipients: Vec<Recipient>,
    pub purpose: Purpose,
    pub signed_at: NaiveDateTime,
    pub expiry: Expiry,
    /// §2.35 only: revocation is refused before this instant. Ignored for standard consents.
    pub irrevocable_until: Option<NaiveDateTime>,
    /// Effective at this instant (requests at or after it are not covered).
    pub revoked_at: Option<NaiveDateTime>,
}

impl Consent {
    /// Signed, not expired and not revoked at `at`.
    pub fn is_active_at(&self, at: NaiveDateTime) -> bool {
        self.signed_at <= at
            && !self.expiry.has_lapsed(at)
            && self.revoked_at.is_none_or(|r| at < r)
    }

    /// Some recipient entry names the requester. A §2.35 consent that names a class ("any
    /// probation department") names nobody: 42 CFR 2.35(a) allows disclosure to "those persons
    /// within the criminal justice system who have made participation in the program a condition
    /// of the disposition", so the consent must name that agency (or a person there); in a
    /// state-wide deployment a class would hand the record to every department (fail closed).
    pub fn names(&self, requester: &Requester) -> bool {
        self.recipients.iter().any(|r| {
            !(self.kind == ConsentKind::CriminalJustice && matches!(r, Recipient::Class { .. }))
                && r.names(requester)
        })
    }

    /// The category is named on the consent (there is no implied category).
    pub fn covers(&self, category: Category) -> bool {
        self.categories.contains(&category)
    }

    /// This consent, on its own terms, allows the request: same participant, disclosed by the
    /// participant's organisation, active at `req.at`, names the requester, covers the category,
    /// same purpose. Role rules are applied by [`decide`], not here.
    pub fn permits(&self, req: &Request) -> bool {
        self.participant_id == req.participant_id
            && self.program_org_id == req.participant_org_id
            && self.is_active_at(req.at)
            && self.names(&req.requester)
            && self.covers(req.category)
            && self.purpose == req.purpose
    }
}

/// A written revocation of a consent, to be checked with [`apply_revocation`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub consent_id: i64,
    /// The instant the revocation takes effect.
    pub revoked_at: NaiveDateTime,
    /// Staff member who recorded it.
    pub recorded_by_user_id: i64,
}

/// Why a revocation is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum RevokeError {
    /// The consent was already revoked at this instant.
    AlreadyRevoked { revoked_at: NaiveDateTime },
    /// A §2.35 consent that is irrevocable until the given instant.
    Irrevocable { until: NaiveDateTime },
    /// The revocation instant is before the consent was signed (a data error).
    BeforeSigning { signed_at: NaiveDateTime },
    /// The revocation is for another consent.
    WrongConsent { expected: i64, got: i64 },
}

impl fmt::Display for RevokeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RevokeError::AlreadyRevoked { revoked_at } => {
                write!(
                    f,
                    "this consent was already revoked on {}",
                    fmt_instant(*revoked_at)
                )
            }
            RevokeError::Irrevocable { until } => write!(
                f,
                "this criminal-justice consent (42 CFR 2.35) cannot be revoked until {}",
                fmt_instant(*until)
            ),
            RevokeError::BeforeSigning { signed_at } => write!(
                f,
                "a revocation cannot take effect before the consent was signed ({})",
                fmt_instant(*signed_at)
            ),
            RevokeError::WrongConsent { expected, got } => {
                write!(f, "revocation is for consent {got}, not consent {expected}")
            }
        }
    }
}

impl std::error::Error for RevokeError {}

fn fmt_instant(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Access granted without consent in a medical emergency (§2.51), recorded with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyAccess {
    pub id: i64,
    pub participant_id: i64,
    pub user_id: i64,
    pub granted_at: NaiveDateTime,
    /// Exclusive end.
    pub expires_at: NaiveDateTime,
    pub reason: String,
}

impl EmergencyAccess {
    /// Active for this participant and user at `at` (`granted_at <= at < expires_at`).
    pub fn covers(&self, participant_id: i64, user_id: i64, at: NaiveDateTime) -> bool {
        self.participant_id == participant_id
            && self.user_id == user_id
            && self.granted_at <= at
            && at < self.expires_at
    }
}

/// Role of a user within their own organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Supervisor,
    Peer,
    /// Team member: sees only what consent allows, even in the participant's own organisation.
    Team,
    /// Reads the audit log and accounting of disclosures, never the participant record.
    Auditor,
}

impl Role {
    /// Sees the whole record of participants of their own organisation.
    pub fn has_own_organisation_access(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor | Role::Peer)
    }

    /// May ever read participant data (under any basis).
    pub fn may_read_participant_data(self) -> bool {
        self != Role::Auditor
    }
}

/// The user asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requester {
    pub user_id: i64,
    pub org_id: i64,
    pub role: Role,
    /// Given by the kind of the requester's organisation, if it is of a recipient class.
    pub class: Option<RecipientClass>,
}

/// One request to read one category of one participant's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub requester: Requester,
    pub participant_id: i64,
    /// The organisation whose participant this is (the discloser).
    pub participant_org_id: i64,
    pub category: Category,
    pub purpose: Purpose,
    pub at: NaiveDateTime,
}

/// A request for a participant without a category, for [`visible_categories`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestContext {
    pub requester: Requester,
    pub participant_id: i64,
    pub participant_org_id: i64,
    pub purpose: Purpose,
    pub at: NaiveDateTime,
}

impl RequestContext {
    /// The request for one category.
    pub fn for_category(&self, category: Category) -> Request {
        Request {
            requester: self.requester.clone(),
            participant_id: self.participant_id,
            participant_org_id: self.participant_org_id,
            category,
            purpose: self.purpose,
            at: self.at,
        }
    }
}

/// Why access is allowed; recorded with the disclosure (and in the accounting for consents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "basis")]
pub enum Basis {
    OwnOrganisation,
    Consent { consent_id: i64 },
    Emergency { access_id: i64 },
}

/// Outcome of [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Allow(Basis),
    Deny,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        matches!(self, Decision::Allow(_))
    }

    pub fn basis(self) -> Option<Basis> {
        match self {
            Decision::Allow(b) => Some(b),
            Decision::Deny => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Decision
// ---------------------------------------------------------------------------------------------

/// Decides one request.
///
/// 1. Auditors: always deny (any organisation, any basis, including emergency).
/// 2. Admin, Supervisor, Peer of the participant's organisation: allow, own organisation.
/// 3. Anyone else (other organisations of any non-auditor role, and Team of the own
///    organisation): allow under the active consent with the lowest id that [`Consent::permits`]
///    the request.
/// 4. Otherwise an active emergency access for this participant and user (lowest id), held by
///    staff of a medical organisation ([`RecipientClass::is_medical`]; 42 CFR 2.51 discloses to
///    *medical personnel* only): allow for every category, whatever the purpose. An emergency
///    access held by anyone else (e.g. one recorded before this rule) allows nothing.
/// 5. Otherwise deny.
pub fn decide(req: &Request, consents: &[Consent], emergencies: &[EmergencyAccess]) -> Decision {
    let requester = &req.requester;
    if !requester.role.may_read_participant_data() {
        return Decision::Deny;
    }
    if requester.org_id == req.participant_org_id && requester.role.has_own_organisation_access() {
        return Decision::Allow(Basis::OwnOrganisation);
    }
    if let Some(c) = consents
        .iter()
        .filter(|c| c.permits(req))
        .min_by_key(|c| c.id)
    {
        return Decision::Allow(Basis::Consent { consent_id: c.id });
    }
    let medical = requester.class.is_some_and(RecipientClass::is_medical);
    if let Some(e) = emergencies
        .iter()
        .filter(|_| medical)
        .filter(|e| e.covers(req.participant_id, requester.user_id, req.at))
        .min_by_key(|e| e.id)
    {
        return Decision::Allow(Basis::Emergency { access_id: e.id });
    }
    Decision::Deny
}

/// The categories the requester may see now, each with its basis, in [`Category::ALL`] order.
pub fn visible_categories(
    ctx: &RequestContext,
    consents: &[Consent],
    emergencies: &[EmergencyAccess],
) -> Vec<(Category, Basis)> {
    Category::ALL
        .into_iter()
        .filter_map(|c| {
            decide(&ctx.for_category(c), consents, emergencies)
                .basis()
                .map(|b| (c, b))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Revocation
// ---------------------------------------------------------------------------------------------

/// Whether the consent may be revoked with effect at `at`.
///
/// Refused when the consent is already revoked (a consent is revoked once, whenever), when
/// `at` is before signing, and for a criminal-justice consent while `at < irrevocable_until`
/// (revocable from that instant on). `irrevocable_until` is ignored for standard consents.
/// Revoking an expired consent is allowed (harmless, and the participant's record of it counts).
pub fn can_revoke(c: &Consent, at: NaiveDateTime) -> Result<(), RevokeError> {
    if let Some(revoked_at) = c.revoked_at {
        return Err(RevokeError::AlreadyRevoked { revoked_at });
    }
    if at < c.signed_at {
        return Err(RevokeError::BeforeSigning {
            signed_at: c.signed_at,
        });
    }
    if c.kind == ConsentKind::CriminalJustice
        && let Some(until) = c.irrevocable_until
        && until > at
    {
        return Err(RevokeError::Irrevocable { until });
    }
    Ok(())
}

/// Applies a revocation: checks [`can_revoke`] and returns the consent with `revoked_at` set.
pub fn apply_revocation(c: &Consent, r: &Revocation) -> Result<Consent, RevokeError> {
    if r.consent_id != c.id {
        return Err(RevokeError::WrongConsent {
            expected: c.id,
            got: r.consent_id,
        });
    }
    can_revoke(c, r.revoked_at)?;
    Ok(Consent {
        revoked_at: Some(r.revoked_at),
        ..c.clone()
    })
}

// ---------------------------------------------------------------------------------------------
// Validation of the consent form
// ---------------------------------------------------------------------------------------------

/// How the consent was signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signature {
    /// Electronic signature on screen.
    OnScreen {
        signed_at: NaiveDateTime,
        signer_name: String,
    },
    /// Signed on paper; a staff member attests it and the scan is stored.
    /// The consent takes effect from 00:00 UTC of `signed_on`.
    PaperAttested {
        signed_on: NaiveDate,
        attested_by_user_id: i64,
        scan_ref: String,
    },
}

impl Signature {
    /// The instant the consent takes effect.
    pub fn effective_at(&self) -> NaiveDateTime {
        match self {
            Signature::OnScreen { signed_at, .. } => *signed_at,
            Signature::PaperAttested { signed_on, .. } => signed_on.and_time(NaiveTime::MIN),
        }
    }
}

/// The consent form as submitted (HTML form or JSON API); nothing is trusted yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentDraft {
    pub participant_id: Option<i64>,
    pub program_org_id: Option<i64>,
    pub kind: Option<ConsentKind>,
    pub categories: Vec<Category>,
    pub recipients: Vec<Recipient>,
    pub purpose: Option<Purpose>,
    /// Required when the purpose is `Other`; kept otherwise.
    pub purpose_text: Option<String>,
    pub expiry: Option<Expiry>,
    pub signature: Option<Signature>,
    pub right_to_revoke_acknowledged: bool,
    pub signer_is_representative: bool,
    pub representative_authority: Option<String>,
    pub irrevocable_until: Option<NaiveDateTime>,
    /// §2.35: the disposition or condition of release that makes participation a condition.
    pub cj_condition_of_release: Option<String>,
    pub cj_final_disposition_on: Option<NaiveDate>,
}

/// Stable field names used in [`MissingElement::field`] (the HTML form and JSON API names).
pub mod fields {
    pub const PARTICIPANT_ID: &str = "participant_id";
    pub const PROGRAM_ORG_ID: &str = "program_org_id";
    pub const KIND: &str = "kind";
    pub const CATEGORIES: &str = "categories";
    pub const RECIPIENTS: &str = "recipients";
    pub const PURPOSE: &str = "purpose";
    pub const PURPOSE_TEXT: &str = "purpose_text";
    pub const EXPIRY: &str = "expiry";
    pub const SIGNATURE: &str = "signature";
    pub const RIGHT_TO_REVOKE_ACKNOWLEDGED: &str = "right_to_revoke_acknowledged";
    pub const REPRESENTATIVE_AUTHORITY: &str = "representative_authority";
    pub const IRREVOCABLE_UNTIL: &str = "irrevocable_until";
    pub const CJ_CONDITION_OF_RELEASE: &str = "cj_condition_of_release";
    pub const CJ_FINAL_DISPOSITION_ON: &str = "cj_final_disposition_on";

    /// Every field of the consent form (each name [`super::validate`] reports is one of these).
    pub const ALL: [&str; 14] = [
        PARTICIPANT_ID,
        PROGRAM_ORG_ID,
        KIND,
        CATEGORIES,
        RECIPIENTS,
        PURPOSE,
        PURPOSE_TEXT,
        EXPIRY,
        SIGNATURE,
        RIGHT_TO_REVOKE_ACKNOWLEDGED,
        REPRESENTATIVE_AUTHORITY,
        IRREVOCABLE_UNTIL,
        CJ_CONDITION_OF_RELEASE,
        CJ_FINAL_DISPOSITION_ON,
    ];
}

/// One missing or invalid element of the consent form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingElement {
    /// Stable snake_case field name (see [`fields`]).
    pub field: &'static str,
    /// English message for the person filling the form.
    pub message: String,
}

impl fmt::Display for MissingElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// A consent form that has every required element; becomes a [`Consent`] once it has an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidConsent {
    pub participant_id: i64,
    pub program_org_id: i64,
    pub kind: ConsentKind,
    /// Deduplicated, in [`Category::ALL`] order.
    pub categories: Vec<Category>,
    /// Deduplicated, in form order.
    pub recipients: Vec<Recipient>,
    pub purpose: Purpose,
    /// Trimmed; `None` when blank.
    pub purpose_text: Option<String>,
    pub expiry: Expiry,
    pub signature: Signature,
    /// [`Signature::effective_at`].
    pub signed_at: NaiveDateTime,
    pub signer_is_representative: bool,
    /// Trimmed; present exactly when `signer_is_representative`.
    pub representative_authority: Option<String>,
    /// Always `None` for standard consents.
    pub irrevocable_until: Option<NaiveDateTime>,
    /// Trimmed; present for criminal-justice consents.
    pub cj_condition_of_release: Option<String>,
    pub cj_final_disposition_on: Option<NaiveDate>,
}

impl ValidConsent {
    /// The stored consent, not revoked.
    pub fn to_consent(&self, id: i64) -> Consent {
        Consent {
            id,
            participant_id: self.participant_id,
            program_org_id: self.program_org_id,
            kind: self.kind,
            categories: self.categories.clone(),
            recipients: self.recipients.clone(),
            purpose: self.purpose,
            signed_at: self.signed_at,
            expiry: self.expiry.clone(),
            irrevocable_until: self.irrevocable_until,
            revoked_at: None,
        }
    }
}

fn non_blank(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Validates a consent form at `now`, reporting every missing or invalid element at once.
///
/// §2.31 elements: participant, discloser (program), categories (non-empty), recipients
/// (non-empty), purpose (with text when `Other`), expiry (a date not before today, or an event
/// description for an event that has not occurred), right to revoke acknowledged, signature (not in
/// the future; signer name or paper scan reference), representative authority when a
/// representative signs. Standard consents: no `irrevocable_until`, and not the criminal-justice
/// purpose `MonitoringProgress` (use a §2.35 consent).
///
/// §2.35 (criminal justice): recipients only Court / Probation / Parole classes or organisations;
/// purpose `MonitoringProgress`; the condition of release stated; no encounter notes;
/// `irrevocable_until` (if any) on or before the final disposition date (if given) and on or
/// before the expiry date (inclusive days, as for expiry).
pub fn validate(
    draft: ConsentDraft,
    now: NaiveDateTime,
) -> Result<ValidConsent, Vec<MissingElement>> {
    let mut errs: Vec<MissingElement> = Vec::new();
    let mut err = |field: &'static str, message: &str| {
        errs.push(MissingElement {
            field,
            message: message.to_owned(),
        });
    };
    let today = now.date();

    if draft.participant_id.is_none() {
        err(
            fields::PARTICIPANT_ID,
            "Name the participant whose records are disclosed.",
        );
    }
    if draft.program_org_id.is_none() {
        err(
            fields::PROGRAM_ORG_ID,
            "Name the program that discloses the records.",
        );
    }
    if draft.kind.is_none() {
        err(
            fields::KIND,
            "Choose a standard consent or a criminal-justice consent.",
        );
    }
    let is_cj = draft.kind == Some(ConsentKind::CriminalJustice);

    // Categories.
    let mut categories: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| draft.categories.contains(c))
        .collect();
    if categories.is_empty() {
        err(
            fields::CATEGORIES,
            "Choose at least one kind of information to disclose.",
        );
    }
    if is_cj && categories.contains(&Category::EncounterNotes) {
        err(
            fields::CATEGORIES,
            "A criminal-justice consent is limited to what is needed to monitor progress: \
             encounter notes cannot be included.",
        );
        categories.retain(|c| *c != Category::EncounterNotes);
    }

    // Recipients.
    let mut recipients: Vec<Recipient> = Vec::new();
    for r in &draft.recipients {
        if !recipients.contains(r) {
            recipients.push(r.clone());
        }
    }
    if recipients.is_empty() {
        err(
            fields::RECIPIENTS,
            "Name at least one recipient (a person, an organisation or a class).",
        );
    }
    if is_cj {
        // 42 CFR 2.35(a): the recipients are "those persons within the criminal justice system
        // who have made participation in the program a condition": one named agency (or a
        // person there), never a class. Whether a named organisation is a court, probation or
        // parole agency is checked by the store, which knows organisation kinds.
        for r in &recipients {
            match r {
                Recipient::Organisation { .. } | Recipient::Person { .. } => {}
                Recipient::Class { class } => err(
                    fields::RECIPIENTS,
                    &format!(
                        "A criminal-justice consent (42 CFR 2.35) must name one court, probation \
                         or parole agency, or a person there, not a class such as \"any {}\".",
                        class.label().to_lowercase()
                    ),
                ),
            }
        }
    }

    // Purpose.
    let purpose_text = non_blank(&draft.purpose_text);
    match draft.purpose {
        None => err(fields::PURPOSE, "State the purpose of the disclosure."),
        Some(p) => {
            if p == Purpose::Other && purpose_text.is_none() {
                err(
                    fields::PURPOSE_TEXT,
                    "Describe the purpose of the disclosure.",
                );
            }
            if is_cj && p != Purpose::MonitoringProgress {
                err(
                    fields::PURPOSE,
                    "The purpose of a criminal-justice consent is to monitor progress.",
                );
            }
            if draft.kind == Some(ConsentKind::Standard) && p == Purpose::MonitoringProgress {
                err(
                    fields::PURPOSE,
                    "Monitoring progress for a court, probation or parole needs a \
                     criminal-justice consent.",
                );
            }
        }
    }

    // Expiry.
    match &draft.expiry {
        None => err(
            fields::EXPIRY,
            "State when the consent ends: a date or an event.",
        ),
        Some(Expiry::OnDate(d)) if *d < today => {
            err(fields::EXPIRY, "The end date is in the past.");
        }
        Some(Expiry::OnDate(_)) => {}
        Some(Expiry::OnEvent {
            description,
            occurred_at,
        }) => {
            if description.trim().is_empty() {
                err(fields::EXPIRY, "Describe the event that ends the consent.");
            }
            if occurred_at.is_some() {
                err(
                    fields::EXPIRY,
                    "The event that ends the consent has already happened.",
                );
            }
        }
    }

    if !draft.right_to_revoke_acknowledged {
        err(
            fields::RIGHT_TO_REVOKE_ACKNOWLEDGED,
            "The participant must be told of the right to revoke in writing (actions already \
             taken are not undone).",
        );
    }

    // Signature.
    match &draft.signature {
        None => err(fields::SIGNATURE, "The consent must be signed and dated."),
        Some(Signature::OnScreen {
            signed_at,
            signer_name,
        }) => {
            if signer_name.trim().is_empty() {
                err(fields::SIGNATURE, "Enter the name of the person signing.");
            }
            if *signed_at > now {
                err(fields::SIGNATURE, "The signature time is in the future.");
            }
        }
        Some(Signature::PaperAttested {
            signed_on,
            scan_ref,
            ..
        }) => {
            if scan_ref.trim().is_empty() {
                err(
                    fields::SIGNATURE,
                    "Attach the scan of the signed paper form.",
                );
            }
            if *signed_on > today {
                err(fields::SIGNATURE, "The signature date is in the future.");
            }
        }
    }

    let representative_authority = non_blank(&draft.representative_authority);
    if draft.signer_is_representative && representative_authority.is_none() {
        err(
            fields::REPRESENTATIVE_AUTHORITY,
            "State the representative's authority to sign (for example guardian or parent).",
        );
    }

    // Criminal-justice elements and irrevocability.
    let cj_condition = non_blank(&draft.cj_condition_of_release);
    if is_cj && cj_condition.is_none() {
        err(
            fields::CJ_CONDITION_OF_RELEASE,
            "State the disposition or condition of release that requires participation.",
        );
    }
    if let Some(until) = draft.irrevocable_until {
        if draft.kind == Some(ConsentKind::Standard) {
            err(
                fields::IRREVOCABLE_UNTIL,
                "Only a criminal-justice consent can be irrevocable.",
            );
        }
        if is_cj {
            if let Some(fd) = draft.cj_final_disposition_on
                && until.date() > fd
            {
                err(
                    fields::IRREVOCABLE_UNTIL,
                    "The consent cannot be irrevocable beyond the final disposition date.",
                );
            }
            if let Some(Expiry::OnDate(last)) = draft.expiry
                && until.date() > last
            {
                err(
                    fields::IRREVOCABLE_UNTIL,
                    "The consent cannot be irrevocable beyond its end date.",
                );
            }
        }
    }

    // Each `None` below has been reported, so `errs` is non-empty whenever one is missing.
    match (
        draft.participant_id,
        draft.program_org_id,
        draft.kind,
        draft.purpose,
        draft.expiry,
        draft.signature,
    ) {
        (
            Some(participant_id),
            Some(program_org_id),
            Some(kind),
            Some(purpose),
            Some(expiry),
            Some(signature),
        ) if errs.is_empty() => {
            let signed_at = signature.effective_at();
            Ok(ValidConsent {
                participant_id,
                program_org_id,
                kind,
                categories,
                recipients,
                purpose,
                purpose_text,
                expiry,
                signature,
                signed_at,
                signer_is_representative: draft.signer_is_representative,
                representative_authority: representative_authority
                    .filter(|_| draft.signer_is_representative),
                irrevocable_until: draft.irrevocable_until,
                cj_condition_of_release: cj_condition.filter(|_| is_cj),
                cj_final_disposition_on: draft.cj_final_disposition_on,
            })
        }
        _ => Err(errs),
    }
}

// ---------------------------------------------------------------------------------------------
// Unit tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    const PROGRAM: i64 = 1;
    const PROBATION_ORG: i64 = 2;
    const CLINIC: i64 = 3;
    const PARTICIPANT: i64 = 100;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dt(y: i32, m: u32, day: u32, h: u32, min: u32, s: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, s).unwrap()
    }

    fn user(user_id: i64, org_id: i64, role: Role, class: Option<RecipientClass>) -> Requester {
        Requester {
            user_id,
            org_id,
            role,
            class,
        }
    }

    fn officer() -> Requester {
        user(
            20,
            PROBATION_ORG,
            Role::Team,
            Some(RecipientClass::Probation),
        )
    }

    fn req(
        requester: Requester,
        category: Category,
        purpose: Purpose,
        at: NaiveDateTime,
    ) -> Request {
        Request {
            requester,
            participant_id: PARTICIPANT,
            participant_org_id: PROGRAM,
            category,
            purpose,
            at,
        }
    }

    /// Standard consent to the probation org, care coordination, signed 2025-01-10 09:00, last day
    /// 2025-03-31, categories: all except notes.
    fn consent(id: i64) -> Consent {
        Consent {
            id,
            participant_id: PARTICIPANT,
            program_org_id: PROGRAM,
            kind: ConsentKind::Standard,
            categories: Category::ALL_EXCEPT_NOTES.to_vec(),
            recipients: vec![Recipient::Organisation {
                org_id: PROBATION_ORG,
            }],
            purpose: Purpose::CareCoordination,
            signed_at: dt(2025, 1, 10, 9, 0, 0),
            expiry: Expiry::OnDate(d(2025, 3, 31)),
            irrevocable_until: None,
            revoked_at: None,
        }
    }

    fn mid() -> NaiveDateTime {
        dt(2025, 2, 1, 12, 0, 0)
    }

    fn allowed(r: &Request, cs: &[Consent]) -> bool {
        decide(r, cs, &[]).is_allowed()
    }

    fn emergency(id: i64, user_id: i64) -> EmergencyAccess {
        EmergencyAccess {
            id,
            participant_id: PARTICIPANT,
            user_id,
            granted_at: dt(2025, 2, 1, 10, 0, 0),
            expires_at: dt(2025, 2, 1, 22, 0, 0),
            reason: "overdose at the clinic".into(),
        }
    }

    // --- vocabulary -------------------------------------------------------------------------

    #[test]
    fn category_codes_round_trip_and_labels_exist() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
            assert_eq!(c.to_string(), c.as_str());
            assert!(!c.label().is_empty() && !c.label_es().is_empty());
            assert!(!c.description().is_empty() && !c.description_es().is_empty());
            assert_ne!(c.label(), c.label_es());
        }
        assert_eq!(Category::parse("release_plan"), Some(Category::ReleasePlan));
        assert_eq!(Category::parse("all"), None);
        for c in RecipientClass::ALL {
            assert_eq!(RecipientClass::parse(c.as_str()), Some(c));
        }
        for p in Purpose::ALL {
            assert_eq!(Purpose::parse(p.as_str()), Some(p));
            assert!(!p.label_es().is_empty());
        }
        for k in [ConsentKind::Standard, ConsentKind::CriminalJustice] {
            assert_eq!(ConsentKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn all_categories_shortcut_never_includes_encounter_notes() {
        assert!(!Category::ALL_EXCEPT_NOTES.contains(&Category::EncounterNotes));
        assert_eq!(Category::ALL_EXCEPT_NOTES.len() + 1, Category::ALL.len());
        assert!(Category::EncounterNotes.requires_explicit_naming());
        assert!(
            Category::ALL_EXCEPT_NOTES
                .iter()
                .all(|c| !c.requires_explicit_naming())
        );
    }

    // --- own organisation -------------------------------------------------------------------

    #[test]
    fn own_org_admin_supervisor_peer_see_everything_without_consent() {
        for role in [Role::Admin, Role::Supervisor, Role::Peer] {
            for c in Category::ALL {
                let r = req(user(1, PROGRAM, role, None), c, Purpose::Other, mid());
                assert_eq!(
                    decide(&r, &[], &[]),
                    Decision::Allow(Basis::OwnOrganisation)
                );
            }
        }
    }

    #[test]
    fn auditor_never_reads_participant_data() {
        let mut c = consent(1);
        c.recipients
            .push(Recipient::Organisation { org_id: PROGRAM });
        for org in [PROGRAM, PROBATION_ORG] {
            let auditor = user(5, org, Role::Auditor, None);
            let r = req(
                auditor,
                Category::Participation,
                Purpose::CareCoordination,
                mid(),
            );
            assert_eq!(
                decide(&r, std::slice::from_ref(&c), &[emergency(1, 5)]),
                Decision::Deny
            );
        }
    }

    #[test]
    fn own_org_team_member_needs_consent() {
        let team = user(6, PROGRAM, Role::Team, None);
        let r = req(team, Category::Plan, Purpose::CareCoordination, mid());
        assert_eq!(decide(&r, &[consent(1)], &[]), Decision::Deny);
        let mut c = consent(1);
        c.recipients = vec![Recipient::Person {
            org_id: PROGRAM,
            user_id: 6,
        }];
        assert_eq!(
            decide(&r, &[c], &[]),
            Decision::Allow(Basis::Consent { consent_id: 1 })
        );
    }

    // --- partner organisations --------------------------------------------------------------

    #[test]
    fn partner_allowed_only_under_a_matching_consent() {
        let r = req(officer(), Category::Plan, Purpose::CareCoordination, mid());
        assert_eq!(decide(&r, &[], &[]), Decision::Deny);
        assert_eq!(
            decide(&r, &[consent(7)], &[]),
            Decision::Allow(Basis::Consent { consent_id: 7 })
        );
        // Purpose must match.
        let other = req(officer(), Category::Plan, Purpose::Treatment, mid());
        assert!(!allowed(&other, &[consent(7)]));
        // Another participant's consent, or a consent given to another program, does not count.
        let mut c = consent(7);
        c.participant_id = 101;
        assert!(!allowed(&r, &[c]));
        let mut c = consent(7);
        c.program_org_id = CLINIC;
        assert!(!allowed(&r, &[c]));
        // Category must be named.
        let mut c = consent(7);
        c.categories = vec![Category::Participation];
        assert!(!allowed(&r, &[c]));
    }

    #[test]
    fn encounter_notes_are_never_implied() {
        let notes = req(
            officer(),
            Category::EncounterNotes,
            Purpose::CareCoordination,
            mid(),
        );
        assert!(!allowed(&notes, &[consent(1)]));
        let ctx = RequestContext {
            requester: officer(),
            participant_id: PARTICIPANT,
            participant_org_id: PROGRAM,
            purpose: Purpose::CareCoordination,
            at: mid(),
        };
        let visible: Vec<Category> = visible_categories(&ctx, &[consent(1)], &[])
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        assert_eq!(visible, Category::ALL_EXCEPT_NOTES.to_vec());
        let mut c = consent(1);
        c.categories.push(Category::EncounterNotes);
        assert!(allowed(&notes, &[c]));
    }

    #[test]
    fn recipients_by_person_and_class() {
        let r = |who: Requester| req(who, Category::Referrals, Purpose::CareCoordination, mid());
        let mut c = consent(1);
        c.recipients = vec![Recipient::Person {
            org_id: PROBATION_ORG,
            user_id: 20,
        }];
        assert!(allowed(&r(officer()), std::slice::from_ref(&c)));
        // Same org, another user: no.
        assert!(!allowed(
            &r(user(21, PROBATION_ORG, Role::Team, None)),
            std::slice::from_ref(&c)
        ));
        // The same user after moving to another organisation: no.
        assert!(!allowed(&r(user(20, CLINIC, Role::Team, None)), &[c]));

        let mut c = consent(1);
        c.recipients = vec![Recipient::Class {
            class: RecipientClass::Probation,
        }];
        assert!(allowed(
            &r(user(30, 9, Role::Team, Some(RecipientClass::Probation))),
            std::slice::from_ref(&c)
        ));
        assert!(!allowed(
            &r(user(30, 9, Role::Team, Some(RecipientClass::Parole))),
            std::slice::from_ref(&c)
        ));
        assert!(!allowed(&r(user(30, 9, Role::Team, None)), &[c]));
    }

    #[test]
    fn partner_roles_other_than_auditor_may_receive() {
        for role in [Role::Admin, Role::Supervisor, Role::Peer, Role::Team] {
            let r = req(
                user(20, PROBATION_ORG, role, None),
                Category::Plan,
                Purpose::CareCoordination,
                mid(),
            );
            assert!(allowed(&r, &[consent(1)]), "{role:?}");
            // Outside the own organisation, no role grants access by itself.
            assert!(!allowed(&r, &[]), "{role:?}");
        }
    }

    #[test]
    fn lowest_consent_id_is_the_basis() {
        let r = req(officer(), Category::Plan, Purpose::CareCoordination, mid());
        let cs = [consent(9), consent(4), consent(6)];
        assert_eq!(
            decide(&r, &cs, &[]),
            Decision::Allow(Basis::Consent { consent_id: 4 })
        );
    }

    // --- time boundaries --------------------------------------------------------------------

    #[test]
    fn active_from_the_signing_instant() {
        let c = consent(1);
        let at = |t| req(officer(), Category::Plan, Purpose::CareCoordination, t);
        assert!(allowed(&at(c.signed_at), std::slice::from_ref(&c)));
        assert!(!allowed(&at(c.signed_at - Duration::seconds(1)), &[c]));
    }

    #[test]
    fn date_expiry_includes_the_whole_last_day() {
        let c = consent(1); // last day 2025-03-31
        let at = |t| req(officer(), Category::Plan, Purpose::CareCoordination, t);
        assert!(allowed(
            &at(dt(2025, 3, 31, 0, 0, 0)),
            std::slice::from_ref(&c)
        ));
        assert!(allowed(
            &at(dt(2025, 3, 31, 23, 59, 59)),
            std::slice::from_ref(&c)
        ));
        let last_nano = d(2025, 3, 31)
            .and_hms_nano_opt(23, 59, 59, 999_999_999)
            .unwrap();
        assert!(allowed(&at(last_nano), std::slice::from_ref(&c)));
        assert!(!allowed(&at(dt(2025, 4, 1, 0, 0, 0)), &[c]));
    }

    #[test]
    fn event_expiry_lapses_when_the_event_is_recorded() {
        let mut c = consent(1);
        c.expiry = Expiry::OnEvent {
            description: "end of probation".into(),
            occurred_at: None,
        };
        let at = |t| req(officer(), Category::Plan, Purpose::CareCoordination, t);
        // Not occurred: no date limit.
        assert!(allowed(
            &at(dt(2030, 1, 1, 0, 0, 0)),
            std::slice::from_ref(&c)
        ));
        let ended = dt(2025, 6, 1, 15, 0, 0);
        c.expiry = Expiry::OnEvent {
            description: "end of probation".into(),
            occurred_at: Some(ended),
        };
        assert!(allowed(
            &at(ended - Duration::seconds(1)),
            std::slice::from_ref(&c)
        ));
        assert!(!allowed(&at(ended), std::slice::from_ref(&c)));
        assert!(!allowed(&at(ended + Duration::days(1)), &[c]));
    }

    #[test]
    fn revocation_takes_effect_at_its_instant() {
        let revoked = dt(2025, 2, 1, 12, 0, 0);
        let c = apply_revocation(
            &consent(1),
            &Revocation {
                consent_id: 1,
                revoked_at: revoked,
                recorded_by_user_id: 3,
            },
        )
        .unwrap();
        assert_eq!(c.revoked_at, Some(revoked));
        let at = |t| req(officer(), Category::Plan, Purpose::CareCoordination, t);
        assert!(allowed(
            &at(revoked - Duration::seconds(1)),
            std::slice::from_ref(&c)
        ));
        assert!(!allowed(&at(revoked), std::slice::from_ref(&c)));
        assert!(!allowed(&at(revoked + Duration::hours(1)), &[c]));
    }

    // --- emergency --------------------------------------------------------------------------

    #[test]
    fn emergency_window_is_half_open_and_covers_every_category() {
        let clinician = user(
            40,
            CLINIC,
            Role::Team,
            Some(RecipientClass::MedicalProvider),
        );
        let e = emergency(3, 40);
        for c in Category::ALL {
            let at = |t| req(clinician.clone(), c, Purpose::Treatment, t);
            assert_eq!(
                decide(&at(e.granted_at), &[], std::slice::from_ref(&e)),
                Decision::Allow(Basis::Emergency { access_id: 3 })
            );
            assert!(
                decide(
                    &at(e.expires_at - Duration::seconds(1)),
                    &[],
                    std::slice::from_ref(&e)
                )
                .is_allowed()
            );
            assert_eq!(
                decide(&at(e.expires_at), &[], std::slice::from_ref(&e)),
                Decision::Deny
            );
            assert_eq!(
                decide(
                    &at(e.granted_at - Duration::seconds(1)),
                    &[],
                    std::slice::from_ref(&e)
                ),
                Decision::Deny
            );
        }
    }

    #[test]
    fn emergency_is_personal_to_the_user_and_participant() {
        let at = dt(2025, 2, 1, 12, 0, 0);
        let other_user = req(
            user(41, CLINIC, Role::Team, None),
            Category::Plan,
            Purpose::Treatment,
            at,
        );
        assert_eq!(
            decide(&other_user, &[], &[emergency(1, 40)]),
            Decision::Deny
        );
        let mut e = emergency(1, 41);
        e.participant_id = 101;
        assert_eq!(decide(&other_user, &[], &[e]), Decision::Deny);
        // A jail-health clinician with two emergency accesses: the lowest id is the basis.
        let nurse = req(
            user(41, CLINIC, Role::Team, Some(RecipientClass::JailHealth)),
            Category::Plan,
            Purpose::Treatment,
            at,
        );
        assert_eq!(
            decide(&nurse, &[], &[emergency(5, 41), emergency(2, 41)]),
            Decision::Allow(Basis::Emergency { access_id: 2 })
        );
    }

    /// 42 CFR 2.51 discloses to medical personnel only: an emergency access held by anyone else
    /// (probation, parole, a court, another peer programme, the programme's own team member)
    /// allows nothing, whatever its dates.
    #[test]
    fn emergency_access_helps_only_medical_personnel() {
        let at = dt(2025, 2, 1, 12, 0, 0);
        for (org, class) in [
            (PROBATION_ORG, Some(RecipientClass::Probation)),
            (PROBATION_ORG, Some(RecipientClass::Parole)),
            (PROBATION_ORG, Some(RecipientClass::Court)),
            (CLINIC, None),
            (PROGRAM, None),
        ] {
            for role in [Role::Team, Role::Admin, Role::Peer] {
                let r = req(
                    user(41, org, role, class),
                    Category::Plan,
                    Purpose::Treatment,
                    at,
                );
                if org == PROGRAM && role != Role::Team {
                    continue; // own staff see by role, not by emergency
                }
                assert_eq!(
                    decide(&r, &[], &[emergency(1, 41)]),
                    Decision::Deny,
                    "{class:?} {role:?}"
                );
            }
        }
        for class in [
            RecipientClass::MedicalProvider,
            RecipientClass::TreatmentProvider,
            RecipientClass::JailHealth,
        ] {
            let r = req(
                user(41, CLINIC, Role::Team, Some(class)),
                Category::Plan,
                Purpose::Treatment,
                at,
            );
            assert!(
                decide(&r, &[], &[emergency(1, 41)]).is_allowed(),
                "{class:?}"
            );
        }
    }

    /// 42 CFR 2.35: a criminal-justice consent names one agency. A stored one that names a class
    /// (recorded before this rule) names nobody; naming the agency or a person there works.
    #[test]
    fn a_criminal_justice_consent_naming_a_class_names_nobody() {
        let mut c = consent(1);
        c.kind = ConsentKind::CriminalJustice;
        c.purpose = Purpose::MonitoringProgress;
        c.recipients = vec![Recipient::Class {
            class: RecipientClass::Probation,
        }];
        let r = req(
            officer(),
            Category::Plan,
            Purpose::MonitoringProgress,
            mid(),
        );
        assert!(!allowed(&r, std::slice::from_ref(&c)));
        c.recipients = vec![Recipient::Person {
            org_id: PROBATION_ORG,
            user_id: 20,
        }];
        assert!(allowed(&r, std::slice::from_ref(&c)));
        let other_department = req(
            user(21, 9, Role::Team, Some(RecipientClass::Probation)),
            Category::Plan,
            Purpose::MonitoringProgress,
            mid(),
        );
        c.recipients = vec![Recipient::Organisation {
            org_id: PROBATION_ORG,
        }];
        assert!(allowed(&r, std::slice::from_ref(&c)));
        assert!(!allowed(&other_department, &[c]));
    }

    #[test]
    fn consent_is_preferred_over_emergency() {
        let r = req(officer(), Category::Plan, Purpose::CareCoordination, mid());
        assert_eq!(
            decide(&r, &[consent(8)], &[emergency(1, 20)]),
            Decision::Allow(Basis::Consent { consent_id: 8 })
        );
    }

    // --- revocation -------------------------------------------------------------------------

    fn cj_consent() -> Consent {
        Consent {
            kind: ConsentKind::CriminalJustice,
            purpose: Purpose::MonitoringProgress,
            irrevocable_until: Some(dt(2025, 3, 1, 0, 0, 0)),
            ..consent(2)
        }
    }

    #[test]
    fn criminal_justice_consent_is_irrevocable_until_its_date_then_revocable() {
        let c = cj_consent();
        let until = dt(2025, 3, 1, 0, 0, 0);
        let err = can_revoke(&c, until - Duration::seconds(1)).unwrap_err();
        assert_eq!(err, RevokeError::Irrevocable { until });
        assert!(err.to_string().contains("2025-03-01"), "{err}");
        assert_eq!(can_revoke(&c, until), Ok(()));
        assert_eq!(can_revoke(&c, until + Duration::days(3)), Ok(()));
        let r = Revocation {
            consent_id: 2,
            revoked_at: dt(2025, 2, 1, 0, 0, 0),
            recorded_by_user_id: 3,
        };
        assert_eq!(
            apply_revocation(&c, &r),
            Err(RevokeError::Irrevocable { until })
        );
    }

    #[test]
    fn standard_consent_is_always_revocable_once() {
        let mut c = consent(1);
        c.irrevocable_until = Some(dt(2025, 3, 1, 0, 0, 0)); // ignored for standard consents
        assert_eq!(can_revoke(&c, mid()), Ok(()));
        c.revoked_at = Some(mid());
        assert_eq!(
            can_revoke(&c, mid() + Duration::days(1)),
            Err(RevokeError::AlreadyRevoked { revoked_at: mid() })
        );
        let c = consent(1);
        assert_eq!(
            can_revoke(&c, c.signed_at - Duration::seconds(1)),
            Err(RevokeError::BeforeSigning {
                signed_at: c.signed_at
            })
        );
        // Revoking an expired consent is harmless and allowed.
        assert_eq!(can_revoke(&c, dt(2026, 1, 1, 0, 0, 0)), Ok(()));
        let wrong = Revocation {
            consent_id: 99,
            revoked_at: mid(),
            recorded_by_user_id: 3,
        };
        assert_eq!(
            apply_revocation(&c, &wrong),
            Err(RevokeError::WrongConsent {
                expected: 1,
                got: 99
            })
        );
    }

    // --- validation -------------------------------------------------------------------------

    fn now() -> NaiveDateTime {
        dt(2025, 1, 15, 10, 0, 0)
    }

    fn good_draft() -> ConsentDraft {
        ConsentDraft {
            participant_id: Some(PARTICIPANT),
            program_org_id: Some(PROGRAM),
            kind: Some(ConsentKind::Standard),
            categories: vec![Category::Plan, Category::Participation, Category::Plan],
            recipients: vec![
                Recipient::Organisation { org_id: CLINIC },
                Recipient::Organisation { org_id: CLINIC },
            ],
            purpose: Some(Purpose::Treatment),
            purpose_text: Some("  ".into()),
            expiry: Some(Expiry::OnDate(d(2025, 12, 31))),
            signature: Some(Signature::OnScreen {
                signed_at: dt(2025, 1, 15, 9, 55, 0),
                signer_name: "Ana Pérez".into(),
            }),
            right_to_revoke_acknowledged: true,
            signer_is_representative: false,
            representative_authority: Some("ignored".into()),
            irrevocable_until: None,
            cj_condition_of_release: None,
            cj_final_disposition_on: None,
        }
    }

    fn cj_draft() -> ConsentDraft {
        ConsentDraft {
            kind: Some(ConsentKind::CriminalJustice),
            categories: vec![Category::Participation, Category::Plan],
            recipients: vec![Recipient::Organisation {
                org_id: PROBATION_ORG,
            }],
            purpose: Some(Purpose::MonitoringProgress),
            irrevocable_until: Some(dt(2025, 6, 30, 12, 0, 0)),
            cj_condition_of_release: Some("Probation condition 7: engage in peer support".into()),
            cj_final_disposition_on: Some(d(2025, 6, 30)),
            ..good_draft()
        }
    }

    fn fields_of(errs: &[MissingElement]) -> Vec<&'static str> {
        errs.iter().map(|e| e.field).collect()
    }

    #[test]
    fn valid_standard_draft_becomes_a_consent() {
        let v = validate(good_draft(), now()).unwrap();
        assert_eq!(v.categories, vec![Category::Participation, Category::Plan]);
        assert_eq!(v.recipients.len(), 1);
        assert_eq!(v.purpose_text, None);
        assert_eq!(v.representative_authority, None);
        assert_eq!(v.signed_at, dt(2025, 1, 15, 9, 55, 0));
        let c = v.to_consent(12);
        assert_eq!(c.id, 12);
        assert!(c.is_active_at(now()));
        assert_eq!(c.revoked_at, None);
    }

    #[test]
    fn empty_draft_reports_every_missing_element_at_once() {
        let errs = validate(ConsentDraft::default(), now()).unwrap_err();
        assert_eq!(
            fields_of(&errs),
            vec![
                "participant_id",
                "program_org_id",
                "kind",
                "categories",
                "recipients",
                "purpose",
                "expiry",
                "right_to_revoke_acknowledged",
                "signature",
            ]
        );
        assert!(errs.iter().all(|e| !e.message.is_empty()));
        let rep = ConsentDraft {
            signer_is_representative: true,
            representative_authority: Some(" ".into()),
            ..ConsentDraft::default()
        };
        assert!(
            fields_of(&validate(rep, now()).unwrap_err()).contains(&"representative_authority")
        );
    }

    #[test]
    fn expiry_must_be_today_or_later_or_a_pending_event() {
        let with = |e: Expiry| ConsentDraft {
            expiry: Some(e),
            ..good_draft()
        };
        assert!(validate(with(Expiry::OnDate(d(2025, 1, 15))), now()).is_ok());
        assert_eq!(
            fields_of(&validate(with(Expiry::OnDate(d(2025, 1, 14))), now()).unwrap_err()),
            vec!["expiry"]
        );
        let pending = Expiry::OnEvent {
            description: "discharge from the program".into(),
            occurred_at: None,
        };
        assert!(validate(with(pending), now()).is_ok());
        let blank_and_past = Expiry::OnEvent {
            description: " ".into(),
            occurred_at: Some(dt(2025, 1, 1, 0, 0, 0)),
        };
        assert_eq!(
            fields_of(&validate(with(blank_and_past), now()).unwrap_err()),
            vec!["expiry", "expiry"]
        );
    }

    #[test]
    fn signature_purpose_and_representative_rules() {
        let future = ConsentDraft {
            signature: Some(Signature::OnScreen {
                signed_at: now() + Duration::minutes(1),
                signer_name: String::new(),
            }),
            purpose: Some(Purpose::Other),
            signer_is_representative: true,
            representative_authority: None,
            ..good_draft()
        };
        assert_eq!(
            fields_of(&validate(future, now()).unwrap_err()),
            vec![
                "purpose_text",
                "signature",
                "signature",
                "representative_authority"
            ]
        );
        let paper = ConsentDraft {
            signature: Some(Signature::PaperAttested {
                signed_on: d(2025, 1, 14),
                attested_by_user_id: 3,
                scan_ref: "scan-0042".into(),
            }),
            purpose: Some(Purpose::Other),
            purpose_text: Some(" housing application ".into()),
            signer_is_representative: true,
            representative_authority: Some("legal guardian".into()),
            ..good_draft()
        };
        let v = validate(paper, now()).unwrap();
        assert_eq!(v.signed_at, dt(2025, 1, 14, 0, 0, 0));
        assert_eq!(v.purpose_text.as_deref(), Some("housing application"));
        assert_eq!(
            v.representative_authority.as_deref(),
            Some("legal guardian")
        );
        let bad_paper = ConsentDraft {
            signature: Some(Signature::PaperAttested {
                signed_on: d(2025, 1, 16),
                attested_by_user_id: 3,
                scan_ref: String::new(),
            }),
            ..good_draft()
        };
        assert_eq!(
            fields_of(&validate(bad_paper, now()).unwrap_err()),
            vec!["signature", "signature"]
        );
    }

    #[test]
    fn standard_consent_cannot_be_irrevocable_or_for_monitoring() {
        let d1 = ConsentDraft {
            irrevocable_until: Some(dt(2025, 2, 1, 0, 0, 0)),
            purpose: Some(Purpose::MonitoringProgress),
            ..good_draft()
        };
        assert_eq!(
            fields_of(&validate(d1, now()).unwrap_err()),
            vec!["purpose", "irrevocable_until"]
        );
    }

    #[test]
    fn valid_criminal_justice_draft() {
        let v = validate(cj_draft(), now()).unwrap();
        assert_eq!(v.kind, ConsentKind::CriminalJustice);
        assert_eq!(v.irrevocable_until, Some(dt(2025, 6, 30, 12, 0, 0)));
        assert!(v.cj_condition_of_release.is_some());
        let c = v.to_consent(3);
        assert!(can_revoke(&c, now()).is_err());
        assert!(can_revoke(&c, dt(2025, 6, 30, 12, 0, 0)).is_ok());
    }

    #[test]
    fn criminal_justice_draft_rules_are_all_reported() {
        let bad = ConsentDraft {
            categories: vec![Category::Plan, Category::EncounterNotes],
            recipients: vec![
                Recipient::Class {
                    class: RecipientClass::TreatmentProvider,
                },
                Recipient::Person {
                    org_id: PROBATION_ORG,
                    user_id: 20,
                },
                Recipient::Class {
                    class: RecipientClass::Court,
                },
            ],
            purpose: Some(Purpose::Treatment),
            cj_condition_of_release: Some("  ".into()),
            irrevocable_until: Some(dt(2025, 7, 1, 0, 0, 0)),
            expiry: Some(Expiry::OnDate(d(2025, 6, 15))),
            ..cj_draft()
        };
        let errs = validate(bad, now()).unwrap_err();
        assert_eq!(
            fields_of(&errs),
            vec![
                "categories",
                "recipients",
                "recipients",
                "purpose",
                "cj_condition_of_release",
                "irrevocable_until",
                "irrevocable_until",
            ]
        );
        assert!(errs[1].message.contains("any treatment provider"));
        assert!(errs[2].message.contains("any court"));
    }

    #[test]
    fn irrevocable_until_may_reach_the_end_of_the_final_disposition_day() {
        let ok = ConsentDraft {
            irrevocable_until: Some(dt(2025, 6, 30, 23, 59, 59)),
            ..cj_draft()
        };
        assert!(validate(ok, now()).is_ok());
        let event_expiry = ConsentDraft {
            expiry: Some(Expiry::OnEvent {
                description: "final disposition".into(),
                occurred_at: None,
            }),
            cj_final_disposition_on: None,
            ..cj_draft()
        };
        assert!(validate(event_expiry, now()).is_ok());
    }

    #[test]
    fn missing_element_display_names_the_field() {
        let e = MissingElement {
            field: fields::SIGNATURE,
            message: "x".into(),
        };
        assert_eq!(e.to_string(), "signature: x");
        assert!(fields::ALL.contains(&"cj_final_disposition_on"));
    }
}

// ---------------------------------------------------------------------------------------------
// Property tests: `decide` against an independent reference model
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod proptests {
    use super::*;
    use chrono::Duration;
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    // ---- Reference model -------------------------------------------------------------------
    //
    // Written from the rules text alone, without any helper of the module: each rule is a
    // "reason to allow"; all reasons are enumerated, then the highest-priority one is chosen.
    // Times are compared as integer seconds since the epoch (plus nanoseconds), and a date expiry
    // as "strictly before 00:00 of the day after the last day", unlike the module's date compare.

    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Reason {
        // Declaration order is the priority order (smaller wins), then the id.
        Own,
        ViaConsent(i64),
        ViaEmergency(i64),
    }

    fn ts(t: NaiveDateTime) -> (i64, u32) {
        let u = t.and_utc();
        (u.timestamp(), u.timestamp_subsec_nanos())
    }

    fn reference(
        req: &Request,
        consents: &[Consent],
        emergencies: &[EmergencyAccess],
    ) -> Option<Reason> {
        let me = &req.requester;
        let now = ts(req.at);
        let mut reasons: Vec<Reason> = Vec::new();

        // Rule 1: staff of the participant's own organisation.
        let own_org = me.org_id == req.participant_org_id;
        let full_staff =
            me.role == Role::Admin || me.role == Role::Supervisor || me.role == Role::Peer;
        if own_org && full_staff {
            reasons.push(Reason::Own);
        }

        // Rule 2: a consent that says yes to everything about this request.
        for c in consents {
            let same_participant = c.participant_id == req.participant_id;
            let right_discloser = c.program_org_id == req.participant_org_id;
            let signed = ts(c.signed_at) <= now;
            let not_expired = match &c.expiry {
                Expiry::OnDate(last) => {
                    let day_after = *last + Duration::days(1);
                    now < ts(day_after.and_hms_opt(0, 0, 0).unwrap())
                }
                Expiry::OnEvent {
                    occurred_at: None, ..
                } => true,
                Expiry::OnEvent {
                    occurred_at: Some(when),
                    ..
                } => now < ts(*when),
            };
            let not_revoked = match c.revoked_at {
                None => true,
                Some(when) => now < ts(when),
            };
            let mut names_me = false;
            for r in &c.recipients {
                if let Recipient::Organisation { org_id } = r
                    && *org_id == me.org_id
                {
                    names_me = true;
                }
                if let Recipient::Person { org_id, user_id } = r
                    && *org_id == me.org_id
                    && *user_id == me.user_id
                {
                    names_me = true;
                }
                if let Recipient::Class { class } = r
                    && me.class == Some(*class)
                    && c.kind != ConsentKind::CriminalJustice
                {
                    names_me = true;
                }
            }
            let mut has_category = false;
            for cat in &c.categories {
                if *cat == req.category {
                    has_category = true;
                }
            }
            let same_purpose = c.purpose == req.purpose;
            if same_participant
                && right_discloser
                && signed
                && not_expired
                && not_revoked
                && names_me
                && has_category
                && same_purpose
            {
                reasons.push(Reason::ViaConsent(c.id));
            }
        }

        // Rule 3: a medical emergency access for this user and participant, held by staff of
        // a medical organisation.
        let medical_staff = matches!(
            me.class,
            Some(
                RecipientClass::MedicalProvider
                    | RecipientClass::TreatmentProvider
                    | RecipientClass::JailHealth
            )
        );
        for e in emergencies {
            if medical_staff
                && e.participant_id == req.participant_id
                && e.user_id == me.user_id
                && ts(e.granted_at) <= now
                && now < ts(e.expires_at)
            {
                reasons.push(Reason::ViaEmergency(e.id));
            }
        }

        // Auditors: no reason counts, in any organisation.
        if me.role == Role::Auditor {
            return None;
        }
        reasons.sort();
        reasons.first().copied()
    }

    fn same(decision: Decision, reason: Option<Reason>) -> bool {
        match (decision, reason) {
            (Decision::Deny, None) => true,
            (Decision::Allow(Basis::OwnOrganisation), Some(Reason::Own)) => true,
            (Decision::Allow(Basis::Consent { consent_id }), Some(Reason::ViaConsent(id))) => {
                consent_id == id
            }
            (Decision::Allow(Basis::Emergency { access_id }), Some(Reason::ViaEmergency(id))) => {
                access_id == id
            }
            _ => false,
        }
    }

    // ---- Random histories ------------------------------------------------------------------

    const PARTICIPANTS: i64 = 3;

    #[derive(Debug, Clone)]
    struct History {
        consents: Vec<Consent>,
        emergencies: Vec<EmergencyAccess>,
        requests: Vec<Request>,
    }

    fn base() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2025, 3, 10)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
    }

    /// Coarse times over about 5.5 days (whole hours, often on the hour) so that requests often
    /// fall exactly on signing, revocation, event and emergency boundaries and on midnights.
    fn arb_time() -> impl Strategy<Value = NaiveDateTime> {
        (
            0i64..132,
            prop_oneof![4 => Just(0i64), 1 => Just(59), 1 => 0i64..60],
        )
            .prop_map(|(h, m)| base() + Duration::hours(h) + Duration::minutes(m))
    }

    fn arb_role() -> impl Strategy<Value = Role> {
        prop_oneof![
            1 => Just(Role::Admin),
            1 => Just(Role::Supervisor),
            1 => Just(Role::Peer),
            3 => Just(Role::Team),
            1 => Just(Role::Auditor),
        ]
    }

    fn arb_class() -> impl Strategy<Value = RecipientClass> {
        prop::sample::select(RecipientClass::ALL.to_vec())
    }

    fn arb_purpose() -> impl Strategy<Value = Purpose> {
        prop_oneof![
            3 => Just(Purpose::CareCoordination),
            2 => Just(Purpose::MonitoringProgress),
            2 => Just(Purpose::Treatment),
            1 => prop::sample::select(Purpose::ALL.to_vec()),
        ]
    }

    fn arb_category() -> impl Strategy<Value = Category> {
        prop::sample::select(Category::ALL.to_vec())
    }

    fn arb_categories() -> impl Strategy<Value = Vec<Category>> {
        prop_oneof![
            Just(Category::ALL_EXCEPT_NOTES.to_vec()),
            prop::sample::subsequence(Category::ALL.to_vec(), 0..=6),
            prop::collection::vec(arb_category(), 0..4),
        ]
    }

    fn arb_expiry() -> impl Strategy<Value = Expiry> {
        prop_oneof![
            (-1i64..7).prop_map(|days| Expiry::OnDate(base().date() + Duration::days(days))),
            prop::option::of(arb_time()).prop_map(|occurred_at| Expiry::OnEvent {
                description: "end of supervision".into(),
                occurred_at,
            }),
        ]
    }

    /// Organisations 1..=n_orgs, each of a class or none; users 1..=n with an organisation and a
    /// role; participants each belong to one organisation; then consents, emergencies, requests.
    fn arb_history() -> impl Strategy<Value = History> {
        (
            prop::collection::vec(prop::option::of(arb_class()), 2..=4),
            prop::collection::vec(prop::collection::vec(1usize..=4, 1), 2..=7),
        )
            .prop_flat_map(|(org_classes, user_orgs)| {
                let n_orgs = org_classes.len() as i64;
                let users: Vec<(i64, i64)> = user_orgs
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (i as i64 + 1, (o[0] as i64 - 1) % n_orgs + 1))
                    .collect();
                let n_users = users.len();
                (
                    Just(org_classes),
                    Just(users),
                    prop::collection::vec(arb_role(), n_users),
                    prop::collection::vec(1..=n_orgs, PARTICIPANTS as usize),
                    prop::collection::vec(arb_consent(n_orgs, n_users), 0..7),
                    Just((1..=40i64).collect::<Vec<_>>()).prop_shuffle(),
                    prop::collection::vec(arb_emergency(n_users), 0..3),
                    prop::collection::vec(arb_request(n_users), 1..20),
                )
            })
            .prop_map(
                |(
                    org_classes,
                    users,
                    roles,
                    participant_org,
                    raw_consents,
                    ids,
                    raw_em,
                    raw_req,
                )| {
                    let requester = |u: usize| {
                        let (user_id, org_id) = users[u];
                        Requester {
                            user_id,
                            org_id,
                            role: roles[u],
                            class: org_classes[(org_id - 1) as usize],
                        }
                    };
                    let consents: Vec<Consent> = raw_consents
                        .into_iter()
                        .enumerate()
                        .map(|(i, rc)| rc.build(ids[i], &users, &participant_org))
                        .collect();
                    let emergencies: Vec<EmergencyAccess> = raw_em
                        .into_iter()
                        .enumerate()
                        .map(
                            |(i, (u, participant_id, granted_at, hours, mins))| EmergencyAccess {
                                id: ids[ids.len() - 1 - i],
                                participant_id,
                                user_id: users[u].0,
                                granted_at,
                                expires_at: granted_at
                                    + Duration::hours(hours)
                                    + Duration::minutes(mins),
                                reason: "overdose".into(),
                            },
                        )
                        .collect();
                    let requests = raw_req
                        .into_iter()
                        .map(|raw| {
                            let (u, participant_id, category, purpose, at) =
                                raw.aim(&consents, &emergencies, &users, &org_classes);
                            Request {
                                requester: requester(u),
                                participant_id,
                                participant_org_id: participant_org[(participant_id - 1) as usize],
                                category,
                                purpose,
                                at,
                            }
                        })
                        .collect();
                    History {
                        consents,
                        emergencies,
                        requests,
                    }
                },
            )
    }

    #[derive(Debug, Clone)]
    enum RawRecipient {
        Org(i64),
        /// A user, as a member of their current organisation or (stale) of another one.
        Person(usize, Option<i64>),
        Class(RecipientClass),
    }

    #[derive(Debug, Clone)]
    struct RawConsent {
        participant_id: i64,
        /// None: the participant's own organisation; Some: any organisation.
        program_org: Option<i64>,
        kind: ConsentKind,
        categories: Vec<Category>,
        recipients: Vec<RawRecipient>,
        purpose: Purpose,
        signed_at: NaiveDateTime,
        expiry: Expiry,
        irrevocable_until: Option<NaiveDateTime>,
        revoked_at: Option<NaiveDateTime>,
    }

    impl RawConsent {
        fn build(self, id: i64, users: &[(i64, i64)], participant_org: &[i64]) -> Consent {
            let recipients = self
                .recipients
                .into_iter()
                .map(|r| match r {
                    RawRecipient::Org(org_id) => Recipient::Organisation { org_id },
                    RawRecipient::Person(u, stale_org) => Recipient::Person {
                        org_id: stale_org.unwrap_or(users[u].1),
                        user_id: users[u].0,
                    },
                    RawRecipient::Class(class) => Recipient::Class { class },
                })
                .collect();
            Consent {
                id,
                participant_id: self.participant_id,
                program_org_id: self
                    .program_org
                    .unwrap_or(participant_org[(self.participant_id - 1) as usize]),
                kind: self.kind,
                categories: self.categories,
                recipients,
                purpose: self.purpose,
                signed_at: self.signed_at,
                expiry: self.expiry,
                irrevocable_until: self.irrevocable_until,
                revoked_at: self.revoked_at,
            }
        }
    }

    fn arb_consent(n_orgs: i64, n_users: usize) -> impl Strategy<Value = RawConsent> {
        let recipient = prop_oneof![
            (1..=n_orgs).prop_map(RawRecipient::Org),
            (0..n_users, prop::option::weighted(0.2, 1..=n_orgs))
                .prop_map(|(u, stale)| RawRecipient::Person(u, stale)),
            arb_class().prop_map(RawRecipient::Class),
        ];
        (
            (
                1..=PARTICIPANTS,
                prop::option::weighted(0.25, 1..=n_orgs),
                prop_oneof![
                    Just(ConsentKind::Standard),
                    Just(ConsentKind::CriminalJustice)
                ],
                arb_categories(),
                prop_oneof![
                    1 => Just(Vec::new()),
                    6 => prop::collection::vec(recipient, 1..3),
                ],
            ),
            (
                arb_purpose(),
                // Signed mostly in the first three days, so that most consents have an active window.
                prop_oneof![3 => arb_time().prop_map(|t| t - (t - base()) / 2), 1 => arb_time()],
                arb_expiry(),
                prop::option::of(arb_time()),
                prop::option::weighted(0.3, arb_time()),
            ),
        )
            .prop_map(
                |(
                    (participant_id, program_org, kind, categories, recipients),
                    (purpose, signed_at, expiry, irrevocable_until, revoked_at),
                )| RawConsent {
                    participant_id,
                    program_org,
                    kind,
                    categories,
                    recipients,
                    purpose,
                    signed_at,
                    expiry,
                    irrevocable_until,
                    revoked_at,
                },
            )
    }

    type RawEmergency = (usize, i64, NaiveDateTime, i64, i64);

    fn arb_emergency(n_users: usize) -> impl Strategy<Value = RawEmergency> {
        (
            0..n_users,
            1..=PARTICIPANTS,
            arb_time(),
            0i64..30,
            prop_oneof![Just(0i64), 0i64..60],
        )
    }

    /// Where a request is aimed: anywhere (all fields random), or at a random consent or
    /// emergency access of the history (a user it names, its participant, category and purpose,
    /// at one of its boundaries), so that allows and boundary instants are frequent.
    #[derive(Debug, Clone)]
    enum Aim {
        Anywhere,
        AtConsent,
        AtEmergency,
    }

    #[derive(Debug, Clone)]
    struct RawRequest {
        user: usize,
        participant_id: i64,
        category: Category,
        purpose: Purpose,
        at: NaiveDateTime,
        aim: Aim,
        pick: prop::sample::Index,
        who: prop::sample::Index,
        when: u8,
        category_from_consent: bool,
        purpose_from_consent: bool,
    }

    type Resolved = (usize, i64, Category, Purpose, NaiveDateTime);

    impl RawRequest {
        fn aim(
            &self,
            consents: &[Consent],
            emergencies: &[EmergencyAccess],
            users: &[(i64, i64)],
            org_classes: &[Option<RecipientClass>],
        ) -> Resolved {
            let random = (
                self.user,
                self.participant_id,
                self.category,
                self.purpose,
                self.at,
            );
            match self.aim {
                Aim::Anywhere => random,
                Aim::AtConsent if !consents.is_empty() => {
                    let c = &consents[self.pick.index(consents.len())];
                    let named: Vec<usize> = (0..users.len())
                        .filter(|&u| {
                            let (user_id, org_id) = users[u];
                            c.recipients.iter().any(|r| match *r {
                                Recipient::Organisation { org_id: o } => o == org_id,
                                Recipient::Person {
                                    org_id: o,
                                    user_id: p,
                                } => o == org_id && p == user_id,
                                Recipient::Class { class } => {
                                    org_classes[(org_id - 1) as usize] == Some(class)
                                }
                            })
                        })
                        .collect();
                    let user = if named.is_empty() {
                        self.user
                    } else {
                        named[self.who.index(named.len())]
                    };
                    let category = if self.category_from_consent && !c.categories.is_empty() {
                        c.categories[self.who.index(c.categories.len())]
                    } else {
                        self.category
                    };
                    let purpose = if self.purpose_from_consent {
                        c.purpose
                    } else {
                        self.purpose
                    };
                    let at = match self.when % 6 {
                        0 => Some(c.signed_at),
                        1 => c.revoked_at,
                        2 => match &c.expiry {
                            Expiry::OnEvent { occurred_at, .. } => *occurred_at,
                            Expiry::OnDate(last) => {
                                Some((*last + Duration::days(1)).and_time(NaiveTime::MIN))
                            }
                        },
                        3 => match &c.expiry {
                            Expiry::OnDate(last) => last.and_hms_opt(23, 59, 59),
                            Expiry::OnEvent { occurred_at, .. } => {
                                occurred_at.map(|o| o - Duration::seconds(1))
                            }
                        },
                        // Some time in the two days after signing.
                        _ => Some(c.signed_at + (self.at - base()) / 3),
                    }
                    .unwrap_or(self.at);
                    (user, c.participant_id, category, purpose, at)
                }
                Aim::AtEmergency if !emergencies.is_empty() => {
                    let e = &emergencies[self.pick.index(emergencies.len())];
                    let user = users
                        .iter()
                        .position(|(id, _)| *id == e.user_id)
                        .unwrap_or(self.user);
                    let at = match self.when % 4 {
                        0 => e.granted_at,
                        1 => e.expires_at,
                        2 => e.expires_at - Duration::seconds(1),
                        _ => self.at,
                    };
                    (user, e.participant_id, self.category, self.purpose, at)
                }
                _ => random,
            }
        }
    }

    fn arb_request(n_users: usize) -> impl Strategy<Value = RawRequest> {
        (
            (
                0..n_users,
                1..=PARTICIPANTS,
                arb_category(),
                arb_purpose(),
                arb_time(),
            ),
            (
                prop_oneof![
                    2 => Just(Aim::Anywhere),
                    3 => Just(Aim::AtConsent),
                    1 => Just(Aim::AtEmergency),
                ],
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
                any::<u8>(),
                prop::bool::weighted(0.8),
                prop::bool::weighted(0.85),
            ),
        )
            .prop_map(
                |(
                    (user, participant_id, category, purpose, at),
                    (aim, pick, who, when, category_from_consent, purpose_from_consent),
                )| RawRequest {
                    user,
                    participant_id,
                    category,
                    purpose,
                    at,
                    aim,
                    pick,
                    who,
                    when,
                    category_from_consent,
                    purpose_from_consent,
                },
            )
    }

    fn allowed_set(h: &History) -> Vec<bool> {
        h.requests
            .iter()
            .map(|r| decide(r, &h.consents, &h.emergencies).is_allowed())
            .collect()
    }

    fn assert_not_more_allowed(before: &History, after: &History) -> Result<(), TestCaseError> {
        for ((r, b), a) in before
            .requests
            .iter()
            .zip(allowed_set(before))
            .zip(allowed_set(after))
        {
            prop_assert!(b || !a, "newly allowed after narrowing: {:?}", r);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2500))]

        #[test]
        fn decide_agrees_with_the_reference_model(h in arb_history()) {
            for r in &h.requests {
                let got = decide(r, &h.consents, &h.emergencies);
                let want = reference(r, &h.consents, &h.emergencies);
                prop_assert!(same(got, want), "decide {:?} vs reference {:?} for {:?}", got, want, r);
                // The convenience view agrees with one-category decisions.
                let ctx = RequestContext {
                    requester: r.requester.clone(),
                    participant_id: r.participant_id,
                    participant_org_id: r.participant_org_id,
                    purpose: r.purpose,
                    at: r.at,
                };
                let visible = visible_categories(&ctx, &h.consents, &h.emergencies);
                let in_view = visible.iter().find(|(c, _)| *c == r.category).map(|(_, b)| *b);
                prop_assert_eq!(in_view, got.basis());
            }
        }

        #[test]
        fn encounter_notes_need_a_consent_naming_them(h in arb_history()) {
            for r in h.requests.iter().filter(|r| r.category == Category::EncounterNotes) {
                if let Decision::Allow(Basis::Consent { consent_id }) =
                    decide(r, &h.consents, &h.emergencies)
                {
                    let c = h.consents.iter().find(|c| c.id == consent_id).unwrap();
                    prop_assert!(c.categories.contains(&Category::EncounterNotes));
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn revoking_never_allows_more(h in arb_history(), pick in any::<prop::sample::Index>(), at in arb_time()) {
            if h.consents.is_empty() {
                return Ok(());
            }
            let mut after = h.clone();
            let c = &mut after.consents[pick.index(h.consents.len())];
            c.revoked_at = Some(c.revoked_at.map_or(at, |r| r.min(at)));
            assert_not_more_allowed(&h, &after)?;
        }

        #[test]
        fn expiring_never_allows_more(
            h in arb_history(),
            pick in any::<prop::sample::Index>(),
            at in arb_time(),
            by_date in any::<bool>(),
        ) {
            if h.consents.is_empty() {
                return Ok(());
            }
            let mut after = h.clone();
            let c = &mut after.consents[pick.index(h.consents.len())];
            c.expiry = match (&c.expiry, by_date) {
                (Expiry::OnDate(last), _) => Expiry::OnDate((*last).min(at.date())),
                // An open-ended event expiry narrowed to a date.
                (Expiry::OnEvent { occurred_at: None, .. }, true) => Expiry::OnDate(at.date()),
                (Expiry::OnEvent { description, occurred_at }, _) => Expiry::OnEvent {
                    description: description.clone(),
                    occurred_at: Some(occurred_at.map_or(at, |o| o.min(at))),
                },
            };
            assert_not_more_allowed(&h, &after)?;
        }

        #[test]
        fn revocation_is_refused_exactly_while_irrevocable(h in arb_history(), at in arb_time()) {
            for c in &h.consents {
                let refused_irrevocable = matches!(can_revoke(c, at), Err(RevokeError::Irrevocable { .. }));
                let should = c.revoked_at.is_none()
                    && c.signed_at <= at
                    && c.kind == ConsentKind::CriminalJustice
                    && c.irrevocable_until.is_some_and(|u| at < u);
                prop_assert_eq!(refused_irrevocable, should);
                if let Ok(()) = can_revoke(c, at) {
                    // An accepted revocation takes effect at once.
                    let revoked = Consent { revoked_at: Some(at), ..c.clone() };
                    prop_assert!(!revoked.is_active_at(at));
                }
            }
        }
    }

    // ---- Validation: total, and Ok only for consents that respect the rules -----------------

    fn arb_draft() -> impl Strategy<Value = ConsentDraft> {
        let text = prop_oneof![
            Just(None),
            Just(Some(" ".to_string())),
            Just(Some("x".to_string()))
        ];
        let recipient = prop_oneof![
            (1i64..4).prop_map(|org_id| Recipient::Organisation { org_id }),
            (1i64..4, 1i64..9).prop_map(|(org_id, user_id)| Recipient::Person { org_id, user_id }),
            arb_class().prop_map(|class| Recipient::Class { class }),
        ];
        let signature = prop_oneof![
            (
                arb_time(),
                prop_oneof![Just(String::new()), Just("Ana".to_string())]
            )
                .prop_map(|(signed_at, signer_name)| Signature::OnScreen {
                    signed_at,
                    signer_name
                }),
            (
                arb_time(),
                prop_oneof![Just(String::new()), Just("scan-1".to_string())]
            )
                .prop_map(|(t, scan_ref)| Signature::PaperAttested {
                    signed_on: t.date(),
                    attested_by_user_id: 1,
                    scan_ref,
                }),
        ];
        (
            (
                prop::option::of(1i64..4),
                prop::option::of(1i64..4),
                prop::option::of(prop_oneof![
                    Just(ConsentKind::Standard),
                    Just(ConsentKind::CriminalJustice)
                ]),
                arb_categories(),
                prop::collection::vec(recipient, 0..3),
                prop::option::of(arb_purpose()),
                text.clone(),
                prop::option::of(arb_expiry()),
            ),
            (
                prop::option::of(signature),
                any::<bool>(),
                any::<bool>(),
                text.clone(),
                prop::option::of(arb_time()),
                text,
                prop::option::of(arb_time().prop_map(|t| t.date())),
            ),
        )
            .prop_map(|(a, b)| ConsentDraft {
                participant_id: a.0,
                program_org_id: a.1,
                kind: a.2,
                categories: a.3,
                recipients: a.4,
                purpose: a.5,
                purpose_text: a.6,
                expiry: a.7,
                signature: b.0,
                right_to_revoke_acknowledged: b.1,
                signer_is_representative: b.2,
                representative_authority: b.3,
                irrevocable_until: b.4,
                cj_condition_of_release: b.5,
                cj_final_disposition_on: b.6,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn validate_reports_known_fields_and_accepts_only_lawful_consents(
            draft in arb_draft(),
            now in arb_time(),
        ) {
            match validate(draft.clone(), now) {
                Err(errs) => {
                    prop_assert!(!errs.is_empty());
                    for e in &errs {
                        prop_assert!(fields::ALL.contains(&e.field), "{}", e.field);
                        prop_assert!(!e.message.is_empty());
                    }
                }
                Ok(v) => {
                    prop_assert!(draft.right_to_revoke_acknowledged);
                    prop_assert!(!v.categories.is_empty() && !v.recipients.is_empty());
                    prop_assert!(v.signed_at <= now);
                    match &v.expiry {
                        Expiry::OnDate(last) => prop_assert!(*last >= now.date()),
                        Expiry::OnEvent { description, occurred_at } => {
                            prop_assert!(!description.trim().is_empty() && occurred_at.is_none());
                        }
                    }
                    if v.signer_is_representative {
                        prop_assert!(v.representative_authority.is_some());
                    }
                    match v.kind {
                        ConsentKind::Standard => {
                            prop_assert_eq!(v.irrevocable_until, None);
                            prop_assert_ne!(v.purpose, Purpose::MonitoringProgress);
                        }
                        ConsentKind::CriminalJustice => {
                            prop_assert_eq!(v.purpose, Purpose::MonitoringProgress);
                            prop_assert!(!v.categories.contains(&Category::EncounterNotes));
                            prop_assert!(v.cj_condition_of_release.is_some());
                            for r in &v.recipients {
                                let ok = matches!(
                                    r,
                                    Recipient::Organisation { .. }
                                        | Recipient::Class {
                                            class: RecipientClass::Court
                                                | RecipientClass::Probation
                                                | RecipientClass::Parole
                                        }
                                );
                                prop_assert!(ok, "{:?}", r);
                            }
                            if let (Some(u), Some(fd)) = (v.irrevocable_until, v.cj_final_disposition_on) {
                                prop_assert!(u.date() <= fd);
                            }
                            if let (Some(u), Expiry::OnDate(last)) = (v.irrevocable_until, &v.expiry) {
                                prop_assert!(u.date() <= *last);
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- The generator reaches every outcome and every boundary ---------------------------

    #[test]
    fn generator_covers_every_basis_and_the_boundaries() {
        let mut runner = TestRunner::deterministic();
        let strategy = arb_history();
        let (mut own, mut consent, mut emergency, mut deny) = (0, 0, 0, 0);
        let (mut on_revocation, mut on_event, mut on_day_after, mut on_em_end) = (0, 0, 0, 0);
        for _ in 0..600 {
            let h = strategy.new_tree(&mut runner).unwrap().current();
            for r in &h.requests {
                match decide(r, &h.consents, &h.emergencies) {
                    Decision::Allow(Basis::OwnOrganisation) => own += 1,
                    Decision::Allow(Basis::Consent { .. }) => consent += 1,
                    Decision::Allow(Basis::Emergency { .. }) => emergency += 1,
                    Decision::Deny => deny += 1,
                }
                for c in h
                    .consents
                    .iter()
                    .filter(|c| c.participant_id == r.participant_id)
                {
                    on_revocation += usize::from(c.revoked_at == Some(r.at));
                    if let Expiry::OnEvent {
                        occurred_at: Some(o),
                        ..
                    } = c.expiry
                    {
                        on_event += usize::from(o == r.at);
                    }
                    if let Expiry::OnDate(last) = c.expiry {
                        on_day_after += usize::from(
                            r.at.date() == last + Duration::days(1)
                                && r.at.time() == NaiveTime::MIN,
                        );
                    }
                }
                on_em_end += h
                    .emergencies
                    .iter()
                    .filter(|e| e.expires_at == r.at)
                    .count();
            }
        }
        let counts = [
            own,
            consent,
            emergency,
            deny,
            on_revocation,
            on_event,
            on_day_after,
            on_em_end,
        ];
        println!(
            "own, consent, emergency, deny, at revocation, at event, day after last, emergency end: {counts:?}"
        );
        assert!(
            counts.iter().all(|&n| n >= 10),
            "coverage too thin: {counts:?}"
        );
        assert!(consent >= 200, "too few consent-based allows: {counts:?}");
    }
}
