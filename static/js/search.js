/* Site search client. The index format, the query rules and the markup this
 * script expects are documented in generator/search/doc.go; the Go package
 * answers queries the same way (generator/search/query.go), and both are
 * checked against the same test vectors and index. */
(function () {
  'use strict';

  // ---- Tokeniser: the same steps as generator/search/fold.go ----
  var INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]/g;
  var FOLD = {
    'ł': 'l', 'ø': 'o', 'đ': 'd', 'ð': 'd', 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'þ': 'th',
    'ı': 'i', 'ħ': 'h', 'ŧ': 't', 'ς': 'σ', '\u0649': '\u064a', '\u0629': '\u0647',
    '\u0640': '', '\u0671': '\u0627', '\u06cc': '\u064a', '\u06a9': '\u0643', '\u06c1': '\u0647'
  };
  var FOLDED = /[łøđðßæœþıħŧς\u0649\u0629\u0640\u0671\u06cc\u06a9\u06c1\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef]/g;
  var DIGIT_ZEROS = [0x660, 0x6f0, 0x966, 0x9e6];
  var WORD = /[\p{L}\p{M}\p{N}]+/gu;
  var WORD_END = /[\p{L}\p{M}\p{N}]$/u;
  var CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u;
  var NUMBER = /^\p{N}/u;
  var MAX_TOKEN = 40;

  function foldChar(c) {
    if (Object.prototype.hasOwnProperty.call(FOLD, c)) return FOLD[c];
    var n = c.charCodeAt(0);
    for (var i = 0; i < DIGIT_ZEROS.length; i++) {
      if (n >= DIGIT_ZEROS[i] && n <= DIGIT_ZEROS[i] + 9) return String(n - DIGIT_ZEROS[i]);
    }
    return c;
  }

  function foldWord(w) {
    if (!/[^\x00-\x7f]/.test(w)) return w;
    return w.normalize('NFD').replace(MARKS, '').normalize('NFC').replace(FOLDED, foldChar);
  }

  function prepare(text) {
    return text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase();
  }

  // emitRun splits a folded word into CJK bigrams and other tokens.
  function emitRun(w, fn) {
    var cps = Array.from(w);
    for (var i = 0; i < cps.length;) {
      var cjk = CJK.test(cps[i]);
      var j = i + 1;
      while (j < cps.length && CJK.test(cps[j]) === cjk) j++;
      var part = cps.slice(i, j);
      i = j;
      if (cjk) {
        if (part.length === 1) fn(part[0], true);
        for (var k = 0; k + 1 < part.length; k++) fn(part[k] + part[k + 1], true);
      } else if (part.length > 1 || NUMBER.test(part[0])) {
        fn(part.slice(0, MAX_TOKEN).join(''), false);
      }
    }
  }

  function eachToken(text, fn) {
    var s = prepare(text);
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(s))) emitRun(foldWord(m[0]), fn);
  }

  function tokens(text) {
    var out = [];
    eachToken(text, function (t) { out.push(t); });
    return out;
  }

  // ---- Query engine: the same rules as generator/search/query.go ----
  var ALPHA = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  var MAX_RANGE_TERMS = 64, MAX_RANGE_CHUNKS = 3, MAX_PAIR_TERMS = 4, PHRASE_BONUS = 32, STEM_SUFFIX = 5, MIN_STEM = 5;

  var DIGIT = new Int8Array(128).fill(-1);
  for (var di = 0; di < ALPHA.length; di++) DIGIT[ALPHA.charCodeAt(di)] = di;

  // decodePostings decodes a postings string (the idf, then per page the
  // page number delta, score and section) in one pass into typed arrays:
  // {idf, doc, tf, sec}. Pages in dead (a Set, or null) are left out, and
  // more (decoded) are added.
  function decodePostings(p, dead, more) {
    var cap = Math.floor(p.length / 3) + 1, extra = more ? more.doc.length : 0;
    var doc = new Uint32Array(cap + extra), tf = new Uint8Array(cap + extra), sec = new Uint16Array(cap + extra);
    var acc = 0, mul = 1, field = -1, d = 0, t = 0, m = 0, idf = 0;
    for (var i = 0; i < p.length; i++) {
      var c = p.charCodeAt(i), x = c < 128 ? DIGIT[c] : -1;
      if (x < 0) throw new Error('search: bad postings');
      if (x >= 32) { acc += (x - 32) * mul; mul *= 32; continue; }
      var v = acc + x * mul;
      acc = 0; mul = 1;
      if (field < 0) { idf = v; field = 0; } else if (field === 0) { d += v; field = 1; } else if (field === 1) { t = v; field = 2; } else {
        field = 0;
        if (dead && dead.has(d)) continue;
        doc[m] = d; tf[m] = t; sec[m] = v;
        m++;
      }
    }
    if (field !== 0 || mul !== 1) throw new Error('search: bad postings');
    var ps = { idf: idf / 8, doc: doc, tf: tf, sec: sec };
    if (more) {
      ps.idf = more.idf;
      doc.set(more.doc, m); tf.set(more.tf, m); sec.set(more.sec, m);
      m += extra;
    }
    if (m < doc.length) {
      ps.doc = doc.subarray(0, m); ps.tf = tf.subarray(0, m); ps.sec = sec.subarray(0, m);
    }
    return ps;
  }

  function cpLen(s) { return Array.from(s).length; }
  function cpCut(s, n) { return Array.from(s).slice(0, n).join(''); }

  function stripPrefix(w, pre) {
    for (var i = 0; i < pre.length; i++) {
      if (w.startsWith(pre[i]) && cpLen(w) - cpLen(pre[i]) >= 3) return w.slice(pre[i].length);
    }
    return w;
  }

  function prefixesOf(v) {
    var cps = Array.from(v), out = [];
    for (var k = Math.min(3, cps.length); k <= cps.length; k++) out.push(cps.slice(0, k).join(''));
    return out;
  }

  // Engine answers queries over the index at base (/search/<lang>/): its
  // manifest is there, and the term chunks and fragments it names are in
  // the shared /search/t/ and /search/f/. get(path) resolves to parsed
  // JSON.
  function Engine(base, get) {
    this.base = base;
    this.root = base.replace(/[^/]*\/$/, '');
    this.get = get;
    this.m = null; // the manifest's promise
    this.mdone = null; // the manifest once it is in (see search)
    this.chunks = {};
    this.terms = new Map();
    this.frags = {};
  }

  Engine.prototype.manifest = function () {
    var self = this;
    if (!this.m) {
      this.m = this.get(this.base + 'manifest.json').then(function (m) {
        if (m.v !== 4) throw new Error('search: index format ' + m.v);
        self.stop = new Set(m.stop);
        self.titles(m).catch(function () {}); // in the background: queries do not wait for it
        if (!m.dx) return m;
        return self.get(self.root + 'd/' + m.dx + '.json').then(function (d) {
          self.readDelta(m, d);
          return m;
        });
      }).then(function (m) {
        self.mdone = m; // for search, which then asks for its chunks at once
        return m;
      }, function (e) { self.m = null; throw e; }); // retry on the next query
    }
    return this.m;
  };

  // titles resolves to the titles table of manifest m, {u: [URLs], t:
  // [titles]} by page number, decoded: each URL is front-coded, its
  // first character (a digit of ALPHA) telling how many UTF-16 units it
  // shares with the URL before it. A relative URL ("./x/") is made
  // absolute (/<lang>/x/).
  Engine.prototype.titles = function (m) {
    var self = this;
    if (!this.tt) {
      this.tt = this.get(this.root + 'f/t.' + m.tt + '.json').then(function (tt) {
        var u = tt.u, prev = '', abs = '/' + m.lang + '/';
        if (!Array.isArray(u) || !Array.isArray(tt.t) || u.length !== tt.t.length) throw new Error('search: bad titles table');
        for (var i = 0; i < u.length; i++) {
          var c = u[i].length ? u[i].charCodeAt(0) : 128, k = c < 128 ? DIGIT[c] : -1;
          if (k < 0 || k > prev.length) throw new Error('search: bad titles table');
          prev = prev.slice(0, k) + u[i].slice(1);
          u[i] = prev.slice(0, 2) === './' ? abs + prev.slice(2) : prev;
        }
        self.tdone = tt;
        return tt;
      }, function (e) { self.tt = null; throw e; });
    }
    return this.tt;
  };

  // title returns the URL and title of document d ({u, t}) if they are
  // known without a download: from the delta, or from the titles table
  // once loaded; otherwise null.
  Engine.prototype.title = function (d) {
    var f = this.delta && this.delta.frags.get(d);
    if (f) return { u: f.u, t: f.t };
    var tt = this.tdone;
    return tt && d < tt.u.length ? { u: tt.u[d], t: tt.t[d] } : null;
  };

  // readDelta takes in the changes a preview session made to the index
  // (generator/search/live.go): pages gone ("x"), pages added or replaced
  // ("d", "f") and the terms they touch ("t", "p"; "" = no page left).
  Engine.prototype.readDelta = function (m, d) {
    var dl = { dead: new Set(d.x), terms: d.t, post: new Map(), frags: new Map() };
    for (var i = 0; i < d.d.length; i++) {
      var f = d.f[i];
      if (f.u.slice(0, 2) === './') f.u = '/' + m.lang + '/' + f.u.slice(2);
      dl.frags.set(d.d[i], f);
    }
    for (i = 0; i < d.t.length; i++) {
      if (d.p[i] === '') { dl.post.set(d.t[i], ''); continue; }
      var ps = decodePostings(d.p[i], null, null);
      dl.post.set(d.t[i], ps);
      if (ps.doc.length) this.terms.set(d.t[i], ps);
    }
    this.delta = dl;
  };

  Engine.prototype.chunkOf = function (t) {
    var ck = this.man.ck, lo = 0, hi = ck.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (ck[mid] > t) hi = mid; else lo = mid + 1;
    }
    return Math.max(0, lo - 1);
  };

  Engine.prototype.load = function (need) {
    var self = this;
    return Promise.all(Array.from(need).map(function (c) {
      if (!self.chunks[c]) {
        self.chunks[c] = self.get(self.root + 't/' + self.man.ch[c] + '.json').then(function (f) {
          var dl = self.delta;
          // Without a delta, terms are looked up in the chunk itself
          // (see raw): taking a thousand terms into a Map would cost the
          // query more than the few it looks up.
          if (!dl) return f;
          f.merged = true;
          for (var i = 0; i < f.t.length; i++) {
            // Drop the pages the delta replaced or removed, add its own.
            var more = dl.post.get(f.t[i]);
            if (more === '') continue;
            var ps = decodePostings(f.p[i], dl.dead, more);
            if (ps.doc.length) self.terms.set(f.t[i], ps);
          }
          return f;
        }, function (e) { delete self.chunks[c]; throw e; });
      }
      return self.chunks[c];
    }));
  };

  // raw returns what is known of term t: its decoded postings (decoded
  // before, or from the delta), its postings string in a loaded chunk,
  // or undefined if no loaded chunk has it.
  Engine.prototype.raw = function (t) {
    var p = this.terms.get(t);
    if (p !== undefined) return p;
    var c = this.chunks[this.chunkOf(t)], ch = c && c.done;
    if (!ch || ch.merged) return undefined;
    var i = lowerBound(ch.t, t);
    return i < ch.t.length && ch.t[i] === t ? ch.p[i] : undefined;
  };

  // has tells whether term t is in a loaded chunk (or the delta).
  Engine.prototype.has = function (t) { return this.raw(t) !== undefined; };

  // postings returns the decoded postings of a loaded term, or null.
  Engine.prototype.postings = function (t) {
    var p = this.raw(t);
    if (p === undefined) return null;
    if (typeof p === 'string') {
      p = decodePostings(p, null, null);
      this.terms.set(t, p);
    }
    return p;
  };

  Engine.prototype.variants = function (w) {
    var s = stripPrefix(w, this.man.pre || []);
    return s !== w ? [w, s] : [w];
  };

  Engine.prototype.trimmed = function (v, w) {
    var n = cpLen(v), trim = this.man.trim || 0;
    if (trim <= 0 || w.cjk || n - trim < 4) return '';
    return cpCut(v, n - trim);
  };

  Engine.prototype.range = function (b, add) {
    var lo = this.chunkOf(b), hi = this.chunkOf(b + '\uffff');
    for (var c = lo; c <= Math.min(hi, lo + MAX_RANGE_CHUNKS - 1); c++) add(c);
  };

  Engine.prototype.need = function (w, add) {
    var self = this;
    this.variants(w.tok).forEach(function (v) {
      prefixesOf(v).forEach(function (p) { add(self.chunkOf(p)); });
      var b = self.trimmed(v, w);
      if (b) self.range(b, add);
      if (w.prefix) self.range(v, add);
    });
  };

  function lowerBound(t, b) {
    var lo = 0, hi = t.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (t[mid] < b) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // scan calls fn, in order, for the known terms starting with b in the
  // chunks within the range limits (and the delta's), until fn returns
  // false.
  Engine.prototype.scan = function (b, fn) {
    var self = this, all = [], dl = this.delta, first = -1, last = -1;
    this.range(b, function (c) {
      if (first < 0) first = c;
      last = c;
      var ch = self.chunks[c] && self.chunks[c].done;
      if (!ch) return;
      for (var i = lowerBound(ch.t, b); i < ch.t.length && ch.t[i].startsWith(b); i++) all.push(ch.t[i]);
    });
    if (dl) {
      for (var i = lowerBound(dl.terms, b); i < dl.terms.length && dl.terms[i].startsWith(b); i++) {
        var c = this.chunkOf(dl.terms[i]);
        if (c >= first && c <= last) all.push(dl.terms[i]);
      }
      all.sort();
      all = all.filter(function (t, i) { return i === 0 || t !== all[i - 1]; });
    }
    for (var k = 0; k < all.length; k++) {
      if (this.has(all[k]) && fn(all[k]) === false) return;
    }
  };

  Engine.prototype.match = function (w) {
    var self = this, best = new Map();
    function put(t, x) { if (!(best.get(t) >= x)) best.set(t, x); }
    this.variants(w.tok).forEach(function (v) {
      var ps = prefixesOf(v), longest = 0;
      ps.forEach(function (p) { if (self.has(p)) longest = Math.max(longest, cpLen(p)); });
      // The longest prefixes match fully; shorter ones down to a stem's
      // length match too, weaker the shorter they are.
      var n = cpLen(v), floor = Math.min(longest - 1, Math.max(n - STEM_SUFFIX, MIN_STEM));
      ps.forEach(function (p) {
        if (!self.has(p)) return;
        var k = cpLen(p);
        if (k >= longest - 1) put(p, 1);
        else if (k >= floor) put(p, k / n);
      });
      var b = self.trimmed(v, w);
      if (b) {
        var maxLen = cpLen(v) + 1;
        self.scan(b, function (t) {
          if (cpLen(t) <= maxLen && t.indexOf(' ') < 0) put(t, 0.9);
        });
      }
      if (w.prefix && (cpLen(v) >= 2 || w.cjk)) {
        var n = 0, vl = cpLen(v);
        self.scan(v, function (t) {
          if (n >= MAX_RANGE_TERMS) return false;
          if (t === v || t.indexOf(' ') >= 0) return;
          put(t, 0.5 + 0.5 * vl / cpLen(t));
          n++;
        });
      }
    });
    if (w.prefix) {
      // A word being typed could still become any of its candidates: they
      // count as rare as the most common of them.
      var lo = Infinity;
      best.forEach(function (x, t) { lo = Math.min(lo, self.postings(t).idf); });
      best.forEach(function (x, t) { best.set(t, x * (lo / self.postings(t).idf)); });
    }
    w.cands = Array.from(best, function (e) { return { term: e[0], w: e[1] }; });
    w.cands.sort(function (a, b) {
      if (a.w !== b.w) return b.w - a.w;
      return a.term < b.term ? -1 : a.term > b.term ? 1 : 0;
    });
  };

  Engine.prototype.parse = function (q) {
    var typing = WORD_END.test(q), raw = [], out = [], seen = new Set(), stop = this.stop;
    eachToken(q, function (t, cjk) { raw.push({ tok: t, cjk: cjk }); });
    raw.forEach(function (w, i) {
      var last = i === raw.length - 1;
      if (stop.has(w.tok) && !(last && typing)) return;
      w.prefix = last && typing;
      if (seen.has(w.tok)) return;
      seen.add(w.tok);
      out.push(w);
    });
    return out;
  };

  // pairNeed adds the chunks that may hold the phrase pairs of adjacent
  // words a and b, so that they load with the words' own chunks instead
  // of in a second round trip. It only guesses: phrases() loads whatever
  // is still missing once the words' terms are known.
  Engine.prototype.pairNeed = function (a, b, add) {
    var self = this;
    if (a.cjk || b.cjk) return;
    this.variants(a.tok).forEach(function (va) {
      prefixesOf(va).forEach(function (p) {
        self.variants(b.tok).forEach(function (vb) {
          prefixesOf(vb).forEach(function (q) { add(self.chunkOf(p + ' ' + q)); });
          if (b.prefix) add(self.chunkOf(p + ' ' + vb + '\uffff'));
        });
      });
    });
  };

  // search resolves to a Ranking: total, top(k) and hits, each hit
  // {doc, score, matched, sec}; words, the parsed query.
  // filters maps a filter name to a value ('' = any).
  Engine.prototype.search = function (q, filters) {
    var self = this, words, fkeys = [], asked;
    // With the manifest in (the usual case: it loads with the page), the
    // chunk requests leave from this call, before the caller updates the
    // page and before any promise callback (bench/search/probe.mjs
    // --marks: from the submit listener to the first chunk's fetch call
    // ~0.4-0.5 ms instead of ~0.6-0.8).
    if (this.mdone) {
      try {
        asked = Promise.resolve(start(this.mdone));
      } catch (e) {
        asked = Promise.reject(e);
      }
    } else {
      asked = this.manifest().then(start);
    }
    function start(m) {
      self.man = m;
      words = self.parse(q);
      Object.keys(filters || {}).sort().forEach(function (k) {
        if (filters[k]) fkeys.push('=' + k + ':' + filters[k]);
      });
      if (!words.length && !fkeys.length) return null;
      var need = new Set();
      var add = function (c) { need.add(c); };
      words.forEach(function (w) { self.need(w, add); });
      for (var i = 0; i + 1 < words.length; i++) self.pairNeed(words[i], words[i + 1], add);
      fkeys.forEach(function (k) { add(self.chunkOf(k)); });
      return self.fetchChunks(need);
    }
    return asked.then(function (go) {
      if (go === null) return new Ranking([], null, null, []);
      words.forEach(function (w) { self.match(w); });
      var n = self.man.n, i, j, d;
      // Pages every filter value lists.
      var allow = null;
      fkeys.forEach(function (k) {
        var next = new Uint8Array(n), ps = self.postings(k);
        if (ps) {
          for (var i = 0; i < ps.doc.length; i++) {
            var d = ps.doc[i];
            if (d < n && (!allow || allow[d])) next[d] = 1;
          }
        }
        allow = next;
      });
      // Per word, each page's best candidate term: its score and section.
      var score = new Float64Array(n), matched = new Uint8Array(n), seen = new Uint8Array(n), docs = [];
      var bests = words.map(function (w) {
        var bx = new Float64Array(n), bsec = new Uint16Array(n), list = [];
        w.cands.forEach(function (c) {
          var ps = self.postings(c.term);
          bestOf(ps, c.w * ps.idf, n, allow, bx, bsec, list);
        });
        addWord(list, bx, score, matched, seen, docs);
        return { x: bx, sec: bsec };
      });
      if (!words.length && allow) {
        for (d = 0; d < n; d++) if (allow[d]) { seen[d] = 1; docs.push(d); }
      }
      return self.phrases(words, seen, score).then(function () {
        var order = function (a, b) {
          return matched[b] - matched[a] || (score[a] > score[b] ? -1 : score[a] < score[b] ? 1 : a - b);
        };
        // The section the words point at most (their scores summed in
        // word order); the first on ties.
        var hit = function (d) {
          var best = 0, bx = 0;
          for (var j = 0; j < bests.length; j++) {
            if (bests[j].x[d] === 0) continue;
            var sc = bests[j].sec[d], sum = 0;
            for (var k = 0; k < bests.length; k++) {
              if (bests[k].x[d] !== 0 && bests[k].sec[d] === sc) sum += bests[k].x[d];
            }
            if (sum > bx || (sum === bx && sc < best)) { best = sc; bx = sum; }
          }
          return { doc: d, score: score[d], matched: matched[d], sec: best };
        };
        return new Ranking(docs, order, hit, words);
      });
    });
  };

  // bestOf keeps in bx and bsec, for each page of the postings ps (below
  // n, and allowed if allow is set), the best score f × tf of a query
  // word's candidate terms so far and its section; list gets the pages
  // seen for the first time.
  function bestOf(ps, f, n, allow, bx, bsec, list) {
    var doc = ps.doc, tf = ps.tf, sec = ps.sec;
    for (var i = 0; i < doc.length; i++) {
      var d = doc[i];
      if (d >= n || (allow && !allow[d])) continue;
      var x = f * tf[i];
      if (bx[d] === 0) list.push(d);
      if (x > bx[d]) { bx[d] = x; bsec[d] = sec[i]; }
    }
  }

  // addWord adds a word's best scores (bx, for the pages in list) to the
  // pages' scores, counts the word as matched, and lists new pages in docs.
  function addWord(list, bx, score, matched, seen, docs) {
    for (var i = 0; i < list.length; i++) {
      var d = list[i];
      score[d] += bx[d];
      matched[d]++;
      if (!seen[d]) { seen[d] = 1; docs.push(d); }
    }
  }

  // warm runs the postings decoder, the scoring loops and the ranking on
  // made-up postings of a few thousand pages, so that the JavaScript
  // engine has compiled them before a query needs them: the first query
  // on a page would otherwise run them in the interpreter, several times
  // slower. It takes a few milliseconds; the page calls it when idle.
  function warm() {
    var n = 3000, s = '8', parts = [];
    for (var i = 0; i < n; i++) parts.push('1' + ALPHA[1 + i % 31] + ALPHA[i % 9]);
    s += parts.join('');
    for (var r = 0; r < 4; r++) {
      var ps = decodePostings(s, null, null);
      var bx = new Float64Array(n + 1), bsec = new Uint16Array(n + 1), list = [];
      var score = new Float64Array(n + 1), matched = new Uint8Array(n + 1), seen = new Uint8Array(n + 1), docs = [];
      bestOf(ps, ps.idf, n + 1, null, bx, bsec, list);
      addWord(list, bx, score, matched, seen, docs);
      new Ranking(docs, function (a, b) {
        return matched[b] - matched[a] || (score[a] > score[b] ? -1 : score[a] < score[b] ? 1 : a - b);
      }, function (d) { return { doc: d, score: score[d], matched: matched[d], sec: bsec[d] }; }, []).top(10);
    }
  }

  // warm gets the engine ready for its first query once the manifest is
  // in: the query parser and the chunk look-ups run once on a made-up
  // query (nothing is downloaded), and the scoring code on made-up
  // postings (see warm above).
  Engine.prototype.warm = function () {
    var self = this;
    return this.manifest().then(function (m) {
      self.man = m;
      var words = self.parse('permesso di soggiorno, 居留许可 ' + (m.pre && m.pre[0] || '') + 'اقامه');
      var noop = function () {};
      words.forEach(function (w) { self.need(w, noop); });
      for (var i = 0; i + 1 < words.length; i++) self.pairNeed(words[i], words[i + 1], noop);
      // Highlighting, on text as long as an excerpt's.
      var text = 'Il rinnovo del Permesso di soggiorno: la domanda, i documenti e la ricevuta. 居留许可 الإقامة ';
      for (i = 0; i < 3; i++) excerpt(text + text + text, words, m.pre, 180);
      warm();
      return rehearse();
    });
  };

  // rehearse answers two made-up queries (a finished one, and one whose
  // last word is being typed) on a made-up index held in memory, with a
  // throwaway Engine, and resolves to their page counts. Chunk intake,
  // term matching (prefix scan included), phrase pairs and ranking then
  // run compiled at the first real query (warm above covers only the
  // decoder and scoring loops): in node, the first two-word query after
  // getting ready went from about 12 to 5 ms.
  function rehearse() {
    var n = 2000, words = ['domand', 'domanda', 'permess', 'permesso', 'rinnov', 'rinnovo', 'soggiorn', 'soggiorno', 'soggiorni'];
    var terms = words.concat(['permess soggiorn', 'permesso soggiorno', 'rinnov permess']).sort();
    var posts = terms.map(function (t, k) {
      var out = [ALPHA[8 + k % 20]];
      for (var d = k % 3; d < n; d += 1 + (k + d) % 5) out.push(ALPHA[1 + (k + d) % 5] + ALPHA[1 + (d % 31)] + ALPHA[d % 7]);
      return out.join('');
    });
    var files = {
      m: { v: 4, lang: 'it', n: n, stop: ['di'], ck: [''], ch: ['c'], gs: 64, fp: [], fg: [], tt: 't', f: {} },
      c: { t: terms, p: posts },
      t: { u: ['0./a/', '4b/'], t: ['A', 'B'] },
    };
    // Each made-up download answers in a task of its own, so that the
    // rehearsal never holds the main thread long (a keystroke can come).
    var e = new Engine('/r/it/', function (path) {
      return new Promise(function (done) {
        setTimeout(function () { done(files[/manifest\.json$/.test(path) ? 'm' : /\/t\//.test(path) ? 'c' : 't']); }, 0);
      });
    });
    var found = [];
    return e.search('permessi di soggiorno', {}).then(function (r) {
      r.top(10).forEach(function (h) { e.title(h.doc); });
      found.push(r.total);
      return e.search('rinnovo soggiorn', {});
    }).then(function (r) {
      r.top(10);
      found.push(r.total);
      return found; // for the tests
    });
  }

  // Ranking is the answer to a query: total, the number of pages found;
  // top(k), the best k hits in order ({doc, score, matched, sec}); hits,
  // all of them in order. A page of results needs only its first hits:
  // top(k) picks them without sorting every page found.
  function Ranking(docs, order, hit, words) {
    this.total = docs.length;
    this.words = words;
    this.docs = docs;
    this.order = order;
    this.hit = hit;
    this.sorted = null;
  }

  Ranking.prototype.top = function (k) {
    var docs = this.docs, order = this.order, top = [];
    if (!docs.length) return [];
    if (this.sorted || k * 8 >= docs.length) return this.hits.slice(0, k);
    for (var i = 0; i < docs.length; i++) {
      var d = docs[i], j = top.length;
      if (j === k) {
        if (order(d, top[k - 1]) >= 0) continue;
        j = k - 1;
      }
      for (; j > 0 && order(d, top[j - 1]) < 0; j--) top[j] = top[j - 1];
      top[j] = d;
    }
    return top.map(this.hit);
  };

  Object.defineProperty(Ranking.prototype, 'hits', {
    get: function () {
      if (!this.sorted) this.sorted = this.docs.length ? this.docs.slice().sort(this.order).map(this.hit) : [];
      return this.sorted;
    },
  });

  Engine.prototype.fetchChunks = function (need) {
    var self = this;
    return this.load(need).then(function (files) {
      Array.from(need).forEach(function (c, i) { self.chunks[c].done = files[i]; });
    });
  };

  // phrases adds to score the bonus of pages (seen[d] set) where adjacent
  // query words are an adjacent pair: the best pair term per word pair.
  Engine.prototype.phrases = function (words, seen, score) {
    var self = this, groups = [], need = new Set();
    for (var i = 0; i + 1 < words.length; i++) {
      var a = words[i], b = words[i + 1];
      if (a.cjk || b.cjk) continue;
      var g = [];
      a.cands.slice(0, MAX_PAIR_TERMS).forEach(function (ca) {
        b.cands.slice(0, MAX_PAIR_TERMS).forEach(function (cb) {
          var k = ca.term + ' ' + cb.term;
          g.push({ key: k, w: Math.min(ca.w, cb.w) });
          need.add(self.chunkOf(k));
        });
      });
      groups.push(g);
    }
    if (!groups.length) return Promise.resolve();
    return this.fetchChunks(need).then(function () {
      groups.forEach(function (g) {
        var bonus = new Map();
        g.forEach(function (pk) {
          var ps = self.postings(pk.key);
          if (!ps) return;
          for (var i = 0; i < ps.doc.length; i++) {
            var d = ps.doc[i];
            if (!seen[d]) continue;
            var x = PHRASE_BONUS * pk.w * ps.tf[i];
            if (!(bonus.get(d) >= x)) bonus.set(d, x);
          }
        });
        bonus.forEach(function (x, d) { score[d] += x; });
      });
    });
  };

  // fragment resolves to the result fragment of document d. Fragments
  // of group g come fp[g] to a file; a URL starting with "./" is relative
  // to /<lang>/.
  Engine.prototype.fragment = function (d) {
    var m = this.man, per = m.fp[Math.floor(d / m.gs)] || 1, first = d - d % per, self = this;
    if (this.delta && this.delta.frags.has(d)) return Promise.resolve(this.delta.frags.get(d));
    if (!this.frags[first]) {
      this.frags[first] = this.get(this.root + 'f/' + first + '.' + m.fg[Math.floor(d / m.gs)] + '.json')
        .then(function (fs) {
          fs.forEach(function (f) {
            if (f.u.slice(0, 2) === './') f.u = '/' + m.lang + '/' + f.u.slice(2);
          });
          return fs;
        }, function (e) { delete self.frags[first]; throw e; });
    }
    return this.frags[first].then(function (fs) {
      if (!fs[d - first]) throw new Error('search: no fragment for document ' + d);
      return fs[d - first];
    });
  };

  // ---- Excerpts and highlighting (no DOM, so node can test them) ----

  // matcher returns a function telling whether a folded token belongs to a
  // query word, given the words' matched terms.
  function matcher(words, pre) {
    var terms = [];
    words.forEach(function (w) {
      terms.push(w.tok);
      (w.cands || []).forEach(function (c) { terms.push(c.term); });
    });
    return function (tok) {
      var s = stripPrefix(tok, pre || []);
      return terms.some(function (t) { return tok.startsWith(t) || s.startsWith(t); });
    };
  }

  // wordMatcher returns a function telling whether a word of text (a run
  // of letters, marks and numbers) is to be highlighted as a whole: one of
  // its non-CJK tokens belongs to a query word. The answers are kept, per
  // query and prefix list, since excerpts repeat their words.
  var wordMatchers = new WeakMap();
  function wordMatcher(words, pre) {
    var byPre = wordMatchers.get(words);
    if (!byPre) wordMatchers.set(words, byPre = new Map());
    var key = (pre || []).join(' '), fn = byPre.get(key);
    if (fn) return fn;
    var hit = matcher(words, pre), seen = new Map();
    fn = function (word) {
      var v = seen.get(word);
      if (v === undefined) {
        v = false;
        eachToken(word, function (t, cjk) { if (!v && !cjk && !CJK.test(t) && hit(t)) v = true; });
        seen.set(word, v);
      }
      return v;
    };
    byPre.set(key, fn);
    return fn;
  }

  // marks returns the [start, end) ranges of text to highlight.
  function marks(text, words, pre) {
    var hit = wordMatcher(words, pre), out = [], m, re = /[\p{L}\p{M}\p{N}]+/gu;
    var cjkToks = words.filter(function (w) { return w.cjk; }).map(function (w) { return w.tok; });
    while ((m = re.exec(text))) {
      var word = m[0], start = m.index;
      if (cjkToks.length && CJK.test(word)) {
        cjkToks.forEach(function (t) {
          for (var i = word.indexOf(t); i >= 0; i = word.indexOf(t, i + 1)) out.push([start + i, start + i + t.length]);
        });
      }
      if (hit(word)) out.push([start, start + word.length]);
    }
    out.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    out.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push(r.slice());
    });
    return merged;
  }

  // excerpt cuts a window of about size characters around the first match
  // and returns segments [text, highlighted].
  function excerpt(text, words, pre, size) {
    var ranges = marks(text, words, pre), from = 0, to = text.length;
    if (text.length > size) {
      if (ranges.length) from = Math.max(0, ranges[0][0] - Math.floor(size / 4));
      if (from > 0) {
        var sp = text.indexOf(' ', from);
        if (sp >= 0 && sp < (ranges.length ? ranges[0][0] : from + 20)) from = sp + 1;
      }
      to = Math.min(text.length, from + size);
      if (to < text.length) {
        var end = text.lastIndexOf(' ', to);
        if (end > from + size / 2) to = end;
      }
    }
    var segs = [], pos = from;
    if (from > 0) segs.push(['… ', false]);
    ranges.forEach(function (r) {
      var a = Math.max(r[0], from), b = Math.min(r[1], to);
      if (a >= b) return;
      if (a > pos) segs.push([text.slice(pos, a), false]);
      segs.push([text.slice(a, b), true]);
      pos = b;
    });
    if (pos < to) segs.push([text.slice(pos, to), false]);
    if (to < text.length) segs.push([' …', false]);
    return segs;
  }

  var api = { tokens: tokens, Engine: Engine, Ranking: Ranking, excerpt: excerpt, marks: marks, warm: warm, rehearse: rehearse };

  // ---- Page ----
  function el(tag, cls, dir) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (dir) e.dir = dir;
    return e;
  }

  function fill(node, segs) {
    segs.forEach(function (s) {
      var x = s[0];
      if (s[1]) {
        x = el('mark');
        x.textContent = s[0];
      }
      node.append(x); // a string becomes a text node
    });
    return node;
  }

  function fetchJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error('search: ' + url + ': ' + r.status);
      return r.json();
    });
  }

  function init() {
    // The search page's own form, not the header's box (both carry data-search).
    var form = document.querySelector('main form[data-search]') || document.querySelector('form[data-search]');
    var out = document.getElementById('search-results');
    if (!form || !out) return;
    var input = form.querySelector('input[name="q"]');
    var lang = form.getAttribute('data-lang') || document.documentElement.lang || 'it';
    var base = (form.getAttribute('data-search') || '/search/') + lang + '/';
    var engine = new Engine(base, fetchJSON);
    var fallback = document.getElementById('search-fallback');
    var status = el('p', 'search-status');
    status.setAttribute('role', 'status');
    var list = el('ol', 'search-list');
    var more = el('button', 'search-more');
    more.type = 'button';
    more.hidden = true;
    more.textContent = out.getAttribute('data-more') || 'More';
    out.textContent = '';
    out.append(status, list, more);
    var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
    var seq = 0, timer = 0, result = null, shown = 0, PAGE = 10, FIRST = 5;
    var MISSING = {}; // a hit whose fragment failed, in showPage

    function say(n) {
      var key = n === 0 ? 'none' : plural ? plural.select(n) : (n === 1 ? 'one' : 'other');
      var msg = out.getAttribute('data-' + key) || out.getAttribute('data-many') || '{n}';
      status.textContent = msg.replace('{n}', n);
    }

    function filters() {
      var f = {};
      Array.prototype.forEach.call(form.elements, function (e) {
        if (e.name && e.name !== 'q' && (e.type !== 'checkbox' && e.type !== 'radio' || e.checked)) f[e.name] = e.value;
      });
      return f;
    }

    // draw appends the hit h to the list: its title and link at once if
    // they are known (info: {u, t}), its section and excerpt when its
    // fragment f arrives (complete). Until then it has the class
    // search-pending, and the space its section and excerpt will take
    // (site.css), so that nothing moves when they come.
    function draw(h, info, words) {
      var li = el('li', 'search-hit search-pending');
      var a = el('a', 'search-title', 'auto');
      a.href = info.u;
      li.append(fill(a, excerpt(info.t, words, engine.man.pre, 1000)));
      if (h.sec > 0) li.append(el('span', 'search-section', 'auto'));
      li.append(el('p', 'search-excerpt', 'auto'));
      list.append(li);
      return li;
    }

    function complete(li, h, f, words) {
      var pre = engine.man.pre, sec = f.h[h.sec] || ['', '', ''];
      var a = li.firstChild, span = h.sec > 0 ? a.nextSibling : null, p = li.lastChild;
      if (h.sec > 0 && sec[0]) a.href = f.u + '#' + sec[0];
      if (span && sec[1]) fill(span, excerpt(sec[1], words, pre, 200));
      var text = sec[2] || f.s || '';
      if (text) fill(p, excerpt(text, words, pre, 180));
      li.classList.remove('search-pending');
    }

    // showPage shows the next PAGE hits. With the titles table loaded,
    // their titles and links show at once, and each gets its section and
    // excerpt when its fragment arrives. Without it (it failed to load),
    // each hit shows when it and the hits before it have their fragments.
    // Either way no hit moves once shown.
    function showPage(my) {
      var r = result, slice = r.top(shown + PAGE).slice(shown);
      var lis = new Array(slice.length), next = 0;
      shown += slice.length;
      // The requests for the first screen's fragments, then its titles
      // (drawn while the fragments travel); the other hits once those
      // are in, so that they share neither the connections nor the main
      // thread with the first ones. A fragment is handled after this
      // task, when its hit is drawn.
      var first = fetchFrom(0, FIRST);
      drawFrom(0, FIRST);
      function drawFrom(from, to) {
        for (var i = from; i < to && next === i; i++) {
          var info = engine.title(slice[i].doc);
          if (!info) return;
          lis[i] = draw(slice[i], info, r.words);
          next = i + 1;
        }
      }
      function fetchFrom(from, to) {
        return Promise.all(slice.slice(from, to).map(function (h, i) {
          return engine.fragment(h.doc).then(function (f) { arrive(from + i, h, f); }, function () {
            // Offline (a fragment never fetched before) or gone: the
            // hit keeps its title and link, without section and excerpt;
            // without the titles table it cannot be shown.
            arrive(from + i, h, null);
          });
        }));
      }
      function arrive(k, h, f) {
        if (my !== seq) return;
        if (lis[k]) {
          if (f) complete(lis[k], h, f, r.words); else lis[k].classList.remove('search-pending');
          return;
        }
        lis[k] = f || MISSING;
        for (; next < slice.length && lis[next] && !lis[next].nodeType; next++) {
          var g = lis[next];
          if (g !== MISSING) complete(lis[next] = draw(slice[next], g, r.words), slice[next], g, r.words);
        }
      }
      return first.then(function () {
        if (my !== seq) return;
        drawFrom(FIRST, slice.length);
        return fetchFrom(FIRST, slice.length);
      }).then(function () {
        if (my !== seq) return;
        more.hidden = shown >= r.total;
        out.setAttribute('aria-busy', 'false');
      });
    }

    function run() {
      var q = input.value, f = filters(), my = ++seq;
      // The search first: its chunk requests leave before the page is
      // touched (see Engine.search).
      var found = engine.search(q, f);
      var params = new URLSearchParams();
      if (q) params.set('q', q);
      Object.keys(f).forEach(function (k) { if (f[k]) params.set(k, f[k]); });
      var qs = params.toString();
      // The address follows once the results are shown: replaceState
      // costs a round trip to the browser process, which the first
      // results need not wait for.
      function keep() {
        if (my === seq) history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
      }
      out.setAttribute('aria-busy', 'true');
      // The titles table normally loaded with the manifest; a query made
      // as the page opens waits for it (it downloads with the chunks),
      // and goes on without it if it fails.
      var titles = engine.manifest().then(function (m) { return engine.titles(m); }).catch(function () {});
      Promise.all([found, titles]).then(function (rt) {
        var r = rt[0];
        if (my !== seq) return;
        result = r;
        shown = 0;
        list.textContent = '';
        more.hidden = true;
        // showPage asks for the first screen's fragments before it
        // returns: the status and the fallback are updated after that,
        // in the same task (so in the same frame).
        var page = showPage(my);
        var empty = !q.trim() && !Object.keys(f).some(function (k) { return f[k]; });
        if (fallback) fallback.hidden = !empty;
        out.classList.toggle('search-active', !empty);
        if (empty) status.textContent = ''; else say(r.total);
        return page;
      }).then(keep, function () {
        keep();
        if (my !== seq) return;
        status.textContent = out.getAttribute('data-error') || 'Search is not available.';
        out.setAttribute('aria-busy', 'false');
      });
    }

    var params = new URLSearchParams(location.search);
    params.forEach(function (v, k) {
      var e = form.elements.namedItem(k);
      if (e && 'value' in e) e.value = v;
    });
    function go(e) { e.preventDefault(); clearTimeout(timer); run(); }
    form.addEventListener('submit', go);
    form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 150); });
    form.addEventListener('change', function (e) { if (e.target !== input) go(e); });
    more.addEventListener('click', function () {
      var first = shown;
      showPage(seq).then(function () {
        var a = list.children[first] && list.children[first].querySelector('a');
        if (a) a.focus();
      });
    });
    // Arrow keys move between the box and the result links.
    form.addEventListener('keydown', function (e) {
      if (e.target !== input) return;
      // Enter runs the search from the key press itself: letting it
      // submit the form first puts the browser's form submission steps
      // before our submit listener (about 1 ms at full speed on the
      // bench, bench/search/probe.mjs --trigger enter). Not while an
      // input method is composing (Chinese, Japanese).
      if (e.key === 'Enter' && !e.isComposing) go(e);
      if (e.key === 'ArrowDown') {
        var a = list.querySelector('a');
        if (a) { e.preventDefault(); a.focus(); }
      }
    });
    list.addEventListener('keydown', function (e) {
      var links = Array.prototype.slice.call(list.querySelectorAll('a.search-title'));
      var i = links.indexOf(document.activeElement);
      if (i < 0) return;
      if (e.key === 'ArrowDown' && links[i + 1]) { e.preventDefault(); links[i + 1].focus(); }
      if (e.key === 'ArrowUp') { e.preventDefault(); (links[i - 1] || input).focus(); }
      if (e.key === 'Escape') { e.preventDefault(); input.focus(); }
    });
    if (input.value || params.toString()) {
      // Make room for the results before the first paint if possible, so
      // that the fallback list does not show and then move away.
      if (fallback) fallback.hidden = true;
      out.classList.add('search-active');
      run();
    } else {
      // Get ready before the first word is typed: the manifest, and the
      // tokeniser's regular expressions (compiled on first use).
      engine.manifest().catch(function () {});
      tokens('Aé ب 中文');
      var ready = function () { engine.warm().catch(function () {}); };
      if (window.requestIdleCallback) requestIdleCallback(ready, { timeout: 200 }); else setTimeout(ready, 50);
    }
  }

  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
    else init();
  }
})();
