// Two minutes before an idle staff session times out, says so beside the page with a "Stay
// signed in" button that posts to the keep-alive route. Without this script the timeout is as
// it always was (and a form sent after it is kept for the next sign-in, on the server).
const box = document.querySelector<HTMLElement>('[data-session-timeout]');
const csrf = document.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value;

if (box && csrf) {
  const idleMs = Number(box.dataset.idleSeconds) * 1000;
  const warnMs = Number(box.dataset.warnSeconds) * 1000;
  const url = box.dataset.keepAlive!;
  const text = box.querySelector<HTMLElement>('[data-session-timeout-text]')!;
  const button = box.querySelector<HTMLButtonElement>('button')!;
  const labels = { warning: box.dataset.labelWarning!, stayed: box.dataset.labelStayed!, ended: box.dataset.labelEnded!, failed: box.dataset.labelFailed! };
  let deadline = performance.now() + Number(box.dataset.leftSeconds) * 1000;
  let timer: number | undefined;

  const show = (message: string, withButton: boolean) => {
    text.textContent = message;
    button.hidden = !withButton;
    // The role is given only when the warning shows, so a page without it announces nothing.
    box.setAttribute('role', 'alert');
    box.hidden = false;
  };
  const schedule = () => {
    window.clearTimeout(timer);
    const left = deadline - performance.now();
    if (left <= 0) return show(labels.ended, false);
    if (left <= warnMs) {
      show(labels.warning, true);
      timer = window.setTimeout(schedule, left);
      return;
    }
    timer = window.setTimeout(schedule, left - warnMs);
  };

  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const res = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ _csrf: csrf }).toString(),
      });
      // A lapsed session answers with the sign-in page, not JSON.
      if (!res.ok || !(res.headers.get('content-type') ?? '').includes('application/json')) throw new Error('not kept');
      deadline = performance.now() + idleMs;
      show(labels.stayed, false);
      window.setTimeout(() => {
        if (button.hidden) box.hidden = true;
      }, 5000);
      schedule();
    } catch {
      show(labels.failed, true);
    } finally {
      button.disabled = false;
    }
  });

  schedule();
}
