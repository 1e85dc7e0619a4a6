/**
 * The WebLN app page's Moneysocket part, kept apart from the app's own
 * script: the elements, and a note when install-webln leaves an existing
 * window.webln (a wallet extension) in place.
 */
import '../src/elements/define/index.js';

const consumer = document.querySelector('ms-consumer');
consumer?.addEventListener('ms-error', (event) => {
  if (event.detail.code !== 'WEBLN_PROVIDER_EXISTS') return;
  const note = document.getElementById('webln-note');
  if (note === null) return;
  note.hidden = false;
  note.textContent = 'This browser already has a WebLN wallet (an extension?): the app below uses that one, not your Moneysocket wallet.';
});
