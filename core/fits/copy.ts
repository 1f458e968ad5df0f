// Copying a FITS file, HDU by HDU: unchanged HDUs are copied byte for byte (headers as stored);
// with a compression choice, images are (re)compressed or decompressed losslessly, keeping
// every header card. Checksums are rewritten in HDUs that had them.
import { FitsError } from './errors.js';
import { FitsFile, type HduInfo } from './fits-file.js';
import { Header } from './header.js';
import { scalingOf } from './pixels.js';
import { writeFits, type HduSpec } from './writer.js';
import type { CompressionType } from './compressed-write.js';

export interface CopyOptions {
  /** Compress images (RICE_1: integers only; GZIP_1/GZIP_2: any type), or 'none' to decompress. */
  compress?: CompressionType | 'none';
}

export interface CopyReport {
  hdus: Array<{ index: number; name: string; action: 'copied' | 'compressed' | 'decompressed' | 'recompressed'; note?: string }>;
}

export function copyFits(inPath: string, outPath: string, options: CopyOptions = {}): CopyReport {
  const file = FitsFile.open(inPath);
  try {
    const specs: HduSpec[] = [];
    const report: CopyReport = { hdus: [] };
    const target = options.compress;
    for (const h of file.hdus) {
      const hadChecksum = h.header.has('CHECKSUM') || h.header.has('DATASUM');
      const isImage = h.kind === 'image' && h.axes.length > 0 && h.axes.every((n) => n > 0);
      if (target && target !== 'none' && isImage) {
        if (target === 'RICE_1' && h.bitpix < 0) {
          specs.push(rawSpec(file, h));
          report.hdus.push({ index: h.index, name: h.name, action: 'copied', note: `BITPIX ${h.bitpix}: RICE_1 is lossless for integer images only; use GZIP_2 for floats` });
          continue;
        }
        const img = file.readImage(h.index);
        const s = scalingOf(h.header, h.bitpix);
        if (h.index === 0) specs.push({ type: 'image', header: new Header() });
        specs.push({
          type: 'compressed-image',
          header: h.header.clone(),
          data: img.data,
          axes: h.axes,
          bitpix: h.bitpix,
          bzero: s.bzero,
          bscale: s.bscale,
          blank: s.blank,
          compression: { type: target },
          checksum: hadChecksum,
        });
        report.hdus.push({ index: h.index, name: h.name, action: 'compressed' });
      } else if (h.kind === 'compressed-image' && target !== undefined) {
        const header = file.imageHeader(h.index);
        const img = file.readImage(h.index);
        const s = scalingOf(header, h.bitpix);
        const image = { header, data: img.data, axes: h.axes, bitpix: h.bitpix, bzero: s.bzero, bscale: s.bscale, blank: s.blank, checksum: hadChecksum };
        if (target === 'none') {
          // A compressed former primary image (ZSIMPLE) goes back to being the primary HDU.
          const restorePrimary = header.cards[0]?.keyword === 'SIMPLE' && specs.length === 1 && isEmptyPrimary(file.hdus[0]);
          if (restorePrimary) specs.pop();
          specs.push({ type: 'image', ...image });
          report.hdus.push({ index: h.index, name: h.name, action: 'decompressed' });
        } else {
          if (target === 'RICE_1' && h.bitpix < 0) throw new FitsError(`HDU ${h.index} (${h.name}) holds floats: RICE_1 would be lossy; use GZIP_2 or none`, { file: inPath, hdu: h.index });
          specs.push({ type: 'compressed-image', ...image, compression: { type: target } });
          report.hdus.push({ index: h.index, name: h.name, action: 'recompressed' });
        }
      } else {
        specs.push(rawSpec(file, h));
        report.hdus.push({ index: h.index, name: h.name, action: 'copied' });
      }
    }
    writeFits(outPath, specs);
    return report;
  } finally {
    file.close();
  }
}

function rawSpec(file: FitsFile, h: HduInfo): HduSpec {
  return { type: 'raw', header: h.header, data: file.readData(h) };
}

function isEmptyPrimary(h: HduInfo): boolean {
  const structural = /^(SIMPLE|BITPIX|NAXIS|EXTEND)$/;
  return h.axes.length === 0 && h.header.cards.every((c) => structural.test(c.keyword));
}
