//! Journey pages: the participant's record (identity, episodes, custody events, release
//! checklist, the 14-day window countdown, encounters, BARC-10 with its trend, stage of change,
//! plan, referrals, follow-ups), its forms, the caseload, group sessions (`groups.rs`), and the
//! printed pages for facilities where devices are not allowed: the blank encounter form, the
//! plan, the release handout, the BARC-10 and follow-up questions, and the group sign-in sheets
//! (`sign_in.rs`). Their coded values are shown in the page's language (`labels.rs`).
//! One module per screen; the routes are listed here.

mod appointments;
mod caseload;
mod forms;
mod groups;
mod identity;
mod labels;
mod printed;
mod record;
mod sign_in;

use axum::routing::{get, post};

// What the pages read of other capabilities' records, named once for every screen here.
use crate::consent::store as consent_store;
use crate::organisations::store as orgs;
use crate::participants::store as participants;

use crate::platform::web::PageRoute;
use appointments::{add_appointment, appointment_outcome, appointments_page};
use caseload::caseload_page;
use forms::{
    barc10, checklist, checklist_not_applicable, custody_event, discharge, encounter, followup,
    followup_amend, goal, goal_update, open_episode, overdose, referral, referral_status, stage,
};
use groups::{group_page, groups_page, new_group_page, record_group};
use identity::identity;
use printed::{barc10_print, blank_encounter_form, followups_print, print_plan, release_handout};
use record::view;
use sign_in::{blank_sheet, session_sheet};

pub fn routes() -> Vec<PageRoute> {
    let p = PageRoute::participant;
    vec![
        p("/participants/{id}", &["GET"], get(view)),
        p("/participants/{id}/plan", &["GET"], get(print_plan)),
        p(
            "/participants/{id}/release-handout",
            &["GET"],
            get(release_handout),
        ),
        p(
            "/participants/{id}/barc10/print",
            &["GET"],
            get(barc10_print),
        ),
        p(
            "/participants/{id}/followups/print",
            &["GET"],
            get(followups_print),
        ),
        p("/participants/{id}/episodes", &["POST"], post(open_episode)),
        p("/participants/{id}/discharge", &["POST"], post(discharge)),
        p(
            "/participants/{id}/appointments",
            &["GET", "POST"],
            get(appointments_page).post(add_appointment),
        ),
        p(
            "/participants/{id}/appointments/{appointment_id}/outcome",
            &["POST"],
            post(appointment_outcome),
        ),
        p(
            "/participants/{id}/custody-events",
            &["POST"],
            post(custody_event),
        ),
        p("/participants/{id}/checklist", &["POST"], post(checklist)),
        p(
            "/participants/{id}/checklist/not-applicable",
            &["POST"],
            post(checklist_not_applicable),
        ),
        p("/participants/{id}/encounters", &["POST"], post(encounter)),
        p("/participants/{id}/barc10", &["POST"], post(barc10)),
        p("/participants/{id}/stages", &["POST"], post(stage)),
        p("/participants/{id}/goals", &["POST"], post(goal)),
        p(
            "/participants/{id}/goals/{goal_id}",
            &["POST"],
            post(goal_update),
        ),
        p("/participants/{id}/referrals", &["POST"], post(referral)),
        p(
            "/participants/{id}/referrals/{referral_id}/status",
            &["POST"],
            post(referral_status),
        ),
        p("/participants/{id}/followups", &["POST"], post(followup)),
        p("/participants/{id}/overdoses", &["POST"], post(overdose)),
        p(
            "/participants/{id}/followups/amend",
            &["POST"],
            post(followup_amend),
        ),
        p("/participants/{id}/identity", &["POST"], post(identity)),
        PageRoute::general("/caseload", &["GET"], get(caseload_page)),
        PageRoute::general("/forms/encounter", &["GET"], get(blank_encounter_form)),
        PageRoute::general(
            "/groups",
            &["GET", "POST"],
            get(groups_page).post(record_group),
        ),
        PageRoute::general("/groups/new", &["GET"], get(new_group_page)),
        PageRoute::general("/groups/sign-in", &["GET"], get(blank_sheet)),
        PageRoute::general("/groups/{id}", &["GET"], get(group_page)),
        PageRoute::general("/groups/{id}/sign-in", &["GET"], get(session_sheet)),
    ]
}

#[cfg(test)]
mod tests {
    use crate::platform::web::untranslated::untranslated_in;

    /// The journey's and the participants' pages and the documents printed for a participant
    /// (decision 0043): every word a person reads on them is a message, in English and Spanish,
    /// or the data they show; none is written in the template.
    #[test]
    fn the_journey_and_participants_pages_leave_no_word_untranslated() {
        let found = untranslated_in(&[
            "journey/caseload.html",
            "journey/encounter_form.html",
            "journey/group.html",
            "journey/group_new.html",
            "journey/groups.html",
            "journey/participant.html",
            "journey/roster.html",
            "journey/roster_run.html",
            "journey/sign_in_sheet.html",
            "journey/plan_print.html",
            "journey/release_handout.html",
            "journey/barc10_print.html",
            "journey/followups_print.html",
            "participants/list.html",
            "participants/new.html",
            "participants/merge.html",
        ]);
        assert!(found.is_empty(), "untranslated:\n{}", found.join("\n"));
    }
}
