//! Supervision demo data (decision 0051), made with the workforce demo's sessions: every session
//! but the latest two is signed by both (the day after it was held); the latest waits for the
//! supervisor, the one before for both or for the peer; two or three quarterly competency
//! reviews per peer whose ratings rise; now and then an ethics consultation.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::Rng;

use crate::workforce::codes::Competency;

/// The signatures of the `k`-th latest session (0 = the latest) held on `on`: the supervisor's
/// and the peer's (who, when).
pub fn signatures(
    k: i64,
    on: NaiveDate,
    supervisor: i64,
    peer: i64,
) -> (
    Option<i64>,
    Option<NaiveDateTime>,
    Option<i64>,
    Option<NaiveDateTime>,
) {
    let signed = (on + Duration::days(1)).and_hms_opt(16, 30, 0);
    match k {
        0 => (None, None, Some(peer), signed),
        1 if peer % 2 == 0 => (None, None, None, None),
        1 => (Some(supervisor), signed, None, None),
        _ => (Some(supervisor), signed, Some(peer), signed),
    }
}

/// One demo review: its date and, per area, (self, supervisor, goal).
pub struct DemoReview {
    pub on: NaiveDate,
    pub ratings: Vec<(Competency, i32, i32, &'static str)>,
}

const GOALS: [&str; 6] = [
    "Practise opening with the person's own goals",
    "Shadow a senior peer on a jail in-reach visit",
    "Complete the naloxone and crisis plan refresher",
    "Share one recovery story a month in group, with consent to its length",
    "Link two people to housing before release",
    "Bring a boundary question to supervision each month",
];

/// Two or three quarterly reviews of six areas ending `today`, ratings rising by review.
pub fn reviews(rng: &mut impl Rng, today: NaiveDate) -> Vec<DemoReview> {
    let n = rng.gen_range(2..=3);
    let areas: Vec<Competency> = Competency::ALL.iter().copied().step_by(2).collect();
    let start: Vec<i32> = areas.iter().map(|_| rng.gen_range(1..=2)).collect();
    (0..n)
        .map(|i| DemoReview {
            on: today - Duration::days(i64::from(n - 1 - i) * 91 + 14),
            ratings: areas
                .iter()
                .zip(&start)
                .enumerate()
                .map(|(j, (c, s))| {
                    let sup = (s + i + i32::from(rng.gen_bool(0.3))).min(4);
                    let own = (sup + rng.gen_range(-1..=1)).clamp(1, 4);
                    (*c, own, sup, GOALS[j % GOALS.len()])
                })
                .collect(),
        })
        .collect()
}

/// Ethics and boundary consultations: (question, guidance, outcome).
pub const CONSULTATIONS: [(&str, &str, &str); 3] = [
    (
        "A participant I knew inside asked to stay at my place for a night after release.",
        "Decline; explain dual relationships; call the reentry housing line together.",
        "Declined; emergency bed found the same day.",
    ),
    (
        "A participant's probation officer asked me what was said in our meetings.",
        "Share only what the signed consent allows (42 CFR Part 2); refer the officer to it.",
        "Told the officer what the consent covers; the participant was told.",
    ),
    (
        "A participant offered me a gift card after their first month out.",
        "Decline kindly; explain the code of ethics; log it.",
        "Declined; the participant was fine with it.",
    ),
];
