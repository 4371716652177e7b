// The day-of-action progress page, live: polls the progress JSON and writes each figure into
// the element that names its place (`data-live="teams.0.visited"`). Without this script the
// page's refresh link does the same by reloading. A failed poll leaves the last figures.
const root = document.querySelector<HTMLElement>('[data-live-progress]');
const EVERY_MS = 15_000;

function valueAt(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), data);
}

async function poll(container: HTMLElement, url: string): Promise<void> {
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
    if (!res.ok) return;
    const data: unknown = await res.json();
    for (const el of container.querySelectorAll<HTMLElement>('[data-live]')) {
      const value = valueAt(data, el.dataset.live!);
      if ((typeof value === 'number' || typeof value === 'string') && el.textContent !== String(value)) el.textContent = String(value);
    }
  } catch {
    // Offline for a moment: the next poll tries again.
  }
}

if (root?.dataset.liveProgress) {
  const url = root.dataset.liveProgress;
  root.querySelector<HTMLElement>('[data-live-note]')?.removeAttribute('hidden');
  const tick = () => {
    if (document.visibilityState === 'visible') void poll(root, url);
  };
  setInterval(tick, EVERY_MS);
  document.addEventListener('visibilitychange', tick);
  void poll(root, url);
}
