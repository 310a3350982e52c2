# The consent and revocation forms (42 CFR 2.31, 2.35), the blank form to sign on paper and the
# accounting of disclosures (42 CFR 2.24): what the participant reads and signs.

consent-title = Consent to share information
consent-blank-title = Consent to share information (to sign on paper)
consent-i-allow = I, <strong>{ $name }</strong> (born { $born }), allow <strong>{ $program }</strong> to share this information about me:
consent-with = With:
consent-for = For:
consent-until = Until:
consent-until-date = { $date }
consent-cj = This consent is for the court, probation or parole office that made my participation a condition
consent-cj-only-what-they-need = It shares only what they need to follow my progress.
consent-cj-irrevocable = I cannot revoke it before { $date }.
consent-revoke-from = I can revoke this consent in writing at any time from { $date } on.
consent-revoke-any-time = I can revoke this consent in writing at any time.
consent-revoking-does-not-undo = Revoking does not undo what was already shared.
consent-not-a-condition = My peer support does not depend on signing this.
consent-not-a-condition-cj = My peer support does not depend on signing this, except as the court ordered.
consent-signed = Signed:
consent-signed-on-paper = on paper (scan on file)
consent-date = Date:
consent-signed-by-representative = Signed by a representative

revocation-title = Revoking my consent
revocation-i-revoke = I, <strong>{ $name }</strong>, revoke consent { $id }, signed { $signed },
revocation-that-let = that let { $program } share my information with: { $recipients }.
revocation-understand = I understand the revocation counts from now on and does not undo what was already shared.
revocation-cj = This criminal-justice consent cannot be revoked before { $date }.
signature-line = Signature: ______________________________ Date: ____ / ____ / ________

blank-back = Back to consents
blank-i-allow = I, <strong>{ $name }</strong> (born { $born }), allow <strong>{ $program }</strong> to share the information about me that I tick below.
blank-what = What may be shared (tick each)
blank-with = With (name of each person or organisation):
blank-for = For (tick one):
blank-other = Other:
blank-until = Until:
blank-until-line = the date ____ / ____ / ________ or the event ______________________________
blank-revoke = I can revoke this consent in writing at any time, except for what was already shared; if it is a condition of my release by a court, probation or parole (42 CFR 2.35), I can revoke it from: ____ / ____ / ________ or the event ______________________.
blank-not-a-condition = My peer support does not depend on signing this, except as a court ordered.
blank-representative = If a representative signs: name ______________________ authority ______________________

disclosures-title = Accounting of disclosures
disclosures-intro = For <strong>{ $name }</strong>: every time someone outside the program viewed, printed or exported their information, since { $since }.
disclosures-prepared = Prepared { $date }.
disclosures-years = Years
disclosures-show = Show
disclosures-when = When
disclosures-who = Who
disclosures-organisation = Organisation
disclosures-what = What
disclosures-how = How
disclosures-basis = Basis
disclosures-consent = consent { $id }
disclosures-emergency = medical emergency
disclosures-none = None.
disclosure-action-view = viewed
disclosure-action-print = printed
disclosure-action-export = exported
disclosure-action-list = listed
