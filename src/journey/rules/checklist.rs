//! The release readiness checklist: its items, the programme's template of due-date offsets,
//! [`plan`] from an expected release date fitted to the time actually left, [`replan`] when that
//! date moves (done and not-applicable items stay as they are), [`replan_at_release`] when the
//! person is released with work still open, and which open items count as overdue
//! ([`ChecklistItem::is_overdue`]: only work that had its minimum lead time when planned).

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
        FirstContact = "first_contact" => "First contact within 24 hours",
    }
}

/// The kinds a template plans before release: every kind but [`ChecklistItemKind::FirstContact`],
/// which only [`replan_at_release`] makes (from an open peer meeting).
pub const PLANNED_BEFORE_RELEASE: &[ChecklistItemKind] = &[
    ChecklistItemKind::IdentityDocuments,
    ChecklistItemKind::HealthInsurance,
    ChecklistItemKind::MoudContinuity,
    ChecklistItemKind::Naloxone,
    ChecklistItemKind::FirstNightHousing,
    ChecklistItemKind::TransportFromGate,
    ChecklistItemKind::CommunityProviderAppointment,
    ChecklistItemKind::PeerMeeting,
];

/// After a release, an open peer meeting becomes a first contact due this many days after the
/// release day (the "within 24 hours" of its description).
pub const FIRST_CONTACT_DAYS_AFTER_RELEASE: i64 = 1;

/// After a release, every other open item is due this many days after the release day (the 72
/// hours MOUD continuity allows): soon, rather than overdue from before the release.
pub const CATCH_UP_DAYS_AFTER_RELEASE: i64 = 3;

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
            Self::FirstContact => {
                "The person was released before the peer meeting happened: a peer reaches them within 24 hours of release."
            }
        }
    }

    /// The fewest days between planning an item and its due date that make it achievable: an
    /// item planned with less notice is still shown and can be done, but is never counted as
    /// overdue ([`ChecklistItem::is_overdue`]). Documents and insurance need an office to answer;
    /// a kit, a ride or a meeting can be arranged the same day.
    pub const fn min_lead_days(&self) -> i64 {
        match self {
            Self::IdentityDocuments | Self::HealthInsurance => 2,
            Self::MoudContinuity | Self::FirstNightHousing | Self::CommunityProviderAppointment => {
                1
            }
            Self::Naloxone | Self::TransportFromGate | Self::PeerMeeting | Self::FirstContact => 0,
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
    /// The day its due date was (last) planned; `None` for items planned before this was kept,
    /// which count as achievable.
    pub planned_on: Option<NaiveDate>,
    /// Marked not applicable (the store keeps the reason, who and when): never open work.
    pub not_applicable: bool,
}

impl ChecklistItem {
    /// Whether the item has been done.
    pub const fn is_done(&self) -> bool {
        self.done_on.is_some()
    }

    /// Whether the item is still work to do: neither done nor marked not applicable.
    pub const fn is_open(&self) -> bool {
        !self.is_done() && !self.not_applicable
    }

    /// Whether the item had at least its kind's [minimum lead
    /// time](ChecklistItemKind::min_lead_days) when its due date was planned.
    pub fn is_achievable(&self) -> bool {
        achievable(self.kind, self.planned_on, self.due_on)
    }

    /// Whether the item is open, its due date has passed, and it was ever achievable: work
    /// planned with less than its minimum lead time is never overdue.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.due_on < today && self.is_achievable()
    }
}

/// Whether an item of `kind` planned on `planned_on` (unknown: yes) and due on `due_on` had its
/// minimum lead time ([`ChecklistItemKind::min_lead_days`]).
pub fn achievable(
    kind: ChecklistItemKind,
    planned_on: Option<NaiveDate>,
    due_on: NaiveDate,
) -> bool {
    planned_on.is_none_or(|p| (due_on - p).num_days() >= kind.min_lead_days())
}

/// Due dates fitted to the time left. `wanted[i]` is the template's date of entry `i` and
/// `offsets[i]` its template offset. An entry whose wanted date is on or after `today` keeps it.
/// The others ("late": the template wanted them done already) are ranked by offset, earliest
/// first (the longest lead is the highest priority), ties in the order given, and the `k`-th of
/// `n` late entries (from 0) is due `today + (k + 1) * left / (n + 1)` days (rounded down),
/// where `left` is the number of days from `today` to `release` (0 if the release has passed):
/// spread evenly over the days left, each after today when there is room, all before the
/// release day, and the same answer for the same input.
fn fit(
    wanted: &[NaiveDate],
    offsets: &[i32],
    release: NaiveDate,
    today: NaiveDate,
) -> Vec<NaiveDate> {
    let left = (release - today).num_days().max(0);
    let mut late: Vec<usize> = (0..wanted.len()).filter(|&i| wanted[i] < today).collect();
    late.sort_by_key(|&i| (offsets[i], i));
    let n = i64::try_from(late.len()).unwrap_or(i64::MAX);
    let mut out = wanted.to_vec();
    for (k, i) in late.into_iter().enumerate() {
        let k = i64::try_from(k).unwrap_or(i64::MAX);
        let days = i128::from(k + 1) * i128::from(left) / i128::from(n.saturating_add(1));
        out[i] = add_days(today, i64::try_from(days).unwrap_or(i64::MAX));
    }
    out
}

/// A fresh checklist for an expected release date, planned on `today`: one open item per
/// template entry, in template order, each due `offset` days from `expected_release`
/// (saturating at the ends of the calendar), except that an item whose date would already be
/// past is fitted into the days left before release (see [`fit`]'s rule: spread evenly, in the
/// template's priority order), so no item is overdue the day it is made; a 10-day stay gets a
/// 10-day checklist.
pub fn plan(
    template: &ChecklistTemplate,
    expected_release: NaiveDate,
    today: NaiveDate,
) -> Vec<ChecklistItem> {
    let wanted: Vec<NaiveDate> = template
        .items
        .iter()
        .map(|&(_, offset)| add_days(expected_release, i64::from(offset)))
        .collect();
    let offsets: Vec<i32> = template.items.iter().map(|&(_, o)| o).collect();
    let due = fit(&wanted, &offsets, expected_release, today);
    template
        .items
        .iter()
        .zip(due)
        .map(|(&(kind, _), due_on)| ChecklistItem {
            kind,
            due_on,
            done_on: None,
            planned_on: Some(today),
            not_applicable: false,
        })
        .collect()
}

/// Re-plans a checklist when the expected release date changes, on `today`.
///
/// - Done and not-applicable items are returned unchanged.
/// - Open items get the due date the template gives for `new_expected_release`; those whose date
///   would already be past are fitted into the days left, as [`plan`] does (ranked among the
///   open items only).
/// - An item whose due date changes is planned anew (`planned_on` = `today`); one whose date
///   stays keeps its `planned_on`.
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
    // The open items the template plans: their place in `items`, wanted date and offset.
    let planned: Vec<(usize, NaiveDate, i32)> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| item.is_open())
        .filter_map(|(n, item)| {
            template
                .offset_for(item.kind)
                .map(|o| (n, add_days(new_expected_release, i64::from(o)), o))
        })
        .collect();
    let wanted: Vec<NaiveDate> = planned.iter().map(|p| p.1).collect();
    let offsets: Vec<i32> = planned.iter().map(|p| p.2).collect();
    let due = fit(&wanted, &offsets, new_expected_release, today);
    let mut out = items.to_vec();
    for ((n, _, _), due_on) in planned.into_iter().zip(due) {
        if out[n].due_on != due_on {
            out[n].due_on = due_on;
            out[n].planned_on = Some(today);
        }
    }
    out
}

/// Re-plans what is still open when the person is released on `released_on` (recorded on
/// `today`), early or unannounced included: an open peer meeting becomes a
/// [first contact](ChecklistItemKind::FirstContact) due [`FIRST_CONTACT_DAYS_AFTER_RELEASE`]
/// day after the release, every other open item is due [`CATCH_UP_DAYS_AFTER_RELEASE`] days
/// after it; never before `today`. Done and not-applicable items stay as they are; an item
/// that changes is planned anew (`planned_on` = `today`). Same items, same order; applying it
/// twice gives the same result.
pub fn replan_at_release(
    items: &[ChecklistItem],
    released_on: NaiveDate,
    today: NaiveDate,
) -> Vec<ChecklistItem> {
    items
        .iter()
        .map(|item| {
            if !item.is_open() {
                return item.clone();
            }
            let (kind, days) = match item.kind {
                ChecklistItemKind::PeerMeeting | ChecklistItemKind::FirstContact => (
                    ChecklistItemKind::FirstContact,
                    FIRST_CONTACT_DAYS_AFTER_RELEASE,
                ),
                k => (k, CATCH_UP_DAYS_AFTER_RELEASE),
            };
            let due_on = add_days(released_on, days).max(today);
            if kind == item.kind && due_on == item.due_on {
                return item.clone();
            }
            ChecklistItem {
                kind,
                due_on,
                planned_on: Some(today),
                ..item.clone()
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

    fn item(kind: ChecklistItemKind, due_on: NaiveDate) -> ChecklistItem {
        ChecklistItem {
            kind,
            due_on,
            done_on: None,
            planned_on: None,
            not_applicable: false,
        }
    }

    fn find(items: &[ChecklistItem], kind: ChecklistItemKind) -> &ChecklistItem {
        items.iter().find(|i| i.kind == kind).expect("kind present")
    }

    // --- checklist ----------------------------------------------------------------------------

    #[test]
    fn default_template_covers_every_item_planned_before_release_once() {
        let template = ChecklistTemplate::default();
        let kinds: HashSet<_> = template.items.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds.len(), template.items.len());
        assert_eq!(kinds.len(), PLANNED_BEFORE_RELEASE.len());
        assert_eq!(
            PLANNED_BEFORE_RELEASE.len() + 1,
            ChecklistItemKind::ALL.len()
        );
        assert!(!kinds.contains(&ChecklistItemKind::FirstContact));
        assert_eq!(
            template.offset_for(ChecklistItemKind::IdentityDocuments),
            Some(-30)
        );
        assert_eq!(template.offset_for(ChecklistItemKind::PeerMeeting), Some(0));
        assert!(template.items.iter().all(|(_, offset)| *offset <= 0));
        for kind in ChecklistItemKind::ALL {
            assert!(kind.description().len() > 20);
            assert!((0..=2).contains(&kind.min_lead_days()));
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
        let today = date(2025, 5, 1);
        let items = plan(&ChecklistTemplate::default(), release, today);
        assert_eq!(items.len(), 8);
        assert!(items.iter().all(|i| i.done_on.is_none()));
        assert!(items.iter().all(|i| i.planned_on == Some(today)));
        let due = |kind| find(&items, kind).due_on;
        assert_eq!(due(ChecklistItemKind::IdentityDocuments), date(2025, 5, 31));
        assert_eq!(due(ChecklistItemKind::MoudContinuity), date(2025, 6, 16));
        assert_eq!(due(ChecklistItemKind::TransportFromGate), date(2025, 6, 27));
        assert_eq!(due(ChecklistItemKind::PeerMeeting), release);
    }

    #[test]
    fn a_ten_day_stay_gets_a_checklist_that_fits_it() {
        let today = date(2025, 3, 10);
        let release = date(2025, 3, 20);
        let items = plan(&ChecklistTemplate::default(), release, today);
        assert_eq!(items.len(), 8);
        for i in &items {
            assert!(!i.is_overdue(today), "{i:?}");
            assert!(i.due_on >= today && i.due_on <= release, "{i:?}");
        }
        let due = |kind| find(&items, kind).due_on;
        // Late items (template dates before today), by offset then template order: identity
        // documents, insurance (-30), MOUD, housing (-14): days 2, 4, 6, 8 of the 10 left.
        assert_eq!(due(ChecklistItemKind::IdentityDocuments), date(2025, 3, 12));
        assert_eq!(due(ChecklistItemKind::HealthInsurance), date(2025, 3, 14));
        assert_eq!(due(ChecklistItemKind::MoudContinuity), date(2025, 3, 16));
        assert_eq!(due(ChecklistItemKind::FirstNightHousing), date(2025, 3, 18));
        // Items whose template dates are still ahead keep them.
        assert_eq!(due(ChecklistItemKind::Naloxone), date(2025, 3, 13));
        assert_eq!(due(ChecklistItemKind::TransportFromGate), date(2025, 3, 17));
        assert_eq!(due(ChecklistItemKind::PeerMeeting), release);
        // Each had its minimum lead time: a missed one will be overdue.
        assert!(items.iter().all(ChecklistItem::is_achievable));
        assert!(find(&items, ChecklistItemKind::IdentityDocuments).is_overdue(date(2025, 3, 13)));
    }

    #[test]
    fn a_one_day_stay_plans_everything_for_today_or_release_and_nothing_is_ever_overdue() {
        let today = date(2025, 3, 10);
        let release = date(2025, 3, 11);
        let items = plan(&ChecklistTemplate::default(), release, today);
        for i in &items {
            assert!(i.due_on == today || i.due_on == release, "{i:?}");
        }
        // Identity documents due today with no notice: not achievable, so never overdue.
        let ids = find(&items, ChecklistItemKind::IdentityDocuments);
        assert_eq!(ids.due_on, today);
        assert!(!ids.is_achievable());
        assert!(!ids.is_overdue(date(2025, 4, 1)));
        // The meeting at the gate needs no notice.
        assert!(find(&items, ChecklistItemKind::PeerMeeting).is_overdue(date(2025, 3, 12)));
    }

    #[test]
    fn plan_saturates_instead_of_panicking() {
        let template = ChecklistTemplate {
            items: vec![
                (ChecklistItemKind::Naloxone, i32::MAX),
                (ChecklistItemKind::PeerMeeting, i32::MIN),
            ],
        };
        let items = plan(&template, date(2025, 1, 1), NaiveDate::MIN);
        assert_eq!(items[0].due_on, NaiveDate::MAX);
        assert_eq!(items[1].due_on, NaiveDate::MIN);
        let items = plan(&template, NaiveDate::MAX, NaiveDate::MIN);
        assert!(items.iter().all(|i| i.due_on >= NaiveDate::MIN));
    }

    #[test]
    fn replan_moves_open_items_and_keeps_done_ones() {
        let template = ChecklistTemplate::default();
        let mut items = plan(&template, date(2025, 7, 31), date(2025, 6, 1));
        let ids = items
            .iter_mut()
            .find(|i| i.kind == ChecklistItemKind::IdentityDocuments)
            .expect("present");
        ids.done_on = Some(date(2025, 6, 20));
        let done_before = ids.clone();

        // The release moves later: open items follow it.
        let today = date(2025, 6, 25);
        let later = replan(&items, &template, date(2025, 8, 31), today);
        let naloxone = find(&later, ChecklistItemKind::Naloxone);
        assert_eq!(naloxone.due_on, date(2025, 8, 24));
        assert_eq!(naloxone.planned_on, Some(today));
        assert!(later.contains(&done_before));

        // The release moves earlier, to three days from now: the late items are fitted into
        // the three days (nothing overdue), the meeting stays on the release day.
        let sooner = replan(&items, &template, date(2025, 6, 28), today);
        for item in &sooner {
            if item.is_done() {
                assert_eq!(item, &done_before);
            } else {
                assert!(item.due_on >= today, "{item:?}");
                assert!(item.due_on <= date(2025, 6, 28), "{item:?}");
                assert!(!item.is_overdue(today));
            }
        }
        assert_eq!(
            find(&sooner, ChecklistItemKind::PeerMeeting).due_on,
            date(2025, 6, 28)
        );
        // Insurance is the first of five late items (identity documents are done): 1 * 3 / 6 = 0.
        assert_eq!(
            find(&sooner, ChecklistItemKind::HealthInsurance).due_on,
            today
        );
    }

    #[test]
    fn replan_keeps_not_applicable_items() {
        let template = ChecklistTemplate::default();
        let mut items = plan(&template, date(2025, 7, 31), date(2025, 6, 1));
        items[3].not_applicable = true;
        let before = items[3].clone();
        let out = replan(&items, &template, date(2025, 6, 5), date(2025, 6, 2));
        assert_eq!(out[3], before);
    }

    #[test]
    fn replan_keeps_items_the_template_no_longer_has() {
        let custom = item(ChecklistItemKind::Naloxone, date(2025, 3, 1));
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
    fn an_early_release_turns_the_meeting_into_a_first_contact_and_brings_the_rest_after_it() {
        let template = ChecklistTemplate::default();
        let mut items = plan(&template, date(2025, 7, 31), date(2025, 6, 1));
        items[0].done_on = Some(date(2025, 6, 10));
        items[1].not_applicable = true;
        let released = date(2025, 6, 20);
        let out = replan_at_release(&items, released, released);
        assert_eq!(out[0], items[0]);
        assert_eq!(out[1], items[1]);
        let contact = out.last().expect("meeting");
        assert_eq!(contact.kind, ChecklistItemKind::FirstContact);
        assert_eq!(contact.due_on, date(2025, 6, 21));
        assert_eq!(contact.planned_on, Some(released));
        for i in &out[2..out.len() - 1] {
            assert_eq!(i.due_on, date(2025, 6, 23), "{i:?}");
            assert!(!i.is_overdue(released));
        }
        // Recorded late: nothing starts out overdue.
        let today = date(2025, 6, 30);
        let late = replan_at_release(&items, released, today);
        assert!(late.iter().all(|i| !i.is_overdue(today)));
        assert_eq!(replan_at_release(&late, released, today), late);
    }

    #[test]
    fn checklist_item_overdue() {
        let it = item(ChecklistItemKind::Naloxone, date(2025, 3, 1));
        assert!(!it.is_overdue(date(2025, 3, 1)));
        assert!(it.is_overdue(date(2025, 3, 2)));
        let done = ChecklistItem {
            done_on: Some(date(2025, 3, 5)),
            ..it.clone()
        };
        assert!(!done.is_overdue(date(2025, 3, 9)));
        let not_applicable = ChecklistItem {
            not_applicable: true,
            ..it
        };
        assert!(!not_applicable.is_open());
        assert!(!not_applicable.is_overdue(date(2025, 3, 9)));
        // Planned the day before it was due: identity documents need two days.
        let rushed = ChecklistItem {
            planned_on: Some(date(2025, 2, 28)),
            ..item(ChecklistItemKind::IdentityDocuments, date(2025, 3, 1))
        };
        assert!(!rushed.is_overdue(date(2025, 3, 9)));
        let in_time = ChecklistItem {
            planned_on: Some(date(2025, 2, 27)),
            ..rushed
        };
        assert!(in_time.is_overdue(date(2025, 3, 9)));
    }

    fn any_kind() -> impl Strategy<Value = ChecklistItemKind> {
        prop::sample::select(ChecklistItemKind::ALL)
    }

    fn any_template() -> impl Strategy<Value = ChecklistTemplate> {
        prop::collection::vec((any_kind(), -120i32..60), 0..10)
            .prop_map(|items| ChecklistTemplate { items })
    }

    /// A template as the settings allow it before release: offsets -365..=0.
    fn any_pre_release_template() -> impl Strategy<Value = ChecklistTemplate> {
        prop::collection::vec((any_kind(), -365i32..=0), 0..10)
            .prop_map(|items| ChecklistTemplate { items })
    }

    fn any_items() -> impl Strategy<Value = Vec<ChecklistItem>> {
        prop::collection::vec(
            (
                any_kind(),
                any_date(),
                prop::option::of(any_date()),
                prop::option::of(any_date()),
                any::<bool>(),
            ),
            0..12,
        )
        .prop_map(|v| {
            v.into_iter()
                .map(
                    |(kind, due_on, done_on, planned_on, not_applicable)| ChecklistItem {
                        kind,
                        due_on,
                        done_on,
                        planned_on,
                        not_applicable,
                    },
                )
                .collect()
        })
    }

    proptest! {

        #[test]
        fn replan_never_touches_done_or_not_applicable_items(
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
                prop_assert_eq!(before.not_applicable, after.not_applicable);
                if !before.is_open() {
                    prop_assert_eq!(before, after);
                }
            }
        }

        #[test]
        fn replan_open_items_are_never_due_before_today(
            items in any_items(),
            template in any_template(),
            new_release in any_date(),
            today in any_date(),
        ) {
            let out = replan(&items, &template, new_release, today);
            for (before, item) in items.iter().zip(&out).filter(|(b, _)| b.is_open()) {
                if let Some(computed) = template.due_on(item.kind, new_release) {
                    prop_assert!(item.due_on >= today);
                    prop_assert!(!item.is_overdue(today));
                    if computed >= today {
                        prop_assert_eq!(item.due_on, computed);
                    }
                    if item.due_on != before.due_on {
                        prop_assert_eq!(item.planned_on, Some(today));
                    }
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
        fn plan_follows_the_template_where_there_is_time(
            template in any_template(),
            release in any_date(),
            today in any_date(),
        ) {
            let items = plan(&template, release, today);
            prop_assert_eq!(items.len(), template.items.len());
            for (item, (kind, offset)) in items.iter().zip(&template.items) {
                prop_assert_eq!(item.kind, *kind);
                let wanted = release + TimeDelta::days(i64::from(*offset));
                if wanted >= today {
                    prop_assert_eq!(item.due_on, wanted);
                } else {
                    prop_assert!(item.due_on >= today && item.due_on <= release.max(today));
                }
                prop_assert!(item.done_on.is_none());
                prop_assert!(!item.not_applicable);
                prop_assert_eq!(item.planned_on, Some(today));
            }
        }

        /// Any stay of at least a day: every item is due from today to the release day, and
        /// none is overdue the day it is made.
        #[test]
        fn any_stay_plans_every_item_between_today_and_release(
            template in any_pre_release_template(),
            today in any_date(),
            stay in 1i64..400,
        ) {
            let release = today + TimeDelta::days(stay);
            let items = plan(&template, release, today);
            for item in &items {
                prop_assert!(item.due_on >= today, "{:?}", item);
                prop_assert!(item.due_on <= release, "{:?}", item);
                prop_assert!(!item.is_overdue(today));
            }
            // Late items keep the template's priority order among themselves.
            let late: Vec<(i32, NaiveDate)> = template
                .items
                .iter()
                .zip(&items)
                .filter(|((_, o), _)| release + TimeDelta::days(i64::from(*o)) < today)
                .map(|((_, o), i)| (*o, i.due_on))
                .collect();
            for a in &late {
                for b in &late {
                    if a.0 < b.0 {
                        prop_assert!(a.1 <= b.1);
                    }
                }
            }
        }

        #[test]
        fn replan_at_release_keeps_finished_items_and_leaves_nothing_overdue(
            items in any_items(),
            released in any_date(),
            after in 0i64..30,
        ) {
            let today = released + TimeDelta::days(after);
            let out = replan_at_release(&items, released, today);
            prop_assert_eq!(out.len(), items.len());
            for (before, item) in items.iter().zip(&out) {
                if before.is_open() {
                    prop_assert!(item.due_on > released);
                    prop_assert!(!item.is_overdue(today));
                    prop_assert!(item.kind != ChecklistItemKind::PeerMeeting);
                } else {
                    prop_assert_eq!(before, item);
                }
            }
            prop_assert_eq!(replan_at_release(&out, released, today), out);
        }

    }
}
