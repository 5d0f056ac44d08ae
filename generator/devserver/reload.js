// Live reload for "portal serve". Served by the preview server at
// /__portal/reload.js and referenced only by pages built in preview mode; it
// is never part of the published site.
//
// Events on /__portal/events (JSON data):
//   hello  {build, errors}   the server's state, sent on every (re)connection
//   reload {build, changed}  a build succeeded; changed lists the URL paths
//                            that changed, or is null for "everything"
//   error  {errors}          the build failed; the last good site is still served
//
// The error box is built with DOM calls and styled by /__portal/overlay.css
// (no inline script or style, so the production CSP still holds).
(function () {
  'use strict';

  var SCROLL_KEY = 'portal-serve-scroll';
  var seenBuild = null;
  var overlay = null;
  var focusBefore = null;
  var source = null;

  function normalise(p) {
    try {
      p = decodeURI(p);
    } catch (e) {
      // keep the raw path
    }
    if (p.slice(-11) === '/index.html') {
      p = p.slice(0, -10);
    }
    return p;
  }

  function concernsThisPage(changed) {
    // The server's own "no site yet" page always gives way to a build.
    if (!changed || document.querySelector('meta[name="portal-serve"][content="no-site"]')) {
      return true;
    }
    var here = normalise(location.pathname);
    for (var i = 0; i < changed.length; i++) {
      if (normalise(changed[i]) === here) {
        return true;
      }
    }
    return false;
  }

  function reload() {
    try {
      sessionStorage.setItem(SCROLL_KEY, JSON.stringify({
        path: location.pathname, x: window.scrollX, y: window.scrollY
      }));
    } catch (e) {
      // private mode: reload without restoring the position
    }
    location.reload();
  }

  function restoreScroll() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || 'null');
      sessionStorage.removeItem(SCROLL_KEY);
    } catch (e) {
      return;
    }
    if (saved && saved.path === location.pathname) {
      window.scrollTo(saved.x, saved.y);
    }
  }

  function stylesheet() {
    if (document.getElementById('portal-overlay-css')) {
      return;
    }
    var link = document.createElement('link');
    link.id = 'portal-overlay-css';
    link.rel = 'stylesheet';
    link.href = '/__portal/overlay.css';
    document.head.appendChild(link);
  }

  function hideErrors() {
    if (!overlay) {
      return;
    }
    overlay.remove();
    overlay = null;
    if (focusBefore && document.contains(focusBefore)) {
      focusBefore.focus();
    }
    focusBefore = null;
  }

  function showErrors(errors) {
    if (!errors || errors.length === 0) {
      hideErrors();
      return;
    }
    stylesheet();
    var fresh = !overlay;
    if (fresh) {
      focusBefore = document.activeElement;
    } else {
      overlay.remove();
    }
    var box = document.createElement('dialog');
    box.className = 'portal-overlay';
    box.setAttribute('role', 'alertdialog');
    box.setAttribute('aria-labelledby', 'portal-overlay-title');
    box.setAttribute('aria-describedby', 'portal-overlay-intro');
    box.lang = 'en';
    box.dir = 'ltr';

    var title = document.createElement('h2');
    title.id = 'portal-overlay-title';
    title.tabIndex = -1;
    title.textContent = errors.length === 1 ? 'The site cannot be built: 1 error' :
      'The site cannot be built: ' + errors.length + ' errors';
    box.appendChild(title);

    var intro = document.createElement('p');
    intro.id = 'portal-overlay-intro';
    intro.textContent = 'You are seeing the last version that built. Fix the files below and save: ' +
      'this page updates by itself.';
    box.appendChild(intro);

    var list = document.createElement('ul');
    errors.forEach(function (msg) {
      var item = document.createElement('li');
      var code = document.createElement('code');
      code.textContent = msg;
      item.appendChild(code);
      list.appendChild(item);
    });
    box.appendChild(list);

    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Hide';
    close.addEventListener('click', hideErrors);
    box.appendChild(close);
    box.addEventListener('cancel', function (ev) {
      ev.preventDefault();
      hideErrors();
    });
    box.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape') {
        hideErrors();
      }
    });

    document.body.appendChild(box);
    overlay = box;
    if (typeof box.show === 'function') {
      box.show();
    } else {
      box.setAttribute('open', '');
    }
    if (fresh) {
      title.focus();
    }
  }

  function parse(ev) {
    try {
      return JSON.parse(ev.data);
    } catch (e) {
      return null;
    }
  }

  function connect() {
    source = new EventSource('/__portal/events');
    source.addEventListener('hello', function (ev) {
      var d = parse(ev);
      if (!d) {
        return;
      }
      // A different build after a reconnection means changes were missed
      // (or the server restarted): reload to be sure.
      if (seenBuild !== null && d.build !== seenBuild && !(d.errors && d.errors.length)) {
        reload();
        return;
      }
      seenBuild = d.build;
      showErrors(d.errors);
    });
    source.addEventListener('reload', function (ev) {
      var d = parse(ev) || {changed: null};
      seenBuild = d.build;
      hideErrors();
      if (concernsThisPage(d.changed)) {
        reload();
      }
    });
    source.addEventListener('error', function (ev) {
      // Both the server's "error" event and a lost connection arrive here;
      // only the former carries data.
      if (ev.data) {
        var d = parse(ev);
        if (d) {
          showErrors(d.errors);
        }
        return;
      }
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. the server answered with an error while
        // restarting): try again shortly.
        source.close();
        window.setTimeout(connect, 1000);
      }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', restoreScroll);
  } else {
    restoreScroll();
  }
  if (typeof EventSource === 'function') {
    connect();
  }
}());
