//! Who has the app open: an agent with at least one feed socket is online. Available and Away
//! are the agent's choice (stored); Offline is this: no socket. Kept in memory, since a socket
//! lives no longer than the process that holds it.

use std::collections::HashMap;
use std::sync::Mutex;
use switchboard_protocol::{AgentId, Availability};

#[derive(Default)]
pub struct Presence {
    sockets: Mutex<HashMap<AgentId, usize>>,
}

impl Presence {
    /// A feed socket of the agent opened: whether they just came online.
    pub fn connected(&self, agent: AgentId) -> bool {
        let mut sockets = self.sockets.lock().unwrap_or_else(|e| e.into_inner());
        let open = sockets.entry(agent).or_insert(0);
        *open += 1;
        *open == 1
    }

    /// A feed socket of the agent closed: whether that was their last.
    pub fn disconnected(&self, agent: AgentId) -> bool {
        let mut sockets = self.sockets.lock().unwrap_or_else(|e| e.into_inner());
        match sockets.get_mut(&agent) {
            Some(open) if *open > 1 => {
                *open -= 1;
                false
            }
            Some(_) => {
                sockets.remove(&agent);
                true
            }
            None => false,
        }
    }

    /// The agent's open feed sockets.
    pub fn sockets(&self, agent: AgentId) -> usize {
        let sockets = self.sockets.lock().unwrap_or_else(|e| e.into_inner());
        sockets.get(&agent).copied().unwrap_or(0)
    }

    pub fn online(&self, agent: AgentId) -> bool {
        let sockets = self.sockets.lock().unwrap_or_else(|e| e.into_inner());
        sockets.contains_key(&agent)
    }

    /// What teammates see: Offline with no app open, else what the agent chose.
    pub fn availability(&self, agent: AgentId, chose_available: bool) -> Availability {
        match (self.online(agent), chose_available) {
            (false, _) => Availability::Offline,
            (true, true) => Availability::Available,
            (true, false) => Availability::Away,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agent_is_online_from_their_first_socket_to_their_last() {
        let presence = Presence::default();
        let ana = AgentId(1);
        assert_eq!(presence.availability(ana, true), Availability::Offline);
        assert!(presence.connected(ana));
        assert!(!presence.connected(ana), "a second tab");
        assert_eq!(presence.availability(ana, true), Availability::Available);
        assert_eq!(presence.availability(ana, false), Availability::Away);
        assert!(!presence.disconnected(ana));
        assert!(presence.disconnected(ana), "the last tab closed");
        assert!(!presence.online(ana));
        assert!(!presence.disconnected(ana));
    }
}
