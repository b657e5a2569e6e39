/**
 * PNG and JPEG decoding in pure JS (pngjs, jpeg-js) for `imageDatasetFromDirectory`: bytes to
 * `[height, width, channels]` uint8 pixels with 1 (grayscale), 3 (rgb) or 4 (rgba) channels.
 * The declared size is checked against `maxPixels` before any pixel buffer is allocated.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ConfigurationError, DataError } from '../utils/errors.js';

/** Colour channels of decoded images. */
export type ColorMode = 'grayscale' | 'rgb' | 'rgba';

/** A decoded image: row-major pixels with `channels` values each. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

const CHANNELS: Record<ColorMode, number> = { grayscale: 1, rgb: 3, rgba: 4 };

/** Channels of a color mode. */
export function channelsOf(mode: ColorMode): number {
  const channels = Object.hasOwn(CHANNELS, mode) ? CHANNELS[mode] : undefined;
  if (channels === undefined)
    throw new ConfigurationError(`colorMode must be "grayscale", "rgb" or "rgba", got ${JSON.stringify(mode)}`);
  return channels;
}

function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 24 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** RGBA pixels to the wanted channels; grayscale by ITU-R BT.601 luma (exact for gray images). */
function fromRgba(rgba: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  const n = width * height;
  if (channels === 4) return rgba.subarray(0, n * 4);
  const out = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    if (channels === 3) {
      out[i * 3] = r;
      out[i * 3 + 1] = g;
      out[i * 3 + 2] = b;
    } else {
      out[i] = r === g && g === b ? r : Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  return out;
}

/**
 * Decodes a PNG or JPEG file's bytes.
 *
 * @throws DataError naming the file for other formats (GIF, BMP), corrupt data, or images over `maxPixels`
 */
export function decodeImage(bytes: Uint8Array, file: string, mode: ColorMode, maxPixels: number): DecodedImage {
  const channels = channelsOf(mode);
  const tooBig = (width: number, height: number): DataError =>
    new DataError(`${file}: the image declares ${width}x${height} pixels, more than maxPixels (${maxPixels})`);
  try {
    if (isPng(bytes)) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const width = view.getUint32(16);
      const height = view.getUint32(20);
      if (width * height > maxPixels) throw tooBig(width, height);
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return {
        width: png.width,
        height: png.height,
        channels,
        data: fromRgba(
          new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length),
          png.width,
          png.height,
          channels,
        ),
      };
    }
    if (isJpeg(bytes)) {
      const image = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: Math.max(1, Math.ceil(maxPixels / 1e6)),
        maxMemoryUsageInMB: 2048,
      });
      if (image.width * image.height > maxPixels) throw tooBig(image.width, image.height);
      return {
        width: image.width,
        height: image.height,
        channels,
        data: fromRgba(image.data, image.width, image.height, channels),
      };
    }
  } catch (cause) {
    if (cause instanceof Error && cause.message.startsWith(`${file}:`)) throw cause;
    throw new DataError(`${file}: could not be decoded (${cause instanceof Error ? cause.message : String(cause)})`, {
      cause,
    });
  }
  throw new DataError(
    `${file}: only PNG and JPEG images can be decoded (Keras also lists .gif and .bmp files, which Strata cannot read)`,
  );
}
