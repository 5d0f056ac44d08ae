// Validates GeoJSON files with @placemarkio/check-geojson (RFC 7946
// structure). Usage: node check-geojson.js FILE... Prints each issue and
// exits 1 when there is any. Run by feeds_test.go.
'use strict';
const fs = require('node:fs');
const { getIssues } = require('@placemarkio/check-geojson');

let bad = 0;
for (const file of process.argv.slice(2)) {
  for (const issue of getIssues(fs.readFileSync(file, 'utf8'))) {
    console.log(`${file}: ${issue.severity}: ${issue.message} (at ${issue.from})`);
    bad++;
  }
}
process.exit(bad ? 1 : 0);
