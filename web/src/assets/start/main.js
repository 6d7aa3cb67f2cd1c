// Marks each demo and the admin UI as on or off, by asking the server for the page (404 = off).
for (const cell of document.querySelectorAll('[data-probe]')) {
  fetch(cell.dataset.probe, { method: 'HEAD' }).then((r) => {
    cell.textContent = r.ok ? 'on' : 'off';
    cell.className = r.ok ? 'ok' : 'muted';
    if (r.ok) {
      const hint = document.getElementById(cell.dataset.probe === '/admin/' ? 'admin-hint' : 'demo-hint');
      hint.classList.add('hidden');
    }
  });
}
