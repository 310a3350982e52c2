# Reentry Medicaid (issue 17; decision 0046): the programme's template, eligibility screenings
# in custody, warm handoffs, MOUD records, the reentry page, the printed care plan, the admin's
# settings, and their errors.

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
reentry-error-first-dose-required = is required when MOUD started after release
reentry-error-no-dose-after-release = is only for MOUD continued at release or started after it
reentry-error-no-moud-to-stop = is only for someone on MOUD
reentry-error-stopped-before-first-dose = cannot be before the first dose

reentry-template-federal-minimum = Federal minimum (CAA 2023 §5121; SMD #23-003 minimum services)
reentry-template-california = California (CalAIM Justice-Involved Reentry Initiative)
reentry-template-washington = Washington (Medicaid Transformation Project reentry)
reentry-template-montana = Montana (HEART reentry)
reentry-template-new-hampshire = New Hampshire (reentry demonstration)

reentry-medicaid-active = Enrolled (active)
reentry-medicaid-suspended = Enrolled, suspended during incarceration
reentry-medicaid-application-pending = Application pending
reentry-medicaid-none = Not enrolled, no application

reentry-result-eligible = Eligible
reentry-result-pending-medicaid = Eligible once Medicaid is granted
reentry-result-not-eligible = Not eligible

reentry-condition-substance-use-disorder = Substance use disorder
reentry-condition-mental-illness = Mental illness
reentry-condition-chronic-condition = Chronic or significant clinical condition
reentry-condition-pregnancy = Pregnant or postpartum
reentry-condition-intellectual-disability = Intellectual or developmental disability
reentry-condition-traumatic-brain-injury = Traumatic brain injury
reentry-condition-hiv = HIV/AIDS

reentry-criterion-medicaid = Enrolled in Medicaid (active or suspended)
reentry-criterion-health-condition = A qualifying health condition
reentry-criterion-anyone-in-custody = No condition required by the programme
reentry-criterion-youth = Under 21 at release (CAA 2023 §5121)
reentry-criterion-former-foster-youth = Former foster youth under 26 at release (CAA 2023 §5121)

reentry-method-in-person = In person
reentry-method-video = Video call
reentry-method-phone = Telephone
reentry-method-written = Written referral and record transfer

reentry-moud-none = None
reentry-moud-in-custody = Receiving in custody
reentry-moud-continued-at-release = Continued at release
reentry-moud-started-after-release = Started after release

reentry-service-case-management = Reentry case management
reentry-service-moud = Medication for substance use disorder
reentry-service-release-medication = 30-day supply of medicines at release
reentry-service-screening = Screening and diagnostic services
reentry-service-clinical-consultation = Physical and behavioural health consultation
reentry-service-lab-radiology = Laboratory and radiology
reentry-service-medical-equipment = Durable medical equipment at release
reentry-service-community-health-worker = Community health worker services
reentry-service-peer-support = Peer support services

reentry-deliverer-peer = Peer with lived experience
reentry-deliverer-community-health-worker = Community health worker
reentry-deliverer-clinician = Clinician or licensed case manager

reentry-screening-status-done = Screened
reentry-screening-status-due = Screen due
reentry-screening-status-overdue = Screen overdue

reentry-handoff-status-held = Held
reentry-handoff-status-held-late = Held late
reentry-handoff-status-due = Due
reentry-handoff-status-overdue = Overdue

field-medicaid-status = Medicaid status
field-medicaid-applied-on = Application date
field-to-provider = Provider
field-to-organisation = Their organisation
field-scheduled-at = Scheduled for
field-held-at = Held on
field-first-dose-on = First dose after release
field-stopped-on = Stopped on
field-naloxone-at-release = Naloxone kits at release
field-template = Reentry programme

# The participant's reentry page.
reentry-page-title = Reentry: { $name }
reentry-record-link = Reentry: Medicaid screening, warm handoff, MOUD
reentry-care-plan = Reentry care plan (print)
reentry-saved-screening = Screening saved.
reentry-saved-handoff = Warm handoff saved.
reentry-saved-moud = MOUD record saved.
reentry-not-saved = Not saved: please correct these
reentry-status-h = Where things stand
reentry-programme = Reentry programme
reentry-booked = Booked
reentry-screening = Eligibility screening
reentry-due-by = due by { $when }
reentry-expected-release = Expected release
reentry-not-set = not set
reentry-window = Pre-release window
reentry-window-opens = opens on { $date } ({ $days } days before the expected release)
reentry-window-open = Open
reentry-window-open-since = since { $date }; { $days } days left to the expected release
reentry-window-needs-date = opens once an expected release date is set
reentry-in-custody = In custody
reentry-not-in-custody = No: not in custody now
reentry-handoff = Warm handoff
reentry-handoff-not-due = not due yet
reentry-unplanned-release = Unplanned release
reentry-screenings-h = Eligibility screenings
reentry-youth = Eligible juvenile (CAA 2023 §5121)
reentry-criteria-met = Criteria met
reentry-none = none
reentry-medicaid = Medicaid status
reentry-applied-on = applied on { $date }
reentry-conditions = Qualifying health conditions
reentry-screened = Screened
reentry-by-when = { $who }, { $when }
reentry-under = Decided under
reentry-earlier-screenings = Earlier screenings
reentry-result = Result
reentry-no-screening = Not screened yet.
reentry-record-screening = Record a screening
reentry-choose = Choose…
reentry-application-date = Medicaid application date (when pending)
reentry-former-foster-youth = Former foster youth (in foster care at 18)
reentry-save-screening = Save the screening
reentry-handoffs-h = Warm handoffs
reentry-to-provider = Provider
reentry-to-organisation = Their organisation
reentry-method = How
reentry-scheduled = Scheduled for
reentry-held = Held on
reentry-held-hint = Leave empty until it has happened.
reentry-made-by = Made by
reentry-not-yet = not yet
reentry-no-handoffs = No warm handoff recorded.
reentry-record-handoff = Record a warm handoff
reentry-save-handoff = Save the handoff
reentry-moud-h = Medication for opioid use disorder (MOUD)
reentry-moud-status = MOUD status
reentry-first-dose = First dose after release
reentry-first-dose-hint = When continued at release, the release date if left empty.
reentry-stopped = Stopped on
reentry-naloxone = Naloxone kits at release
reentry-recorded = Recorded
reentry-earlier-moud = Earlier MOUD records
reentry-no-moud = No MOUD record.
reentry-record-moud = Record MOUD
reentry-save-moud = Save the MOUD record

# The reentry care plan, printed for the participant (CMS SMD #23-003 minimum elements).
reentry-plan-page-title = Reentry care plan: { $name }
reentry-back = Back to the reentry page
reentry-plan-title = My reentry care plan
reentry-plan-who = <strong>{ $name }</strong> · born { $born } · printed { $printed }
reentry-plan-release = Expected release: { $date }
reentry-plan-release-unknown = Expected release: not known yet
reentry-plan-released = Released: { $date }
reentry-plan-needs = My needs
reentry-plan-goals = My goals
reentry-plan-checklist = Before and at release
reentry-plan-medications = My medications
reentry-plan-first-dose = first dose after release { $date }
reentry-plan-stopped = stopped { $date }
reentry-plan-naloxone = Naloxone kits given at release: { $count }
reentry-plan-supply = Ask for a 30-day supply of all your prescription medicines when you are released.
reentry-plan-appointments = Appointments made for me
reentry-plan-benefits = Housing and benefits
reentry-plan-housing = Where I will live

# The admin's reentry settings.
reentry-settings-title = Reentry programme
reentry-admin-link = Reentry programme: template, window and rules
reentry-back-to-admin = Back to the organisation
reentry-settings-saved = Reentry programme saved.
reentry-rules-h = The rules that apply
reentry-rules-window = { $days } days before the expected release ({ $youth } days at least for an eligible juvenile)
reentry-rules-who = Who is eligible
reentry-rules-anyone = Anyone in custody enrolled in Medicaid (no condition required)
reentry-rules-one-of = Enrolled in Medicaid with one of: { $conditions }
reentry-rules-services = Covered services before release, and who may deliver them
reentry-rules-service = Service
reentry-rules-by = Who may deliver it
reentry-choose-h = Choose the programme
reentry-window-days = Window (days)
reentry-window-days-hint = 1 to 90 days; the template's own if left empty.
reentry-settings-save = Save the programme
reentry-history-h = Earlier choices
reentry-history-when = Chosen
reentry-history-who = By
reentry-history-none = No choice made yet: the federal minimum applies.
