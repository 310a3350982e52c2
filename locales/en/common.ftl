# The frame around every page, dates, and what every printed document shares.

app-name = Throughcare
skip-to-content = Skip to content
nav-main = Main
nav-home = Home
nav-caseload = Caseload
nav-participants = Participants
nav-groups = Groups
nav-roster-import = Roster import
nav-workforce = Workforce
nav-dashboard = Dashboard
nav-reports = Reports
nav-organisation = Organisation
nav-audit-log = Audit log
sign-out = Sign out
demo-banner = Demo system: every person in it is invented.
footer-api = API
role-admin = Program administrator
role-supervisor = Peer supervisor
role-peer = Peer recovery specialist
role-team = Team member (partner organisation)
role-auditor = Auditor / privacy officer

# A document's own controls (not printed).
print = Print
back-to-record = Back to the record
switch-language = Español

# Dates: { $day } { $month } { $year }, the month written out.
date-long = { $day } { $month } { $year }
month-long = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
}
month-short = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}

# The redisclosure notice of 42 CFR 2.32 (short form), when the programme has not written its own.
part2-notice = 42 CFR part 2 prohibits unauthorized disclosure of these records.

# Error pages.
error-back = Back to Throughcare
error-not-found = Not found
error-not-found-detail = No such record.
error-forbidden = Not allowed
error-forbidden-detail = Your role may not do this.
error-invalid = Invalid input
error-invalid-detail = Correct what is listed below and try again.
error-bad-request = Bad request
error-too-large = Body too large
error-too-large-detail = The request is larger than { $limit } bytes.
error-step-required = A step is needed first
error-conflict = Conflict
error-throttled = Too many attempts
error-internal = Something went wrong
error-internal-detail = The server could not complete the request (reference { $reference }).
error-sign-in-needed = Sign-in needed
