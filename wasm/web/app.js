// scirad browser demo: page logic. The computing is done by scirad.wasm
// (package main of wasm/, built from scirad's Go packages); this file only
// moves bytes and draws. window.sciradDemo exposes the state to tests.
'use strict';

const demo = { state: 'loading', bundle: null, toys: [], result: null, timing: null, error: null, slice: null, loaded: {} };
window.sciradDemo = demo;

const $ = (id) => document.getElementById(id);

function setState(s) {
  demo.state = s;
  document.body.dataset.state = s;
}

function status(msg) { $('status').textContent = msg; }

function showError(msg) {
  demo.error = msg;
  $('error').textContent = msg;
  $('error').hidden = false;
  status('');
  setState('error');
}

function clearError() {
  demo.error = null;
  $('error').hidden = true;
  $('error').textContent = '';
}

// call runs a Go function and returns its result, parsed if it is JSON; an
// {error} result is thrown.
function call(fn, ...args) {
  if (!window.scirad || !window.scirad.ready) throw new Error('the WebAssembly program is not running');
  const r = window.scirad[fn](...args);
  const v = typeof r === 'string' ? JSON.parse(r) : r;
  if (v && v.error) throw new Error(v.error);
  return v;
}

// repaint lets the browser draw before a long synchronous computation.
const repaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

async function fetchOK(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
  return r;
}

async function start() {
  try {
    if (typeof WebAssembly !== 'object') throw new Error('this browser has no WebAssembly');
    const go = new Go();
    const ready = new Promise((r) => { window.sciradReady = r; });
    const bytes = await (await fetchOK('scirad.wasm')).arrayBuffer();
    const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
    go.run(instance).then(() => showError('The WebAssembly program stopped; reload the page.'));
    await ready;
    demo.bundle = call('loadBundle', await (await fetchOK('bundle_rad.json')).text());
    demo.toys = await (await fetchOK('toy/toy.json')).json();
  } catch (e) {
    showError('Could not start the demo: ' + e.message);
    return;
  }
  for (const t of demo.toys) $('toy').add(new Option(t.id + ' (centre ' + t.center + ')', t.id));
  for (const c of demo.bundle.centers) $('center').add(new Option(c, c));
  const b = demo.bundle;
  $('model-info').textContent = 'Model: ' + b.signature + ' signature, ' + b.features.length + ' features, classifier ' +
    b.model + ' (threshold ' + b.threshold.toFixed(3) + '), trained by scirad run on ' + b.cohort.length + ' patients.';
  setupMaps();
  setupFilters();
  $('run-toy').disabled = false;
  status('Ready: pick a toy patient or open an image and its label map.');
  setState('ready');
}

function resetResult() {
  clearError();
  demo.result = null;
  demo.timing = null;
  $('result').hidden = true;
}

// load passes a file's bytes to Go; kind is "image" or "mask".
function load(kind, name, bytes) {
  demo.loaded[kind] = null;
  const info = call('setVolume', kind, name, bytes);
  demo.loaded[kind] = info;
  return info;
}

async function runToy() {
  const t = demo.toys.find((x) => x.id === $('toy').value);
  if (!t) return;
  resetResult();
  setState('busy');
  status('Loading ' + t.id + '…');
  try {
    const [img, mask] = await Promise.all([t.image, t.mask].map(async (u) => new Uint8Array(await (await fetchOK(u)).arrayBuffer())));
    load('image', t.image.split('/').pop(), img);
    load('mask', t.mask.split('/').pop(), mask);
    drawSlice();
    $('run-map').disabled = false;
    $('run-filter').disabled = false;
    await compute(t.center, t.id);
  } catch (e) {
    showError(e.message);
  }
}

// packFiles joins several picked files (a DICOM series) into one buffer for
// setVolume: "SCIRAD-FILES\n", then per file a big-endian uint32 name
// length, the name, a uint32 data length and the data (wasm/decode.go).
async function packFiles(files) {
  const enc = new TextEncoder();
  const parts = [enc.encode('SCIRAD-FILES\n')];
  const u32 = (n) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n); return b; };
  for (const file of files) {
    const name = enc.encode(file.name);
    const data = new Uint8Array(await file.arrayBuffer());
    parts.push(u32(name.length), name, u32(data.length), data);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

async function pickFile(kind, input) {
  resetResult();
  $('run-files').disabled = true;
  const f = input.files.length > 1 ? { name: input.files.length + ' DICOM files' } : input.files[0];
  if (!f) return;
  setState('busy');
  status('Reading ' + f.name + '…');
  try {
    const bytes = input.files.length > 1 ? await packFiles(input.files) : new Uint8Array(await f.arrayBuffer());
    await repaint();
    const info = load(kind, f.name, bytes);
    if (kind === 'image' || demo.loaded.image) drawSlice();
    $('run-map').disabled = !(demo.loaded.image && demo.loaded.mask);
    $('run-filter').disabled = !demo.loaded.image;
    status(f.name + ': ' + info.dims.join('×') + ' voxels of ' + info.spacing.map((s) => s.toFixed(2)).join('×') + ' mm');
    setState('ready');
  } catch (e) {
    showError(e.message);
  }
  $('run-files').disabled = !(demo.loaded.image && demo.loaded.mask);
}

async function runFiles() {
  resetResult();
  setState('busy');
  try {
    await compute($('center').value, demo.loaded.image.name);
  } catch (e) {
    showError(e.message);
  }
}

function drawSlice() {
  const s = call('slice');
  demo.slice = { width: s.width, height: s.height, axis: s.axis, index: s.index, count: s.count, lesion: s.lesion };
  const c = $('slice');
  c.width = s.width;
  c.height = s.height;
  c.getContext('2d').putImageData(new ImageData(s.rgba, s.width, s.height), 0, 0);
  const k = 420 / (s.height * s.pixelH);
  c.style.width = Math.round(s.width * s.pixelW * k) + 'px';
  c.style.height = Math.round(s.height * s.pixelH * k) + 'px';
  $('slice-caption').textContent = 'Sagittal slice ' + (s.index + 1) + ' of ' + s.count + ' (superior up, anterior left); ' +
    'lesion (label 1) red, rest of the cord (label 2) green' + (s.lesion ? '' : ' — no lesion voxel on this slice') + '.';
}

// Feature maps (scirad.featureMap): one feature's voxel-based map of the
// lesion, computed in WebAssembly and drawn over the same slice.
function setupMaps() {
  for (const n of call('mapFeatures')) $('map-feature').add(new Option(n, n));
  $('map-feature').value = 'glcm_Contrast';
  $('run-map').addEventListener('click', runMap);
}

async function runMap() {
  clearError();
  setState('busy');
  const name = $('map-feature').value;
  status('Computing the ' + name + ' map…');
  await repaint();
  try {
    const t0 = performance.now();
    const m = call('featureMap', name);
    const total = performance.now() - t0;
    demo.map = { feature: m.feature, lo: m.lo, hi: m.hi, voxels: m.voxels, seconds: m.seconds, total_ms: total, index: m.index };
    const c = $('map');
    c.hidden = false;
    c.width = m.width;
    c.height = m.height;
    c.getContext('2d').putImageData(new ImageData(m.rgba, m.width, m.height), 0, 0);
    c.style.width = $('slice').style.width;
    c.style.height = $('slice').style.height;
    $('map-caption').textContent = m.feature + ' map of the lesion (' + m.voxels + ' voxels, kernel radius 1, 32 bins), computed here in ' +
      ms(1000 * m.seconds) + ': ' + num(m.lo) + ' (dark blue) to ' + num(m.hi) + ' (yellow) on this slice.';
    status('Map done: ' + m.feature + '.');
    setState('mapped');
  } catch (e) {
    showError(e.message);
  }
}

// Filters (scirad.filterImage): the loaded image filtered by one filter of
// the gallery that the notebooks show too (package filter/gallery: the
// paper's four, pyradiomics' image types, IBSI chapter 2), drawn beside the
// original on the same slice.
function setupFilters() {
  const groups = {};
  for (const f of call('filters')) {
    if (!groups[f.group]) {
      groups[f.group] = document.createElement('optgroup');
      groups[f.group].label = f.group;
      $('filter').add(groups[f.group]);
    }
    const o = new Option(f.name + ' — ' + f.note, f.name);
    groups[f.group].appendChild(o);
  }
  $('filter').value = 'log-sigma-2-0-mm-3D';
  $('run-filter').addEventListener('click', runFilter);
}

async function runFilter() {
  clearError();
  setState('busy');
  const name = $('filter').value;
  status('Filtering: ' + name + '…');
  await repaint();
  try {
    const t0 = performance.now();
    const f = call('filterImage', name);
    const total = performance.now() - t0;
    demo.filtered = { name: f.name, group: f.group, type: f.type, lo: f.lo, hi: f.hi, seconds: f.seconds, total_ms: total, index: f.index, width: f.width, height: f.height };
    const c = $('filtered');
    c.hidden = false;
    c.width = f.width;
    c.height = f.height;
    c.getContext('2d').putImageData(new ImageData(f.rgba, f.width, f.height), 0, 0);
    c.style.width = $('slice').style.width;
    c.style.height = $('slice').style.height;
    $('filter-caption').textContent = 'Right: ' + f.name + ' (' + f.group + ', image type ' + f.type + '; ' + f.note + ') on slice ' + (f.index + 1) +
      ', filtered here in ' + ms(1000 * f.seconds) + '; grey ' + num(f.lo) + ' (black) to ' + num(f.hi) + ' (white).';
    status('Filtered: ' + f.name + '.');
    setState('filtered');
  } catch (e) {
    showError(e.message);
  }
}

async function compute(center, who) {
  status('Computing radiomics features for ' + who + '…');
  await repaint();
  const t0 = performance.now();
  const p = call('predict', center);
  const total = performance.now() - t0;
  demo.result = p;
  demo.timing = { total_ms: total, feature_ms: 1000 * p.feature_seconds, preprocess_ms: 1000 * p.preprocess_seconds, model_ms: 1000 * p.model_seconds };
  showResult(p);
  status('Done: ' + who + ', centre ' + center + '.');
  setState('done');
}

const ms = (x) => (x < 10 ? x.toFixed(1) : Math.round(x)) + ' ms';
const num = (x) => (Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : x.toPrecision(6));

function showResult(p) {
  $('result').hidden = false;
  $('probability').textContent = (100 * p.probability).toFixed(1) + ' %';
  const v = $('verdict');
  v.textContent = p.good ? '(good prognosis predicted)' : '(poor prognosis predicted)';
  v.className = p.good ? 'good' : 'poor';
  $('radscore').textContent = p.rad_score.toFixed(4);
  $('feature-ms').textContent = ms(demo.timing.feature_ms);
  $('pre-ms').textContent = ms(demo.timing.preprocess_ms);
  $('model-ms').textContent = ms(demo.timing.model_ms);
  $('total-ms').textContent = ms(demo.timing.total_ms);
  const body = $('features').tBodies[0];
  body.replaceChildren();
  for (const f of p.features) {
    const tr = body.insertRow();
    for (const x of [f.name, num(f.raw), num(f.harmonized), num(f.z), f.weight ? num(f.weight) : '0']) tr.insertCell().textContent = x;
  }
  drawChart(p.rad_score);
}

// drawChart shows the training cohort's rad-scores by outcome, with the
// patient's.
function drawChart(score) {
  const train = demo.bundle.cohort.filter((c) => c.split === 'train');
  const all = train.map((c) => c.rad_score).concat([score]);
  const lo = Math.min(...all), hi = Math.max(...all);
  const nb = 16, w = (hi - lo) / nb || 1;
  const bin = (x) => Math.min(nb - 1, Math.floor((x - lo) / w));
  const good = new Array(nb).fill(0), poor = new Array(nb).fill(0);
  for (const c of train) (c.label === 1 ? good : poor)[bin(c.rad_score)]++;
  const labels = good.map((_, i) => (lo + (i + 0.5) * w).toFixed(2));
  const el = $('chart');
  const chart = echarts.getInstanceByDom(el) || echarts.init(el);
  chart.setOption({
    animation: false,
    title: { text: 'Rad-score of this patient among the ' + train.length + ' training patients', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    legend: { top: 24 },
    grid: { top: 60, bottom: 40 },
    xAxis: { type: 'category', data: labels, name: 'rad-score', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: 'patients', minInterval: 1 },
    series: [
      { name: 'good prognosis', type: 'bar', stack: 'n', data: good, itemStyle: { color: '#3a9d5d' },
        markLine: { symbol: 'none', lineStyle: { color: '#c00', width: 2 }, label: { formatter: 'this patient ' + score.toFixed(2) }, data: [{ xAxis: labels[bin(score)] }] } },
      { name: 'poor prognosis', type: 'bar', stack: 'n', data: poor, itemStyle: { color: '#d9822b' } },
    ],
  }, true);
}

$('run-toy').addEventListener('click', runToy);
$('run-files').addEventListener('click', runFiles);
$('image').addEventListener('change', (e) => pickFile('image', e.target));
$('mask').addEventListener('change', (e) => pickFile('mask', e.target));
window.addEventListener('error', (e) => showError('Page error: ' + e.message));
window.addEventListener('unhandledrejection', (e) => showError('Page error: ' + (e.reason && e.reason.message || e.reason)));
start();
