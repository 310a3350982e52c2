//! Stage of change, as recorded by the peer.
//!
//! This module owns the vocabulary of the five stages of change (precontemplation, contemplation,
//! preparation, action, maintenance) and the stage-matched suggestions of what a peer can offer.
//! The stage guides what the peer offers; it is not a test and never gates a service.
//!
//! It is pure: no I/O, no database, no clock. Dating and storing the recorded stage belongs to the
//! caller.

use crate::platform::vocabulary::vocabulary;

vocabulary! {
    /// The participant's stage of change, recorded by the peer with a date.
    pub enum StageOfChange: &self {
        /// Not yet considering change.
        Precontemplation = "precontemplation" => "Precontemplation",
        /// Weighing change; ambivalent.
        Contemplation = "contemplation" => "Contemplation",
        /// Intending to change soon and getting ready.
        Preparation = "preparation" => "Preparation",
        /// Actively changing.
        Action = "action" => "Action",
        /// Sustaining change over time.
        Maintenance = "maintenance" => "Maintenance",
    }
}

impl StageOfChange {
    /// A one-line plain-language description of the stage.
    pub const fn description(&self) -> &'static str {
        match self {
            Self::Precontemplation => "Not thinking about changing right now.",
            Self::Contemplation => "Thinking about change, with mixed feelings about it.",
            Self::Preparation => "Planning to change soon and getting ready.",
            Self::Action => "Actively making changes.",
            Self::Maintenance => "Keeping changes going and building a life in recovery.",
        }
    }

    /// Three to five stage-matched suggestions for what the peer can offer at this stage.
    pub const fn suggestions(&self) -> &'static [&'static str] {
        match self {
            Self::Precontemplation => &[
                "Build rapport: listen more than you talk, and show up when you said you would.",
                "Share your own lived experience of recovery and of the justice system, briefly and honestly.",
                "Put no pressure on change; ask what matters to them and respect that the choice is theirs.",
                "Offer harm reduction: a naloxone kit and training, and what lower tolerance after custody means for overdose risk.",
            ],
            Self::Contemplation => &[
                "Explore mixed feelings: ask what is good and what is not so good about their use.",
                "Reflect their own reasons for change back to them, in their words.",
                "Share how you weighed the same choice and what helped you decide.",
                "Give information on options (treatment, MOUD, mutual aid, recovery community) without pushing one.",
                "Keep harm reduction in place: naloxone, and the overdose risk in the first two weeks after release.",
            ],
            Self::Preparation => &[
                "Explore the barriers they expect (ID, insurance, housing, transport, supervision conditions) and ways around them.",
                "Talk through strategies that have worked for them before, or for you.",
                "Offer to build the recovery and reentry plan together, with goals in their own words.",
                "Help with a first small step: a phone call, a form, an appointment.",
            ],
            Self::Action => &[
                "Back the steps they are taking and name the progress you see.",
                "Link to resources and follow referrals up until they connect.",
                "Plan together for high-risk situations and triggers, especially the first days after release.",
                "Celebrate milestones, however small.",
            ],
            Self::Maintenance => &[
                "Help build recovery capital: relationships, housing, work and community.",
                "Plan for setbacks together, and treat a return to use as information, not failure.",
                "Connect them with the recovery community and with roles that give back, such as mentoring others.",
                "Review goals across life domains and update the plan as life changes.",
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::vocabulary::assert_vocabularies;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn codes_round_trip_and_match_serde() {
        assert_vocabularies! { StageOfChange }
        for stage in StageOfChange::ALL {
            assert!(!stage.description().is_empty());
        }
        assert_eq!(StageOfChange::ALL.len(), 5);
    }

    #[test]
    fn parse_takes_the_exact_code_around_whitespace() {
        assert_eq!(
            StageOfChange::parse("preparation"),
            Some(StageOfChange::Preparation)
        );
        assert_eq!(StageOfChange::parse("Preparation"), None);
        assert_eq!(
            StageOfChange::parse(" preparation"),
            Some(StageOfChange::Preparation)
        );
        assert_eq!(StageOfChange::parse("pre paration"), None);
        assert_eq!(StageOfChange::parse(""), None);
    }

    #[test]
    fn every_stage_has_three_to_five_distinct_suggestions() {
        for stage in StageOfChange::ALL {
            let suggestions = stage.suggestions();
            assert!(
                (3..=5).contains(&suggestions.len()),
                "{} has {} suggestions",
                stage.as_str(),
                suggestions.len()
            );
            let unique: HashSet<_> = suggestions.iter().collect();
            assert_eq!(unique.len(), suggestions.len());
            assert!(suggestions.iter().all(|s| !s.trim().is_empty()));
        }
    }

    #[test]
    fn suggestions_match_the_stage() {
        let pre = StageOfChange::Precontemplation.suggestions().join(" ");
        assert!(pre.contains("naloxone"));
        assert!(pre.contains("lived experience"));
        assert!(pre.contains("no pressure"));
        let prep = StageOfChange::Preparation.suggestions().join(" ");
        assert!(prep.contains("barriers"));
        assert!(prep.contains("plan together"));
    }

    proptest! {
        #[test]
        fn parse_accepts_only_known_codes(s in "\\PC{0,20}") {
            match StageOfChange::parse(&s) {
                Some(stage) => prop_assert_eq!(stage.as_str(), s.trim()),
                None => prop_assert!(StageOfChange::ALL.iter().all(|st| st.as_str() != s.trim())),
            }
        }

        #[test]
        fn parse_inverts_as_str(index in 0usize..5) {
            let stage = StageOfChange::ALL[index];
            prop_assert_eq!(StageOfChange::parse(stage.as_str()), Some(stage));
        }
    }
}
