//! The journey's coded values as its pages show them, in the page's language (decision 0043):
//! a form's choices ([`codes`]) and a stored code ([`Tr::code`] with the prefix named here).
//! Each vocabulary's labels are messages `{prefix}-{code}` (`locales/<language>/journey.ftl`),
//! whose English is the vocabulary's own label (the test below); the life domains, which
//! participants see, keep their `label_es` (decision 0034).

use crate::assessments::barc10;
use crate::journey::rules::LifeDomain;
use crate::platform::i18n::Tr;
use crate::platform::vocabulary::Vocabulary;

/// A form's choices: each code with its label in the page's language, in declaration order.
pub(super) type Codes = Vec<(&'static str, String)>;

/// The message prefixes of the journey's vocabularies shown on its pages.
pub(super) const SETTING: &str = "setting";
pub(super) const DISCHARGE_REASON: &str = "discharge-reason";
pub(super) const CUSTODY_EVENT: &str = "custody-event";
pub(super) const RELEASE_CERTAINTY: &str = "release-certainty";
pub(super) const ENCOUNTER_MODE: &str = "encounter-mode";
pub(super) const ENCOUNTER_OUTCOME: &str = "encounter-outcome";
pub(super) const ENCOUNTER_SERVICE: &str = "encounter-service";
/// SAMHSA's competency areas as the topics of an encounter (the workforce's vocabulary).
pub(super) const ENCOUNTER_TOPIC: &str = "encounter-topic";
pub(super) const STAGE: &str = "stage";
pub(super) const GOAL_DOMAIN: &str = "goal-domain";
pub(super) const GOAL_STATUS: &str = "goal-status";
pub(super) const REFERRAL_TYPE: &str = "referral-type";
pub(super) const REFERRAL_STATUS: &str = "referral-status";
pub(super) const FOLLOWUP_POINT: &str = "followup-point";
pub(super) const FOLLOWUP_STATE: &str = "followup-state";
pub(super) const CHECKLIST: &str = "checklist";
// Named in the templates (`tr.code("…", …)`); here for the test below.
#[cfg(test)]
pub(super) const CHECKLIST_DESCRIPTION: &str = "checklist-desc";
// Named in the templates (`tr.code("…", …)`); here for the test below.
#[cfg(test)]
pub(super) const URGENCY: &str = "urgency";
/// Where a contact target of the high-risk window stands: met, pending, missed.
pub(super) const TARGET: &str = "target";
pub(super) const OVERDOSE: &str = "overdose";
/// How the programme learned of an overdose.
pub(super) const OVERDOSE_SOURCE: &str = "overdose-source";
pub(super) const HOUSING: &str = "housing";
// Named in the templates (`tr.code("…", …)`); here for the test below.
#[cfg(test)]
pub(super) const RECORD_TYPE: &str = "record-type";

/// Every code of the vocabulary `T` with its label in `tr`'s language (messages `{prefix}-…`).
pub(super) fn codes<T: Vocabulary>(tr: Tr, prefix: &str) -> Codes {
    T::VALUES
        .iter()
        .map(|v| (v.code(), tr.code(prefix, v.code())))
        .collect()
}

/// A list of plain codes (`OVERDOSE_CODES`) with their labels.
pub(super) fn listed(tr: Tr, prefix: &str, list: &[&'static str]) -> Codes {
    list.iter().map(|c| (*c, tr.code(prefix, c))).collect()
}

/// A life domain's label in `tr`'s language; a stored code no longer known shows as is.
pub(super) fn life_domain(tr: Tr, code: &str) -> String {
    match LifeDomain::parse(code) {
        Some(d) if tr.es() => d.label_es().to_string(),
        Some(d) => d.label().to_string(),
        None => code.to_string(),
    }
}

/// The life domains as a form's choices.
pub(super) fn life_domains(tr: Tr) -> Codes {
    LifeDomain::ALL
        .iter()
        .map(|d| (d.as_str(), life_domain(tr, d.as_str())))
        .collect()
}

/// The BARC-10's ten statements in `tr`'s language (`barc10-item-1` …).
pub(super) fn barc10_items(tr: Tr) -> Vec<String> {
    (1..=barc10::ITEM_COUNT)
        .map(|n| tr.t(&format!("barc10-item-{n}")))
        .collect()
}

/// The BARC-10's agreement scale in `tr`'s language, 1 (strongly disagree) to 6.
pub(super) fn barc10_scale(tr: Tr) -> Vec<String> {
    (barc10::SCALE_MIN..=barc10::SCALE_MAX)
        .map(|n| tr.t(&format!("barc10-scale-{n}")))
        .collect()
}

/// What a peer can offer at a stage of change (`stage-tip-{stage}-{n}`), in `tr`'s language.
pub(super) fn stage_tips(tr: Tr, stage: &str) -> Vec<String> {
    use crate::assessments::stages::StageOfChange;
    StageOfChange::parse(stage)
        .map(|s| {
            (1..=s.suggestions().len())
                .map(|n| tr.t(&format!("stage-tip-{}-{n}", s.as_str())))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessments::stages::StageOfChange;
    use crate::journey::rules::*;
    use crate::journey::store::{HOUSING_CODES, OVERDOSE_CODES};
    use crate::participants::amendments::RecordType;
    use crate::platform::i18n::{Language, code_key, sources};

    fn keys<T: Vocabulary>(prefix: &str) -> Vec<(String, &'static str)> {
        T::VALUES
            .iter()
            .map(|v| (code_key(prefix, v.code()), v.english()))
            .collect()
    }

    /// The journey's pages show these vocabularies by their messages (keys held in data, not
    /// written at a `t("...")` call): every code has one in every language, and the English one
    /// is the vocabulary's own label, so the API, the English page and the Spanish one agree.
    #[test]
    fn every_code_the_journey_pages_show_has_its_message() {
        let mut labelled: Vec<(String, &'static str)> = Vec::new();
        labelled.extend(keys::<Setting>(SETTING));
        labelled.extend(keys::<DischargeReason>(DISCHARGE_REASON));
        labelled.extend(keys::<CustodyEventKind>(CUSTODY_EVENT));
        labelled.extend(keys::<ReleaseDateCertainty>(RELEASE_CERTAINTY));
        labelled.extend(keys::<EncounterMode>(ENCOUNTER_MODE));
        labelled.extend(keys::<EncounterOutcome>(ENCOUNTER_OUTCOME));
        labelled.extend(keys::<EncounterService>(ENCOUNTER_SERVICE));
        labelled.extend(keys::<CompetencyArea>(ENCOUNTER_TOPIC));
        labelled.extend(keys::<StageOfChange>(STAGE));
        labelled.extend(keys::<GoalDomain>(GOAL_DOMAIN));
        labelled.extend(keys::<GoalStatus>(GOAL_STATUS));
        labelled.extend(keys::<ReferralType>(REFERRAL_TYPE));
        labelled.extend(keys::<ReferralStatus>(REFERRAL_STATUS));
        labelled.extend(keys::<OverdoseSource>(OVERDOSE_SOURCE));
        labelled.extend(keys::<FollowUpPoint>(FOLLOWUP_POINT));
        labelled.extend(keys::<FollowUpState>(FOLLOWUP_STATE));
        labelled.extend(keys::<ChecklistItemKind>(CHECKLIST));
        labelled.extend(
            ChecklistItemKind::ALL
                .iter()
                .map(|k| (code_key(CHECKLIST_DESCRIPTION, k.as_str()), k.description())),
        );
        labelled.extend(
            barc10::ITEMS
                .iter()
                .enumerate()
                .map(|(i, item)| (format!("barc10-item-{}", i + 1), *item)),
        );
        labelled.extend(
            barc10::SCALE_LABELS
                .iter()
                .enumerate()
                .map(|(i, l)| (format!("barc10-scale-{}", i + 1), *l)),
        );
        for s in StageOfChange::ALL {
            labelled.extend(
                s.suggestions()
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (format!("stage-tip-{}-{}", s.as_str(), i + 1), *t)),
            );
        }
        labelled.extend(
            crate::participants::store::IDENTIFIER_KINDS
                .iter()
                .map(|(k, l)| (code_key("identifier", k), *l)),
        );
        // Codes without an English label of their own: only that the message exists.
        let mut bare: Vec<String> = Vec::new();
        bare.extend(OVERDOSE_CODES.iter().map(|c| code_key(OVERDOSE, c)));
        bare.extend(HOUSING_CODES.iter().map(|c| code_key(HOUSING, c)));
        bare.extend(
            HOUSING_CODES
                .iter()
                .map(|c| code_key("followups-housing", c)),
        );

        bare.extend(["met", "pending", "missed"].map(|c| code_key(TARGET, c)));
        // The urgencies' messages are the home page's words (its own test compares them).
        bare.extend(Urgency::ALL.iter().map(|u| code_key(URGENCY, u.as_str())));
        bare.extend(
            RecordType::ALL
                .iter()
                .map(|r| code_key(RECORD_TYPE, r.as_str())),
        );
        for lang in Language::ALL {
            let messages = sources::messages(lang.code());
            for key in labelled.iter().map(|(k, _)| k).chain(&bare) {
                assert!(messages.contains_key(key), "{key} missing in {lang}");
            }
        }
        let en = Tr::new(Language::En);
        for (key, label) in &labelled {
            assert_eq!(&en.t(key), label, "{key}");
        }
        let es = Tr::new(Language::Es);
        assert_eq!(
            life_domain(es, "moud"),
            "MOUD (medicamentos para el trastorno por consumo de opioides)"
        );
        assert_eq!(life_domain(es, "no_longer_known"), "no_longer_known");
        assert_eq!(stage_tips(es, "action").len(), 4);
        assert_eq!(barc10_scale(es)[0], "Totalmente en desacuerdo");
    }
}
