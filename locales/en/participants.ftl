# The participants pages: the list and the search for a person, enrolment with the likely
# duplicates it finds, and merging a duplicate into a record; identifier kinds and why two
# records look like the same person.

participants-title = Participants
participants-find = Find a person
participants-find-hint = Name, date of birth (YYYY-MM-DD or MM/DD/YYYY), booking number, state ID or case number
participants-find-button = Find
participants-found = Found
participants-name = Name
participants-date-of-birth = Date of birth
participants-matched = Matched
participants-no-one-found = No one found. Check the spelling, or try a date of birth or an identifier.
participants-back-to-list = Back to the list
participants-only-mine = Only mine
participants-enrol = Enrol a participant
participants-none = No participants to show.
participants-first-name = First name
participants-last-name = Last name
participants-preferred-name = Preferred name
participants-pronouns = Pronouns
participants-language = Language
participants-phone = Phone
participants-email = E-mail
participants-born = born { $date }

enrol-title = Enrol a participant
enrol-duplicates-h = This person may already be enrolled
enrol-duplicates-intro = Nothing has been saved. Check these records. If one is the same person, open it instead; if none is, confirm below.
enrol-why-matches = Why it matches
enrol-likeness = Likeness
enrol-correct = Please correct these fields
enrol-preferred-name = Preferred name (optional)
enrol-pronouns = Pronouns (optional)
enrol-language = Preferred language
enrol-booking-facility = Booking facility
enrol-assigned-peer = Assigned peer
enrol-not-assigned-yet = Not assigned yet
enrol-different-person = I checked: this is a different person
enrol-button = Enrol

merge-title = Merge a duplicate into this record
merge-page-title = Merge a duplicate into { $name }
merge-kept = This record is kept:
merge-moves = Everything recorded on the duplicate moves here; the merge is recorded and can be undone.
merge-find = Find the duplicate
merge-no-one = No one else found. Check the spelling, or try a date of birth or an identifier.
merge-duplicate = The duplicate record
merge-why = Why they are the same person
merge-confirm = Yes, move everything on the duplicate into this record
merge-button = Merge into this record

identifier-booking-number = Booking number
identifier-state-id = State ID / DIN
identifier-supervision-case = Supervision case number

matched-on-name = Name
matched-on-date-of-birth = Date of birth
matched-on-booking-number = Booking number
matched-on-state-id = State ID / DIN
matched-on-supervision-case = Supervision case number

match-reason-same-identifier = Same identifier
match-reason-same-name-and-dob = Same name and date of birth
match-reason-similar-name-same-dob = Similar name, same date of birth
match-reason-transposed-dob = Date of birth with day and month swapped
match-reason-name-swapped = First and last name swapped
