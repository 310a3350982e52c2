# Administration: the organisation page, the audit log, two-step sign-in, the confirmation of
# the password, the set-password link and the API's page.

adm-title = Organisation
adm-count-participants = <strong>{ $count }</strong> participants
adm-count-active-staff = <strong>{ $count }</strong> active staff
adm-count-disabled = ({ $count } disabled)
adm-count-facilities = <strong>{ $count }</strong> facilities
adm-correct-staff = Please correct the staff form
adm-correct-tokens = Please correct the token lifetime
adm-correct-zone = Please correct the time zone
adm-correct-field = Please correct the field safety setting
adm-correct-facility = Please correct the facility form
adm-link-for = Set-password link for { $email }
adm-link-intro = Pass this link to them yourself (in person, by phone or from your own e-mail). It is shown only now, works once, and stops working at { $until }. They choose their own password with it; nobody else ever sees it.
adm-link = Link
adm-staff = Staff
adm-name = Name
adm-email = E-mail
adm-role = Role
adm-status = Status
adm-account = Account
adm-disabled = disabled
adm-active = active
adm-send-link = Send a new set-password link
adm-send-link-to = Send a new set-password link to { $name }
adm-reset-mfa = Reset two-step sign-in
adm-reset-mfa-of = Reset two-step sign-in of { $name }
adm-disable = Disable
adm-disable-name = Disable { $name }
adm-invite-title = Invite a staff member
adm-invite-intro = They get a one-time link to choose their own password (it works for 72 hours), then sign in; admins and auditors set up two-step sign-in at their first sign-in.
adm-role-hint = Listed from the least access to the most; the least is chosen until you pick another.
adm-invite = Invite
adm-zone-title = Time zone
adm-zone-set = Your programme's clock is <strong>{ $zone }</strong>: its days begin at its midnight, and the times your staff type and read are on it.
adm-zone-unset = Not set: your programme's clock is <strong>UTC</strong> until you set it, so "today", due dates and the times your staff type are in UTC. Set the zone your programme works in.
adm-zone-label = Time zone (a tz database name, e.g. America/Chicago)
adm-zone-save = Save time zone
adm-tokens-title = API tokens of your staff
adm-tokens-intro = Each token opens the API as its holder. Revoke one you do not recognise, or that a script no longer needs; it stops at once.
adm-holder = Holder
adm-created = Created
adm-last-used = Last used
adm-expires = Expires
adm-revoke-token-of = Revoke token { $id } of { $email }
adm-no-tokens = No API tokens.
adm-token-days = New tokens live this many days (1 to 365)
adm-token-days-save = Save token lifetime
adm-facilities = Facilities
adm-kind = Kind
adm-setting = Setting
adm-no-facilities = No facilities yet.
adm-add-facility-title = Add a facility
adm-add-facility = Add facility
adm-facility-kind-jail = Jail
adm-facility-kind-prison = Prison
adm-facility-kind-community-corrections-office = Community corrections office
adm-facility-kind-reentry-centre = Reentry centre
adm-facility-kind-treatment-court = Treatment court
adm-setting-short = Short-term (jail, pretrial)
adm-setting-medium = Medium-term (jail sentence, short prison term)
adm-setting-long = Long-term (prison)
adm-setting-community = Community corrections
adm-org-kind-provider = Peer recovery program
adm-org-kind-jail-health = Jail behavioural health
adm-org-kind-probation = Probation department
adm-org-kind-parole = Parole office
adm-org-kind-court = Court
adm-org-kind-treatment-provider = Treatment provider
adm-org-kind-medical-provider = Medical provider
adm-invited = { $name } is invited.
adm-new-link = A new set-password link for { $email }; they are signed out everywhere until they use it.
adm-disabled-notice = { $email } is disabled: signed out everywhere, API tokens revoked.
adm-mfa-reset = Two-step sign-in of { $email } is reset: they are signed out and set it up again at their next sign-in.
adm-token-revoked = Token { $id } is revoked.
adm-token-days-set = New API tokens now live { $days } days.
adm-zone-now = Your programme's clock is now { $zone }.
adm-password-changed = Your password is changed; your other devices are signed out.

# The audit log.
audit-intro = Every read and write of participant data, every sign-in and every admin action by your organisation's staff, and everything anyone else did with your participants' records: partners' views, medical emergency openings, and other organisations' refused attempts. Entries are chained by hash; <code>{ $command }</code> checks the chain.
audit-who = Who
audit-action-starts = Action starts with
audit-participant-id = Participant id
audit-find-person = <a href="{ $href }">Find a person</a> to filter by them
audit-from = From
audit-before = Before
audit-filter = Filter
audit-newest-first = Newest first
audit-when = When (UTC)
audit-organisation = Organisation
audit-action = Action
audit-record = Record
audit-participant = Participant
audit-address = Address
audit-detail = Detail
audit-no-entries = No entries match.
audit-older = Older entries

# Two-step sign-in.
mfa-verify-title = Two-step sign-in
mfa-verify-intro = Enter the 6-digit code your authenticator app shows for Throughcare. Lost your phone? Enter one of your recovery codes instead; each works once.
mfa-code = Code
mfa-continue = Continue
mfa-code-mismatch = That code does not match. Enter the 6-digit code from your app, or an unused recovery code.
mfa-enrol-title = Set up two-step sign-in
mfa-enrol-intro = Your account holds confidential records, so signing in takes your password and a code from an authenticator app on your phone (any app that supports time-based codes).
mfa-enrol-scan = In the app, add an account by scanning this code:
mfa-qr-label = QR code for your authenticator app
mfa-enrol-or-type = or type this key:
mfa-enrol-enter = Enter the 6-digit code the app shows:
mfa-code-from-app = Code from the app
mfa-turn-on = Turn on two-step sign-in
mfa-on-title = Two-step sign-in is set up
mfa-on-heading = Two-step sign-in is on
mfa-recovery-intro = Keep these recovery codes somewhere safe (printed, or in a password manager). Each one signs you in once if you lose your phone. They are shown only now.
mfa-continue-to = Continue to Throughcare

# Confirming the password before a sensitive step.
confirm-title = Confirm it is you
confirm-intro = This step hands out participants' records or a new credential, so enter your password again (it is asked at most once every few minutes).
confirm-password = Password

# The set-password link.
welcome-page-title = Choose your password
welcome-title = Welcome to Throughcare
welcome-choose-title = Choose a new password
welcome-invited = { $name }, you have been invited.
welcome-sent = { $name }, an administrator sent you this link.
welcome-choose = Choose the password you will sign in with as <strong>{ $email }</strong>. This link works once, until { $expires } UTC.
welcome-correct = Please correct the password
welcome-password-hint = At least 12 characters. A phrase of several unrelated words is easy to remember and hard to guess; common passwords are refused.
welcome-password-again = The same password again
welcome-set-password = Set my password
welcome-used-title = This link has been used
welcome-used = A set-password link works once, and this one already has (or a newer link replaced it). If you chose your password with it, <a href="{ $href }">sign in</a>. Otherwise ask an administrator of your programme to send you a new set-password link.
welcome-expired-title = This link has expired
welcome-expired = A set-password link works for 72 hours. Ask an administrator of your programme to send you a new set-password link.
welcome-unknown-title = This link does not work
welcome-unknown = Check that the whole link was copied, or ask an administrator of your programme to send you a new set-password link.

# The API's page.
api-title = Throughcare API
api-intro = JSON under <code>/api/v1</code>. Authenticate with <code>Authorization: Bearer &lt;token&gt;</code> (create one with <code>throughcare token create --email …</code>). Errors are RFC 9457 problem documents whose <code>errors</code> name each bad field. The machine-readable description is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
api-parameters = Parameters:
api-body = Body: { $body }
api-reference-language = Each operation below is described as the machine-readable description has it, in English: the API's field names, codes and messages are the same in every language.
