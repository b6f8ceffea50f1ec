import { useEffect, useState } from 'react';

/** Whether the viewer can open without the studio server: its shell is cached by the service worker. */
export type OfflineState = 'unsupported' | 'installing' | 'ready' | 'failed';

/** The files this page has loaded so far, for the service worker to keep. */
async function postLoadedFiles(): Promise<void> {
  const registration = await navigator.serviceWorker.ready;
  const loaded = [location.href, ...performance.getEntriesByType('resource').map((entry) => entry.name)];
  registration.active?.postMessage({ type: 'cache-shell', urls: loaded });
}

/**
 * Registers the studio's service worker (public/sw.js) and hands it the files the page loaded
 * before the worker took control — again whenever `revision` changes (a model or a file was
 * loaded, so ONNX Runtime's and the codecs' files are in) — so the next visit works offline.
 * Bundles are cached apart, in IndexedDB.
 */
export function useOfflineShell(revision: unknown): OfflineState {
  const supported = typeof navigator !== 'undefined' && 'serviceWorker' in navigator;
  const [state, setState] = useState<OfflineState>(supported ? 'installing' : 'unsupported');
  useEffect(() => {
    if (!supported) return;
    const onMessage = (event: MessageEvent<{ type?: string }>) => {
      if (event.data?.type === 'shell-cached') setState('ready');
      if (event.data?.type === 'shell-cache-failed') setState('failed');
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => setState('failed'));
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, [supported]);
  useEffect(() => {
    if (supported) postLoadedFiles().catch(() => setState('failed'));
  }, [supported, revision]);
  return state;
}
