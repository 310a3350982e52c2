# The handout given at release: naloxone (recognising an overdose, giving naloxone, calling 911,
# Good Samaritan protection) and medication for opioid use disorder (keeping it going after
# release, where to get it). Generic text: the programme adds its own contacts by hand.

release-title = Leaving custody: staying alive and staying on your medication
release-for = For <strong>{ $name }</strong> · printed { $printed }
release-risk-h = Why the first weeks matter
release-risk = After time in custody your body is no longer used to opioids. The same amount you used before can now stop your breathing. The risk of a fatal overdose is highest in the first two weeks after release.
release-risk-tips = Do not use alone. Carry naloxone and tell the people around you where it is. Fentanyl is in much of the street supply, including pills and stimulants.

naloxone-h = Naloxone (Narcan): it reverses an opioid overdose
naloxone-signs-h = Signs of an overdose
naloxone-sign-wake = The person will not wake up, or does not respond when you shout their name or rub hard on their breastbone.
naloxone-sign-breathing = Breathing is slow, shallow or has stopped; they may make gurgling or snoring sounds.
naloxone-sign-colour = Lips and fingertips turn blue or grey; the skin is cold or clammy.
naloxone-sign-pupils = The pupils (the black centre of the eyes) are very small.
naloxone-steps-h = What to do
naloxone-step-call = Call 911. Say the person is not breathing or will not wake up, and where you are.
naloxone-step-give = Give naloxone: lay the person on their back, put the nasal spray in one nostril and press the plunger.
naloxone-step-breathe = If they are not breathing, give rescue breaths or CPR if you know how; the 911 operator can guide you.
naloxone-step-second = If they do not respond after 2 to 3 minutes, give a second dose in the other nostril.
naloxone-step-stay = Roll them onto their side (the recovery position) and stay with them until help arrives. Naloxone wears off in 30 to 90 minutes, and the overdose can come back.
naloxone-get = Naloxone nasal spray is sold without a prescription at pharmacies, and many health departments and programmes give it out free. Ask your peer specialist for a kit before you leave.
good-samaritan-h = Calling 911 for an overdose
good-samaritan = Most states have a Good Samaritan law that protects the person who calls 911 for an overdose, and the person who overdosed, from arrest or charges for having small amounts of drugs. What it covers differs from state to state, and it may not cover a probation or parole violation: ask your peer specialist what the law in your state covers. Always call: saving a life comes first.

moud-h = Medication for opioid use disorder (MOUD)
moud-what = Buprenorphine (Suboxone, Sublocade), methadone and naltrexone (Vivitrol) treat opioid use disorder. Staying on them after release lowers the risk of overdose and death.
moud-continue-h = Keeping your medication going after release
moud-continue-record = Before you leave, ask for a record of your medication and your last dose, and for a prescription or a bridge supply to cover the first days.
moud-continue-appointment = Have an appointment with a prescriber or a treatment programme in the community within 3 days (72 hours) of release. Do not wait until you run out.
moud-continue-insurance = Medicaid and most health insurance pay for MOUD. Ask for your Medicaid to be reinstated, or apply, before release.
moud-where-h = Where to get it
moud-where-methadone = Methadone: only at an opioid treatment programme (a methadone clinic).
moud-where-buprenorphine = Buprenorphine: from a doctor, nurse practitioner or physician assistant who prescribes it, or at an opioid treatment programme.
moud-where-naltrexone = Naltrexone: from a prescriber, usually as a monthly injection. You need to be off opioids for 7 to 10 days before the first dose.
moud-where-find = To find treatment near you: FindTreatment.gov, or SAMHSA's National Helpline, 1-800-662-4357 (free, confidential, every day, in English and Spanish).
moud-my-plan-h = My plan
moud-my-prescriber = My prescriber or clinic: ______________________________________
moud-my-appointment = My first appointment: date ____ / ____ / ________ time ________
moud-my-peer = My peer specialist: ______________________________________
