// COCO compressed RLE (pycocotools' string form) -> run lengths, and runs -> pixels. Runs are column-major over the
// frame and start with background, as FrameMasks documents.
"use strict";
const CocoRle = {
  counts(text) {
    const counts = [];
    let p = 0;
    while (p < text.length) {
      let x = 0, k = 0, more = true;
      while (more) {
        const c = text.charCodeAt(p) - 48;
        x |= (c & 0x1f) << (5 * k);
        more = (c & 0x20) !== 0;
        p++; k++;
        if (!more && (c & 0x10)) x |= -1 << (5 * k);
      }
      if (counts.length > 2) x += counts[counts.length - 2];
      counts.push(x);
    }
    return counts;
  },
  // Calls paint(x, y) for every foreground pixel of a height x width mask; runs past the mask's end are cut off.
  forEachPixel(counts, height, width, paint) {
    const total = height * width;
    let index = 0;
    for (let r = 0; r < counts.length && index < total; r++) {
      const end = Math.min(total, index + Math.max(0, counts[r]));
      if (r % 2 === 1) {
        for (let i = index; i < end; i++) paint(Math.floor(i / height), i % height);
      }
      index = end;
    }
  }
};
