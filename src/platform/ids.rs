//! Record identifiers: application-generated integers, unique across the deployment and safe
//! as JSON numbers (below 2^53). Layout: 31 bits of seconds since 2024-01-01 UTC, then 22 bits
//! of a per-second sequence that starts at a random offset in each process. See
//! `docs/decisions/0002-ids.md`.

use std::sync::Mutex;

const EPOCH_2024: i64 = 1_704_067_200;
const SEQ_BITS: u32 = 22;
const SEQ_MASK: u64 = (1 << SEQ_BITS) - 1;

struct Clock {
    second: i64,
    start: u64,
    used: u64,
}

static CLOCK: Mutex<Clock> = Mutex::new(Clock {
    second: 0,
    start: 0,
    used: 0,
});

/// A new identifier, greater than every identifier this process produced before.
pub fn new_id() -> i64 {
    let now = chrono::Utc::now().timestamp() - EPOCH_2024;
    let mut clock = CLOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if now > clock.second {
        clock.second = now;
        clock.start = rand::random::<u64>() & (SEQ_MASK >> 1);
        clock.used = 0;
    } else if clock.start + clock.used > SEQ_MASK {
        // More than ~2 million identifiers in one second (bulk demo generation): borrow the
        // next second, so identifiers stay unique and increasing.
        clock.second += 1;
        clock.start = 0;
        clock.used = 0;
    }
    let seq = clock.start + clock.used;
    clock.used += 1;
    (clock.second << SEQ_BITS) | seq as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_increase_and_stay_json_safe() {
        let mut last = 0;
        for _ in 0..100_000 {
            let id = new_id();
            assert!(id > last, "{id} after {last}");
            assert!(id < (1_i64 << 53));
            last = id;
        }
    }
}
