# What is wrong with a form field, shown beside the field's name. The API answers in English
# with the same words.

error-required = is required
error-too-long = must be at most { $max } characters
error-not-a-date = { $value } is not a date (YYYY-MM-DD)
error-implausible-date = { $value } is not a plausible date (from { $from } to { $to })
error-not-a-date-time = { $value } is not a date and time (YYYY-MM-DDTHH:MM)
error-not-an-id = { $value } is not an id
error-not-a-whole-number = { $value } is not a whole number from { $min } to { $max }
error-unknown-value = unknown value { $value }; use one of: { $allowed }

# Form fields, by the name a form sends (`field-` and the name with `_` as `-`), for the list of
# what to correct. A field without one is listed by its name.
field-date-of-birth = Date of birth
field-first-name = First name
field-last-name = Last name
field-preferred-language = Preferred language
field-occurred-at = When
field-duration-minutes = Minutes
field-note = Note
field-reason = Reason
field-expected-release-on = Expected release date
field-email = E-mail
field-name = Name
