# Supervision that develops people (decision 0051): sign-off, competency reviews, ethics
# consultations.

wf-sign-off = Sign-off
wf-sign-off-unsigned = Not signed
wf-sign-off-awaiting-supervisor = Awaiting the supervisor's signature
wf-sign-off-awaiting-peer = Awaiting the peer's signature
wf-sign-off-signed = Signed by both
wf-sign = Sign
wf-amended = amended
wf-minutes-n = { $n } min
wf-duration-minutes = Duration (minutes)
wf-minutes = Minutes
wf-error-minutes-range = must be a number of minutes above 0 and at most { $max }
wf-error-hours-minutes-disagree = does not match the minutes given
wf-error-already-signed = You have already signed this session.
wf-error-rating-scale = must be a rating from { $min } to { $max }
wf-error-area-twice = names a competency area already rated in this review
wf-error-not-a-supervisor = must be a supervisor or administrator of the programme, not the peer

wf-reviews-title = Competency reviews
wf-rating-scale = Ratings: 1 not yet demonstrated, 2 developing (with support), 3 competent (on their own), 4 advanced (guides others).
wf-review-chart-title = Mean competency rating per review
wf-review-chart-caption = The mean of the supervisor's and of the peer's own ratings at each review, oldest first; every rating is in the table below.
wf-review-supervisor-mean = Supervisor's rating (mean)
wf-review-self-mean = Self rating (mean)
wf-area = Competency area
wf-self-rating = Self rating
wf-supervisor-rating = Supervisor's rating
wf-goal = Goal
wf-no-reviews = No competency review yet.
wf-record-review = Record a review

wf-consultations-title = Ethics and boundary consultations
wf-consulted-with = Consulted with
wf-consulted-me = With me (counts as supervision received)
wf-consulted-with-other = Or someone outside the programme (name)
wf-question = Question
wf-guidance = Guidance
wf-outcome-text = Outcome
wf-counts-as-supervision = counts as supervision
wf-no-consultations = No consultation logged.
wf-log-consultation = Log a consultation

home-sign-supervision = Supervision sessions awaiting your signature
home-sign-supervision-row = { $date } with { $name }
