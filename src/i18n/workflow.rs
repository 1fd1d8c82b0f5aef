//! The words of working a conversation (closing, transferring, snoozing, starting one, teams,
//! availability), in Spanish and English. Kept apart from the composer's and the inbox's
//! texts; the same rule holds: a string missing from one language does not compile.

use switchboard_protocol::{Availability, Channel};

pub struct WorkflowTexts {
    // The conversation's header.
    pub actions_label: &'static str,
    pub more_actions: &'static str,
    pub close: &'static str,
    pub transfer: &'static str,
    pub snooze: &'static str,
    pub unassign: &'static str,
    pub reopen: &'static str,
    pub wake_up: &'static str,
    pub mark_unread: &'static str,
    pub marked_unread: &'static str,
    pub move_inbox: &'static str,
    pub cancel: &'static str,
    pub team_queue: fn(&str) -> String,
    pub snoozed_until: fn(&str) -> String,
    pub closed_with: fn(&str) -> String,
    pub keyboard_hint: &'static str,

    // Closing.
    pub close_title: &'static str,
    pub reason: &'static str,
    pub choose_reason: &'static str,
    pub summary: &'static str,
    pub close_conversation: &'static str,
    pub close_anyway: &'static str,
    pub not_yours: fn(&str) -> String,

    // Transferring.
    pub transfer_title: &'static str,
    pub agents: &'static str,
    pub teams: &'static str,
    pub team: fn(&str) -> String,
    pub load: fn(u32) -> String,
    pub you: &'static str,
    pub transfer_note: &'static str,
    pub transfer_anyway: &'static str,
    pub unavailable: fn(&str, Availability) -> String,
    pub choose_target: &'static str,

    // Snoozing.
    pub snooze_title: &'static str,
    pub in_an_hour: &'static str,
    pub this_evening: &'static str,
    pub tomorrow_morning: &'static str,
    pub next_week: &'static str,
    pub pick_time: &'static str,
    pub snooze_in_future: &'static str,

    // Moving.
    pub move_title: &'static str,
    pub inbox: &'static str,
    pub no_other_inbox: fn(&str) -> String,

    // Availability.
    pub availability_label: &'static str,
    pub availability: fn(Availability) -> &'static str,

    // Starting a conversation.
    pub new_conversation: &'static str,
    pub channel: &'static str,
    pub to: &'static str,
    pub to_hint: fn(Channel) -> &'static str,
    pub from: &'static str,
    pub name_optional: &'static str,
    pub subject: &'static str,
    pub message: &'static str,
    pub template: &'static str,
    pub choose_template: &'static str,
    pub start_conversation: &'static str,
    pub starts_with_template: &'static str,
    pub suggestions: &'static str,
    pub already_open: &'static str,

    // Settings.
    pub wrap_up_reasons: &'static str,
    pub wrap_up_hint: &'static str,
    pub new_reason: &'static str,
    pub reason_needs_label: &'static str,
    pub add: &'static str,
    pub save: &'static str,
    pub delete: fn(&str) -> String,
    pub rename: fn(&str) -> String,
    pub teams_settings: &'static str,
    pub teams_hint: &'static str,
    pub team_name: &'static str,
    pub members: &'static str,
    pub serves: &'static str,
    pub routing: &'static str,
    pub capacity: &'static str,
    pub offer_timeout: &'static str,
    pub new_team: &'static str,
    pub edit_team: fn(&str) -> String,
    pub admins_only: &'static str,
    pub saved: &'static str,

    /// The sentence for a workflow error code, where the server's English will not do.
    pub error_for_code: fn(&str) -> Option<&'static str>,
}

pub const ES: WorkflowTexts = WorkflowTexts {
    actions_label: "Acciones de la conversación",
    more_actions: "Más acciones",
    close: "Cerrar",
    transfer: "Transferir",
    snooze: "Posponer",
    unassign: "Devolver a la cola",
    reopen: "Reabrir",
    wake_up: "Dejar de posponer",
    mark_unread: "Marcar como no leída",
    marked_unread: "Marcada como no leída",
    move_inbox: "Mover de bandeja",
    cancel: "Cancelar",
    team_queue: |team| format!("Cola de {team}"),
    snoozed_until: |when| format!("Pospuesta hasta {when}"),
    closed_with: |reason| format!("Cerrada: {reason}"),
    keyboard_hint: "Atajos: C cerrar, T transferir, Z posponer, U no leída",

    close_title: "Cerrar la conversación",
    reason: "Motivo",
    choose_reason: "Elige un motivo",
    summary: "Resumen (opcional)",
    close_conversation: "Cerrar conversación",
    close_anyway: "Cerrar igualmente",
    not_yours: |name| format!("Esta conversación es de {name}. ¿Cerrarla igualmente?"),

    transfer_title: "Transferir la conversación",
    agents: "Agentes",
    teams: "Equipos",
    team: |name| format!("Equipo {name}"),
    load: |n| match n {
        1 => "1 abierta".to_owned(),
        n => format!("{n} abiertas"),
    },
    you: "(tú)",
    transfer_note: "Nota para quien la reciba (opcional)",
    transfer_anyway: "Transferir igualmente",
    unavailable: |name, availability| match availability {
        Availability::Away => {
            format!("{name} está ausente y puede tardar en verla. ¿Transferir igualmente?")
        }
        _ => format!("{name} está desconectado y puede tardar en verla. ¿Transferir igualmente?"),
    },
    choose_target: "Elige un agente o un equipo.",

    snooze_title: "Posponer hasta",
    in_an_hour: "Dentro de 1 hora",
    this_evening: "Esta tarde (18:00)",
    tomorrow_morning: "Mañana por la mañana (9:00)",
    next_week: "La próxima semana (lunes 9:00)",
    pick_time: "Fecha y hora",
    snooze_in_future: "Elige una fecha y hora que aún no hayan llegado.",

    move_title: "Mover a otra bandeja",
    inbox: "Bandeja",
    no_other_inbox: |channel| {
        format!("No perteneces a otra bandeja de {channel} a la que moverla.")
    },

    availability_label: "Tu disponibilidad",
    availability: |availability| match availability {
        Availability::Available => "Disponible",
        Availability::Away => "Ausente",
        Availability::Offline => "Desconectado",
    },

    new_conversation: "Nueva conversación",
    channel: "Canal",
    to: "Para",
    to_hint: |channel| match channel {
        Channel::Email => "cliente@ejemplo.com",
        _ => "+34 600 123 456",
    },
    from: "Desde",
    name_optional: "Nombre (opcional)",
    subject: "Asunto",
    message: "Mensaje",
    template: "Plantilla",
    choose_template: "Elige una plantilla",
    start_conversation: "Iniciar conversación",
    starts_with_template: "Una conversación de WhatsApp empieza con una plantilla aprobada.",
    suggestions: "Contactos",
    already_open: "Ya había una conversación abierta con este contacto: aquí la tienes.",

    wrap_up_reasons: "Motivos de cierre",
    wrap_up_hint: "Quien cierra una conversación elige uno. Sin motivos, cerrar no lo pide.",
    new_reason: "Nuevo motivo",
    reason_needs_label: "Escribe el motivo antes de añadirlo.",
    add: "Añadir",
    save: "Guardar",
    delete: |name| format!("Eliminar {name}"),
    rename: |name| format!("Renombrar {name}"),
    teams_settings: "Equipos",
    teams_hint: "Un equipo atiende unas bandejas: sus conversaciones nuevas esperan en su cola. Con reparto, se ofrecen por turnos a quien esté disponible.",
    team_name: "Nombre del equipo",
    members: "Miembros",
    serves: "Bandejas que atiende",
    routing: "Repartir por turnos entre los disponibles",
    capacity: "Conversaciones abiertas por agente",
    offer_timeout: "Segundos para abrir una oferta",
    new_team: "Nuevo equipo",
    edit_team: |name| format!("Editar {name}"),
    admins_only: "Solo un administrador puede cambiar los equipos y los motivos.",
    saved: "Guardado",

    error_for_code: |code| match code {
        "conversation_changed" => {
            Some("La conversación cambió desde que la miraste. Mírala de nuevo y decide.")
        }
        "reason_required" => Some("Elige un motivo para cerrarla."),
        "no_entry_point" => Some(
            "No tienes un número o dirección de ese canal desde el que escribir. Pide a tu administrador que te añada a una bandeja de ese canal.",
        ),
        "invalid_address" => Some(
            "Escribe un número en formato internacional (+34 600 123 456) o una dirección de correo.",
        ),
        "name_taken" => Some("Ya hay uno con ese nombre."),
        "forbidden" => Some("No tienes permiso para hacer esto."),
        "busy" => {
            Some("El servidor está ocupado. No se cambió nada: vuelve a intentarlo en un momento.")
        }
        "opted_out" => Some("Este contacto pidió no recibir mensajes (respondió STOP)."),
        "window_closed" => Some(
            "Fuera de la ventana de respuesta del canal: solo se puede enviar una plantilla aprobada.",
        ),
        _ => None,
    },
};

pub const EN: WorkflowTexts = WorkflowTexts {
    actions_label: "Conversation actions",
    more_actions: "More actions",
    close: "Close",
    transfer: "Transfer",
    snooze: "Snooze",
    unassign: "Unassign",
    reopen: "Reopen",
    wake_up: "Unsnooze",
    mark_unread: "Mark as unread",
    marked_unread: "Marked as unread",
    move_inbox: "Move to another inbox",
    cancel: "Cancel",
    team_queue: |team| format!("{team} queue"),
    snoozed_until: |when| format!("Snoozed until {when}"),
    closed_with: |reason| format!("Closed: {reason}"),
    keyboard_hint: "Keys: C close, T transfer, Z snooze, U unread",

    close_title: "Close the conversation",
    reason: "Reason",
    choose_reason: "Choose a reason",
    summary: "Summary (optional)",
    close_conversation: "Close conversation",
    close_anyway: "Close anyway",
    not_yours: |name| format!("This conversation is {name}'s. Close it anyway?"),

    transfer_title: "Transfer the conversation",
    agents: "Agents",
    teams: "Teams",
    team: |name| format!("{name} team"),
    load: |n| format!("{n} open"),
    you: "(you)",
    transfer_note: "Note for whoever takes it (optional)",
    transfer_anyway: "Transfer anyway",
    unavailable: |name, availability| match availability {
        Availability::Away => format!("{name} is away and may not see it soon. Transfer anyway?"),
        _ => format!("{name} is offline and may not see it soon. Transfer anyway?"),
    },
    choose_target: "Choose an agent or a team.",

    snooze_title: "Snooze until",
    in_an_hour: "In 1 hour",
    this_evening: "This evening (18:00)",
    tomorrow_morning: "Tomorrow morning (9:00)",
    next_week: "Next week (Monday 9:00)",
    pick_time: "Date and time",
    snooze_in_future: "Pick a date and time that is still to come.",

    move_title: "Move to another inbox",
    inbox: "Inbox",
    no_other_inbox: |channel| format!("You belong to no other {channel} inbox to move it to."),

    availability_label: "Your availability",
    availability: |availability| match availability {
        Availability::Available => "Available",
        Availability::Away => "Away",
        Availability::Offline => "Offline",
    },

    new_conversation: "New conversation",
    channel: "Channel",
    to: "To",
    to_hint: |channel| match channel {
        Channel::Email => "customer@example.com",
        _ => "+1 415 555 0100",
    },
    from: "From",
    name_optional: "Name (optional)",
    subject: "Subject",
    message: "Message",
    template: "Template",
    choose_template: "Choose a template",
    start_conversation: "Start conversation",
    starts_with_template: "A WhatsApp conversation starts with an approved template.",
    suggestions: "Contacts",
    already_open: "There was an open conversation with this contact already: here it is.",

    wrap_up_reasons: "Wrap-up reasons",
    wrap_up_hint: "Whoever closes a conversation picks one. With none, closing does not ask.",
    new_reason: "New reason",
    reason_needs_label: "Write the reason before adding it.",
    add: "Add",
    save: "Save",
    delete: |name| format!("Delete {name}"),
    rename: |name| format!("Rename {name}"),
    teams_settings: "Teams",
    teams_hint: "A team serves some inboxes: their new conversations wait in its queue. With routing, they are offered in turn to whoever is available.",
    team_name: "Team name",
    members: "Members",
    serves: "Inboxes it serves",
    routing: "Route in turn to available members",
    capacity: "Open conversations per agent",
    offer_timeout: "Seconds to open an offer",
    new_team: "New team",
    edit_team: |name| format!("Edit {name}"),
    admins_only: "Only an admin can change teams and reasons.",
    saved: "Saved",

    error_for_code: |code| match code {
        "conversation_changed" => {
            Some("This conversation changed since you looked at it. Look again, then decide.")
        }
        "reason_required" => Some("Choose a reason to close it."),
        "no_entry_point" => Some(
            "You have no number or address of that channel to write from. Ask your admin to add you to an inbox of that channel.",
        ),
        "invalid_address" => Some(
            "Write a phone number in international form (+1 415 555 0100) or an email address.",
        ),
        "name_taken" => Some("There is one with that name already."),
        "forbidden" => Some("You are not allowed to do this."),
        "busy" => Some("The server is busy. Nothing was changed: try again in a moment."),
        "opted_out" => Some("This contact asked to receive no messages (they replied STOP)."),
        "window_closed" => {
            Some("Outside the channel's reply window: only an approved template can be sent.")
        }
        _ => None,
    },
};
