#!/usr/bin/env node
// Face teacher for bitvision face data: detector + 68 landmarks + 128-d descriptor.
//
// Runs the models shipped in the npm package @vladmandic/face-api 1.7.15 (MIT) in Node with
// @tensorflow/tfjs and the @tensorflow/tfjs-backend-wasm backend (one thread, SIMD), through
// face-api's dist/face-api.node-wasm.js build. Weights come from node_modules/@vladmandic/face-api/model
// (weights_manifest.json + .bin, loaded with loadFromDisk); nothing is fetched at run time.
//
// Detector: SSD MobileNet v1 (ssd_mobilenetv1_model, input padded to a square and resized to 512x512).
// Chosen over TinyFaceDetector because this is offline labelling of a few hundred images, where
// recall on small, turned and partly hidden faces and well-fitted boxes matter more than speed
// (face-api's README rates SSD as the more accurate, Tiny as the faster, less accurate detector;
// Tiny's boxes are also looser). --detector tiny selects TinyFaceDetector (input --tiny-size, 416).
// Landmarks: face_landmark_68_model (iBUG 300-W 68-point layout). Descriptor: face_recognition_model
// (ResNet-34-like, 128-d, computed on the landmark-aligned face crop at 150x150); face-api treats
// two descriptors as the same person when their Euclidean distance is < 0.6.
//
// Input protocol: raw rgb24 images piped in (--input -) or read from a file (--input FILE).
//  * Fixed-size mode (--width W --height H): frames of H*W*3 bytes back to back, as for
//    detect-persons.mjs; the image id is --first + position in the stream (a number).
//  * Header mode (no --width/--height): each image is one JSON header line
//    {"image": id, "width": W, "height": H}\n followed by exactly H*W*3 raw bytes. Ids may be strings.
// Output: one JSON line per image on stdout (or --output FILE), in input order:
//   {"image": id, "faces": [{"box": [x, y, w, h], "score": s, "landmarks5": [[x, y] x 5],
//                            "descriptor": [128 floats]}, ...]}
// in image pixels (box and landmarks rounded to 0.01 px, descriptor to 1e-5), faces with score >=
// --min-score (default 0.3), sorted by score. landmarks5 order (left/right as seen in the image,
// the order of the ArcFace/SFace 5-point template): left eye centre = mean of 68-point indices
// 36..41, right eye centre = mean of 42..47, nose tip = 30, left mouth corner = 48, right mouth
// corner = 54 (0-based indices). --landmarks68 also writes "landmarks68": [[x, y] x 68].
// Progress (images done, images/s, faces) goes to stderr.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// One tfjs instance for us and face-api: face-api.node-wasm.js require()s these same modules.
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

function parseArgs(argv) {
  const a = {
    input: '-', output: '-', width: 0, height: 0, first: 0, count: -1, minScore: 0.3, maxResults: 100,
    detector: 'ssd', tinySize: 416, landmarks68: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]; const v = argv[i + 1];
    switch (k) {
      case '--input': a.input = v; i++; break;
      case '--output': a.output = v; i++; break;
      case '--width': a.width = parseInt(v, 10); i++; break;
      case '--height': a.height = parseInt(v, 10); i++; break;
      case '--first': a.first = parseInt(v, 10); i++; break;
      case '--count': a.count = parseInt(v, 10); i++; break;
      case '--min-score': a.minScore = parseFloat(v); i++; break;
      case '--max-results': a.maxResults = parseInt(v, 10); i++; break;
      case '--detector': a.detector = v; i++; break;
      case '--tiny-size': a.tinySize = parseInt(v, 10); i++; break;
      case '--landmarks68': a.landmarks68 = true; break;
      case '--help': case '-h':
        process.stderr.write('usage: node detect-faces.mjs [--width W --height H [--first N]] [--input FILE|-] '
          + '[--output FILE|-] [--count N] [--min-score 0.3] [--max-results 100] [--detector ssd|tiny] '
          + '[--tiny-size 416] [--landmarks68]\n'
          + '  without --width/--height each image is a JSON header line {"image","width","height"} + raw rgb24\n');
        process.exit(0);
        break;
      default: throw new Error(`unknown argument ${k}`);
    }
  }
  if ((a.width > 0) !== (a.height > 0)) throw new Error('give both --width and --height, or neither');
  if (!['ssd', 'tiny'].includes(a.detector)) throw new Error('--detector is ssd or tiny');
  return a;
}

// Pulls bytes from an async iterable of Buffers: exact-size reads and header lines.
class ByteReader {
  constructor(stream) { this.it = stream[Symbol.asyncIterator](); this.buf = Buffer.alloc(0); this.done = false; }

  async fill() {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) { this.done = true; return false; }
    this.buf = this.buf.length ? Buffer.concat([this.buf, r.value]) : r.value;
    return true;
  }

  async readLine() { // null at a clean end of stream
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl >= 0) { const line = this.buf.subarray(0, nl).toString('utf8'); this.buf = this.buf.subarray(nl + 1); return line; }
      if (!(await this.fill())) {
        if (this.buf.length) throw new Error(`truncated header (${this.buf.length} bytes)`);
        return null;
      }
    }
  }

  async read(n) { // exactly n bytes, or null at a clean end of stream
    while (this.buf.length < n) {
      if (!(await this.fill())) {
        if (this.buf.length) process.stderr.write(`warning: ${this.buf.length} trailing bytes ignored (not a whole image)\n`);
        this.buf = Buffer.alloc(0);
        return null;
      }
    }
    const out = Buffer.from(this.buf.subarray(0, n)); this.buf = this.buf.subarray(n);
    return out;
  }
}

async function* images(stream, args) {
  const rd = new ByteReader(stream);
  for (let n = 0; ; n++) {
    let id; let W; let H;
    if (args.width > 0) {
      id = args.first + n; W = args.width; H = args.height;
    } else {
      let line = await rd.readLine();
      while (line !== null && line.trim() === '') line = await rd.readLine();
      if (line === null) return;
      const h = JSON.parse(line);
      id = h.image; W = h.width; H = h.height;
      if (!(W > 0 && H > 0)) throw new Error(`bad header ${line}`);
    }
    const buf = await rd.read(W * H * 3);
    if (buf === null) return;
    yield { id, W, H, buf };
  }
}

const mean = (pts) => [pts.reduce((s, p) => s + p.x, 0) / pts.length, pts.reduce((s, p) => s + p.y, 0) / pts.length];
const r2 = (v) => Math.round(v * 100) / 100;

function landmarks5(pos) { // pos: 68 points {x, y} in image pixels
  const le = mean(pos.slice(36, 42)); const re = mean(pos.slice(42, 48));
  return [le, re, [pos[30].x, pos[30].y], [pos[48].x, pos[48].y], [pos[54].x, pos[54].y]].map((p) => p.map(r2));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  wasm.setWasmPaths(path.join(here, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep);
  wasm.setThreadsCount(1);
  await tf.setBackend('wasm');
  await tf.ready();
  const modelDir = path.join(here, 'node_modules', '@vladmandic', 'face-api', 'model');
  const detNet = args.detector === 'ssd' ? faceapi.nets.ssdMobilenetv1 : faceapi.nets.tinyFaceDetector;
  await detNet.loadFromDisk(modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
  const options = args.detector === 'ssd'
    ? new faceapi.SsdMobilenetv1Options({ minConfidence: args.minScore, maxResults: args.maxResults })
    : new faceapi.TinyFaceDetectorOptions({ inputSize: args.tinySize, scoreThreshold: args.minScore });
  process.stderr.write(`face teacher: face-api ${faceapi.version} tfjs ${tf.version_core} `
    + `backend=${tf.getBackend()} detector=${args.detector} min-score=${args.minScore}\n`);

  const out = args.output === '-' ? process.stdout : fs.createWriteStream(args.output);
  const stream = args.input === '-' ? process.stdin : fs.createReadStream(args.input, { highWaterMark: 1 << 22 });
  const t0 = Date.now(); let n = 0; let nFaces = 0; let lastReport = t0;
  for await (const { id, W, H, buf } of images(stream, args)) {
    if (args.count >= 0 && n >= args.count) break;
    const img = tf.tensor3d(new Uint8Array(buf.buffer, buf.byteOffset, W * H * 3), [H, W, 3], 'int32');
    let res;
    try {
      res = await faceapi.detectAllFaces(img, options).withFaceLandmarks().withFaceDescriptors();
    } finally {
      img.dispose();
    }
    const faces = res.map((r) => {
      const b = r.detection.box;
      const x0 = Math.max(0, b.x); const y0 = Math.max(0, b.y);
      const x1 = Math.min(W, b.x + b.width); const y1 = Math.min(H, b.y + b.height);
      const pos = r.landmarks.positions;
      const f = {
        box: [r2(x0), r2(y0), r2(x1 - x0), r2(y1 - y0)],
        score: Math.round(r.detection.score * 1e4) / 1e4,
        landmarks5: landmarks5(pos),
        descriptor: Array.from(r.descriptor, (v) => Math.round(v * 1e5) / 1e5),
      };
      if (args.landmarks68) f.landmarks68 = pos.map((p) => [r2(p.x), r2(p.y)]);
      return f;
    }).filter((f) => f.box[2] > 0 && f.box[3] > 0).sort((a, b) => b.score - a.score);
    nFaces += faces.length;
    const line = JSON.stringify({ image: id, faces }) + '\n';
    if (!out.write(line)) await new Promise((res2) => out.once('drain', res2));
    n++;
    const now = Date.now();
    if (now - lastReport > 5000) {
      process.stderr.write(`face teacher: ${n} images, ${nFaces} faces, ${(n / ((now - t0) / 1000)).toFixed(2)} images/s\n`);
      lastReport = now;
    }
  }
  const secs = (Date.now() - t0) / 1000;
  process.stderr.write(`face teacher: done, ${n} images, ${nFaces} faces in ${secs.toFixed(1)} s `
    + `(${(n / Math.max(secs, 1e-9)).toFixed(2)} images/s)\n`);
  if (out !== process.stdout) await new Promise((res2) => out.end(res2));
  if (stream !== process.stdin && stream.destroy) stream.destroy();
}

main().catch((e) => { process.stderr.write(`face teacher: error: ${e.stack || e}\n`); process.exit(1); });
