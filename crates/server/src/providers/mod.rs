//! Channel providers behind one trait. A provider takes an outbound message and answers with
//! its own id for it (or a failure); what happens next arrives as status reports through
//! [`crate::workflow::delivery::report_status`], exactly as a real provider's webhooks do.

pub mod sandbox;

use crate::store::items::InFlight;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use switchboard_protocol::{Channel, Failure, MessageId};

pub struct Outbound {
    pub message_id: MessageId,
    pub channel: Channel,
    /// The contact's handle on the channel.
    pub to: String,
    pub text: String,
}

pub struct Accepted {
    pub provider_message_id: String,
}

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Accepted, Failure>> + Send + 'a>>;

pub trait Provider: Send + Sync {
    /// Hands the message over; `Err` when the provider refused it outright.
    fn send<'a>(&'a self, message: &'a Outbound) -> SendFuture<'a>;

    /// After a restart: carry on with a message the provider accepted before. Real providers
    /// report on their own; the sandbox has to pick its pretend carrier back up.
    fn resume(&self, _flight: &InFlight, _provider_message_id: &str) {}
}

/// The providers this server can talk to, by the name inboxes refer to them with.
#[derive(Clone, Default)]
pub struct Providers {
    by_name: HashMap<&'static str, Arc<dyn Provider>>,
}

impl Providers {
    pub fn with(mut self, name: &'static str, provider: Arc<dyn Provider>) -> Self {
        self.by_name.insert(name, provider);
        self
    }

    pub fn get(&self, name: &str) -> Option<&Arc<dyn Provider>> {
        self.by_name.get(name)
    }

    /// Hands an accepted message back to its provider after a restart. Only the sandbox is
    /// registered today, and it recognises its own ids.
    pub fn resume(&self, flight: &InFlight, provider_message_id: &str) {
        if provider_message_id.starts_with(sandbox::ID_PREFIX)
            && let Some(provider) = self.get(sandbox::NAME)
        {
            provider.resume(flight, provider_message_id);
        }
    }
}
