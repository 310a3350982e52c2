//! The frame around every page: title, navigation by role, the signed-in user, the CSRF token
//! for forms, and the demo banner.

use crate::platform::access::{Actor, Role};

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

pub struct Chrome {
    pub title: String,
    pub user_name: Option<String>,
    pub user_role: Option<&'static str>,
    pub org_name: Option<String>,
    pub nav: Vec<NavItem>,
    pub csrf: String,
    pub demo: bool,
    /// The page's language (`<html lang>`): `en`, or `es` for a document printed in Spanish.
    pub lang: &'static str,
    /// The signed-in user's organisation's clock: times on their pages are shown on it
    /// (`chrome.zone.show(t)`); UTC before sign-in.
    pub zone: crate::platform::time::Zone,
}

impl Chrome {
    /// The frame for a signed-in user on the page at `path`.
    pub fn new(
        actor: &Actor,
        title: impl Into<String>,
        path: &str,
        csrf: &str,
        demo: bool,
    ) -> Chrome {
        Chrome {
            title: title.into(),
            user_name: Some(actor.name.clone()),
            user_role: Some(actor.role.label()),
            org_name: Some(actor.org_name.clone()),
            nav: nav_for(actor.role, path),
            csrf: csrf.to_string(),
            demo,
            lang: "en",
            zone: actor.zone,
        }
    }

    /// The same frame for a page whose text is in Spanish (`es`) or English.
    pub fn in_language(mut self, spanish: bool) -> Chrome {
        self.lang = if spanish { "es" } else { "en" };
        self
    }

    /// The frame for a page seen before sign-in.
    pub fn anonymous(title: impl Into<String>, csrf: &str, demo: bool) -> Chrome {
        Chrome {
            title: title.into(),
            user_name: None,
            user_role: None,
            org_name: None,
            nav: Vec::new(),
            csrf: csrf.to_string(),
            demo,
            lang: "en",
            zone: crate::platform::time::Zone::UTC,
        }
    }
}

/// Navigation by role: each role sees only the places it can use.
pub fn nav_for(role: Role, path: &str) -> Vec<NavItem> {
    let items: &[(&'static str, &'static str)] = match role {
        Role::Peer => &[
            ("/", "Home"),
            ("/caseload", "Caseload"),
            ("/participants", "Participants"),
            ("/groups", "Groups"),
            ("/workforce", "Workforce"),
        ],
        Role::Supervisor => &[
            ("/", "Home"),
            ("/caseload", "Caseload"),
            ("/participants", "Participants"),
            ("/groups", "Groups"),
            ("/workforce", "Workforce"),
            ("/dashboard", "Dashboard"),
            ("/reports", "Reports"),
        ],
        Role::Admin => &[
            ("/", "Home"),
            ("/caseload", "Caseload"),
            ("/participants", "Participants"),
            ("/groups", "Groups"),
            ("/import/roster", "Roster import"),
            ("/workforce", "Workforce"),
            ("/dashboard", "Dashboard"),
            ("/reports", "Reports"),
            ("/admin", "Organisation"),
            ("/audit", "Audit log"),
        ],
        Role::Team => &[("/", "Home")],
        Role::Auditor => &[("/", "Home"), ("/audit", "Audit log")],
    };
    items
        .iter()
        .map(|(href, label)| NavItem {
            href,
            label,
            current: if *href == "/" {
                path == "/"
            } else {
                path.starts_with(href)
            },
        })
        .collect()
}
