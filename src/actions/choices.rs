//! What the header's dialogs offer, worked out from the cache: who a conversation can be
//! transferred to (with their availability and load), where it can move, until when it can
//! be snoozed. Pure, so it is tested natively.

use crate::state::State;
use chrono::{DateTime, Datelike, Duration, Local, NaiveTime, TimeZone, Utc, Weekday};
use switchboard_protocol::{
    AgentId, Availability, Conversation, Inbox, InboxId, TeamId, WrapUpReason,
};

/// An agent to transfer to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentChoice {
    pub id: AgentId,
    pub name: String,
    pub availability: Availability,
    pub load: u32,
    pub me: bool,
    /// It is theirs already.
    pub current: bool,
}

/// A team whose queue it can go to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamChoice {
    pub id: TeamId,
    pub name: String,
    pub current: bool,
}

/// Everyone a conversation can be handed to: the agents (available first, then by name) and
/// the teams.
pub fn transfer_choices(
    state: &State,
    conversation: &Conversation,
) -> (Vec<AgentChoice>, Vec<TeamChoice>) {
    let me = state.me.as_ref().map(|a| a.id);
    let mut agents: Vec<AgentChoice> = state
        .agents
        .values()
        .map(|agent| {
            let status = state.statuses.get(&agent.id);
            AgentChoice {
                id: agent.id,
                name: agent.name.clone(),
                availability: status.map_or(Availability::Offline, |s| s.availability),
                load: status.map_or(0, |s| s.load),
                me: Some(agent.id) == me,
                current: conversation.assignee == Some(agent.id),
            }
        })
        .collect();
    let rank = |a: &AgentChoice| match a.availability {
        Availability::Available => 0,
        Availability::Away => 1,
        Availability::Offline => 2,
    };
    agents.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name)));
    let teams = state
        .teams
        .iter()
        .map(|team| TeamChoice {
            id: team.id,
            name: team.name.clone(),
            current: conversation.team_id == Some(team.id) && conversation.assignee.is_none(),
        })
        .collect();
    (agents, teams)
}

/// The other inboxes of its channel that I belong to, by name.
pub fn move_targets(state: &State, conversation: &Conversation) -> Vec<Inbox> {
    let mut targets: Vec<Inbox> = state
        .inboxes
        .values()
        .filter(|i| i.channel == conversation.channel && i.id != conversation.inbox_id)
        .cloned()
        .collect();
    targets.sort_by(|a, b| a.name.cmp(&b.name));
    targets
}

/// The wrap-up reasons to close with, by label.
pub fn reasons(state: &State) -> Vec<WrapUpReason> {
    let mut reasons = state.wrap_up_reasons.clone();
    reasons.sort_by(|a, b| a.label.cmp(&b.label));
    reasons
}

/// The snooze presets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    InAnHour,
    ThisEvening,
    TomorrowMorning,
    NextWeek,
}

impl Preset {
    pub const ALL: [Preset; 4] = [
        Preset::InAnHour,
        Preset::ThisEvening,
        Preset::TomorrowMorning,
        Preset::NextWeek,
    ];

    /// When it ends, counted from `now` in the agent's time zone; `None` when it makes no
    /// sense now (this evening, once the evening has come).
    pub fn until<Tz: TimeZone>(self, now: DateTime<Tz>) -> Option<DateTime<Utc>> {
        let at = |date: chrono::NaiveDate, hour: u32| {
            let time = NaiveTime::from_hms_opt(hour, 0, 0)?;
            now.timezone()
                .from_local_datetime(&date.and_time(time))
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        };
        let today = now.date_naive();
        match self {
            Preset::InAnHour => Some((now + Duration::hours(1)).with_timezone(&Utc)),
            Preset::ThisEvening => {
                at(today, 18).filter(|t| *t > now.with_timezone(&Utc) + Duration::minutes(30))
            }
            Preset::TomorrowMorning => at(today.succ_opt()?, 9),
            Preset::NextWeek => {
                let days = 7 - today.weekday().num_days_from_monday();
                let monday = today + Duration::days(i64::from(days));
                debug_assert_eq!(monday.weekday(), Weekday::Mon);
                at(monday, 9)
            }
        }
    }

    /// [`Preset::until`] in the agent's own time zone.
    pub fn until_local(self) -> Option<DateTime<Utc>> {
        self.until(Local::now())
    }
}

/// A time the agent typed in a `datetime-local` field (`2026-12-02T09:30`, seconds allowed),
/// in their zone. Read by hand: chrono's strftime parser is large in the wasm.
pub fn typed_time(text: &str) -> Option<DateTime<Utc>> {
    let (date, time) = text.split_once('T')?;
    let numbers = |part: &str, sep: char| -> Option<Vec<u32>> {
        part.split(sep).map(|n| n.parse().ok()).collect()
    };
    let (date, time) = (numbers(date, '-')?, numbers(time, ':')?);
    let ([year, month, day], [hour, minute, rest @ ..]) = (date.as_slice(), time.as_slice()) else {
        return None;
    };
    let second = match rest {
        [] => 0,
        [second] => *second,
        _ => return None,
    };
    let naive = chrono::NaiveDate::from_ymd_opt(i32::try_from(*year).ok()?, *month, *day)?
        .and_hms_opt(*hour, *minute, second)?;
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Which inboxes an agent can start a conversation from, for a channel.
pub fn entry_points(state: &State, channel: switchboard_protocol::Channel) -> Vec<Inbox> {
    let mut inboxes: Vec<Inbox> = state
        .inboxes
        .values()
        .filter(|i| i.channel == channel)
        .cloned()
        .collect();
    inboxes.sort_by_key(|i| i.id);
    inboxes
}

/// The inbox's name (for an inbox id of an event or a row).
pub fn inbox_label(state: &State, id: InboxId) -> String {
    state.inbox_name(id).unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn madrid(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(3600)
            .unwrap()
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
    }

    fn local(t: DateTime<Utc>) -> String {
        t.with_timezone(&FixedOffset::east_opt(3600).unwrap())
            .format("%a %d %H:%M")
            .to_string()
    }

    #[test]
    fn a_typed_time_is_read_in_the_agents_zone_and_nonsense_is_not() {
        let at = |h, m, s| {
            Local
                .with_ymd_and_hms(2026, 12, 2, h, m, s)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        };
        assert_eq!(typed_time("2026-12-02T09:30"), at(9, 30, 0));
        assert_eq!(typed_time("2026-12-02T09:30:15"), at(9, 30, 15));
        for nonsense in [
            "",
            "2026-12-02",
            "2026-12-02 09:30",
            "2026-13-02T09:30",
            "2026-12-02T25:00",
            "2026-12-02T09",
            "2026-12-02T09:30:00:00",
            "2026-12-02T09:3a",
            "-2026-12-02T09:30",
        ] {
            assert_eq!(typed_time(nonsense), None, "{nonsense:?}");
        }
    }

    #[test]
    fn presets_land_on_the_times_they_name_in_the_agents_zone() {
        // Wednesday 2 December 2026, 10:15 in Madrid.
        let now = madrid(2026, 12, 2, 10, 15);
        assert_eq!(local(Preset::InAnHour.until(now).unwrap()), "Wed 02 11:15");
        assert_eq!(
            local(Preset::ThisEvening.until(now).unwrap()),
            "Wed 02 18:00"
        );
        assert_eq!(
            local(Preset::TomorrowMorning.until(now).unwrap()),
            "Thu 03 09:00"
        );
        assert_eq!(local(Preset::NextWeek.until(now).unwrap()), "Mon 07 09:00");
    }

    #[test]
    fn this_evening_is_not_offered_once_the_evening_has_come() {
        assert_eq!(Preset::ThisEvening.until(madrid(2026, 12, 2, 17, 45)), None);
        // On a Monday, next week is the Monday after.
        let monday = madrid(2026, 12, 7, 8, 0);
        assert_eq!(
            local(Preset::NextWeek.until(monday).unwrap()),
            "Mon 14 09:00"
        );
    }

    #[test]
    fn available_agents_come_first_each_with_their_load() {
        use switchboard_protocol::{Agent, AgentStatus};
        let mut state = State::default();
        for (id, name) in [(1, "Ana"), (2, "Luis"), (3, "Bea")] {
            state.agents.insert(
                AgentId(id),
                Agent {
                    id: AgentId(id),
                    name: name.into(),
                    email: format!("{name}@x"),
                },
            );
        }
        state.me = state.agents.get(&AgentId(1)).cloned();
        let status = |id, availability, load| AgentStatus {
            agent_id: AgentId(id),
            availability,
            load,
        };
        state.statuses = [
            (AgentId(1), status(1, Availability::Away, 3)),
            (AgentId(2), status(2, Availability::Available, 7)),
        ]
        .into();
        let conversation: Conversation = serde_json::from_str(include_str!(
            "../../crates/protocol/tests/fixtures/conversation.json"
        ))
        .unwrap();
        let (agents, teams) = transfer_choices(&state, &conversation);
        let order: Vec<_> = agents
            .iter()
            .map(|a| (a.name.as_str(), a.availability, a.load))
            .collect();
        assert_eq!(
            order,
            [
                ("Luis", Availability::Available, 7),
                ("Ana", Availability::Away, 3),
                ("Bea", Availability::Offline, 0)
            ]
        );
        assert!(
            agents[1].me && agents[1].current,
            "the fixture is assigned to agent 1"
        );
        assert!(teams.is_empty());
    }
}
