// Upgrades the Quick exit link: location.replace leaves no history entry for this page, so
// Back cannot bring it back; pressing Escape twice within a second does the same.
const link = document.querySelector<HTMLAnchorElement>('a[data-quick-exit]');

if (link) {
  const destination = link.href;
  const leave = () => {
    document.documentElement.hidden = true;
    document.title = '';
    window.location.replace(destination);
  };
  link.addEventListener('click', (event) => {
    event.preventDefault();
    leave();
  });
  let lastEscape = 0;
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const now = Date.now();
    if (now - lastEscape < 1000) leave();
    lastEscape = now;
  });
}
