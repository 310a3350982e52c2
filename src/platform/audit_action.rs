//! What an audit entry says happened: [`Action`], one variant a kind of event, stored as its
//! code (`participant.view`, `consent.print`). The codes are the ones the chain has always held,
//! so entries written before the enum existed read the same; a new kind of event is a new
//! variant here, never a string made up at the call site. What the policy needs to know of an
//! action (is it a printing?) is a method, not a suffix parsed from the code.

/// Declares [`Action`]: each variant with its stored code.
macro_rules! actions {
    ($($variant:ident = $code:literal,)*) => {
        /// A kind of event in the audit chain.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $(
                #[doc = concat!("`", $code, "`")]
                $variant,
            )*
        }

        impl Action {
            /// Every action, in the order declared.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The code stored in `audit_log.action`.
            pub const fn code(self) -> &'static str {
                match self {
                    $(Action::$variant => $code,)*
                }
            }

            /// The action whose code this is.
            pub fn from_code(code: &str) -> Option<Action> {
                match code {
                    $($code => Some(Action::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

actions! {
    AccountLanguage = "account.language",
    AmendmentRead = "amendment.read",
    AmendmentWrite = "amendment.write",
    AppointmentRead = "appointment.read",
    AppointmentWrite = "appointment.write",
    AuditBrowse = "audit.browse",
    AuditKeyed = "audit.keyed",
    Barc10Print = "barc10.print",
    Barc10Read = "barc10.read",
    Barc10Write = "barc10.write",
    BillingClaimsCsv = "billing.claims.csv",
    BillingClaimsHtml = "billing.claims.html",
    BillingClaimsJson = "billing.claims.json",
    BillingClaimsX12 = "billing.claims.x12",
    BillingGrantAdd = "billing.grant.add",
    BillingGrantsRead = "billing.grants.read",
    BillingPayerAdd = "billing.payer.add",
    BillingProviderSet = "billing.provider.set",
    BillingCoverageRead = "billing_coverage.read",
    BillingCoverageWrite = "billing_coverage.write",
    BillingFundingRead = "billing_funding.read",
    BillingFundingWrite = "billing_funding.write",
    CaseloadEscalations = "caseload.escalations",
    CaseloadNotHeardFrom = "caseload.not_heard_from",
    CaseloadReentry = "caseload.reentry",
    CaseloadView = "caseload.view",
    ChecklistRead = "checklist.read",
    ChecklistWrite = "checklist.write",
    ConsentCreate = "consent.create",
    ConsentPrint = "consent.print",
    ConsentPrintBlank = "consent.print_blank",
    ConsentRead = "consent.read",
    ConsentRevoke = "consent.revoke",
    ConsentToFix = "consent.to_fix",
    CredentialStandardCreate = "credential_standard.create",
    CredentialStandardUpdate = "credential_standard.update",
    CustodyEventRead = "custody_event.read",
    CustodyEventWrite = "custody_event.write",
    DemoGenerate = "demo.generate",
    DemoWorkforce = "demo.workforce",
    DisclosuresRead = "disclosures.read",
    EmergencyEnd = "emergency.end",
    EmergencyList = "emergency.list",
    EmergencyOpen = "emergency.open",
    EmergencyReach = "emergency.reach",
    EncounterRead = "encounter.read",
    EncounterWrite = "encounter.write",
    EpisodeRead = "episode.read",
    EpisodeWrite = "episode.write",
    ExportCsv = "export.csv",
    ExportCsvSent = "export.csv.sent",
    ExportPublic = "export.public",
    ExportXlsx = "export.xlsx",
    FacilityAdd = "facility.add",
    FieldVisitAlertSent = "field_visit.alert_sent",
    FieldVisitCheckIn = "field_visit.check_in",
    FieldVisitCheckOut = "field_visit.check_out",
    FieldVisitHelp = "field_visit.help",
    FieldVisitRead = "field_visit.read",
    FollowupPrint = "followup.print",
    FollowupRead = "followup.read",
    FollowupWrite = "followup.write",
    FormInvalid = "form.invalid",
    GoalRead = "goal.read",
    GoalWrite = "goal.write",
    GpraRead = "gpra.read",
    GpraWrite = "gpra.write",
    GroupSessionAttendanceList = "group_session.attendance_list",
    GroupSessionList = "group_session.list",
    GroupSessionPrint = "group_session.print",
    GroupSessionRead = "group_session.read",
    GroupSessionSignInSheet = "group_session.sign_in_sheet",
    GroupSessionWrite = "group_session.write",
    HiringApplicantAdvance = "hiring.applicant.advance",
    HiringApplicantCreate = "hiring.applicant.create",
    HiringApplicantLeave = "hiring.applicant.leave",
    HiringApplicantList = "hiring.applicant.list",
    HiringApplicantRead = "hiring.applicant.read",
    HiringOpeningCreate = "hiring.opening.create",
    HiringReportPipeline = "hiring.report.pipeline",
    JobDescriptionUpdate = "job_description.update",
    JobRunsRead = "job_runs.read",
    MessageDeliver = "message.deliver",
    MessageReceive = "message.receive",
    MessageRemind = "message.remind",
    MessageSend = "message.send",
    MessageOptinEnd = "message_optin.end",
    MessageOptinRecord = "message_optin.record",
    MessageOptinStart = "message_optin.start",
    MessageOptinStop = "message_optin.stop",
    MessagesRead = "messages.read",
    MfaEnrol = "mfa.enrol",
    MfaOrgPolicy = "mfa.org_policy",
    MfaReset = "mfa.reset",
    OrganisationAdd = "organisation.add",
    OverdoseRead = "overdose.read",
    OverdoseWrite = "overdose.write",
    ParticipantAssign = "participant.assign",
    ParticipantAssigned = "participant.assigned",
    ParticipantCreate = "participant.create",
    ParticipantDenied = "participant.denied",
    ParticipantDuplicatesShown = "participant.duplicates_shown",
    ParticipantFoundInEmergency = "participant.found_in_emergency",
    ParticipantIdentity = "participant.identity",
    ParticipantList = "participant.list",
    ParticipantMerge = "participant.merge",
    ParticipantMergeFind = "participant.merge_find",
    ParticipantMergeUndo = "participant.merge_undo",
    ParticipantMergedInto = "participant.merged_into",
    ParticipantSearch = "participant.search",
    ParticipantSharedList = "participant.shared_list",
    ParticipantView = "participant.view",
    PasswordChange = "password.change",
    PasswordSetByLink = "password.set_by_link",
    PlanPrint = "plan.print",
    ReadinessUpdate = "readiness.update",
    ReentryView = "reentry.view",
    ReentryHandoffRead = "reentry_handoff.read",
    ReentryHandoffWrite = "reentry_handoff.write",
    ReentryMoudRead = "reentry_moud.read",
    ReentryMoudWrite = "reentry_moud.write",
    ReentryPlanPrint = "reentry_plan.print",
    ReentryScreeningRead = "reentry_screening.read",
    ReentryScreeningWrite = "reentry_screening.write",
    ReentryStatusRead = "reentry_status.read",
    ReferralRead = "referral.read",
    ReferralWrite = "referral.write",
    ReleaseHandoutPrint = "release_handout.print",
    ReportsDashboard = "reports.dashboard",
    ReportsGpra = "reports.gpra",
    RosterCreate = "roster.create",
    RosterMatch = "roster.match",
    RosterUpdate = "roster.update",
    RosterImportFinish = "roster_import.finish",
    RosterImportStart = "roster_import.start",
    RosterImportView = "roster_import.view",
    SessionEndOthers = "session.end_others",
    SessionReauthenticate = "session.reauthenticate",
    SettingsFieldSafety = "settings.field_safety",
    SettingsJourney = "settings.journey",
    SettingsReentry = "settings.reentry",
    SettingsTimeZone = "settings.time_zone",
    SettingsTokenLifetime = "settings.token_lifetime",
    SigninFailure = "signin.failure",
    SigninSecondFactor = "signin.second_factor",
    SigninSecondFactorFailure = "signin.second_factor_failure",
    SigninSuccess = "signin.success",
    SigninThrottled = "signin.throttled",
    Signout = "signout",
    StaffAdd = "staff.add",
    StaffDisable = "staff.disable",
    StaffInvite = "staff.invite",
    StaffPasswordLink = "staff.password_link",
    StageRead = "stage.read",
    StageWrite = "stage.write",
    TokenCreate = "token.create",
    TokenRevoke = "token.revoke",
    WorkforceClearanceAdd = "workforce.clearance.add",
    WorkforceClearanceUpdate = "workforce.clearance.update",
    WorkforceConsultationAdd = "workforce.consultation.add",
    WorkforceConsultationList = "workforce.consultation.list",
    WorkforceDenied = "workforce.denied",
    WorkforceExemptionAdd = "workforce.exemption.add",
    WorkforceExemptionUpdate = "workforce.exemption.update",
    WorkforceList = "workforce.list",
    WorkforcePathwaySave = "workforce.pathway.save",
    WorkforceReportBarriers = "workforce.report.barriers",
    WorkforceReportFacilityAccess = "workforce.report.facility_access",
    WorkforceReviewAdd = "workforce.review.add",
    WorkforceReviewAmend = "workforce.review.amend",
    WorkforceReviewList = "workforce.review.list",
    WorkforceReviewView = "workforce.review.view",
    WorkforceSanctionAdd = "workforce.sanction.add",
    WorkforceSupervisionAdd = "workforce.supervision.add",
    WorkforceSupervisionAmend = "workforce.supervision.amend",
    WorkforceSupervisionAwaiting = "workforce.supervision.awaiting",
    WorkforceSupervisionSign = "workforce.supervision.sign",
    WorkforceSupervisionView = "workforce.supervision.view",
    WorkforceTrainingAdd = "workforce.training.add",
    WorkforceView = "workforce.view",
    WorkforceVisitAdd = "workforce.visit.add",
    WorkforceWorkHoursAdd = "workforce.work_hours.add",
}

impl Action {
    /// A printed page of someone's records: what the accounting of disclosures records as a
    /// `print` rather than a `view` (42 CFR 2.24: the accounting names the disclosure).
    pub fn is_printing(self) -> bool {
        matches!(
            self,
            Action::Barc10Print
                | Action::ConsentPrint
                | Action::FollowupPrint
                | Action::GroupSessionPrint
                | Action::PlanPrint
                | Action::ReentryPlanPrint
                | Action::ReleaseHandoutPrint
        )
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_is_one_action_and_reads_back() {
        let mut seen = std::collections::HashSet::new();
        for a in Action::ALL {
            assert!(seen.insert(a.code()), "{} is declared twice", a.code());
            assert_eq!(Action::from_code(a.code()), Some(*a));
            assert!(
                a.code()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'),
                "{} is not a code",
                a.code()
            );
        }
        assert_eq!(Action::from_code("participant.viewed"), None);
    }

    #[test]
    fn the_printed_pages_are_the_print_actions() {
        // The list in `is_printing` is written out; this keeps it whole when an action is added.
        for a in Action::ALL {
            assert_eq!(
                a.is_printing(),
                a.code().ends_with(".print"),
                "{}",
                a.code()
            );
        }
        assert!(Action::ConsentPrint.is_printing());
        assert!(!Action::ConsentPrintBlank.is_printing());
        assert!(!Action::ParticipantView.is_printing());
    }
}
