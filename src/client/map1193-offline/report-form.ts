// A stop's report form, enhanced: the report is first saved on the device with an id made here,
// then sent. With no connection it waits in the queue and the volunteer goes on to the next stop;
// the route list sends it later. Without the enhancement the form posts as usual.
import { type Labels, readLabels } from './labels.ts';
import { askToKeepStorage, type QueuedReport, queuedReports, saveReport } from './queue.ts';
import { ROUTE_PATH, sendQueued } from './sync.ts';
import { registerWorker, requestBackgroundSync } from './worker.ts';

/** How long a sent report may take before the volunteer moves on and the queue finishes the job. */
const SEND_PATIENCE_MS = 10_000;

type Errors = Partial<Record<'observed' | 'problems', string>>;

function check(observed: string, problems: string[], labels: Labels): Errors {
  if (!observed) return { observed: labels.chooseObservation ?? '' };
  if (observed === 'wrong' && problems.length === 0) return { problems: labels.chooseProblem ?? '' };
  return {};
}

/** The same markup the server renders for a refused form: a linked summary and a message at the field. */
function showErrors(form: HTMLFormElement, errors: Errors, labels: Labels): void {
  form.querySelector('.error-summary')?.remove();
  for (const old of form.querySelectorAll('.field-error')) {
    const field = old.closest('fieldset');
    field?.setAttribute('aria-describedby', (field.getAttribute('aria-describedby') ?? '').replace(old.id, '').trim());
    if (field && !field.getAttribute('aria-describedby')) field.removeAttribute('aria-describedby');
    old.remove();
  }
  const entries = Object.entries(errors);
  if (entries.length === 0) return;
  const summary = document.createElement('div');
  summary.className = 'error-summary';
  summary.setAttribute('role', 'alert');
  summary.tabIndex = -1;
  summary.id = 'error-summary';
  const title = document.createElement('h2');
  title.textContent = labels.errorSummary ?? '';
  const list = document.createElement('ul');
  for (const entry of entries) {
    const name = entry[0];
    const message = entry[1] ?? '';
    const link = document.createElement('a');
    link.href = `#${name}`;
    link.textContent = message;
    const item = document.createElement('li');
    item.append(link);
    list.append(item);
    const field = form.querySelector<HTMLFieldSetElement>(`fieldset#${name}`);
    if (!field) continue;
    const error = document.createElement('span');
    error.className = 'field-error';
    error.id = `${name}-error`;
    error.textContent = message;
    field.querySelector('legend')?.after(error);
    field.setAttribute('aria-describedby', `${field.getAttribute('aria-describedby') ?? ''} ${error.id}`.trim());
  }
  summary.append(title, list);
  form.querySelector('fieldset')?.before(summary);
  summary.focus();
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function startReportForm(form: HTMLFormElement): void {
  const labels = readLabels(form);
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  const status = form.querySelector<HTMLElement>('[data-part="status"]');
  let busy = false;
  void registerWorker();

  async function saveAndSend(): Promise<void> {
    const data = new FormData(form);
    const observed = String(data.get('observed') ?? '');
    const problems = data.getAll('problems').map(String);
    const errors = check(observed, problems, labels);
    showErrors(form, errors, labels);
    if (Object.keys(errors).length > 0) return;
    const report: QueuedReport = {
      reportId: crypto.randomUUID(),
      owner: form.dataset.account ?? '',
      stopId: form.dataset.stop ?? '',
      stopName: form.dataset.stopName ?? '',
      observed,
      problems: observed === 'wrong' ? problems : [],
      note: String(data.get('note') ?? '').trim(),
      observedAt: new Date().toISOString(),
      state: 'waiting',
    };
    busy = true;
    if (submit) submit.disabled = true;
    if (status) status.textContent = labels.saving ?? '';
    try {
      await saveReport(report);
    } catch {
      postWithoutStorage(report.reportId);
      return;
    }
    void askToKeepStorage();
    void requestBackgroundSync();
    await Promise.race([sendQueued().catch(() => undefined), delay(SEND_PATIENCE_MS)]);
    const stillQueued = (await queuedReports().catch(() => [report])).some((r) => r.reportId === report.reportId);
    location.assign(`${ROUTE_PATH}?${stillQueued ? 'queued' : 'done'}=1`);
  }

  /**
   * No storage on this device (full, or switched off). Online, the ordinary post still works,
   * with an id made now: a page from the cache carries an id that may already have been used.
   * Offline, the form stays as it is, with a message, rather than leading to an error page.
   */
  function postWithoutStorage(reportId: string): void {
    if (navigator.onLine) {
      const field = form.querySelector<HTMLInputElement>('input[name="reportId"]');
      if (field) field.value = reportId;
      form.submit();
      return;
    }
    busy = false;
    if (submit) submit.disabled = false;
    if (status) status.textContent = labels.storageFailed ?? '';
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!busy) void saveAndSend();
  });
  // Back to this page from the next one (the back/forward cache): the form is usable again.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    busy = false;
    if (submit) submit.disabled = false;
    if (status) status.textContent = '';
  });
}
