//! What each role is shown: its first screen, and the places its menu offers. A place the
//! menu leaves out is still refused by the policy that guards it; the menu only keeps people
//! from doors that would not open. The choice lives here, with the rest of the policy, so that
//! no handler compares roles.

use super::{Actor, Role};

/// The first screen after sign-in: what the home page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstScreen {
    /// A peer's: the most urgent of their caseload, their reentry work, people not heard from.
    Caseload,
    /// A supervisor's: escalations, the team's caseloads, reentry work overdue, the team's
    /// workforce records, consent alerts.
    Team,
    /// An administrator's: the programme's counts.
    Programme,
    /// An auditor's: consent alerts and the latest audit entries.
    Audit,
    /// A partner's: the participants shared with them, with what each consent lets them see.
    Shared,
}

/// The first screen of `actor`.
pub fn first_screen(actor: &Actor) -> FirstScreen {
    match actor.role {
        Role::Peer => FirstScreen::Caseload,
        Role::Supervisor => FirstScreen::Team,
        Role::Admin => FirstScreen::Programme,
        Role::Auditor => FirstScreen::Audit,
        Role::Team => FirstScreen::Shared,
    }
}

/// A place in the menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Home,
    Caseload,
    Participants,
    Groups,
    RosterImport,
    Workforce,
    Dashboard,
    Reports,
    Billing,
    Organisation,
    AuditLog,
}

/// The places a role's menu offers, in the menu's order: each role sees only the places it can
/// use.
#[rustfmt::skip]
pub fn places(role: Role) -> &'static [Place] {
    use Place::*;
    match role {
        Role::Peer => &[Home, Caseload, Participants, Groups, Workforce],
        Role::Supervisor => &[Home, Caseload, Participants, Groups, Workforce, Dashboard, Reports, Billing],
        Role::Admin => &[Home, Caseload, Participants, Groups, RosterImport, Workforce, Dashboard, Reports, Billing, Organisation, AuditLog],
        Role::Team => &[Home],
        Role::Auditor => &[Home, AuditLog],
    }
}
