//! The ASC X12 837 Professional claim file (005010X222A1) of one payer's claim lines for a
//! period, built with the segment and loop types of the `x12-types` crate (decision 0048).
//!
//! The file is one interchange (ISA/IEA) of one functional group (GS/GE, `HC`) of one
//! transaction set (ST/SE): the submitter (loop 1000A, the organisation), the receiver (1000B,
//! the payer), the billing provider (2000A/2010AA: NPI, EIN, taxonomy, address), then one
//! subscriber (2000B: the participant, the patient being the subscriber, SBR02 = 18) for each
//! participant with billed lines, with their name, date of birth and member id (2010BA) and the
//! payer (2010BB). A claim (2300) holds one participant's lines of one date of service (at most
//! 50 lines a claim, the 837P's limit on loop 2400), each line (2400) an `SV1` with
//! `HC:<procedure>[:<modifier>]`, the charge, `UN` units, the place of service when it differs
//! from the claim's, a `DTP*472` date of service and the encounter's id as the line item
//! control number (`REF*6R`). Rejected lines are not in the file.
//!
//! Every control number is a function of the export (payer, period, participant, date): the
//! same export gives the same claim and line control numbers (CLM01, REF*6R) and the same
//! interchange control number; only the interchange's date and time say when it was made.
//!
//! Source: ASC X12N 837 Health Care Claim: Professional, 005010X222A1 (the TR3), as checked by
//! pyx12 in the tests (`tests/it/billing.rs`, `scripts/test`).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use x12_types::util::X12Element;
use x12_types::v005010::{
    _837, _837Loop1000, _837Loop2000, _837Loop2010, _837Loop2300, _837Loop2400, BHT, CLM, DMG, DTP,
    FunctionalGroup, GE, GS, HI, HL, IEA, ISA, LX, N3, N4, NM1, PER, PRV, REF, SBR, SE, ST, SV1,
    Transmission,
};

use super::rules::ClaimLine;
use super::store::{BillingProvider, Payer, Subscriber};

/// The most service lines one 837P claim may carry (loop 2400 repeats at most 50 times).
pub const MAX_LINES_A_CLAIM: usize = 50;

/// What one 837P file is made of.
pub struct Export<'a> {
    pub provider: &'a BillingProvider,
    pub payer: &'a Payer,
    pub subscribers: &'a [Subscriber],
    /// Each participant's member id with this payer.
    pub member_ids: &'a BTreeMap<i64, String>,
    /// The billed lines (never the rejected ones).
    pub lines: &'a [ClaimLine],
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// When the file is made (the interchange's date and time).
    pub created: NaiveDateTime,
}

fn el<T: X12Element>(s: &str) -> T {
    T::from_x12(s)
}

/// Text as an element may carry it: upper case, letters and digits of the X12 basic character
/// set and a few marks, accents folded, no delimiter (`*`, `~`, `:`, `^`), at most `max`
/// characters.
pub fn text(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_uppercase) {
        let c = match c {
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
            'Ç' => 'C',
            'È' | 'É' | 'Ê' | 'Ë' => 'E',
            'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
            'Ñ' => 'N',
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'O',
            'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
            'Ý' => 'Y',
            c if c.is_ascii_uppercase() || c.is_ascii_digit() => c,
            '&' | '\'' | ',' | '-' | '.' | '/' | '#' | '(' | ')' => c,
            _ => ' ',
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end()
        .chars()
        .take(max)
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// Digits only (phone numbers, ZIP codes, identifiers typed with dashes).
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A number from the export's key (FNV-1a), from 1 to 999,999,999: the interchange and group
/// control numbers.
pub fn control_number(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h % 999_999_999 + 1
}

/// The claim control number (CLM01) of a participant's claim of one date of service; `part`
/// counts the claims of that day past the first 50 lines.
pub fn claim_number(participant_id: i64, date: NaiveDate, part: usize) -> String {
    let base = format!("{participant_id}-{}", date.format("%Y%m%d"));
    if part == 0 {
        base
    } else {
        format!("{base}-{}", part + 1)
    }
}

fn money(cents: i64) -> String {
    super::ops::money(cents)
}

fn nm1(entity: &str, kind: &str, last: &str, first: Option<&str>, q: &str, id: &str) -> NM1 {
    NM1 {
        _01: el(entity),
        _02: el(kind),
        _03: Some(last.to_string()),
        _04: first.map(str::to_string),
        _08: Some(el(q)),
        _09: Some(id.to_string()),
        ..Default::default()
    }
}

/// The 837P file of `x`, its segments ended by `~` with no line breaks.
pub fn render(x: &Export) -> String {
    let p = x.provider;
    let submitter = text(&p.submitter_id, 15);
    let receiver = text(&x.payer.payer_code, 15);
    let key = format!("{}:{}:{}", x.payer.id, x.from, x.to);
    let control = control_number(&key);
    let date8 = x.created.format("%Y%m%d").to_string();
    let time4 = x.created.format("%H%M").to_string();

    let loop_1000 = vec![
        _837Loop1000 {
            nm1: nm1("41", "2", &text(&p.name, 60), None, "46", &submitter),
            per: vec![PER {
                _01: el("IC"),
                _02: Some(text(&p.contact_name, 60)),
                _03: Some(el("TE")),
                _04: Some(digits(&p.contact_phone)),
                ..Default::default()
            }],
            ..Default::default()
        },
        _837Loop1000 {
            nm1: nm1("40", "2", &text(&x.payer.name, 60), None, "46", &receiver),
            ..Default::default()
        },
    ];

    let taxonomy = text(&p.taxonomy, 50);
    let mut loop_2000 = vec![_837Loop2000 {
        hl: HL {
            _01: "1".into(),
            _02: None,
            _03: el("20"),
            _04: Some(el("1")),
        },
        prv: (!taxonomy.is_empty()).then(|| PRV {
            _01: "BI".into(),
            _02: Some("PXC".into()),
            _03: Some(taxonomy),
            ..Default::default()
        }),
        loop_2010: vec![_837Loop2010 {
            nm1: nm1("85", "2", &text(&p.name, 60), None, "XX", &digits(&p.npi)),
            n3: Some(N3 {
                _01: text(&p.address, 55),
                _02: None,
            }),
            n4: Some(N4 {
                _01: Some(text(&p.city, 30)),
                _02: Some(el(&text(&p.state, 2))),
                _03: Some(digits(&p.zip)),
                ..Default::default()
            }),
            r#ref: vec![REF {
                _01: el("EI"),
                _02: Some(digits(&p.tax_id)),
                ..Default::default()
            }],
            ..Default::default()
        }],
        ..Default::default()
    }];

    // The billed lines of each participant, by date of service.
    let mut by_person: BTreeMap<i64, BTreeMap<NaiveDate, Vec<&ClaimLine>>> = BTreeMap::new();
    for l in x.lines {
        by_person
            .entry(l.participant_id)
            .or_default()
            .entry(l.date)
            .or_default()
            .push(l);
    }
    let filing = if x.payer.kind == "medicaid" {
        "MC"
    } else {
        "CI"
    };
    let diagnosis = text(&x.payer.rules.diagnosis_code.replace('.', ""), 30);
    let mut hl = 1;
    for (participant, days) in &by_person {
        let Some(s) = x
            .subscribers
            .iter()
            .find(|s| s.participant_id == *participant)
        else {
            continue;
        };
        let member = text(
            x.member_ids
                .get(participant)
                .map_or("", std::string::String::as_str),
            80,
        );
        hl += 1;
        let mut claims = Vec::new();
        for (date, lines) in days {
            for (part, lines) in lines.chunks(MAX_LINES_A_CLAIM).enumerate() {
                claims.push(claim(*participant, *date, part, lines, &diagnosis));
            }
        }
        loop_2000.push(_837Loop2000 {
            hl: HL {
                _01: hl.to_string(),
                _02: Some("1".into()),
                _03: el("22"),
                _04: Some(el("0")),
            },
            sbr: Some(SBR {
                _01: "P".into(),
                _02: Some("18".into()),
                _09: Some(filing.into()),
                ..Default::default()
            }),
            loop_2010: vec![
                _837Loop2010 {
                    nm1: NM1 {
                        _04: Some(text(&s.first_name, 35)),
                        ..nm1("IL", "1", &text(&s.last_name, 60), None, "MI", &member)
                    },
                    dmg: Some(DMG {
                        _01: Some("D8".into()),
                        _02: Some(s.date_of_birth.format("%Y%m%d").to_string()),
                        _03: Some("U".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                _837Loop2010 {
                    nm1: nm1("PR", "2", &text(&x.payer.name, 60), None, "PI", &receiver),
                    ..Default::default()
                },
            ],
            loop_2300: claims,
            ..Default::default()
        });
    }

    let mut doc = _837 {
        st: ST {
            _01: "837".into(),
            _02: "0001".into(),
            _03: Some("005010X222A1".into()),
        },
        bht: BHT {
            _01: el("0019"),
            _02: el("00"),
            _03: Some(format!(
                "{}{}{}",
                x.payer.id,
                x.from.format("%Y%m%d"),
                x.to.format("%Y%m%d")
            )),
            _04: Some(el(&date8)),
            _05: Some(el(&time4)),
            _06: Some(el("CH")),
        },
        loop_1000,
        loop_2000,
        se: SE {
            _01: "0".into(),
            _02: "0001".into(),
        },
        ..Default::default()
    };
    // SE01 counts the transaction set's segments, ST and SE included.
    let count = doc.to_string().matches('~').count();
    doc.se._01 = count.to_string();

    let pad = |s: &str| format!("{s:<15}");
    let t = Transmission {
        isa: ISA {
            _01: el("00"),
            _02: " ".repeat(10),
            _03: el("00"),
            _04: " ".repeat(10),
            _05: el("ZZ"),
            _06: pad(&submitter),
            _07: el("ZZ"),
            _08: pad(&receiver),
            _09: el(&x.created.format("%y%m%d").to_string()),
            _10: el(&time4),
            // ISA11 is the repetition separator in 00501.
            _11: el("^"),
            _12: el("00501"),
            _13: el(&format!("{control:09}")),
            _14: el("0"),
            _15: el("P"),
            _16: ":".into(),
        },
        functional_group: vec![FunctionalGroup {
            gs: GS {
                _01: "HC".into(),
                _02: submitter.clone(),
                _03: receiver.clone(),
                _04: date8,
                _05: time4,
                _06: control.to_string(),
                _07: "X".into(),
                _08: "005010X222A1".into(),
            },
            segments: vec![doc],
            ge: GE {
                _01: "1".into(),
                _02: control.to_string(),
            },
        }],
        iea: IEA {
            _01: el("1"),
            _02: el(&format!("{control:09}")),
        },
    };
    t.to_string().replace('\n', "")
}

/// One claim (loop 2300): a participant's lines of one date of service.
fn claim(
    participant: i64,
    date: NaiveDate,
    part: usize,
    lines: &[&ClaimLine],
    diagnosis: &str,
) -> _837Loop2300 {
    let total: i64 = lines.iter().map(|l| l.charge_cents).sum();
    let pos = lines
        .first()
        .map_or_else(String::new, |l| l.place_of_service.clone());
    let loop_2400 = lines
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let mut procedure = format!("HC:{}", text(&l.procedure_code, 48));
            for m in &l.modifiers {
                procedure.push(':');
                procedure.push_str(&text(m, 2));
            }
            _837Loop2400 {
                lx: LX {
                    _01: (n + 1).to_string(),
                },
                sv1: Some(SV1 {
                    _01: procedure,
                    _02: Some(money(l.charge_cents)),
                    _03: Some("UN".into()),
                    _04: Some(l.units.to_string()),
                    _05: (l.place_of_service != pos).then(|| l.place_of_service.clone()),
                    _07: Some("1".into()),
                    ..Default::default()
                }),
                dtp: vec![DTP {
                    _01: el("472"),
                    _02: el("D8"),
                    _03: l.date.format("%Y%m%d").to_string(),
                }],
                r#ref: Some(REF {
                    _01: el("6R"),
                    _02: Some(l.encounter_id.to_string()),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    _837Loop2300 {
        clm: CLM {
            _01: claim_number(participant, date, part),
            _02: Some(money(total)),
            _05: Some(format!("{pos}:B:1")),
            _06: Some("Y".into()),
            _07: Some("A".into()),
            _08: Some("Y".into()),
            _09: Some("Y".into()),
            ..Default::default()
        },
        hi: vec![HI {
            _01: format!("ABK:{diagnosis}"),
            ..Default::default()
        }],
        loop_2400,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::rules::PayerRules;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn line(id: i64, participant: i64, date: &str, units: u32, hq: bool, pos: &str) -> ClaimLine {
        ClaimLine {
            encounter_id: id,
            participant_id: participant,
            peer_id: 7,
            date: d(date),
            procedure_code: "H0038".into(),
            modifiers: if hq { vec!["HQ".into()] } else { vec![] },
            minutes: units * 15,
            units,
            place_of_service: pos.into(),
            charge_cents: i64::from(units) * 2_500,
        }
    }

    pub(crate) fn provider() -> BillingProvider {
        BillingProvider {
            name: "Second Wind Peer Recovery".into(),
            npi: "1234567893".into(),
            tax_id: "12-3456789".into(),
            taxonomy: "261QR0405X".into(),
            address: "100 Main St".into(),
            city: "Springfield".into(),
            state: "IL".into(),
            zip: "62701-1234".into(),
            contact_name: "Billing Office".into(),
            contact_phone: "(217) 555-0100".into(),
            submitter_id: "SWPR001".into(),
        }
    }

    #[test]
    fn text_is_upper_case_without_delimiters_and_accents_folded() {
        assert_eq!(text("José Núñez*~:^ jr", 60), "JOSE NUNEZ JR");
        assert_eq!(text("  a   b  ", 60), "A B");
        assert_eq!(text("abcdef", 3), "ABC");
        assert_eq!(digits("(217) 555-0100"), "2175550100");
    }

    #[test]
    fn an_837p_hand_checked_segment_by_segment() {
        let payer = Payer {
            id: 42,
            name: "State Medicaid".into(),
            kind: "medicaid".into(),
            payer_code: "SKCO0".into(),
            rules: PayerRules::default(),
        };
        let subscribers = [Subscriber {
            participant_id: 5,
            first_name: "Ana".into(),
            last_name: "Peña".into(),
            date_of_birth: d("1990-04-02"),
        }];
        let members = BTreeMap::from([(5, "MCD123".to_string())]);
        let lines = [
            line(11, 5, "2026-10-02", 2, false, "09"),
            line(12, 5, "2026-10-02", 3, true, "02"),
            line(13, 5, "2026-10-05", 1, false, "99"),
        ];
        let p = provider();
        let x = Export {
            provider: &p,
            payer: &payer,
            subscribers: &subscribers,
            member_ids: &members,
            lines: &lines,
            from: d("2026-10-01"),
            to: d("2026-10-31"),
            created: d("2026-11-03").and_hms_opt(9, 30, 0).unwrap(),
        };
        let file = render(&x);
        let segs: Vec<&str> = file.split_terminator('~').collect();
        let ctl = format!("{:09}", control_number("42:2026-10-01:2026-10-31"));
        assert_eq!(
            segs[0],
            format!(
                "ISA*00*          *00*          *ZZ*SWPR001        *ZZ*SKCO0          *261103*0930*^*00501*{ctl}*0*P*:"
            )
        );
        assert_eq!(segs[0].len(), 105, "the ISA is fixed width");
        let want = [
            "ST*837*0001*005010X222A1",
            "BHT*0019*00*422026100120261031*20261103*0930*CH",
            "NM1*41*2*SECOND WIND PEER RECOVERY*****46*SWPR001",
            "PER*IC*BILLING OFFICE*TE*2175550100",
            "NM1*40*2*STATE MEDICAID*****46*SKCO0",
            "HL*1**20*1",
            "PRV*BI*PXC*261QR0405X",
            "NM1*85*2*SECOND WIND PEER RECOVERY*****XX*1234567893",
            "N3*100 MAIN ST",
            "N4*SPRINGFIELD*IL*627011234",
            "REF*EI*123456789",
            "HL*2*1*22*0",
            "SBR*P*18*******MC",
            "NM1*IL*1*PENA*ANA****MI*MCD123",
            "DMG*D8*19900402*U",
            "NM1*PR*2*STATE MEDICAID*****PI*SKCO0",
            "CLM*5-20261002*125.00***09:B:1*Y*A*Y*Y",
            "HI*ABK:Z652",
            "LX*1",
            "SV1*HC:H0038*50.00*UN*2***1",
            "DTP*472*D8*20261002",
            "REF*6R*11",
            "LX*2",
            "SV1*HC:H0038:HQ*75.00*UN*3*02**1",
            "DTP*472*D8*20261002",
            "REF*6R*12",
            "CLM*5-20261005*25.00***99:B:1*Y*A*Y*Y",
            "HI*ABK:Z652",
            "LX*1",
            "SV1*HC:H0038*25.00*UN*1***1",
            "DTP*472*D8*20261005",
            "REF*6R*13",
            "SE*33*0001",
        ];
        assert_eq!(&segs[2..2 + want.len()], &want[..]);
        assert_eq!(segs.len(), 2 + want.len() + 2);
        assert!(segs[1].starts_with("GS*HC*SWPR001*SKCO0*20261103*0930*"));
        assert!(segs[1].ends_with("*X*005010X222A1"));
        assert_eq!(segs[segs.len() - 1], format!("IEA*1*{ctl}"));
        assert!(!file.contains('\n'));
        // The same export made later: the same control numbers.
        let again = render(&Export {
            created: d("2026-11-04").and_hms_opt(8, 0, 0).unwrap(),
            ..x
        });
        assert!(again.contains(&format!("*{ctl}*0*P*:~")));
        assert!(again.contains("CLM*5-20261002*"));
    }

    #[test]
    fn a_day_of_more_than_fifty_lines_is_split_into_claims() {
        assert_eq!(claim_number(5, d("2026-10-02"), 0), "5-20261002");
        assert_eq!(claim_number(5, d("2026-10-02"), 1), "5-20261002-2");
    }
}
