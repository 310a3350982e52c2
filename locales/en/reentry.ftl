# Reentry Medicaid (issue 17; decision 0046): the programme's template, eligibility screenings
# in custody, and their errors.

# The caseload's and the home page's reentry flags.
reentry-flag-screening-due = screen due
reentry-flag-screening-overdue = screen overdue
reentry-flag-in-window = pre-release window
reentry-flag-window-opens = window opens { $date }
reentry-flag-handoff-due = handoff due
reentry-flag-handoff-overdue = handoff overdue
home-reentry-heading = Reentry: to do now
home-reentry-note = Screenings due within 72 hours of booking, open pre-release windows and warm handoffs not yet held.
home-reentry-late-heading = Reentry: overdue on your team
home-reentry-late-note = Screenings past 72 hours from booking and warm handoffs past due.

reentry-error-application-date-required = is required when the Medicaid application is pending
reentry-error-date-in-the-future = cannot be in the future

reentry-template-federal_minimum = Federal minimum (CAA 2023 §5121; SMD #23-003 minimum services)
reentry-template-california = California (CalAIM Justice-Involved Reentry Initiative)
reentry-template-washington = Washington (Medicaid Transformation Project reentry)
reentry-template-montana = Montana (HEART reentry)
reentry-template-new_hampshire = New Hampshire (reentry demonstration)

reentry-medicaid-active = Enrolled (active)
reentry-medicaid-suspended = Enrolled, suspended during incarceration
reentry-medicaid-application_pending = Application pending
reentry-medicaid-none = Not enrolled, no application

reentry-result-eligible = Eligible
reentry-result-pending_medicaid = Eligible once Medicaid is granted
reentry-result-not_eligible = Not eligible
