// Print island: shows the [data-print] buttons, hidden while there is no script to run them,
// and opens the browser's print dialog. Without it the page says to use the Print command.
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
