//! The release readiness checklist: its items, the programme's template of due-date offsets,
//! [`plan`] from an expected release date and [`replan`] when that date moves (done items stay done).

use crate::platform::vocabulary::vocabulary;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::dates::add_days;

vocabulary! {
    /// One item of the release readiness checklist.
    pub enum ChecklistItemKind: &self {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journey::rules::fixtures::*;

    use chrono::TimeDelta;
    use proptest::prelude::*;
    use std::collections::HashSet;

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

    proptest! {

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

    }
}
