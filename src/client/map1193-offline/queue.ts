// The device's queue of route reports, in IndexedDB: a report stays here, with everything the
// volunteer typed, until the server has confirmed it by its id. Both the page and the service
// worker read and write it, so it holds plain data only.

export type Refusal = 'invalid' | 'not_on_route';

export type QueuedReport = {
  /** Made on the device; the server stores a report once per id, so resending is harmless. */
  reportId: string;
  /** The account that made it. Only that account's session sends it. */
  owner: string;
  stopId: string;
  stopName: string;
  observed: string;
  problems: string[];
  note: string;
  observedAt: string;
  /** 'refused' when the server answered that it will never take it: kept so nothing typed is lost. */
  state: 'waiting' | 'refused';
  refusal?: Refusal;
};

const DATABASE = 'heatwatch-map1193';
const STORE = 'reports';

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: 'reportId' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('queue database blocked'));
  });
}

/** One transaction; resolves once it has committed, not when the request succeeded. */
async function inStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDatabase();
  try {
    return await new Promise<T>((resolve, reject) => {
      // Strict durability: a report the volunteer was told is saved must survive a power cut.
      const transaction = db.transaction(STORE, mode, { durability: mode === 'readwrite' ? 'strict' : 'default' });
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? request.error);
      transaction.onabort = () => reject(transaction.error ?? new Error('queue transaction aborted'));
    });
  } finally {
    db.close();
  }
}

export async function saveReport(report: QueuedReport): Promise<void> {
  await inStore('readwrite', (store) => store.put(report));
}

export function queuedReports(): Promise<QueuedReport[]> {
  return inStore('readonly', (store) => store.getAll() as IDBRequest<QueuedReport[]>);
}

export async function forgetReport(reportId: string): Promise<void> {
  await inStore('readwrite', (store) => store.delete(reportId));
}

/**
 * Asks the browser to keep this site's storage under pressure instead of clearing it as a cache:
 * queued reports live here. A refusal changes nothing else; the browser decides.
 */
export async function askToKeepStorage(): Promise<void> {
  try {
    const storage = navigator.storage as (StorageManager & { persisted?: () => Promise<boolean> }) | undefined;
    if (storage?.persist && !(await storage.persisted?.())) await storage.persist();
  } catch {
    // Not supported: storage stays best-effort.
  }
}
