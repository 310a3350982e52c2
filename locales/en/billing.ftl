# Billing: claim-ready peer units and funding sources (src/billing/).

billing-error-payer-required = choose a payer
billing-error-period = must be on or after from, and the period at most { $days } days

billing-reason-not-completed = Not completed
billing-reason-not-peer-support = Not a peer support service
billing-reason-funded-elsewhere = Funded by a grant or other funds
billing-reason-no-coverage = No coverage on the date of service
billing-reason-mode-not-billable = Not a billable way of meeting (text message)
billing-reason-no-peer = No peer recorded
billing-reason-credential-not-valid = Credential not valid on the date of service
billing-reason-group-over-ratio = Group over the staff-to-participant ratio
billing-reason-too-short = Too short for one unit
billing-reason-over-daily-cap = Over the daily unit cap
