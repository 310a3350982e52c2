# Each role's home page.

home-title = Home
home-alerts = Alerts
home-alert-record = (record { $id })
home-emergency-accesses = Emergency accesses to your participants
home-emergency-accesses-why = (see who opened them, end one early)
home-needs-you = Needs you now ({ $count })
home-needs-you-shown = Needs you now ({ $count }, the { $shown } most urgent shown)
home-who = Who
home-why = Why
home-when = When
home-released-without-warning = released without warning
home-window-day = day { $day } of 14
home-next-deadline = next deadline { $hours } h
home-release-ahead = { $days ->
    [0] release today
    [1] release tomorrow
   *[other] release in { $days } days
}
home-release-late = { $days ->
    [1] expected yesterday, release not recorded
   *[other] expected { $days } days ago, release not recorded
}
home-followups-overdue = { $count } follow-ups overdue
home-tasks-overdue = { $count } tasks overdue
home-nothing-urgent = Nothing urgent.
home-whole-caseload = My whole caseload
home-enrol = Enrol a participant
home-blank-encounter-form = Blank encounter form
home-missed-targets = Missed contact targets ({ $count })
home-missed-targets-intro = People in their first 14 days after release whose contact target was missed. Reach the peer today.
home-first-shown = The { $shown } most urgent of { $total } are listed here.
home-team-caseload = The whole caseload, most urgent first
home-peer = Peer
home-window = Window
home-missed = Missed
home-window-day-short = day { $day }
home-first-contact-missed = first contact within 24 h
home-contacts-missed = 3 contacts in 14 days
home-none-on-track = None: every window is on track.
home-my-team = My team
home-email = E-mail
home-caseload = Caseload
home-no-peers = No peers report to you yet.
home-supervision-credentials = Supervision and credentials
home-supervision-this-month = Supervision this month (h)
home-credential-alerts = Credential alerts
home-none = None
home-your-organisation = Your organisation
home-count-participants = Participants
home-count-active-staff = Active staff
home-count-facilities = Facilities
home-facilities-and-staff = Facilities and staff
home-audit-log = Audit log
home-shared = Shared with you ({ $count })
home-shared-intro = You see a participant's information only while they have signed a consent that names you or your organisation, and only the kinds of information they agreed to share.
home-participant = Participant
home-date-of-birth = Date of birth
home-you-may-see = You may see
home-no-one-shared = No one has consented to share information with you.
home-medical-emergency-access = Medical emergency access
home-recent-activity = Recent activity
home-when-utc = When (UTC)
home-action = Action
home-no-activity = No activity yet.
home-full-audit-log = The full audit log
home-accounting = A participant's accounting of disclosures

urgency-window-at-risk = Window: target at risk
urgency-in-window = In 14-day window
urgency-disengaged = Not heard from
urgency-release-soon = Release within 7 days
urgency-overdue = Overdue work
urgency-routine = Routine

# Not heard from: the disengagement early warning (decision 0053).
home-not-heard-from = Not heard from ({ $count })
home-not-heard-from-note = People in the community with no completed contact for the programme's number of days, or whose last contact attempts all failed. Silence is often the first sign of relapse: reach out today.
home-not-heard-from-none = Everyone in the community has been heard from recently.
disengaged-no-contact = { $days ->
    [1] No completed contact for 1 day
   *[other] No completed contact for { $days } days
}
disengaged-attempts = { $count ->
    [1] 1 attempt without contact
   *[other] { $count } attempts in a row without contact
}
disengaged-messages = { $count ->
    [1] 1 message unanswered
   *[other] { $count } messages in a row unanswered
}
disengaged-appointments = { $count ->
    [1] 1 appointment missed
   *[other] { $count } appointments missed in a row
}
