//! Who is logged in. Starts as `Checking` (the cookie may hold a session from before) and
//! turns `LoggedOut` when the server says the session is gone.

use leptos::prelude::*;
use switchboard_protocol::Agent;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionStatus {
    Checking,
    LoggedIn(Agent),
    LoggedOut,
}

#[derive(Clone, Copy)]
pub struct Session {
    pub status: RwSignal<SessionStatus>,
    /// Grows with every login and logout; a feed loop from an older session stops itself.
    pub epoch: RwSignal<u64>,
}

impl Session {
    pub fn new() -> Session {
        Session {
            status: RwSignal::new(SessionStatus::Checking),
            epoch: RwSignal::new(0),
        }
    }

    pub fn logged_in(&self, agent: Agent) {
        self.epoch.update(|e| *e += 1);
        self.status.set(SessionStatus::LoggedIn(agent));
    }

    pub fn logged_out(&self) {
        self.epoch.update(|e| *e += 1);
        self.status.set(SessionStatus::LoggedOut);
    }

    pub fn is_logged_in(&self) -> bool {
        matches!(self.status.get(), SessionStatus::LoggedIn(_))
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
