//! Slows password guessing without handing anyone a way to lock an agent out.
//!
//! Failures are counted where they matter, and only there:
//! - per client network: past `CLIENT_LIMIT` failures in the window, that client is refused
//!   for every account (made-up emails included, so a flood of them is what stops the flood);
//! - per real account and client: past `PAIR_LIMIT`, that client is refused for that account;
//! - per real account: past `ACCOUNT_ALERT` failures from anywhere, the account is under
//!   attack: clients that have been failing are refused for it, and the others are slowed.
//!
//! So the agent's correct password from a client that has not been failing always gets in,
//! whatever happens elsewhere. An attempt counts as a failure from the moment it is let
//! through ([`LoginGuard::begin`]) and is forgiven when the password was right
//! ([`LoginGuard::succeeded`]): attempts sent all at once cannot slip past the count while
//! their passwords are being checked. Made-up emails never create an entry of their own (accounts
//! are real agents only), and the clients' map is bounded: when full it forgets the quietest.

use crate::error::AppError;
use axum::http::StatusCode;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use switchboard_protocol::{AgentId, ErrorCode};

/// How long a failure counts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures a client may make in the window, whatever the emails.
pub const CLIENT_LIMIT: u32 = 20;
/// Failures a client may make for one account in the window.
pub const PAIR_LIMIT: u32 = 5;
/// Failures for one account, from anywhere, that put it under attack.
pub const ACCOUNT_ALERT: u32 = 10;
/// The pause before checking a password for an account under attack from a clean client.
pub const SLOWDOWN: Duration = Duration::from_secs(1);
/// Client networks remembered at once.
pub const MAX_CLIENTS: usize = 100_000;
/// Clients remembered per account.
const MAX_PAIRS: usize = 1_000;

/// What to do with a login attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Check the password after this pause.
    Slow(Duration),
    /// Refuse without checking, until this has passed.
    Refuse(Duration),
}

#[derive(Clone, Copy, Debug)]
struct Count {
    failures: u32,
    /// When the oldest failure that still counts was made.
    since: Instant,
}

impl Count {
    fn new(now: Instant) -> Count {
        Count {
            failures: 0,
            since: now,
        }
    }

    /// Failures still counting at `now` (a window's worth, then it starts over).
    fn current(&self, now: Instant) -> u32 {
        if now.duration_since(self.since) < WINDOW {
            self.failures
        } else {
            0
        }
    }

    fn add(&mut self, now: Instant) {
        if now.duration_since(self.since) >= WINDOW {
            *self = Count::new(now);
        }
        self.failures += 1;
    }

    fn remaining(&self, now: Instant) -> Duration {
        WINDOW.saturating_sub(now.duration_since(self.since))
    }
}

#[derive(Default)]
struct Account {
    all: Option<Count>,
    by_client: HashMap<IpAddr, Count>,
}

#[derive(Default)]
struct Tracks {
    clients: HashMap<IpAddr, Count>,
    accounts: HashMap<AgentId, Account>,
}

/// A client whose address is unknown (a request driven straight into the router) counts as
/// one shared client.
fn key(client: Option<IpAddr>) -> IpAddr {
    client.unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

#[derive(Default)]
pub struct LoginGuard {
    tracks: Mutex<Tracks>,
}

impl LoginGuard {
    /// Whether an attempt from `client` for `account` (`None`: no such agent) may go on; one
    /// let through is counted as failed until [`LoginGuard::succeeded`] says otherwise.
    pub fn begin(&self, client: Option<IpAddr>, account: Option<AgentId>, now: Instant) -> Verdict {
        let verdict = self.verdict(client, account, now);
        if !matches!(verdict, Verdict::Refuse(_)) {
            self.failed(client, account, now);
        }
        verdict
    }

    fn verdict(&self, client: Option<IpAddr>, account: Option<AgentId>, now: Instant) -> Verdict {
        let client = key(client);
        let tracks = self.tracks.lock().unwrap_or_else(|e| e.into_inner());
        let from_client = tracks.clients.get(&client).copied();
        if let Some(count) = from_client.filter(|c| c.current(now) >= CLIENT_LIMIT) {
            return Verdict::Refuse(count.remaining(now));
        }
        let Some(account) = account.and_then(|id| tracks.accounts.get(&id)) else {
            return Verdict::Allow;
        };
        if let Some(pair) = account.by_client.get(&client)
            && pair.current(now) >= PAIR_LIMIT
        {
            return Verdict::Refuse(pair.remaining(now));
        }
        let attacked = account.all.filter(|all| all.current(now) >= ACCOUNT_ALERT);
        match attacked {
            None => Verdict::Allow,
            Some(all) => match from_client.filter(|c| c.current(now) > 0) {
                // This client has been failing: while the account is under attack it waits.
                Some(_) => Verdict::Refuse(all.remaining(now)),
                None => Verdict::Slow(SLOWDOWN),
            },
        }
    }

    /// Counts a failure from `client` (for `account`).
    fn failed(&self, client: Option<IpAddr>, account: Option<AgentId>, now: Instant) {
        let client = key(client);
        let mut tracks = self.tracks.lock().unwrap_or_else(|e| e.into_inner());
        if !tracks.clients.contains_key(&client) && tracks.clients.len() >= MAX_CLIENTS {
            make_room(&mut tracks.clients, MAX_CLIENTS, now);
        }
        tracks
            .clients
            .entry(client)
            .or_insert_with(|| Count::new(now))
            .add(now);
        if let Some(id) = account {
            let account = tracks.accounts.entry(id).or_default();
            account.all.get_or_insert_with(|| Count::new(now)).add(now);
            if !account.by_client.contains_key(&client) && account.by_client.len() >= MAX_PAIRS {
                make_room(&mut account.by_client, MAX_PAIRS, now);
            }
            account
                .by_client
                .entry(client)
                .or_insert_with(|| Count::new(now))
                .add(now);
        }
    }

    /// The right password: this attempt was no failure, and this client's failures for this
    /// account are forgiven. Its other failures as a client are not (logging into one's own
    /// account between guesses at others must not reset the budget), nor the account's alert.
    pub fn succeeded(&self, client: Option<IpAddr>, account: AgentId) {
        let client = key(client);
        let mut tracks = self.tracks.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = tracks.clients.get_mut(&client) {
            count.failures = count.failures.saturating_sub(1);
        }
        if let Some(account) = tracks.accounts.get_mut(&account) {
            if let Some(all) = account.all.as_mut() {
                all.failures = all.failures.saturating_sub(1);
            }
            account.by_client.remove(&client);
        }
    }
}

/// Makes room for one more under `cap`: the expired entries go; if none has, the one with
/// the fewest failures (the oldest of those).
fn make_room(counts: &mut HashMap<IpAddr, Count>, cap: usize, now: Instant) {
    counts.retain(|_, count| count.current(now) > 0);
    if counts.len() < cap {
        return;
    }
    let quietest = counts
        .iter()
        .min_by_key(|(_, count)| (count.failures, count.since))
        .map(|(ip, _)| *ip);
    if let Some(ip) = quietest {
        counts.remove(&ip);
    }
}

/// The answer for a refused attempt.
pub fn refusal(wait: Duration) -> AppError {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    AppError::new(
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::TooManyAttempts,
        format!(
            "Too many failed attempts to log in from here. Wait {minutes} minute(s) and try again."
        ),
    )
    .retry_after(wait.max(Duration::from_secs(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u32) -> Option<IpAddr> {
        Some(IpAddr::from(n.to_be_bytes()))
    }

    const ANA: Option<AgentId> = Some(AgentId(1));

    #[test]
    fn a_client_guessing_one_account_is_refused_for_it_and_the_agent_still_gets_in() {
        let guard = LoginGuard::default();
        let now = Instant::now();
        let attacker = ip(1);
        for _ in 0..PAIR_LIMIT {
            assert_eq!(guard.begin(attacker, ANA, now), Verdict::Allow);
        }
        assert!(matches!(
            guard.begin(attacker, ANA, now),
            Verdict::Refuse(_)
        ));
        assert_eq!(
            guard.begin(ip(2), ANA, now),
            Verdict::Allow,
            "Ana elsewhere"
        );
        let later = now + WINDOW;
        assert_eq!(guard.begin(attacker, ANA, later), Verdict::Allow);
    }

    #[test]
    fn attempts_in_flight_count_before_their_passwords_are_checked() {
        let guard = LoginGuard::default();
        let now = Instant::now();
        // A burst: every attempt begins before any password is checked.
        let through = (0..100)
            .filter(|_| !matches!(guard.begin(ip(9), ANA, now), Verdict::Refuse(_)))
            .count();
        assert_eq!(through, PAIR_LIMIT as usize);
    }

    #[test]
    fn the_right_password_is_no_failure() {
        let guard = LoginGuard::default();
        let now = Instant::now();
        for _ in 0..CLIENT_LIMIT + 5 {
            assert_eq!(guard.begin(ip(4), ANA, now), Verdict::Allow);
            guard.succeeded(ip(4), AgentId(1));
        }
    }

    #[test]
    fn a_flood_of_made_up_emails_stops_that_client_and_tracks_no_account() {
        let guard = LoginGuard::default();
        let now = Instant::now();
        let flooder = ip(7);
        for _ in 0..CLIENT_LIMIT {
            assert_eq!(guard.begin(flooder, None, now), Verdict::Allow);
        }
        assert!(matches!(
            guard.begin(flooder, None, now),
            Verdict::Refuse(_)
        ));
        assert!(matches!(guard.begin(flooder, ANA, now), Verdict::Refuse(_)));
        assert!(guard.tracks.lock().unwrap().accounts.is_empty());
    }

    #[test]
    fn a_full_map_forgets_the_quietest_client_never_the_one_guessing() {
        let guard = LoginGuard::default();
        let now = Instant::now();
        let guesser = ip(u32::MAX);
        for _ in 0..CLIENT_LIMIT - 1 {
            guard.begin(guesser, None, now);
        }
        for n in 0..(MAX_CLIENTS as u32 + 50) {
            guard.begin(ip(n), None, now);
        }
        assert!(guard.tracks.lock().unwrap().clients.len() <= MAX_CLIENTS);
        guard.begin(guesser, None, now);
        assert!(
            matches!(guard.begin(guesser, None, now), Verdict::Refuse(_)),
            "the flood did not switch tracking off"
        );
    }

    #[test]
    fn an_account_under_attack_refuses_failing_clients_and_slows_clean_ones() {
        let guard = LoginGuard::default();
        let now = Instant::now();
        // A botnet: many clients, two guesses each.
        for n in 0..ACCOUNT_ALERT / 2 {
            guard.begin(ip(100 + n), ANA, now);
            guard.begin(ip(100 + n), ANA, now);
        }
        assert!(matches!(guard.begin(ip(100), ANA, now), Verdict::Refuse(_)));
        assert_eq!(guard.begin(ip(5), ANA, now), Verdict::Slow(SLOWDOWN));
        assert_eq!(
            guard.begin(ip(6), Some(AgentId(2)), now),
            Verdict::Allow,
            "other accounts are not slowed"
        );
    }

    #[test]
    fn the_right_password_forgives_that_clients_failures_for_the_account_only() {
        let guard = LoginGuard::default();
        let now = Instant::now();
        let typo = ip(3);
        for _ in 0..PAIR_LIMIT - 1 {
            guard.begin(typo, ANA, now);
        }
        guard.begin(typo, ANA, now);
        guard.succeeded(typo, AgentId(1));
        for _ in 0..PAIR_LIMIT - 1 {
            guard.begin(typo, ANA, now);
        }
        assert_eq!(guard.begin(typo, ANA, now), Verdict::Allow);
    }
}
