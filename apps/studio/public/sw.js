// The studio's service worker: keeps the app shell (index.html and the built assets: scripts,
// styles, the decode worker, the WebAssembly of the DICOM codecs and ONNX Runtime) so the viewer
// opens with the studio server stopped. Model bundles are not here: the viewer keeps them in
// IndexedDB. API answers are never cached — they must be live or fail.
const SHELL_CACHE = 'cvf-shell-v1';
const SHELL_PATH = '/';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.add(SHELL_PATH)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('cvf-shell-') && name !== SHELL_CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

/** Same-origin files of the shell: everything but the API and the login. */
function isShellRequest(url) {
  return url.origin === self.location.origin && !url.pathname.startsWith('/api/') && url.pathname !== '/login';
}

// The page sends the files it loaded before this worker controlled it, so they are kept too.
self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'cache-shell' || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((href) => typeof href === 'string' && isShellRequest(new URL(href)));
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => Promise.all(urls.map((href) => cache.match(href).then((hit) => hit ?? cache.add(href)))))
      .then(
        () => event.source && event.source.postMessage({ type: 'shell-cached', count: urls.length }),
        (error) => event.source && event.source.postMessage({ type: 'shell-cache-failed', message: String(error) }),
      ),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || !isShellRequest(url)) return;
  if (request.mode === 'navigate') {
    // Pages: the network first (a new build), the cached shell when the server is gone. Every route is index.html.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            void caches.open(SHELL_CACHE).then((cache) => cache.put(SHELL_PATH, copy));
          }
          return response;
        })
        .catch(() => caches.match(SHELL_PATH).then((hit) => hit ?? Response.error())),
    );
    return;
  }
  // Built assets have hashed names and never change: the cache first, then the network (and keep it).
  event.respondWith(
    caches.match(request).then(
      (hit) =>
        hit ??
        fetch(request).then((response) => {
          if (response.ok && response.type === 'basic') {
            const copy = response.clone();
            void caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});
