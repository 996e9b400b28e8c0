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

  'toolbar.addNote': 'Agregar nota adhesiva',
  'toolbar.label': 'Herramientas del tablero',
  'toolbar.copyLink': 'Copiar enlace del tablero',
  'toolbar.linkCopied': 'Enlace copiado',
  'toolbar.language': 'Idioma',
  'toolbar.rename': 'Cambiar mi nombre',
  'toolbar.you': 'Tú: {name}',

  'error.network': 'no se pudo contactar al servidor',
  'error.server': 'el servidor respondió {status}',
}
