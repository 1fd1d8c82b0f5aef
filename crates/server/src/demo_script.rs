//! What the demo's customers and agents say. Kept apart from the seeding logic so the words
//! can be edited without touching code.

/// A short exchange: `true` lines are the customer's, `false` lines the agent's.
pub type Dialogue = &'static [(bool, &'static str)];

pub const SPANISH: &[Dialogue] = &[
    &[
        (
            true,
            "Hola, hice un pedido hace cinco días y todavía no me ha llegado. El número es 48213.",
        ),
        (false, "¡Hola! Lo reviso ahora mismo."),
        (
            false,
            "Tu pedido salió del almacén ayer; la agencia lo entrega mañana entre las 9:00 y las 14:00.",
        ),
        (
            true,
            "Perfecto, ¿me podéis mandar el número de seguimiento?",
        ),
        (
            false,
            "Claro: ES-7731-0092. Puedes seguirlo en la web de la agencia.",
        ),
        (true, "¡Muchas gracias!"),
    ],
    &[
        (
            true,
            "Buenas tardes, quiero devolver unas zapatillas que me quedan pequeñas.",
        ),
        (
            false,
            "Buenas tardes. Tienes 30 días para devolverlas sin coste. ¿Prefieres cambio de talla o reembolso?",
        ),
        (true, "Cambio de talla, un 42 en vez de un 41."),
        (
            false,
            "Hecho. Te envío la etiqueta de devolución por correo y el 42 sale en cuanto recibamos las otras.",
        ),
        (true, "Genial, gracias 🙌"),
    ],
    &[
        (true, "¿A qué hora abrís los sábados?"),
        (false, "Los sábados abrimos de 10:00 a 14:00."),
        (true, "Vale, gracias"),
    ],
    &[
        (
            true,
            "Me habéis cobrado dos veces la misma factura de octubre",
        ),
        (
            false,
            "Siento las molestias. ¿Me confirmas los últimos cuatro dígitos de la tarjeta?",
        ),
        (true, "4417"),
        (
            false,
            "Veo el cargo duplicado. Ya he solicitado la devolución; tardará entre 3 y 5 días hábiles.",
        ),
        (true, "Vale, estaré atenta. Gracias."),
    ],
    &[
        (
            true,
            "Hola! Quería pedir cita para revisión el jueves por la mañana",
        ),
        (
            false,
            "¡Hola! Tenemos hueco el jueves a las 10:30 o a las 12:00. ¿Cuál te viene mejor?",
        ),
        (true, "A las 10:30 perfecto"),
        (
            false,
            "Reservado para el jueves a las 10:30. Te mandaremos un recordatorio el día antes.",
        ),
    ],
    &[
        (
            true,
            "No puedo iniciar sesión en la app, me dice que la contraseña es incorrecta",
        ),
        (
            false,
            "Vamos a solucionarlo. ¿Has probado a restablecerla desde «He olvidado mi contraseña»?",
        ),
        (true, "Sí, pero no me llega el correo"),
        (
            false,
            "Revisa la carpeta de spam, por favor. Si no está, te envío yo el enlace manualmente.",
        ),
        (true, "Estaba en spam 🤦‍♀️ ya he entrado, gracias"),
    ],
    &[
        (true, "¿Hacéis envíos a Canarias?"),
        (
            false,
            "Sí, a Canarias enviamos con un coste de 9,95 € y tarda de 5 a 7 días.",
        ),
        (true, "¿Y hay que pagar aduanas?"),
        (
            false,
            "Para pedidos de menos de 150 € no, nosotros nos encargamos del DUA.",
        ),
    ],
    &[
        (true, "El producto ha llegado roto, os mando foto"),
        (
            false,
            "¡Vaya! Lo sentimos mucho. Te enviamos uno nuevo hoy mismo sin coste.",
        ),
        (true, "¿Tengo que devolver el roto?"),
        (false, "No hace falta, puedes desecharlo."),
    ],
    &[
        (true, "Buenos días, ¿tenéis la chaqueta azul en talla M?"),
        (
            false,
            "Buenos días. Ahora mismo no, pero entra stock el lunes. ¿Quieres que te avisemos?",
        ),
        (true, "Sí, por favor"),
    ],
    &[
        (true, "Quiero cancelar mi suscripción"),
        (
            false,
            "Lamentamos que te vayas. ¿Puedo preguntarte el motivo?",
        ),
        (true, "Me sale muy caro ahora mismo"),
        (
            false,
            "Te puedo ofrecer tres meses al 50 %. Si aun así prefieres cancelar, lo hago al momento.",
        ),
        (true, "Vale, acepto la oferta, gracias"),
    ],
    &[
        (true, "Hola, ¿cuál es el plazo de entrega a México?"),
        (false, "¡Hola! A México tardamos entre 7 y 10 días hábiles."),
        (true, "Ok, gracias. ¿Aceptan pago con OXXO?"),
        (
            false,
            "Sí, al finalizar la compra elige «Pago en efectivo (OXXO)».",
        ),
    ],
    &[
        (
            true,
            "Necesito la factura con mi CIF, la empresa es Reformas Ebro S.L.",
        ),
        (false, "Claro, ¿me indicas el CIF y la dirección fiscal?"),
        (true, "B50123456, calle Predicadores 12, Zaragoza"),
        (false, "Listo, te la he enviado por correo electrónico."),
    ],
];

pub const ENGLISH: &[Dialogue] = &[
    &[
        (
            true,
            "Hi, my order #58120 says delivered but I never got it.",
        ),
        (
            false,
            "I'm sorry about that! Let me check with the courier.",
        ),
        (
            false,
            "The courier left it at the parcel locker on 5th Street. The pickup code is 4471.",
        ),
        (true, "Found it, thanks so much!"),
    ],
    &[
        (true, "Can I change the delivery address on my order?"),
        (
            false,
            "Yes, as long as it hasn't shipped. What's the new address?",
        ),
        (true, "221 Pine St, Apt 4B, San Francisco CA 94104"),
        (
            false,
            "Updated! You'll get a confirmation email in a minute.",
        ),
    ],
    &[
        (true, "Do you price match?"),
        (
            false,
            "We do, for identical items sold by major retailers. Send me the link and I'll take a look.",
        ),
        (true, "Great, here it is"),
    ],
    &[
        (true, "The app keeps crashing when I open my cart"),
        (
            false,
            "Thanks for reporting it. Which phone and app version are you on?",
        ),
        (true, "iPhone 15, version 4.2.1"),
        (
            false,
            "That's a known issue fixed in 4.2.2, rolling out today. Updating should solve it.",
        ),
        (true, "Updated, it works now 👍"),
    ],
    &[
        (
            true,
            "Hello, is the blender still under warranty? I bought it 14 months ago.",
        ),
        (
            false,
            "Yes, it has a 2-year warranty. What's happening with it?",
        ),
        (true, "It makes a burning smell after a few seconds"),
        (
            false,
            "Please stop using it. I've opened a warranty claim and emailed you a free return label.",
        ),
    ],
    &[
        (true, "Hey, do you have gift cards?"),
        (
            false,
            "We do! Digital gift cards from $10 to $500, delivered by email.",
        ),
    ],
];

/// First messages of new customers, for the simulator.
pub const OPENERS_ES: &[&str] = &[
    "Hola, ¿me podéis ayudar con un pedido?",
    "Buenas, el paquete no ha llegado todavía",
    "¿Tenéis tienda física en Valencia?",
    "Quiero cambiar la dirección de entrega de mi pedido",
    "¿Cuánto cuesta el envío urgente?",
    "Hola! Me ha llegado un producto equivocado",
    "¿Puedo pagar a plazos?",
    "Buenos días, necesito una factura de mi última compra",
    "No me funciona el código de descuento BIENVENIDA10",
    "¿Hasta qué hora puedo hacer el pedido para que llegue mañana?",
    "Hola, quiero darme de baja del boletín",
    "¿El modelo X200 es compatible con Android?",
];

pub const OPENERS_EN: &[&str] = &[
    "Hi, can someone help me with my order?",
    "My package hasn't arrived yet",
    "Do you ship to Canada?",
    "I was charged twice for the same order",
    "Is there a student discount?",
    "How do I reset my password?",
    "Can I return an item bought on sale?",
];

/// What a customer says when they write again in an open conversation.
pub const FOLLOW_UPS_ES: &[&str] = &[
    "¿Alguna novedad?",
    "Perdona, ¿me podéis responder?",
    "Vale, muchas gracias",
    "Otra pregunta: ¿el envío es gratis a partir de 50 €?",
    "Os mando el número de pedido: 51877",
    "Perfecto 👍",
    "Sigo esperando respuesta…",
    "Me viene mejor por la tarde, si puede ser",
];

pub const FOLLOW_UPS_EN: &[&str] = &[
    "Any update?",
    "Thanks!",
    "Also, can I add one more item to the order?",
    "Here's my order number: 60213",
    "Sounds good 👍",
    "Still waiting on this one…",
];

/// Customers' names; some customers never tell theirs.
pub const NAMES_ES: &[&str] = &[
    "Lucía Fernández",
    "Javier Moreno",
    "Carmen Ruiz",
    "Diego Navarro",
    "Marta Gil",
    "Pablo Ortega",
    "Sofía Castro",
    "Alejandro Vega",
    "Elena Romero",
    "Sergio Delgado",
    "Laura Molina",
    "Andrés Ramos",
    "Paula Serrano",
    "Raúl Blanco",
    "Nuria Medina",
    "Hugo Herrera",
    "Irene Cano",
    "Adrián Prieto",
    "Valentina López",
    "Mateo González",
    "Camila Rodríguez",
    "Santiago Pérez",
    "Isabella Martínez",
    "Martina Sánchez",
    "Tomás Díaz",
    "Renata Flores",
    "Emiliano Torres",
    "Ximena Rivera",
];

pub const NAMES_EN: &[&str] = &[
    "Emma Johnson",
    "Liam Smith",
    "Olivia Brown",
    "Noah Davis",
    "Ava Wilson",
    "Ethan Miller",
    "Mia Taylor",
    "James Anderson",
    "Harper Thomas",
    "Benjamin Moore",
    "Grace Lee",
    "Henry Clark",
];
