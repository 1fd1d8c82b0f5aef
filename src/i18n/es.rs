use super::Texts;
use crate::preferences::SendKey;
use switchboard_protocol::failures::FailureKind;
use switchboard_protocol::rules::{Outside, Refusal};
use switchboard_protocol::{Cause, Channel, ConversationEventKind, MessageStatus, View};

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
        View::Snoozed => "Pospuestas",
    },
    conversations_label: "Conversaciones",
    channel_conversations: |channel| format!("Conversaciones de {channel}"),
    unread: |n| format!("{n} sin leer"),
    you_prefix: "Tú: ",
    teammate_prefix: |name| format!("{name}: "),
    search: "Buscar",
    search_placeholder: "Buscar (/)",
    search_results: "Resultados de la búsqueda",
    search_contacts: "Contactos",
    search_messages: "Mensajes",
    search_hint: "Escribe una palabra, un nombre o un número.",
    search_more: "Ver más",
    search_failed: "La búsqueda no terminó.",
    search_nothing: "No se encontró nada. También se buscan las conversaciones cerradas.",
    search_closed: "Cerrada",
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
        View::Snoozed => {
            "Nada pospuesto. Las conversaciones pospuestas vuelven a su hora, o cuando el cliente escribe."
        }
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
    event_text: |e| {
        let actor = e.actor.unwrap_or("Switchboard");
        let agent = e.agent.unwrap_or("alguien");
        let Some(kind) = e.kind else {
            return String::new();
        };
        match kind {
            ConversationEventKind::Created if e.actor.is_some() => {
                format!("{actor} inició la conversación")
            }
            ConversationEventKind::Created => "Conversación iniciada".to_owned(),
            ConversationEventKind::Assigned if e.actor == e.agent => {
                format!("{actor} tomó la conversación")
            }
            ConversationEventKind::Assigned => {
                format!("{actor} asignó la conversación a {agent}")
            }
            ConversationEventKind::Unassigned => {
                format!("{actor} devolvió la conversación a la cola")
            }
            ConversationEventKind::Transferred => match (e.agent, e.team) {
                (_, Some(team)) => format!(
                    "{actor} transfirió la conversación al equipo {team}{}",
                    super::quoted(e.note)
                ),
                _ => format!(
                    "{actor} transfirió la conversación a {agent}{}",
                    super::quoted(e.note)
                ),
            },
            ConversationEventKind::Closed => match e.reason {
                Some(reason) => format!(
                    "{actor} cerró la conversación: {reason}{}",
                    e.summary.map(|s| format!(" — “{s}”")).unwrap_or_default()
                ),
                None => format!(
                    "{actor} cerró la conversación{}",
                    super::quoted(e.summary)
                ),
            },
            ConversationEventKind::Reopened if e.actor.is_none() => {
                "El cliente escribió: la conversación vuelve a estar abierta".to_owned()
            }
            ConversationEventKind::Reopened => format!("{actor} reabrió la conversación"),
            ConversationEventKind::Snoozed => format!(
                "{actor} pospuso la conversación hasta {}",
                e.until.unwrap_or("más tarde")
            ),
            ConversationEventKind::Woke => match e.cause {
                Some(Cause::CustomerWrote) => "El cliente escribió: vuelve de posponer".to_owned(),
                Some(_) => "Vuelve de posponer: llegó la hora".to_owned(),
                None => format!("{actor} dejó de posponerla"),
            },
            ConversationEventKind::Moved => format!(
                "{actor} movió la conversación de {} a {}",
                e.from_inbox.unwrap_or("otra bandeja"),
                e.to_inbox.unwrap_or("otra bandeja")
            ),
            ConversationEventKind::Offered => {
                format!("El reparto ofreció la conversación a {agent}")
            }
            ConversationEventKind::Returned => {
                format!("{agent} no la abrió a tiempo: vuelve a la cola")
            }
            ConversationEventKind::OptedOut => "El cliente respondió STOP: no recibirá más mensajes hasta que vuelva a darse de alta".to_owned(),
            ConversationEventKind::OptedIn => "El cliente volvió a darse de alta para recibir mensajes".to_owned(),
        }
    },
    workflow: &super::workflow::ES,
    someone: "Alguien",
    customer: "Cliente",
    part_not_loaded: "No se pudo cargar esta parte de Switchboard. Comprueba la conexión y vuelve a intentarlo.",
    retry: "Reintentar",
    not_sent: "No enviado",
    failure_kind: |kind| match kind {
        FailureKind::Unreachable => {
            "No se pudo contactar con el teléfono o el buzón del cliente. Vuelve a intentarlo más tarde."
        }
        FailureKind::InvalidRecipient => "Esta dirección no puede recibir mensajes por este canal.",
        FailureKind::Blocked => {
            "El cliente ha bloqueado esta cuenta o no está disponible para ella."
        }
        FailureKind::OptedOut => "El cliente pidió no recibir más mensajes.",
        FailureKind::WindowClosed => {
            "La ventana de respuesta se había cerrado. Envía una plantilla."
        }
        FailureKind::Filtered => {
            "El operador lo filtró como spam o por su contenido. Cámbialo y envía uno nuevo."
        }
        FailureKind::RateLimited => {
            "Se enviaron demasiados mensajes seguidos. Vuelve a intentarlo en unos minutos."
        }
        FailureKind::ProviderTrouble => {
            "El proveedor tuvo un problema al entregarlo. Vuelve a intentarlo."
        }
        FailureKind::Misconfigured => {
            "Esta bandeja no está bien conectada con su proveedor. Avisa a un administrador."
        }
        FailureKind::MayHaveGone => {
            "El proveedor no respondió: puede que haya salido. Confírmalo con el cliente antes de reenviarlo."
        }
        FailureKind::NotSent => {
            "No se envió: el servidor se detuvo antes de entregarlo. Vuelve a intentarlo."
        }
        FailureKind::Unknown => "El proveedor no pudo entregarlo.",
    },
    conversation_not_found: "Esta conversación no existe o no tienes acceso a ella.",
    conversation_load_failed: "No se pudo cargar esta conversación.",
    messages_load_failed: "No se pudieron cargar los mensajes.",
    older_load_failed: "No se pudieron cargar los mensajes anteriores.",

    message: "Mensaje",
    message_placeholder: "Escribe una respuesta…",
    send: "Enviar",
    hint_enter_sends: "Intro para enviar · Mayús+Intro para una línea nueva",
    hint_mod_enter_sends: "Ctrl/⌘+Intro para enviar · Intro para una línea nueva",
    composer_kind: "Escribir",
    reply_kind: "Responder",
    private_note: "Nota privada",
    add_note: "Añadir nota",
    note_placeholder: "Escribe una nota para tu equipo…",
    note_hint: "Solo tu equipo ve las notas · ",
    waiting_for_connection: "Esperando la conexión: se enviará en cuanto vuelva.",
    quick_replies: "Respuestas rápidas",
    search_quick_replies: "Buscar respuestas rápidas",
    templates: "Ver plantillas",
    search_templates: "Buscar plantillas",
    nothing_found: "No hay coincidencias.",
    unfilled_variables: |names| format!("Completa o quita {names} antes de enviar."),
    emoji: "Emoji",
    attach: "Adjuntar archivos",
    attachments: "Adjuntos",
    drop_files: "Suelta los archivos para adjuntarlos",
    remove_named: |name| format!("Quitar {name}"),
    cancel_upload_named: |name| format!("Cancelar la subida de {name}"),
    uploading_named: |name| format!("Subiendo {name}"),
    download_named: |name| format!("Descargar {name}"),
    open_image: |name| format!("Abrir {name}"),
    show_all: "Mostrar todo",
    show_less: "Mostrar menos",
    close: "Cerrar",
    emoji_picker: "Emojis",
    search_emoji: "Buscar emojis",
    emoji_groups: "Grupos de emojis",
    emoji_group: |id| match id {
        "recent" => "Usados recientemente",
        "smileys_emotion" => "Caras y emociones",
        "people_body" => "Personas",
        "animals_nature" => "Animales y naturaleza",
        "food_drink" => "Comida y bebida",
        "travel_places" => "Viajes y lugares",
        "activities" => "Actividades",
        "objects" => "Objetos",
        "symbols" => "Símbolos",
        _ => "Banderas",
    },
    no_recent_emoji: "Aquí aparecerán los emojis que uses.",
    skin_tone: "Tono de piel",
    skin_tone_name: |tone| {
        [
            "Sin tono de piel",
            "Claro",
            "Claro medio",
            "Medio",
            "Oscuro medio",
            "Oscuro",
        ][tone.min(5)]
    },

    settings: "Ajustes",
    back_to_inbox: "Volver a la bandeja",
    sending_settings: "Envío",
    send_with: "Enviar mensajes con",
    send_key_name: |key| match key {
        SendKey::Enter => "Intro (Mayús+Intro para una línea nueva)",
        SendKey::ModEnter => "Ctrl/⌘+Intro (Intro para una línea nueva)",
    },
    new_quick_reply: "Nueva respuesta rápida",
    quick_replies_hint: "Escribe / y el atajo en una respuesta para insertarla. Las compartidas con una bandeja son de todo el equipo.",
    shortcut: "Atajo",
    title: "Título",
    shared_with: "Quién puede usarla",
    only_me: "Solo yo",
    reply_text: "Texto",
    variables_hint: "Se completan al insertarla:",
    save: "Guardar",
    cancel: "Cancelar",
    edit: "Editar",
    delete: "Eliminar",
    edit_named: |shortcut| format!("Editar /{shortcut}"),
    delete_named: |shortcut| format!("Eliminar /{shortcut}"),
    confirm_delete_quick_reply: |shortcut| format!("¿Eliminar la respuesta rápida /{shortcut}?"),
    quick_reply_invalid: |invalid| {
        use switchboard_protocol::quick_replies::{
            Invalid, MAX_BODY_CHARS, MAX_SHORTCUT_CHARS, MAX_TITLE_CHARS,
        };
        match invalid {
            Invalid::ShortcutEmpty => "Ponle un atajo.".to_owned(),
            Invalid::ShortcutCharacters => {
                "El atajo es una sola palabra: letras, números, - y _.".to_owned()
            }
            Invalid::ShortcutTooLong => {
                format!("El atajo admite como mucho {MAX_SHORTCUT_CHARS} caracteres.")
            }
            Invalid::TitleEmpty => "Ponle un título.".to_owned(),
            Invalid::TitleTooLong => {
                format!("El título admite como mucho {MAX_TITLE_CHARS} caracteres.")
            }
            Invalid::BodyEmpty => "Escribe su texto.".to_owned(),
            Invalid::BodyTooLong => {
                format!("El texto admite como mucho {MAX_BODY_CHARS} caracteres.")
            }
            Invalid::UnknownVariable => {
                "Usa solo las variables de la lista; las demás nunca se podrían completar."
                    .to_owned()
            }
        }
    },
    too_long: |length, limit| format!("{length}/{limit}: demasiado largo para este canal"),
    send_as_human_agent: "Enviar como agente humano",
    human_agent_badge: "Agente humano",
    template_badge: |name| format!("Plantilla: {name}"),
    template_label: "Plantilla",
    template_value: |placeholder| format!("Valor de {{{{{placeholder}}}}}"),
    template_preview: "Vista previa",
    send_template: "Enviar plantilla",
    no_templates: "Esta bandeja no tiene plantillas aprobadas.",
    templates_load_failed: "No se pudieron cargar las plantillas.",
    quick_replies_load_failed: "No se pudieron cargar las respuestas rápidas.",
    emoji_load_failed: "No se pudieron cargar los emojis.",
    quick_reply_delete_failed: "No se pudo eliminar la respuesta rápida.",
    replies_blocked: "Ahora no se puede responder",
    banner_templates_first: "El cliente aún no ha escrito. WhatsApp solo permite plantillas aprobadas para iniciar una conversación.",
    banner_templates_only: |ago| {
        format!(
            "La ventana de 24 horas se cerró hace {ago}. WhatsApp solo permite plantillas aprobadas hasta que el cliente vuelva a escribir."
        )
    },
    guard_news: |who| {
        format!(
            "{who} escribió después de que empezaras esta respuesta. ¿Lo lees antes de enviar la tuya?"
        )
    },
    guard_review: "Leerlo antes",
    a_teammate: "Alguien del equipo",
    send_anyway: "Enviar igualmente",
    banner_human_agent: |until| {
        format!(
            "Han pasado más de 24 horas desde el último mensaje del cliente. Aún puedes responder como agente humano hasta el {until}."
        )
    },
    banner_window_closed: |channel| {
        format!(
            "La ventana de respuesta se cerró. {channel} no permite mensajes hasta que el cliente vuelva a escribir."
        )
    },
    banner_opted_out: "Este contacto respondió STOP y no recibirá mensajes hasta que escriba START.",
    banner_unanswered: |channel, limit| {
        format!(
            "{channel} permite {limit} mensajes seguidos sin respuesta. Espera a que el cliente conteste."
        )
    },
    window_closes_in: |left| format!("La ventana de respuesta se cierra en {left}"),
    duration: |seconds| super::short_duration(seconds, "d"),
    sms_segments: |segments, characters, per_segment| {
        format!("{characters} caracteres · {segments} SMS de {per_segment}")
    },
    refusal: |refusal, channel| match refusal {
        Refusal::Empty => "Escribe algo antes de enviar.".to_owned(),
        Refusal::TextTooLong { limit, length } => {
            format!("{channel} permite {limit} caracteres; este tiene {length}.")
        }
        Refusal::NoteTooLong { limit, length } => {
            format!("Una nota admite {limit} caracteres; esta tiene {length}.")
        }
        Refusal::OptedOut => {
            "Este contacto respondió STOP: no se le puede enviar nada hasta que escriba START."
                .to_owned()
        }
        Refusal::WindowClosed {
            allowed: Outside::TemplatesOnly,
            ..
        } => "La ventana está cerrada: solo se puede enviar una plantilla aprobada.".to_owned(),
        Refusal::WindowClosed {
            allowed: Outside::HumanAgentTag { .. },
            ..
        } => "La ventana está cerrada: envíalo como respuesta de agente humano.".to_owned(),
        Refusal::WindowClosed { .. } => {
            format!("{channel} no permite mensajes hasta que el cliente vuelva a escribir.")
        }
        Refusal::TooManyUnanswered { limit } => {
            format!("{channel} permite {limit} mensajes seguidos sin respuesta.")
        }
        Refusal::TooManyAttachments { limit } => {
            if *limit == 1 {
                format!("{channel} permite un solo archivo por mensaje.")
            } else {
                format!("{channel} permite {limit} archivos por mensaje.")
            }
        }
        Refusal::AttachmentType { name, .. } => {
            format!("{channel} no puede enviar {name}: ese tipo de archivo no está permitido.")
        }
        Refusal::AttachmentTooLarge { name, limit } => format!(
            "{name} supera el límite de {channel}, {}.",
            super::size(*limit)
        ),
        Refusal::AttachmentsTooLarge { limit } => format!(
            "Los archivos juntos superan el límite de {channel}, {}.",
            super::size(*limit)
        ),
    },

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
        "not_failed" => Some("Este mensaje no ha fallado: no hay nada que reenviar."),
        "retry_wont_help" => Some("Reenviar este mensaje fallaría de la misma manera."),
        "unauthenticated" => Some("Tu sesión ha terminado. Vuelve a iniciar sesión."),
        "shortcut_taken" => Some("Otra respuesta rápida de ahí ya usa este atajo."),
        "attachment_type" => Some("Este archivo no se puede enviar desde esta bandeja."),
        "attachment_too_large" => Some("Este archivo supera lo que admite este canal."),
        "payload_too_large" => Some("Este archivo es demasiado grande para subirlo."),
        _ => None,
    },
    something_failed: "Algo salió mal. Inténtalo de nuevo.",
    answer_unreadable: "Algo salió mal: no se pudo leer la respuesta del servidor. Recarga la página; si sigue pasando, avisa a un administrador.",
    workspace_load_failed: "No se pudieron cargar los compañeros y las bandejas.",
    not_found_title: "Página no encontrada",
    not_found_hint: "No hay nada en esta dirección.",
    go_to_inbox: "Ir a la bandeja",

    just_now: "ahora",
    minutes_ago: |n| format!("{n} min"),
    yesterday: "Ayer",
    tomorrow: "Mañana",
    weekday: |d| ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"][d as usize % 7],
    month_short: |m| {
        [
            "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
        ][(m as usize + 11) % 12]
    },
    today: "Hoy",
};
