# Reentry Medicaid (issue 17; decision 0046): the programme's template, eligibility screenings
# in custody, and their errors.

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
