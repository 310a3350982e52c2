# What is wrong with a form field, shown beside the field's name. The API answers in English
# with the same words.

error-required = is required
error-in-the-future = is in the future
error-in-the-past = is in the past
error-too-long = must be at most { $max } characters
error-not-a-date = { $value } is not a date (YYYY-MM-DD)
error-implausible-date = { $value } is not a plausible date (from { $from } to { $to })
error-not-a-date-time = { $value } is not a date and time (YYYY-MM-DDTHH:MM)
error-not-an-id = { $value } is not an id
error-not-a-whole-number = { $value } is not a whole number from { $min } to { $max }
error-unknown-value = unknown value { $value }; use one of: { $allowed }

# Form fields, by the name a form sends (`field-` and the name with `_` as `-`), for the list of
# what to correct. A field without one is listed by its name.
field-assigned-peer-id = Assigned peer
field-at-time = Time
field-answers = Answers
field-booking-facility = Booking facility
field-booking-number = Booking number
field-certainty = Certainty
field-completed-on = Completed on
field-current-password = Current password
field-date-of-birth = Date of birth
field-detail = Detail
field-domain = Life domain
field-done-on = Done on
field-due-on = Due on
field-duration-minutes = Minutes
field-email = E-mail
field-ended-on = Ended on
field-expected-release-on = Expected release date
field-facility-id = Facility
field-first-name = First name
field-housing = Housing
field-kind = Kind
field-label = Label
field-language = Preferred language
field-last-name = Last name
field-life-domains = Topics
field-mode = How
field-name = Name
field-new-password = New password
field-note = Note
field-scheduled-on = Date
field-starts-at = Time
field-occurred-at = When
field-occurred-on = Date
field-outcome = Outcome
field-overdose = Overdose
field-owner = Who does it
field-peer-id = Peer
field-phone = Phone
field-preferred-language = Preferred language
field-preferred-name = Preferred name
field-pronouns = Pronouns
field-provider-contact = Provider contact
field-provider-name = Provider
field-reason = Reason
field-recorded-on = Recorded on
field-referral-type = Referral type
field-referred-on = Referred on
field-services-consent-on = Consent to services on
field-setting = Setting
field-stage = Stage
field-started-on = Started on
field-state-id = State ID
field-statement = Goal
field-status = Status
field-step = Step
field-supervision-case = Supervision case number
field-supervision-office = Supervision office
field-taken-on = Taken on
field-topics = Competencies
field-description = Description
field-employed = Employed
field-in-treatment = In treatment
field-insured = Insured
field-interview-on = Interview date
field-not-applicable-reason = Why it does not apply
field-rearrested = Rearrested
field-reincarcerated = Reincarcerated
field-timepoint = Timepoint
field-total = Total
field-typed-value = Number as written
field-value = Value
field-also-participant-ids = Other participants
field-attendees = Who attended
field-barc10-total = BARC-10 total
field-body = Text
field-categories = Categories of information
field-ce-ethics-hours = Ethics hours
field-changes = Changes
field-chart = Chart
field-checklist-offsets = Checklist
field-code = Code
field-conditions = Conditions
field-confirm-password = Confirm password
field-consent = Consent
field-decided-on = Decided on
field-decision = Decision
field-denial-reason = Reason for denial
field-dob = Date of birth
field-duplicate-id = Duplicate record
field-expires-on = Expires on
field-facility = Facility
field-first-contact-hours = Hours to first contact
field-format = Format
field-from = From
field-to = To
field-identifiers = Identifiers
field-merge-id = Merge
field-method = How it was done (method)
field-min-contacts = Minimum contacts
field-on = Date
field-organisations = Organisations
field-page = Page
field-participant = Participant
field-password = Password
field-period = Period
field-point = Follow-up
field-purpose = Purpose
field-quarter = Quarter
field-recipients = Recipients
field-record-type = Record type
field-renewal-years = Years to renewal
field-role = Role
field-signature-kind = Signature
field-slug = Short name
field-standard-id = Credential standard
field-step-done-id = Step
field-time-zone = Time zone
field-token-lifetime-days = Token lifetime (days)
field-training = Training
field-window-days = Window (days)

# Signing in, passwords, two-step sign-in and API tokens.
error-password-confirm = enter your own password again to confirm it is you
error-password-not-current = that is not your current password
error-password-same = choose a password different from the current one
error-password-too-short = must be at least { $min } characters
error-password-too-many-bytes = must be at most { $max } bytes
# $why: why it is easy to guess (the name of zxcvbn's warning, `context` when it is built on the
# account's name or e-mail, or `none`).
error-password-too-common = is too common or too easy to guess{ $why ->
        [StraightRowsOfKeysAreEasyToGuess] {" "}(straight rows of keys are easy to guess)
        [ShortKeyboardPatternsAreEasyToGuess] {" "}(short keyboard patterns are easy to guess)
        [RepeatsLikeAaaAreEasyToGuess] {" "}(repeats like "aaa" are easy to guess)
        [RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess] {" "}(repeats like "abcabcabc" are only slightly harder to guess than "abc")
        [ThisIsATop10Password] {" "}(this is a top-10 common password)
        [ThisIsATop100Password] {" "}(this is a top-100 common password)
        [ThisIsACommonPassword] {" "}(this is a very common password)
        [ThisIsSimilarToACommonlyUsedPassword] {" "}(this is similar to a commonly used password)
        [SequencesLikeAbcAreEasyToGuess] {" "}(sequences like abc or 6543 are easy to guess)
        [RecentYearsAreEasyToGuess] {" "}(recent years are easy to guess)
        [AWordByItselfIsEasyToGuess] {" "}(a word by itself is easy to guess)
        [DatesAreOftenEasyToGuess] {" "}(dates are often easy to guess)
        [NamesAndSurnamesByThemselvesAreEasyToGuess] {" "}(names and surnames by themselves are easy to guess)
        [CommonNamesAndSurnamesAreEasyToGuess] {" "}(common names and surnames are easy to guess)
        [context] {" "}(it is built on your name, your e-mail or the service's name)
       *[none] {""}
    }; choose a longer phrase of several unrelated words
error-too-many-sign-ins = Too many failed sign-ins. Try again in { $seconds } seconds.
error-too-many-codes = Too many wrong codes. Try again in { $seconds } seconds.
error-confirm-password-first = confirm your password first (the page /account/confirm); this step needs a sign-in or confirmation within the last { $minutes } minutes
error-mfa-already-set-up = two-step sign-in is already set up; an administrator can reset it
error-mfa-start-again = start setting up two-step sign-in again
error-mfa-code-mismatch = that code does not match; check the app's clock
error-token-from-session = API tokens are created from a signed-in browser session (your account page), never with another token
error-token-needs-second-factor = set up two-step sign-in first (/sign-in/set-up-second-factor): your role needs it before you create an API token
error-token-label = use at most 100 characters, on one line
error-whole-days-from-to = must be a whole number of days from { $min } to { $max }
error-choose-language = choose English or Español
error-unknown-format = unknown format { $value }; use json or csv
error-not-a-time-zone = { $value } is not a time zone of the tz database (e.g. America/Chicago)
error-clocks-went-forward = { $time } did not happen in { $zone }: the clocks went forward at that hour; give a time before or after the change
error-already-exists = already exists ({ $constraint })

# Numbers and codes.
error-from-to = must be from { $min } to { $max }
error-not-a-number = { $value } is not a number
error-is-not-a-number = is not a number
error-hours-above-zero = must be a number of hours above 0 and at most { $max }
error-number-from-zero = must be a number from 0 to { $max }
error-whole-number = must be a whole number
error-required-at-most = is required (at most { $max } characters)

# Organisations, facilities and staff accounts.
error-slug = use 1 to 60 lowercase letters, digits and hyphens
error-slug-taken = an organisation with this slug exists
error-facility-name-taken = your organisation already has a facility with this name
error-email-taken = an account with this e-mail exists
error-not-an-email = is not an e-mail address
error-unknown-facility-kind = unknown facility kind { $value }; use one of: { $allowed }
error-unknown-setting = unknown setting { $value }; use one of: { $allowed }
error-unknown-role = unknown role { $value }; use one of: { $allowed }
error-not-whole-days-from-to = { $value } is not a whole number of days from { $min } to { $max }
error-password-mismatch = does not match the password
error-link-used = this link has already been used; ask an administrator for a new one
error-link-expired = this link has expired; ask an administrator for a new one
error-account-disabled-no-link = { $email } is disabled; a disabled account gets no set-password link
error-disable-own-account = you cannot disable your own account; ask another administrator
error-last-administrator = { $email } is the organisation's last administrator; add another before disabling them
error-emergency-already-ended = emergency access { $id } already ended at { $at }
error-amend-followup-not-recorded = This follow-up has not been recorded yet: record it rather than amend it.

# Follow-up interviews ($point: day30, day90, day180 or day365).
error-followup-already-recorded = The { $point ->
         [day30] 30-day
         [day90] 90-day
         [day180] 180-day
        *[day365] 365-day
    } follow-up was already recorded (completed on { $done }); nothing was changed. To change its answers, amend it with a reason: POST /api/v1/participants/{ $participant }/followups/{ $point }/amendments, or "Amend" on the participant's page.
error-followup-not-recorded = The { $point ->
         [day30] 30-day
         [day90] 90-day
         [day180] 180-day
        *[day365] 365-day
    } follow-up has not been recorded yet: record it (POST /api/v1/participants/{ $participant }/followups) rather than amend it.

# Participants: search, records, identifiers, merging and amendments.
error-type-the-name = type the person's name
error-type-the-date-of-birth = type the date of birth (YYYY-MM-DD or MM/DD/YYYY)
error-type-what-to-search = type a name, a date of birth (YYYY-MM-DD or MM/DD/YYYY) or a booking, state ID or case number
error-emergency-search = in an emergency, search by name and date of birth together
error-no-such-participant = no such participant
error-choose-duplicate = choose the duplicate record
error-merge-into-itself = a record cannot be merged into itself
error-merge-reason = say why these are the same person (at most 500 characters)
error-already-merged = this record was already merged
error-merge-already-undone = this merge was already undone
error-unknown-identifier-kind = unknown identifier kind { $value }; use booking_number, state_id or supervision_case
error-not-a-peer-of-your-organisation = is not a peer or supervisor of your organisation
error-not-an-active-peer = is not an active peer or supervisor of this organisation
error-not-an-identifier-of-participant = is not an identifier of this participant
error-nothing-to-change = name at least one field, identifier correction or identifier to add
error-unknown-facility = is not a known facility
error-unknown-record-type = unknown record type { $value }; use one of: { $allowed }
error-amend-reason-required = is required: say why the recorded values change
error-followup-keeps-completion-date = a recorded follow-up keeps its completion date; correct it instead of blanking it
error-nothing-changed = every value is the same as recorded: nothing to amend
error-not-amendable = cannot be amended
error-amend-reason-for-recorded = is required: { $field } already holds { $value }; an amendment keeps it and says why it changes
error-wrong-type-of-value = has the wrong type of value
error-not-amendable-on = cannot be amended on a { $record }; amendable: { $allowed }
error-computed = is computed; amend what it is computed from
error-nothing-to-amend = name at least one field to amend
error-not-blank = may not be blank
error-must-be-text = must be text
error-must-be-text-or-null = must be text or null
error-must-be-true-false-or-null = must be true, false or null
error-must-be-a-date = must be a date (YYYY-MM-DD)
error-before-1900 = is before 1900
error-barc-answers-required = ten answers from 1 to 6 are required
error-barc-ten-numbers = must be ten numbers from 1 to 6
error-barc-ten-answers = must be ten answers from 1 to 6 ({ $detail })
error-not-a-gpra-interview = is not a GPRA interview: { $detail }
error-gpra-answers = { $detail }

# The journey: episodes, custody, encounters, groups, referrals, checklists, settings.
error-not-a-page-of-import = is not a page of this import (1 to { $pages })
error-choose-facility = choose the facility
error-tick-attendee = tick at least one person who attended
error-not-enrolled-at = { $name } is not enrolled at { $facility } (no open episode there)
error-no-followup-scheduled = no follow-up is scheduled: record a release (or a community enrolment) first
error-amend-answers-reason = is required: say why the recorded answers change
error-not-a-time = { $value } is not a time (HH:MM)
error-release-in-future = a release cannot be recorded before it happens; record an expected_release instead
error-no-open-episode-to-discharge = there is no open episode to discharge
error-before-episode-started = is before the episode started
error-barc-answer-count = expected { $expected } answers, got { $got }
error-barc-answer-out-of-range = { $value } is outside { $min }..{ $max }
error-not-a-step-of-goal = is not a step of this goal
error-only-group-has-others = only a group encounter has other participants
error-no-open-episode = there is no open episode
error-no-checklist-yet = this episode has no checklist yet: set an expected release date
error-no-such-checklist-item = this episode's checklist has no such item
error-item-done-reopen-first = this item is done: re-open it first if it does not apply
error-inside-the-window = must fall inside the window
error-unknown-checklist-item = unknown checklist item
error-planned-only-at-release = is planned only at release, from an open peer meeting
error-days-from-to = must be from { $min } to { $max } days
error-not-minutes = { $value } is not a number of minutes
error-statement-needs-answer = statement { $n } needs an answer from 1 to 6
error-is-not-an-id = is not an id
error-not-a-participant = { $value } is not a participant
# $status: the referral's status code; each shown by its label.
error-referral-reason-required = a reason is required when a referral is marked "{ $status ->
        [could_not_contact] { referral-status-could-not-contact }
        [not_eligible] { referral-status-not-eligible }
        [no_capacity] { referral-status-no-capacity }
        [could_not_get_help] { referral-status-could-not-get-help }
        [no_longer_interested] { referral-status-no-longer-interested }
        [referred_elsewhere] { referral-status-referred-elsewhere }
       *[other] { $status }
    }"

# Consent and emergency access.
error-consent-already-revoked = this consent was already revoked on { $at }
error-consent-irrevocable = this criminal-justice consent (42 CFR 2.35) cannot be revoked until { $until }
error-revocation-before-signing = a revocation cannot take effect before the consent was signed ({ $signed })
error-revocation-wrong-consent = revocation is for consent { $got }, not consent { $expected }
error-not-one-of = { $value } is not one of { $allowed }
error-cj-recipient = a criminal-justice consent (42 CFR 2.35) names a court, probation or parole agency (or a person there); this organisation is not one
error-not-on-staff = that person is not on the staff of that organisation
error-only-medical-organisations = only medical organisations (medical provider, treatment provider, jail health) can be listed; not: { $names }
error-find-the-person = find the person by name and date of birth, then choose them
error-describe-emergency = describe the medical emergency (at least 10 characters)
error-unknown-consent-kind = unknown kind { $value }; use standard or criminal_justice
error-unknown-category = unknown category { $value }
error-name-a-recipient = name an organisation (org_id), a person there (org_id and user_id) or a class (probation, parole, court, treatment_provider, jail_health, medical_provider)
error-unknown-purpose = unknown purpose { $value }
error-unknown-signature-kind = unknown signature kind { $value }; use on_screen or paper_attested

# Reports.
error-not-a-period = { $value } is not a reporting period; use a year (2026), a quarter (2026-Q3) or a month (2026-07)
error-after-to = is after to
error-period-too-long = the period is longer than ten years
error-not-a-setting = { $value } is not a setting; use one of { $allowed }
error-chart-required = is required with CSV; use one of { $allowed }
error-unknown-chart = unknown chart { $value }; use one of { $allowed }
error-public-fixed-periods = public tables are published only for fixed periods; use period=2026, period=2026-Q3 or period=2026-07
error-period-not-ended = { $period } has not ended; public tables are published for finished periods
error-not-a-quarter = { $value } is not a quarter (like 2026Q3)
error-choose-timepoint = choose intake, 6-month follow-up or discharge

# The workforce: credentials, clearances, barriers, readiness.
error-not-a-standard-here = is not a credential standard of this organisation
error-denial-reason-required = is required when the status is { $status } (use no_reason_given if none was given)
error-only-denied-or-revoked = only applies to denied or revoked
error-only-granted = only applies to granted
error-after-the-date = must be after the date
error-not-a-facility = is not a facility
error-before-requested-on = is before requested_on
error-before-the-request = is before the request
error-at-most-40-domains = at most 40 domains
error-ethics-exceeds-ce = cannot exceed the continuing-education hours
error-before-applied-on = is before applied_on
error-required-with-decision = is required with a decision
error-required-with-decided-on = is required with decided_on
error-training-line = line { $line }: write "Domain: hours"

# The elements of a consent (42 CFR 2.31, 2.35).
error-consent-name-the-participant-whose-records-are = Name the participant whose records are disclosed.
error-consent-name-the-program-that-discloses-the = Name the program that discloses the records.
error-consent-choose-a-standard-consent-or-a = Choose a standard consent or a criminal-justice consent.
error-consent-choose-at-least-one-kind-of = Choose at least one kind of information to disclose.
error-consent-a-criminal-justice-consent-is-limited = A criminal-justice consent is limited to what is needed to monitor progress: encounter notes cannot be included.
error-consent-name-at-least-one-recipient-a = Name at least one recipient (a person, an organisation or a class).
error-consent-state-the-purpose-of-the-disclosure = State the purpose of the disclosure.
error-consent-describe-the-purpose-of-the-disclosure = Describe the purpose of the disclosure.
error-consent-the-purpose-of-a-criminal-justice = The purpose of a criminal-justice consent is to monitor progress.
error-consent-monitoring-progress-for-a-court-probation = Monitoring progress for a court, probation or parole needs a criminal-justice consent.
error-consent-state-when-the-consent-ends-a = State when the consent ends: a date or an event.
error-consent-the-end-date-is-in-the = The end date is in the past.
error-consent-describe-the-event-that-ends-the = Describe the event that ends the consent.
error-consent-the-event-that-ends-the-consent = The event that ends the consent has already happened.
error-consent-the-participant-must-be-told-of = The participant must be told of the right to revoke in writing (actions already taken are not undone).
error-consent-the-consent-must-be-signed-and = The consent must be signed and dated.
error-consent-enter-the-name-of-the-person = Enter the name of the person signing.
error-consent-the-signature-time-is-in-the = The signature time is in the future.
error-consent-attach-the-scan-of-the-signed = Attach the scan of the signed paper form.
error-consent-the-signature-date-is-in-the = The signature date is in the future.
error-consent-state-the-representatives-authority-to-sign = State the representative's authority to sign (for example guardian or parent).
error-consent-state-the-disposition-or-condition-of = State the disposition or condition of release that requires participation.
error-consent-only-a-criminal-justice-consent-can = Only a criminal-justice consent can be irrevocable.
error-consent-the-consent-cannot-be-irrevocable-beyond = The consent cannot be irrevocable beyond the final disposition date.
error-consent-the-consent-cannot-be-irrevocable-beyond-2 = The consent cannot be irrevocable beyond its end date.
error-consent-cj-not-a-class = A criminal-justice consent (42 CFR 2.35) must name one court, probation or parole agency, or a person there, not a class such as "any { $class ->
         [probation] probation
         [parole] parole
         [court] court
         [treatment_provider] treatment provider
         [jail_health] jail health services
        *[medical_provider] medical provider
    }".

## The GPRA interview's checks
error-between-got = must be between { $min } and { $max }, got { $value }
error-gpra-intoxication-exceeds = { $days } days to intoxication exceeds { $any } days of any alcohol
error-gpra-both-exceeds = { $days } days of both exceeds { $value } ({ $name })
error-gpra-substance-between = { $substance }: must be between 0 and { $max }, got { $value }
error-gpra-substance-exceeds = { $substance }: { $days } days exceeds { $any } days of any illegal drug
error-listed-more-than-once = { $name } is listed more than once

error-appointment-outcome-recorded = this appointment's outcome is already recorded; it is never replaced
error-appointment-not-yet = the appointment is on { $date }: it can be marked kept or missed from that day (or cancelled now)
