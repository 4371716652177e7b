import type { KeepReply } from './sw.ts';
import { SYNC_TAG } from './sync.ts';

const WORKER_URL = '/console/map1193/sw.js';
/** The whole console, so the worker also sees a sign-out and forgets the saved route. */
const WORKER_SCOPE = '/console/';

/** Everything the offline route needs from the browser; without it the plain forms do the work. */
export function offlineSupported(): boolean {
  return 'serviceWorker' in navigator && 'indexedDB' in window && window.isSecureContext && typeof crypto.randomUUID === 'function';
}

export async function registerWorker(): Promise<ServiceWorkerRegistration | undefined> {
  try {
    await navigator.serviceWorker.register(WORKER_URL, { scope: WORKER_SCOPE });
    return await navigator.serviceWorker.ready;
  } catch {
    return undefined;
  }
}

/** Asks the worker to save these pages and files for use offline; answers once it has. */
export function keepForOffline(registration: ServiceWorkerRegistration, version: string, pages: string[], assets: string[]): Promise<KeepReply> {
  const worker = registration.active;
  if (!worker) return Promise.resolve({ saved: false, available: false });
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data as KeepReply);
    worker.postMessage({ type: 'keep', version, pages, assets }, [channel.port2]);
  });
}

/** Lets the browser send the queue later even if this page is closed (where it supports that). */
export async function requestBackgroundSync(): Promise<void> {
  try {
    const registration = (await navigator.serviceWorker.getRegistration('/console/')) as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined;
    await registration?.sync?.register(SYNC_TAG);
  } catch {
    // Not supported or not allowed: the page sends the queue itself whenever it is open and online.
  }
}
