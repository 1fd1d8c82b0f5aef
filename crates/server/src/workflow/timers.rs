//! What happens with time: snoozes end when their time comes, and a routing offer not opened
//! in time goes back to the queue and on to the next free agent (the seeds' "RONA").

use super::{Before, announce_events, routing};
use crate::AppState;
use crate::db::now_ms;
use crate::error::AppResult;
use crate::store::conversations;
use crate::store::items::{self, NewEvent};
use std::time::Duration;
use switchboard_protocol::{Cause, ConversationEventKind, EventDetails};

/// Wakes the snoozes due at `now_ms`; how many.
pub async fn wake_due(state: &AppState, now_ms: i64) -> AppResult<usize> {
    let due = conversations::snoozes_due(&mut *state.db.pool().acquire().await?, now_ms).await?;
    let mut woken = 0;
    for id in &due {
        let mut tx = state.db.write().await?;
        // Read again under the writer's turn: it may have been snoozed anew, or woken, since.
        let still = conversations::shared(&mut tx, *id).await?.snoozed_until;
        if still.is_none_or(|until| until.timestamp_millis() > now_ms) {
            continue;
        }
        let before = Before::of(&mut tx, *id).await?;
        conversations::set_snoozed(&mut tx, *id, None).await?;
        let woke = items::insert_event(
            &mut tx,
            *id,
            NewEvent {
                details: EventDetails {
                    cause: Some(Cause::TimeCame),
                    ..EventDetails::default()
                },
                ..NewEvent::of(ConversationEventKind::Woke, None)
            },
            now_ms,
        )
        .await?;
        // One that waits for nobody in particular goes to whoever is free.
        let mut told = vec![woke];
        told.extend(routing::offer(&mut tx, &state.presence, *id, None).await?);
        announce_events(&mut tx, &state.presence, *id, before, &told).await?;
        tx.commit().await?;
        woken += 1;
    }
    Ok(woken)
}

/// Takes back the offers not opened in time by `now_ms` and offers them on; how many.
pub async fn take_back_unopened(state: &AppState, now_ms: i64) -> AppResult<usize> {
    let late =
        conversations::offers_made_before(&mut *state.db.pool().acquire().await?, now_ms).await?;
    let mut taken_back = 0;
    for id in &late {
        let mut tx = state.db.write().await?;
        // Read again under the writer's turn: it may have been opened, or taken, since.
        if !conversations::offer_expired(&mut tx, *id, now_ms).await? {
            continue;
        }
        let before = Before::of(&mut tx, *id).await?;
        let previous = conversations::shared(&mut tx, *id).await?.assignee;
        conversations::set_assignee(&mut tx, *id, None).await?;
        conversations::set_offered(&mut tx, *id, None).await?;
        let returned = items::insert_event(
            &mut tx,
            *id,
            NewEvent {
                agent: previous,
                details: EventDetails {
                    cause: Some(Cause::NotOpened),
                    ..EventDetails::default()
                },
                ..NewEvent::of(ConversationEventKind::Returned, None)
            },
            now_ms,
        )
        .await?;
        let mut told = vec![returned];
        told.extend(routing::offer(&mut tx, &state.presence, *id, previous).await?);
        announce_events(&mut tx, &state.presence, *id, before, &told).await?;
        tx.commit().await?;
        taken_back += 1;
    }
    Ok(taken_back)
}

/// Runs both every `every`, for the server's lifetime.
pub fn start(state: AppState, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(error) = wake_due(&state, now_ms()).await {
                tracing::warn!(%error, "could not wake snoozed conversations");
            }
            if let Err(error) = take_back_unopened(&state, now_ms()).await {
                tracing::warn!(%error, "could not take back unopened offers");
            }
        }
    });
}
