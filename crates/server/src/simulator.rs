//! Keeps the demo alive: customers write now and then, some continuing open conversations,
//! some new. It is an ordinary API client of `POST /api/v1/sandbox/inbound`, authenticated as a
//! service account, so what it does any script could do.

use crate::config::SimulatorConfig;
use crate::demo_script;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Duration;
use switchboard_protocol::api::{ConversationPage, InboundFile, SandboxInbound};
use switchboard_protocol::{Channel, Conversation};

pub const EMAIL: &str = "simulator@switchboard.invalid";

pub fn start(base_url: String, token: String, config: SimulatorConfig) {
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        let mut rng = StdRng::from_os_rng();
        loop {
            // Irregular pauses around the mean, like real customers.
            let mean = config.every.as_secs_f64();
            tokio::time::sleep(Duration::from_secs_f64(
                rng.random_range(mean * 0.3..mean * 1.7),
            ))
            .await;
            if let Err(error) = write_once(&client, &base_url, &token, &mut rng).await {
                tracing::warn!(%error, "simulated customer could not write");
            }
        }
    });
}

async fn write_once(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    rng: &mut StdRng,
) -> Result<(), String> {
    let message = if rng.random_range(0..100) < 55 {
        match recent_open(client, base, token).await? {
            open if !open.is_empty() => {
                follow_up(&open[rng.random_range(0..open.len().min(25))], rng)
            }
            _ => new_customer(rng),
        }
    } else {
        new_customer(rng)
    };
    let response = client
        .post(format!("{base}/api/v1/sandbox/inbound"))
        .bearer_auth(token)
        .json(&message)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("inbound answered {}", response.status()));
    }
    Ok(())
}

async fn recent_open(
    client: &reqwest::Client,
    base: &str,
    token: &str,
) -> Result<Vec<Conversation>, String> {
    let page: ConversationPage = client
        .get(format!("{base}/api/v1/conversations?view=all&limit=40"))
        .bearer_auth(token)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    Ok(page
        .items
        .into_iter()
        .map(|entry| entry.conversation)
        .collect())
}

fn sounds_spanish(text: &str) -> bool {
    text.contains(['¿', '¡', 'ñ', 'á', 'é', 'í', 'ó', 'ú'])
        || ["hola", "gracias", "pedido", "quiero", "buenas"]
            .iter()
            .any(|w| text.to_lowercase().contains(w))
}

/// Files the demo's customers send now and then, with what they say about them.
const SAMPLES: [(&str, &[u8], &str, &str); 3] = [
    (
        "recibo.png",
        include_bytes!("../data/samples/recibo.png"),
        "Te mando la foto del recibo",
        "Here's a photo of the receipt",
    ),
    (
        "factura.pdf",
        include_bytes!("../data/samples/factura.pdf"),
        "Adjunto la factura",
        "Attaching the invoice",
    ),
    (
        "nota-de-voz.wav",
        include_bytes!("../data/samples/nota-de-voz.wav"),
        "",
        "",
    ),
];

/// One customer message in eight brings a file.
fn maybe_a_file(rng: &mut StdRng, spanish: bool) -> Option<(InboundFile, &'static str)> {
    use base64::Engine;
    if rng.random_range(0..8) != 0 {
        return None;
    }
    let (name, bytes, es, en) = SAMPLES[rng.random_range(0..SAMPLES.len())];
    let file = InboundFile {
        name: name.to_owned(),
        data: base64::engine::general_purpose::STANDARD.encode(bytes),
    };
    Some((file, if spanish { es } else { en }))
}

fn follow_up(conversation: &Conversation, rng: &mut StdRng) -> SandboxInbound {
    let preview = conversation
        .last_message
        .as_ref()
        .map_or("", |m| m.preview.as_str());
    let spanish = sounds_spanish(preview);
    let lines = if spanish {
        demo_script::FOLLOW_UPS_ES
    } else {
        demo_script::FOLLOW_UPS_EN
    };
    let mut text = lines[rng.random_range(0..lines.len())].to_owned();
    let mut attachments = Vec::new();
    if let Some((file, words)) = maybe_a_file(rng, spanish) {
        text = words.to_owned();
        attachments.push(file);
    }
    SandboxInbound {
        channel: conversation.channel,
        from: conversation.contact.handle.clone(),
        name: None,
        text,
        at: None,
        attachments,
    }
}

fn new_customer(rng: &mut StdRng) -> SandboxInbound {
    let spanish = rng.random_range(0..100) < 75;
    let channel = crate::demo::pick_channel(rng);
    let (names, openers) = if spanish {
        (demo_script::NAMES_ES, demo_script::OPENERS_ES)
    } else {
        (demo_script::NAMES_EN, demo_script::OPENERS_EN)
    };
    let name = (rng.random_range(0..100) < 70).then(|| names[rng.random_range(0..names.len())]);
    let from = match channel {
        Channel::Whatsapp | Channel::Sms | Channel::Viber if spanish => {
            format!("+346{:08}", rng.random_range(0..100_000_000u32))
        }
        Channel::Whatsapp | Channel::Sms | Channel::Viber => {
            format!("+1415555{:04}", rng.random_range(0..10_000u32))
        }
        Channel::Email => format!("cliente{}@example.net", rng.random_range(1000..99_999u32)),
        Channel::Messenger => format!(
            "{}",
            rng.random_range(1_000_000_000_000_000u64..9_999_999_999_999_999u64)
        ),
        Channel::Line => format!("U{:032x}", rng.random::<u128>()),
        Channel::Webchat => format!("visitor-{:08x}", rng.random::<u32>()),
        Channel::Telegram | Channel::Instagram => {
            format!("@cliente_{}", rng.random_range(1000..99_999u32))
        }
    };
    SandboxInbound {
        channel,
        from,
        name: name.map(str::to_owned),
        text: openers[rng.random_range(0..openers.len())].to_owned(),
        at: None,
        attachments: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_customers_have_handles_the_inbound_endpoint_accepts() {
        let mut rng = StdRng::seed_from_u64(9);
        for _ in 0..200 {
            let message = new_customer(&mut rng);
            assert!(
                message.channel.normalize_handle(&message.from).is_some(),
                "{:?} {}",
                message.channel,
                message.from
            );
            assert!(!message.text.is_empty());
        }
    }

    #[test]
    fn spanish_previews_get_spanish_follow_ups() {
        assert!(sounds_spanish("¿Alguna novedad?"));
        assert!(sounds_spanish("Hola, quiero devolver"));
        assert!(!sounds_spanish("Any update on my order?"));
    }
}
