'use strict';
// Tests of the search client: the shared tokeniser vectors, and the query
// engine over the index the Go tests wrote (generator/search/testdata/index),
// which must answer exactly as the Go query side did (expect.json).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const search = require('./search.js');

const testdata = path.join(__dirname, '..', '..', 'generator', 'search', 'testdata');
const indexDir = path.join(testdata, 'index');

// files reads index files as the browser's fetch would, counting bytes.
function files(dir = indexDir) {
  const fetched = [];
  const get = (url) => {
    const p = path.join(dir, url);
    return fs.promises.readFile(p, 'utf8').then((s) => {
      fetched.push([url, s.length]);
      return JSON.parse(s);
    });
  };
  return { get, fetched };
}

test('tokeniser matches the shared vectors', () => {
  const vectors = JSON.parse(fs.readFileSync(path.join(testdata, 'vectors.json'), 'utf8'));
  assert.ok(vectors.length >= 20, 'vectors.json has too few cases');
  for (const v of vectors) {
    assert.deepStrictEqual(search.tokens(v.in), v.tokens, `${v.lang} ${JSON.stringify(v.in)}: ${v.note}`);
  }
});

test('engine answers like the Go query side', async () => {
  const expect = JSON.parse(fs.readFileSync(path.join(indexDir, 'expect.json'), 'utf8'));
  assert.ok(expect.length >= 20);
  for (const q of expect) {
    const { get } = files();
    const engine = new search.Engine('/search/' + q.lang + '/', get);
    const r = await engine.search(q.q, q.filters || {});
    const label = `${q.lang} ${JSON.stringify(q.q)} ${JSON.stringify(q.filters || {})}`;
    assert.strictEqual(r.total, q.total, label + ': total');
    const top = r.hits.slice(0, 5);
    const got = [];
    await engine.titles(engine.man);
    for (const h of top) {
      // The titles table gives the title and link at once; the
      // fragment, the section the link points at.
      const info = engine.title(h.doc);
      const f = await engine.fragment(h.doc);
      assert.deepStrictEqual(info, { u: f.u, t: f.t }, `${label}: titles table entry of page ${h.doc}`);
      const sec = f.h[h.sec];
      got.push({ url: info.u + (h.sec > 0 && sec && sec[0] ? '#' + sec[0] : ''), score: h.score, matched: h.matched });
    }
    assert.deepStrictEqual(got, q.hits, label);
  }
});

// The same index after a preview session's edit (generator/search/live.go):
// the manifests point at delta files the client merges into what it reads.
test('engine answers like the Go query side over an index changed by Live', async () => {
  const liveDir = path.join(testdata, 'live');
  const expect = JSON.parse(fs.readFileSync(path.join(liveDir, 'expect.json'), 'utf8'));
  assert.ok(expect.some((q) => q.q === 'zanzibarite' && q.total === 1), 'expect.json lacks the edited word');
  for (const q of expect) {
    const { get, fetched } = files(liveDir);
    const engine = new search.Engine('/search/' + q.lang + '/', get);
    const r = await engine.search(q.q, q.filters || {});
    const label = `live ${q.lang} ${JSON.stringify(q.q)} ${JSON.stringify(q.filters || {})}`;
    assert.ok(fetched.some(([u]) => u.startsWith('/search/d/')), label + ': delta file not read');
    assert.strictEqual(r.total, q.total, label + ': total');
    const got = [];
    await engine.titles(engine.man);
    for (const h of r.hits.slice(0, 5)) {
      // Pages the session changed or added take their titles from the
      // delta, the others from the base's titles table.
      const info = engine.title(h.doc);
      const f = await engine.fragment(h.doc);
      assert.deepStrictEqual(info, { u: f.u, t: f.t }, `${label}: title of page ${h.doc}`);
      const sec = f.h[h.sec];
      got.push({ url: info.u + (h.sec > 0 && sec && sec[0] ? '#' + sec[0] : ''), score: h.score, matched: h.matched });
    }
    assert.deepStrictEqual(got, q.hits, label);
  }
});

test('a typical query fetches the manifest, its chunks and five fragments', async () => {
  const { get, fetched } = files();
  const engine = new search.Engine('/search/it/', get);
  const r = await engine.search('rinnovo permesso', {});
  await Promise.all(r.hits.slice(0, 5).map((h) => engine.fragment(h.doc)));
  // /search/it/manifest.json, then shared /search/t/<hash>.json and
  // /search/f/<first>.<hash>.json files (several pages to a file).
  const kinds = fetched.map(([url]) => url.endsWith('/manifest.json') ? 'manifest' : url.split('/')[2]);
  assert.strictEqual(kinds[0], 'manifest');
  assert.strictEqual(fetched[0][0], '/search/it/manifest.json');
  assert.ok(kinds.filter((k) => k === 't').length >= 1);
  const frags = kinds.filter((k) => k === 'f').length;
  assert.ok(r.total > 0 && frags >= 1 && frags <= Math.min(5, r.total), `${frags} fragment files`);
  // Each file is fetched once even when several words need it.
  assert.strictEqual(new Set(fetched.map(([u]) => u)).size, fetched.length);
});

test('the titles table: front-coded URLs decoded, relative ones made absolute, bad ones refused', async () => {
  const table = {
    // Shared lengths are UTF-16 units: "💡" counts two.
    u: ['0./città/💡/', 'Ba/', 'Bb/', '0/en/x/', '4y/'],
    t: ['Città', 'Idea a', 'Idea b', 'English', 'Why'],
  };
  const get = (url) => Promise.resolve(url.endsWith('manifest.json') ? {} : JSON.parse(JSON.stringify(table)));
  const engine = new search.Engine('/search/it/', get);
  const m = { lang: 'it', tt: 'x' };
  await engine.titles(m);
  assert.deepStrictEqual([0, 1, 2, 3, 4].map((d) => engine.title(d)), [
    { u: '/it/città/💡/', t: 'Città' }, { u: '/it/città/💡/a/', t: 'Idea a' }, { u: '/it/città/💡/b/', t: 'Idea b' },
    { u: '/en/x/', t: 'English' }, { u: '/en/y/', t: 'Why' },
  ]);
  assert.strictEqual(engine.title(5), null);
  for (const bad of [{ u: ['5x/'], t: ['x'] }, { u: ['0a', 'é'], t: ['a', 'b'] }, { u: ['0a'], t: [] }]) {
    const e = new search.Engine('/search/it/', () => Promise.resolve(bad));
    await assert.rejects(e.titles(m), /bad titles table/, JSON.stringify(bad));
  }
});

test('getting ready downloads only the manifest and the titles table, and changes no answer', async () => {
  const expect = JSON.parse(fs.readFileSync(path.join(indexDir, 'expect.json'), 'utf8'));
  for (const lang of ['it', 'ar', 'zh']) {
    const { get, fetched } = files();
    const engine = new search.Engine('/search/' + lang + '/', get);
    await engine.warm();
    await engine.titles(engine.man);
    assert.deepStrictEqual(fetched.map(([u]) => u.replace(/[0-9a-f]{10}/, 'H')), ['/search/' + lang + '/manifest.json', '/search/f/t.H.json'], lang);
    const qs = expect.filter((q) => q.lang === lang && !Object.keys(q.filters || {}).length);
    assert.ok(qs.length > 0, `no ${lang} queries in expect.json`);
    for (const q of qs) {
      const r = await engine.search(q.q, {});
      assert.strictEqual(r.total, q.total, `${lang} ${q.q}`);
      assert.deepStrictEqual(r.top(5).map((h) => h.score), q.hits.map((h) => h.score), `${lang} ${q.q}`);
    }
  }
});

test('the rehearsal before the first query finds pages on its made-up index', async () => {
  const found = await search.rehearse();
  assert.strictEqual(found.length, 2);
  for (const n of found) assert.ok(n > 100 && n <= 2000, `the rehearsal found ${n} pages`);
});

test('the best k hits of a large ranking are its first k, ties included', () => {
  let seed = 7;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (const n of [1, 9, 80, 500, 3000]) {
    const score = Array.from({ length: n }, () => rand(20) / 4), matched = Array.from({ length: n }, () => 1 + rand(3));
    const docs = Array.from({ length: n }, (_, i) => i).sort(() => rand(3) - 1);
    const order = (a, b) => matched[b] - matched[a] || (score[a] > score[b] ? -1 : score[a] < score[b] ? 1 : a - b);
    const hit = (d) => ({ doc: d, score: score[d], matched: matched[d], sec: 0 });
    const all = new search.Ranking(docs, order, hit, []).hits;
    for (const k of [1, 5, 10, 20]) {
      assert.deepStrictEqual(new search.Ranking(docs, order, hit, []).top(k), all.slice(0, k), `top ${k} of ${n}`);
    }
    // One ranking asked again and again (the page asks for its first
    // hits, then a page of them, then the next page): each answer is
    // still the first k, and changing one does not change the next.
    const r = new search.Ranking(docs, order, hit, []);
    for (const k of [10, 5, 10, 20, 3, 30]) {
      const got = r.top(k);
      assert.deepStrictEqual(got, all.slice(0, k), `top ${k} of ${n}, asked again`);
      got.fill(null);
    }
    assert.strictEqual(all.length, n);
  }
});

test('typing a prefix finds the word; a finished word does not expand', async () => {
  const { get } = files();
  const engine = new search.Engine('/search/it/', get);
  const typing = await engine.search('permes', {});
  assert.ok(typing.total > 0, 'prefix while typing should match');
  const done = await engine.search('permes ', {});
  assert.strictEqual(done.total, 0, 'a finished unknown word should not match by prefix');
  assert.deepStrictEqual([done.top(10), done.hits], [[], []]);
  const empty = await engine.search('  ', {});
  assert.deepStrictEqual([empty.total, empty.top(10), empty.hits], [0, [], []]);
});

test('excerpt highlights folded and stemmed matches with a window', () => {
  const words = [{ tok: 'citta', cands: [{ term: 'citt', w: 1 }] }, { tok: 'permessi', cands: [{ term: 'permess', w: 1 }] }];
  const segs = search.excerpt('In Città: il permesso e i Permessi, poi altro.', words, [], 200);
  assert.deepStrictEqual(segs.filter((s) => s[1]).map((s) => s[0]), ['Città', 'permesso', 'Permessi']);
  assert.strictEqual(segs.map((s) => s[0]).join(''), 'In Città: il permesso e i Permessi, poi altro.');
  const long = 'parola '.repeat(60) + 'permesso ' + 'fine '.repeat(60);
  const cut = search.excerpt(long, words, [], 100);
  const text = cut.map((s) => s[0]).join('');
  assert.ok(text.startsWith('… ') && text.endsWith(' …'), 'window is marked with ellipses');
  assert.ok(text.length < 110, 'window is about the requested size');
  assert.deepStrictEqual(cut.filter((s) => s[1]).map((s) => s[0]), ['permesso']);
});

test('excerpt highlights Arabic with clitics and CJK bigrams', () => {
  const ar = search.excerpt('طلب تجديد الإقامة', [{ tok: 'اقامه', cands: [{ term: 'اقامه', w: 1 }] }], ['ال', 'و'], 100);
  assert.deepStrictEqual(ar.filter((s) => s[1]).map((s) => s[0]), ['الإقامة']);
  const zh = search.excerpt('申请居留许可续签。', [{ tok: '居留', cjk: true, cands: [] }, { tok: '许可', cjk: true, cands: [] }], [], 100);
  assert.deepStrictEqual(zh.filter((s) => s[1]).map((s) => s[0]), ['居留许可']);
});

test('with the manifest in, a query asks for its chunks before search returns, and answers the same', async () => {
  const { get } = files();
  const cold = await new search.Engine('/search/it/', get).search('rinnovo permesso', {});
  const asked = [];
  const engine = new search.Engine('/search/it/', (url) => { asked.push(url); return get(url); });
  await engine.manifest();
  asked.length = 0;
  const pending = engine.search('rinnovo permesso', {});
  assert.ok(asked.length >= 1, 'no chunk asked for before search returned');
  assert.ok(asked.every((u) => /^\/search\/t\/[^/]+\.json$/.test(u)), `asked ${asked.join(', ')}`);
  const r = await pending;
  assert.strictEqual(r.total, cold.total);
  assert.deepStrictEqual(r.top(10), cold.top(10));
  // A download that throws instead of rejecting still makes a rejected
  // promise, not an exception out of search, and the next query retries.
  let boom = true;
  const thrower = new search.Engine('/search/it/', (url) => {
    if (boom && url.includes('/t/')) throw new Error('boom');
    return get(url);
  });
  await thrower.manifest();
  let p;
  assert.doesNotThrow(() => { p = thrower.search('rinnovo permesso', {}); });
  await assert.rejects(p, /boom/);
  boom = false;
  assert.strictEqual((await thrower.search('rinnovo permesso', {})).total, cold.total);
});

test('a failed download is retried by the next query', async () => {
  let fail = true;
  const { get } = files();
  const flaky = (url) => (fail ? Promise.reject(new Error('offline')) : get(url));
  const engine = new search.Engine('/search/en/', flaky);
  await assert.rejects(engine.search('receipt', {}));
  fail = false;
  const r = await engine.search('receipt', {});
  assert.strictEqual(r.total, 1);
});
