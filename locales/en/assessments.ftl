# BARC-10 (the Brief Assessment of Recovery Capital: its ten statements and six-point scale, as
# the product records them), the stages of change with what a peer can offer at each, and the two
# printed sheets given to the participant: the BARC-10 to fill in on paper, and the follow-up
# questions.

barc10-item-1 = There are more important things to me in life than using substances.
barc10-item-2 = In general I am happy with my life.
barc10-item-3 = I have enough energy to complete the tasks I set myself.
barc10-item-4 = I am proud of the community I live in and feel part of it.
barc10-item-5 = I get lots of support from friends.
barc10-item-6 = I regard my life as challenging and fulfilling without the need for using drugs or alcohol.
barc10-item-7 = My living space has helped to drive my recovery journey.
barc10-item-8 = I take full responsibility for my actions.
barc10-item-9 = I am happy dealing with a range of professional people.
barc10-item-10 = I am making good progress on my recovery journey.
barc10-scale-1 = Strongly disagree
barc10-scale-2 = Disagree
barc10-scale-3 = Somewhat disagree
barc10-scale-4 = Somewhat agree
barc10-scale-5 = Agree
barc10-scale-6 = Strongly agree

barc10-print-title = Brief Assessment of Recovery Capital (BARC-10)
barc10-print-page-title = BARC-10: { $name }
barc10-print-for = For <strong>{ $name }</strong> · printed { $printed }
barc10-print-intro = Here are ten statements about your life and your recovery. For each one, tick the one box that says how much you agree or disagree with it today. There are no right or wrong answers.
barc10-print-date = Date: ____ / ____ / ________
barc10-print-scale = Agree or disagree
barc10-print-program = For the program: total ______ (10 to 60)

followups-print-title = Follow-up questions
followups-print-page-title = Follow-up: { $name }
followups-print-for = For <strong>{ $name }</strong> · printed { $printed }
followups-print-intro = Your peer specialist asks these questions about 30, 90, 180 and 365 days after your release (or after you started with the program in the community), to see how you are doing and what help you need. You may skip any question.
followups-print-which = Which follow-up (tick one)
followups-print-next = Next due: { $point }, { $date }
followups-print-date = Date: ____ / ____ / ________
followups-ask-rearrested = Since our last contact, have you been arrested?
followups-ask-reincarcerated = Since our last contact, have you spent time in jail or prison?
followups-ask-overdose = Since our last contact, have you had an overdose?
followups-ask-in-treatment = Are you in treatment for substance use now?
followups-ask-employed = Are you working now?
followups-ask-insured = Do you have health insurance now (including Medicaid)?
followups-ask-housing = Where are you living now?
followups-housing-stable = In a stable place (my own home, or an arrangement that lasts)
followups-housing-temporary = Somewhere temporary (staying with others for now)
followups-housing-shelter = In a shelter
followups-housing-street = On the street, or with no fixed place
followups-housing-institution = In an institution (hospital, treatment residence, jail or prison)
followups-ask-barc10 = Recovery capital: we go through the ten BARC-10 statements together, on their own sheet.
followups-ask-note = Anything else you want us to know:
followups-print-program = For the program: entered on ____ / ____ / ________ by ______________________
followups-barc-link = BARC-10 questions (printable)

stage-precontemplation = Precontemplation
stage-contemplation = Contemplation
stage-preparation = Preparation
stage-action = Action
stage-maintenance = Maintenance

stage-tip-precontemplation-1 = Build rapport: listen more than you talk, and show up when you said you would.
stage-tip-precontemplation-2 = Share your own lived experience of recovery and of the justice system, briefly and honestly.
stage-tip-precontemplation-3 = Put no pressure on change; ask what matters to them and respect that the choice is theirs.
stage-tip-precontemplation-4 = Offer harm reduction: a naloxone kit and training, and what lower tolerance after custody means for overdose risk.
stage-tip-contemplation-1 = Explore mixed feelings: ask what is good and what is not so good about their use.
stage-tip-contemplation-2 = Reflect their own reasons for change back to them, in their words.
stage-tip-contemplation-3 = Share how you weighed the same choice and what helped you decide.
stage-tip-contemplation-4 = Give information on options (treatment, MOUD, mutual aid, recovery community) without pushing one.
stage-tip-contemplation-5 = Keep harm reduction in place: naloxone, and the overdose risk in the first two weeks after release.
stage-tip-preparation-1 = Explore the barriers they expect (ID, insurance, housing, transport, supervision conditions) and ways around them.
stage-tip-preparation-2 = Talk through strategies that have worked for them before, or for you.
stage-tip-preparation-3 = Offer to build the recovery and reentry plan together, with goals in their own words.
stage-tip-preparation-4 = Help with a first small step: a phone call, a form, an appointment.
stage-tip-action-1 = Back the steps they are taking and name the progress you see.
stage-tip-action-2 = Link to resources and follow referrals up until they connect.
stage-tip-action-3 = Plan together for high-risk situations and triggers, especially the first days after release.
stage-tip-action-4 = Celebrate milestones, however small.
stage-tip-maintenance-1 = Help build recovery capital: relationships, housing, work and community.
stage-tip-maintenance-2 = Plan for setbacks together, and treat a return to use as information, not failure.
stage-tip-maintenance-3 = Connect them with the recovery community and with roles that give back, such as mentoring others.
stage-tip-maintenance-4 = Review goals across life domains and update the plan as life changes.
