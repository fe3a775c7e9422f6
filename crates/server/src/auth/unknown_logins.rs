//! Failed logins for e-mails that name no account, counted as an account's are, so that the
//! lock after five wrong passwords (429) answers the same whether the account exists: without
//! it an unknown e-mail stayed 401 forever and a 429 proved an account.
//!
//! Anyone can send unknown e-mails, so they are not stored: each hashes (with a key made at
//! start) to one of [`SLOTS`] fixed slots, whatever the number of e-mails tried. Two e-mails
//! sharing a slot share a count, which can only lock a name that has no account anyway.

use std::hash::BuildHasher;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// The slots kept: 16 bytes each, 1 MiB in all.
const SLOTS: usize = 65_536;

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    failed: i32,
    locked_until: Option<DateTime<Utc>>,
}

/// The failure counts of unknown e-mails.
#[derive(Debug)]
pub struct UnknownLogins {
    slots: Mutex<Vec<Slot>>,
    hasher: std::collections::hash_map::RandomState,
}

impl Default for UnknownLogins {
    fn default() -> Self {
        UnknownLogins { slots: Mutex::new(vec![Slot::default(); SLOTS]), hasher: Default::default() }
    }
}

impl UnknownLogins {
    fn slot(&self, email: &str) -> usize {
        (self.hasher.hash_one(email.trim().to_lowercase()) % SLOTS as u64) as usize
    }

    /// When the e-mail's lock ends, if it is locked at `now`.
    pub fn locked_until(&self, email: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let slots = self.slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        slots[self.slot(email)].locked_until.filter(|until| *until > now)
    }

    /// Counts a failure, locking as [`store::admin::lock_seconds`] says.
    pub fn record_failure(&self, email: &str, now: DateTime<Utc>) {
        let index = self.slot(email);
        let mut slots = self.slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let slot = &mut slots[index];
        slot.failed = slot.failed.saturating_add(1);
        if let Some(seconds) = store::admin::lock_seconds(slot.failed) {
            slot.locked_until = Some(now + Duration::seconds(seconds));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_locks_as_an_account_is_locked() {
        let logins = UnknownLogins::default();
        let now = Utc::now();
        for _ in 0..4 {
            logins.record_failure("nobody@example.com", now);
            assert_eq!(logins.locked_until("nobody@example.com", now), None);
        }
        logins.record_failure("nobody@example.com", now);
        assert_eq!(logins.locked_until("NOBODY@example.com ", now), Some(now + Duration::seconds(30)));
        assert_eq!(logins.locked_until("nobody@example.com", now + Duration::seconds(31)), None);
    }
}
