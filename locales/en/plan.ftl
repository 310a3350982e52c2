# The recovery and reentry plan as printed for the participant, with the release checklist.

plan-title = Recovery and reentry plan
plan-page-title = Plan: { $name }
plan-who = <strong>{ $name }</strong> · born { $born } · printed { $printed }
plan-goals = Goals
plan-owner = owner { $owner }
plan-due = due { $date }
plan-step-done = done { $date }
plan-no-goals = No goals yet. Write them together here:
plan-checklist = Getting ready for release
plan-item = Item
plan-by = By
plan-done = Done
plan-not-applicable = does not apply
plan-release-handout = Leaving custody: naloxone and medication for opioid use disorder (handout)

goal-domain-substance-use = Substance use
goal-domain-mental-health = Mental health
goal-domain-physical-health = Physical health and medication (incl. MOUD)
goal-domain-housing = Housing
goal-domain-employment-education = Employment and education
goal-domain-income-benefits-insurance = Income, benefits and health insurance
goal-domain-identity-documents = Identity documents
goal-domain-family-social-support = Family and social support
goal-domain-legal-obligations = Legal obligations (court dates, supervision, fines and fees)
goal-domain-transportation = Transportation

goal-status-not-started = Not started
goal-status-in-progress = In progress
goal-status-done = Done
goal-status-dropped = Dropped

checklist-identity-documents = Identity documents
checklist-health-insurance = Health insurance
checklist-moud-continuity = MOUD continuity
checklist-naloxone = Naloxone kit and training
checklist-first-night-housing = First-night housing
checklist-transport-from-gate = Transport from the gate
checklist-community-provider-appointment = Community provider appointment
checklist-peer-meeting = Peer meeting at release
checklist-first-contact = First contact within 24 hours
