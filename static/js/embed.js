/* embed.js: puts the portal's desk list on a partner site, in one line.
 *
 *   <script src="https://PORTAL/embed/embed.js" data-desks
 *           data-municipality="Rho" data-service="permit-renewal" data-lang="en" async></script>
 *   <portal-desks municipality="Rho" service="permit-renewal" lang="en"></portal-desks>
 *
 * Both insert an iframe of https://PORTAL/embed/desks/ (inside a shadow root
 * for the element, so the host page's CSS cannot reach it) and size it to
 * its content from the height the embed page posts. A plain
 * <iframe src="https://PORTAL/embed/desks/..."> already on the page is sized
 * too. Only messages from the portal's origin, from one of our iframes and
 * of the expected shape are used.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return;
  var origin = new URL(script.src, window.location.href).origin;
  var MESSAGE = 'portal-desks:height';
  var frames = [];

  function frameSrc(o) {
    var q = new URLSearchParams();
    ['municipality', 'service', 'lang'].forEach(function (k) {
      if (o[k]) q.set(k, o[k]);
    });
    var s = q.toString();
    return origin + '/embed/desks/' + (s ? '?' + s : '');
  }

  function track(f) {
    if (frames.indexOf(f) < 0) frames.push(f);
  }

  function makeFrame(o) {
    var f = document.createElement('iframe');
    f.src = frameSrc(o);
    f.title = o.title || 'Sportelli per cittadini stranieri';
    f.loading = 'lazy';
    f.setAttribute('scrolling', 'no');
    f.style.display = 'block';
    f.style.width = '100%';
    f.style.border = '0';
    f.style.height = '480px'; // until the first height message
    track(f);
    return f;
  }

  function options(get) {
    return { municipality: get('municipality'), service: get('service'), lang: get('lang'), title: get('title') };
  }

  window.addEventListener('message', function (e) {
    if (e.origin !== origin) return;
    var d = e.data;
    if (!d || typeof d !== 'object' || d.type !== MESSAGE) return;
    var h = d.height;
    if (typeof h !== 'number' || !isFinite(h) || h <= 0 || h > 100000) return;
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) frames[i].style.height = Math.ceil(h) + 'px';
    }
  });

  // Plain iframes of the embed page already on the page.
  var existing = document.querySelectorAll('iframe[src^="' + origin + '/embed/desks/"]');
  for (var i = 0; i < existing.length; i++) {
    existing[i].setAttribute('scrolling', 'no');
    track(existing[i]);
  }

  // <script ... data-desks>: the list goes right after the script.
  if (script.hasAttribute('data-desks')) {
    var box = document.createElement('div');
    box.className = 'portal-desks';
    box.appendChild(makeFrame(options(function (k) { return script.getAttribute('data-' + k); })));
    script.parentNode.insertBefore(box, script.nextSibling);
  }

  // <portal-desks municipality=... service=... lang=...>
  if (window.customElements && !window.customElements.get('portal-desks')) {
    window.customElements.define('portal-desks', class extends HTMLElement {
      connectedCallback() {
        if (this.shadowRoot) return;
        var el = this;
        this.style.display = 'block';
        this.attachShadow({ mode: 'open' }).appendChild(makeFrame(options(function (k) { return el.getAttribute(k); })));
      }
    });
  }
})();
