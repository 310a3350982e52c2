//! The participant journey from custody to community: episodes, custody events, the release
//! checklist, the high-risk window, encounters, plans, referrals, follow-ups and the caseload.

pub mod rules;
