use super::Texts;
use switchboard_protocol::{Channel, ConversationEventKind, MessageStatus, View};

pub const TEXTS: Texts = Texts {
    language_name: "Español",
    product: "Switchboard",

    login_title: "Inicia sesión en Switchboard",
    login_subtitle: "Todas las conversaciones con tus clientes, en una sola bandeja.",
    email: "Correo electrónico",
    password: "Contraseña",
    log_in: "Iniciar sesión",
    logging_in: "Iniciando sesión…",
    log_out: "Cerrar sesión",
    demo_hint: "Demo: ana@example.com o luis@example.com, contraseña demo1234",
    language: "Idioma",

    tabs_label: "Vistas de conversaciones",
    view_name: |view| match view {
        View::Unassigned => "Entrada",
        View::Mine => "Mías",
        View::All => "Todas",
        View::Closed => "Cerradas",
    },
    conversations_label: "Conversaciones",
    channel_conversations: |channel| format!("Conversaciones de {channel}"),
    unread: |n| format!("{n} sin leer"),
    you_prefix: "Tú: ",
    teammate_prefix: |name| format!("{name}: "),
    channel_name: |channel| match channel {
        Channel::Email => "Correo",
        Channel::Webchat => "Chat web",
        other => other.display_name(),
    },
    empty_view: |view| match view {
        View::Unassigned => "No hay conversaciones en cola. Las nuevas aparecerán aquí.",
        View::Mine => "No tienes conversaciones asignadas. Toma una de «Entrada».",
        View::All => "No hay conversaciones abiertas.",
        View::Closed => "Todavía no hay conversaciones cerradas.",
    },
    loading: "Cargando…",
    load_more: "Cargar más",
    assigned_to: |name| format!("Asignada a {name}"),

    skip_to_conversation: "Ir a la conversación",
    new_messages: "Mensajes nuevos",
    announce_message: |name, text| format!("Mensaje nuevo de {name}: {text}"),
    announce_failed: |reason| format!("Un mensaje no se entregó: {reason}"),
    pick_a_conversation: "Elige una conversación",
    pick_a_conversation_hint: "Selecciona una de la lista para leerla y responder.",
    back_to_list: "Volver a la lista",
    assign_to_me: "Asignármela",
    assigned_to_you: "Asignada a ti",
    unassigned: "Sin asignar",
    closed_badge: "Cerrada",
    loading_older: "Cargando mensajes anteriores…",
    thread_start: "Inicio de la conversación",
    status_name: |status| match status {
        MessageStatus::Sending => "Enviando",
        MessageStatus::Sent => "Enviado",
        MessageStatus::Delivered => "Entregado",
        MessageStatus::Read => "Leído",
        MessageStatus::Failed => "Fallido",
    },
    event_text: |kind, actor, agent| {
        let actor = actor.unwrap_or("Switchboard");
        match kind {
            ConversationEventKind::Created => "Conversación iniciada".to_owned(),
            ConversationEventKind::Assigned if Some(actor) == agent => {
                format!("{actor} tomó la conversación")
            }
            ConversationEventKind::Assigned => format!(
                "{actor} asignó la conversación a {}",
                agent.unwrap_or("alguien")
            ),
            ConversationEventKind::Unassigned => {
                format!("{actor} devolvió la conversación a la cola")
            }
            ConversationEventKind::Closed => format!("{actor} cerró la conversación"),
            ConversationEventKind::Reopened => format!("{actor} reabrió la conversación"),
        }
    },
    someone: "Alguien",
    customer: "Cliente",
    retry: "Reintentar",
    not_sent: "No enviado",
    conversation_not_found: "Esta conversación no existe o no tienes acceso a ella.",

    message: "Mensaje",
    message_placeholder: "Escribe una respuesta…",
    send: "Enviar",
    composer_hint: "Intro para enviar · Mayús+Intro para una línea nueva",
    too_long: |length, limit| format!("{length}/{limit}: demasiado largo para este canal"),

    reconnecting: "Reconectando…",
    reconnecting_detail: "Los mensajes nuevos aparecerán en cuanto vuelva la conexión.",
    back_online: "Conectado",
    network_error: "No se pudo contactar con el servidor. Revisa tu conexión.",
    session_expired: "Tu sesión ha terminado. Vuelve a iniciar sesión.",
    error_for_code: |code| match code {
        "invalid_credentials" => Some("El correo y la contraseña no coinciden."),
        "too_many_attempts" => {
            Some("Demasiados intentos fallidos. Espera unos minutos y vuelve a intentarlo.")
        }
        "empty_message" => Some("El mensaje está vacío."),
        "text_too_long" => Some("El mensaje es demasiado largo para este canal."),
        "not_found" => Some("No se encontró, o no tienes acceso."),
        "unauthenticated" => Some("Tu sesión ha terminado. Vuelve a iniciar sesión."),
        _ => None,
    },
    something_failed: "Algo salió mal. Inténtalo de nuevo.",
    not_found_title: "Página no encontrada",
    not_found_hint: "No hay nada en esta dirección.",
    go_to_inbox: "Ir a la bandeja",

    just_now: "ahora",
    minutes_ago: |n| format!("{n} min"),
    yesterday: "Ayer",
    weekday: |d| ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"][d as usize % 7],
    month_short: |m| {
        [
            "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
        ][(m as usize + 11) % 12]
    },
    today: "Hoy",
};
