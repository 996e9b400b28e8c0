import type { Catalogue } from './en.ts'

/** Spanish (neutral Latin American usage, "tú" form). */
export const es: Catalogue = {
  'app.name': 'Common Ground',
  'app.tagline': 'Un tablero compartido para retiros de alianzas',

  'home.heading': 'Crea un tablero para tu retiro',
  'home.intro':
    'Las organizaciones aliadas ubican dónde se cruza su trabajo, proponen ideas en notas adhesivas, votan lo más importante y salen con un plan que todos pueden poner en marcha.',
  'home.titleLabel': 'Título del tablero',
  'home.titleDefault': 'Retiro de la alianza',
  'home.create': 'Crear tablero',
  'home.creating': 'Creando…',
  'home.recent': 'Tableros que abriste en este dispositivo',
  'home.noRecent': 'Todavía ninguno.',
  'home.forget': 'Olvidar en este dispositivo',
  'home.forgetNamed': 'Olvidar «{title}» en este dispositivo',
  'home.forgetConfirm':
    '¿Quitar la copia de «{title}» guardada en este navegador? El tablero sigue en el servidor. Se perderían los cambios que este dispositivo aún no haya enviado.',
  'home.createFailed': 'No se pudo crear el tablero: {reason}',

  'join.heading': 'Unirse a «{title}»',
  'join.nameLabel': 'Tu nombre, tal como lo verán los demás',
  'join.namePlaceholder': 'p. ej., Rosa, de la autoridad de vivienda',
  'join.submit': 'Entrar al tablero',
  'join.nameRequired': 'Escribe un nombre (hasta {max} caracteres).',

  'board.loading': 'Abriendo el tablero…',
  'board.notFound':
    'No hay ningún tablero en esta dirección. Revisa el enlace o crea un tablero nuevo.',
  'board.invalidId': 'Este enlace no es una dirección de tablero válida.',
  'board.backHome': 'Ir a la página de inicio',

  'status.connecting': 'Conectando…',
  'status.connected': 'En vivo',
  'status.reconnecting': 'Reconectando… tus cambios están guardados en este dispositivo',
  'status.offline': 'Sin conexión: tus cambios están guardados en este dispositivo',
  'status.refused':
    'El servidor ya no permite abrir el tablero con este enlace. Pide un enlace nuevo a quien facilita.',
  'status.waiting': { one: '{count} elemento por enviar', other: '{count} elementos por enviar' },
  'status.label': 'Conexión',
  'status.reconnectNow': 'Reconectar ahora',
  'status.peers': { one: '{count} persona aquí', other: '{count} personas aquí' },

  'toolbar.add': 'Agregar al tablero',
  'toolbar.addNoteShort': 'Nota',
  'toolbar.addOrganizationShort': 'Organización',
  'toolbar.addIntersectionShort': 'Cruce',
  'toolbar.addNote': 'Agregar nota adhesiva',
  'toolbar.label': 'Herramientas del tablero',
  'toolbar.copyLink': 'Copiar enlace del tablero',
  'toolbar.linkCopied': 'Enlace copiado',
  'toolbar.language': 'Idioma',
  'toolbar.rename': 'Cambiar mi nombre',
  'toolbar.you': 'Tú: {name}',

  'error.network': 'no se pudo contactar al servidor',
  'error.server': 'el servidor respondió {status}',
  // The partnership plan: retreat template, stage prompts, organization and intersection cards.
  'template.retreat.name': 'Encuentro de alianza',
  'stage.readiness.title': '0 · ¿Por qué aliarnos? ¿Estamos listos?',
  'stage.readiness.prompt':
    'Antes de comprometernos, revisemos juntos: ¿nuestros directivos apoyan esto?, ¿tenemos el personal y los fondos?, ¿sabemos cómo resolveremos los desacuerdos? Anoten las respuestas en el plan.',
  'stage.organizations.title': '1 · Nuestras organizaciones',
  'stage.organizations.prompt':
    'Una tarjeta por organización: qué hacen y cómo lo miden, quién los financia y si los resultados influyen en ese financiamiento, qué aportan y qué necesitan.',
  'stage.intersections.title': '2 · Donde se cruza nuestro trabajo',
  'stage.intersections.prompt':
    'Nombren al menos tres puntos donde nuestro trabajo se cruza. Para cada uno: ¿cómo sería la colaboración ideal?, ¿qué cambiaría?, ¿cómo nos daríamos cuenta? Tracen una flecha de cada organización a los puntos que toca.',
  'stage.issues.title': '3 · Temas que podríamos abordar',
  'stage.issues.prompt':
    'Una idea por nota adhesiva: una meta compartida o un problema que podríamos enfrentar juntos. Luego agrupen las notas que van juntas.',
  'stage.vote.title': '4 · Priorizar los temas',
  'stage.vote.prompt':
    'Cada persona reparte sus puntos entre los temas que más le importan. Quien facilita revela el conteo y la lista ordenada.',
  'stage.actionPlan.title': '5 · Plan de acción',
  'stage.actionPlan.prompt':
    'Empezando por el tema principal: qué asume cada organización, qué necesita de las demás y de su organización matriz; luego los pasos, quién se encarga de cada uno y para cuándo.',
  'stage.community.title': '6 · Comunidad y capacidad',
  'stage.community.prompt':
    '¿A quién servimos, qué necesita y con qué cuenta ya, cómo le llegamos? ¿Podemos sostener el trabajo: quién lo dirige, cuántas horas de personal, qué capacitación, qué obstáculos?',
  'stage.evaluation.title': '7 · Evaluar y sostener',
  'stage.evaluation.prompt':
    '¿Qué cifras e historias mostrarán que funciona, de dónde vienen los datos, quién los comparte con quién, cada cuánto los revisamos y cómo seguimos adelante?',
  'stage.roles.title': '8 · Roles y acuerdo',
  'stage.roles.prompt':
    'Elijan una organización líder; definan quién se encarga del acercamiento a la comunidad, los datos, la coordinación, las comunicaciones y la recaudación de fondos; decidan si habrá comités o grupos de trabajo; indiquen en qué va el acuerdo escrito.',
  'readiness.leadership': '¿Los directivos de cada organización apoyan esta alianza?',
  'readiness.capacity': '¿Tenemos el personal y el tiempo para sostenerla?',
  'readiness.funding': '¿Tenemos un plan para financiar el trabajo compartido?',
  'readiness.conflict': '¿Acordamos cómo resolveremos los desacuerdos?',
  'readiness.tracking': '¿Vamos a dar seguimiento a lo que logre la alianza?',
  'readiness.signatory': '¿Sabemos quién firmará el acuerdo de la alianza?',
  'answer.yes': 'Sí',
  'answer.no': 'No',
  'answer.unsure': 'No estoy seguro',
  'answer.unanswered': 'Sin responder',
  'orgKind.community': 'Organización comunitaria',
  'orgKind.public': 'Dependencia pública',
  'orgKind.faith': 'Organización religiosa',
  'orgKind.business': 'Empresa',
  'orgKind.philanthropy': 'Filantropía',
  'orgKind.other': 'Otra',
  'orgKind.unset': 'Tipo sin elegir',
  'card.org.label': 'Tarjeta de organización',
  'card.org.name': 'Nombre de la organización',
  'card.org.untitled': 'Organización sin nombre',
  'card.org.kind': 'Tipo',
  'card.org.activities': 'Actividades principales',
  'card.org.activity': 'Actividad {number}',
  'card.org.measure': 'Cómo se mide la actividad {number}',
  'card.org.addActivity': 'Agregar una actividad',
  'card.org.removeActivity': 'Quitar la actividad {number}',
  'card.org.funding': 'Principales fuentes de financiamiento',
  'card.org.performanceFunding': '¿Los resultados influyen en el financiamiento?',
  'card.org.offers': 'Lo que aportamos',
  'card.org.needs': 'Lo que necesitamos',
  'card.intersection.label': 'Tarjeta de cruce',
  'card.intersection.title': 'Dónde coincidimos',
  'card.intersection.untitled': 'Cruce sin nombre',
  'card.intersection.ideal': 'Idealmente, colaborar aquí significa',
  'card.intersection.result': 'Qué cambiaría',
  'card.intersection.evidence': 'Cómo sabremos que está ocurriendo',
  'card.editHint': 'Doble clic o Enter para editar',
  'card.done': 'Listo',
  'card.org.add': 'Agregar tarjeta de organización',
  'card.intersection.add': 'Agregar tarjeta de cruce',
}
