/**
 * Keeps the app itself available when the venue wifi or the server is gone, so a person can
 * reopen a board and keep working from this browser's copy (IndexedDB). Only our own origin's
 * app files are cached; the API and the sync socket always go to the network.
 */
const CACHE = 'common-ground-app-v1'
const SHELL = '/'

/**
 * index.html, the scripts and styles it names, and the pages those scripts load later (the board
 * and the Progress view are chunks of their own, named in the entry script as `assets/…`), so a
 * board opens offline even if this browser never showed one while online. The rest is cached as
 * it is fetched.
 */
async function cacheShell() {
  const cache = await caches.open(CACHE)
  const response = await fetch(SHELL, { cache: 'no-cache' })
  if (!response.ok) return
  const html = await response.clone().text()
  await cache.put(SHELL, response)
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1])
  await cache.addAll(assets)
  const later = new Set()
  for (const asset of assets) {
    if (!asset.endsWith('.js')) continue
    const script = await (await cache.match(asset))?.text()
    for (const match of script?.matchAll(/["'`]assets\/([\w.-]+\.(?:js|css))["'`]/g) ?? []) {
      const path = `/assets/${match[1]}`
      if (!assets.includes(path)) later.add(path)
    }
  }
  await cache.addAll([...later])
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()))
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))),
      )
      .then(() => self.clients.claim()),
  )
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return

  if (request.mode === 'navigate') {
    // Network first, so a new version shows at once; the cached app when nothing answers.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone()
            caches.open(CACHE).then((cache) => cache.put(SHELL, copy))
          }
          return response
        })
        .catch(() => caches.match(SHELL).then((cached) => cached ?? Response.error())),
    )
    return
  }

  if (url.pathname.startsWith('/assets/')) {
    // Fingerprinted files never change under their name: the cache answers first.
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ??
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone()
              caches.open(CACHE).then((cache) => cache.put(request, copy))
            }
            return response
          }),
      ),
    )
  }
})
