//! The frame around every page: title, navigation by role, the signed-in user, the CSRF token
//! for forms, and the demo banner.

use crate::platform::access::{self, Actor, Place, Role};
use crate::platform::i18n::{Language, Tr};

pub struct NavItem {
    pub href: &'static str,
    /// The message key of its label (`nav-home`).
    pub label: &'static str,
    pub current: bool,
}

pub struct Chrome {
    pub title: String,
    pub user_name: Option<String>,
    pub user_role: Option<&'static str>,
    /// The role's code (`peer`), whose label the page's language gives (`role-peer`).
    pub role_code: Option<&'static str>,
    pub org_name: Option<String>,
    pub nav: Vec<NavItem>,
    pub csrf: String,
    pub demo: bool,
    /// The page's language (`<html lang>`, `chrome.tr.lang`) and its messages
    /// (`chrome.tr.t("sign-out")`): the user's interface language, or a document's (the
    /// participant's) when it is printed for them (decision 0043).
    pub tr: Tr,
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
            role_code: Some(actor.role.as_str()),
            org_name: Some(actor.org_name.clone()),
            nav: nav_for(actor.role, path),
            csrf: csrf.to_string(),
            demo,
            tr: Tr::new(actor.language.unwrap_or_default()),
            zone: actor.zone,
        }
    }

    /// The same frame for a page whose text is in `lang`: a participant's document, printed in
    /// their language whatever the user's.
    pub fn in_language(mut self, lang: Language) -> Chrome {
        self.tr = Tr::new(lang);
        self
    }

    /// An instant on the organisation's clock, in the page's language:
    /// `7 Mar 2026, 9:15 pm CST`, `7 mar 2026, 21:15 CST`.
    pub fn show(&self, at: impl crate::platform::time::Stored) -> String {
        self.zone.show_in(at, self.tr)
    }

    /// The user's role as the page's language names it.
    pub fn role_label(&self) -> String {
        self.role_code
            .map(|r| self.tr.code("role", r))
            .unwrap_or_default()
    }

    /// The frame for a page seen before sign-in, in the browser's language.
    pub fn anonymous(title: impl Into<String>, csrf: &str, demo: bool) -> Chrome {
        Chrome {
            title: title.into(),
            user_name: None,
            user_role: None,
            role_code: None,
            org_name: None,
            nav: Vec::new(),
            csrf: csrf.to_string(),
            demo,
            tr: Tr::new(super::error::request_language()),
            zone: crate::platform::time::Zone::UTC,
        }
    }
}

/// Where each place of the menu is, and its label's message key.
fn place_link(place: Place) -> (&'static str, &'static str) {
    match place {
        Place::Home => ("/", "nav-home"),
        Place::Caseload => ("/caseload", "nav-caseload"),
        Place::Participants => ("/participants", "nav-participants"),
        Place::Groups => ("/groups", "nav-groups"),
        Place::RosterImport => ("/import/roster", "nav-roster-import"),
        Place::Workforce => ("/workforce", "nav-workforce"),
        Place::Dashboard => ("/dashboard", "nav-dashboard"),
        Place::Reports => ("/reports", "nav-reports"),
        Place::Billing => ("/billing", "nav-billing"),
        Place::Organisation => ("/admin", "nav-organisation"),
        Place::AuditLog => ("/audit", "nav-audit-log"),
    }
}

/// Navigation by role: the places the policy's menu offers the role ([`access::places`]).
pub fn nav_for(role: Role, path: &str) -> Vec<NavItem> {
    access::places(role)
        .iter()
        .map(|place| {
            let (href, label) = place_link(*place);
            NavItem {
                href,
                label,
                current: if href == "/" {
                    path == "/"
                } else {
                    path.starts_with(href)
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::i18n::{code_key, sources};

    /// The navigation's labels and the roles' names are looked up by keys held in data (not
    /// written at a `t("...")` call): each has its message in every language.
    #[test]
    fn every_navigation_label_and_role_has_its_message() {
        let mut keys: Vec<String> = Vec::new();
        for role in Role::ALL {
            keys.extend(nav_for(*role, "/").iter().map(|i| i.label.to_string()));
            keys.push(code_key("role", role.as_str()));
        }
        for lang in Language::ALL {
            let messages = sources::messages(lang.code());
            for k in &keys {
                assert!(messages.contains_key(k), "{k} missing in {lang}");
            }
        }
        let en = Tr::new(Language::En);
        for role in Role::ALL {
            assert_eq!(en.code("role", role.as_str()), role.label());
        }
    }
}
