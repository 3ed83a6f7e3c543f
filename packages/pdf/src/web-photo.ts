import { MAX_PHOTO_WIDTH, type WebPhoto } from "@bulletin/core";
import sharp from "sharp";

/** A picture as PDF.js decodes it without a canvas: its pixels, in one of three layouts. */
export interface DecodedImage {
  width: number;
  height: number;
  /** PDF.js's ImageKind: 1 = one bit a pixel (set = white), 2 = RGB, 3 = RGBA. */
  kind: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** JPEG quality: photos stay clean at a 600 px column on a 2× screen, at a fraction of PNG's size. */
const QUALITY = 80;

/**
 * A decoded picture as a photo for the web and the email: downscaled to at most MAX_PHOTO_WIDTH
 * pixels wide, flattened onto white (a JPEG has no transparency), sRGB, progressive JPEG. PDF.js has
 * already turned CMYK, indexed, Lab and 16-bit pictures into 8-bit RGB; a one-bit picture becomes
 * grey. Throws on pixels that do not fit the size given.
 *
 * @example
 * const photo = await webPhoto({ width: 2400, height: 1600, kind: 2, data: rgb }); // { width: 1200, height: 800, jpeg }
 */
export async function webPhoto(img: DecodedImage): Promise<WebPhoto> {
  const { width, height } = img;
  const channels = img.kind === 3 ? 4 : img.kind === 2 ? 3 : 1;
  const pixels = img.kind === 1 ? unpackBits(img.data, width, height) : img.data;
  if (pixels.length < width * height * channels)
    throw new Error(`${pixels.length} bytes of pixels for a ${width}×${height} picture`);
  const { data, info } = await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, width * height * channels), {
    raw: { width, height, channels },
  })
    .resize({ width: MAX_PHOTO_WIDTH, withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .toColourspace("srgb")
    .jpeg({ quality: QUALITY, progressive: true, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  return {
    jpeg: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
  };
}

/** One bit a pixel, rows padded to a byte, set = white → one byte of grey a pixel. */
function unpackBits(src: Uint8Array | Uint8ClampedArray, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const stride = (width + 7) >> 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out[y * width + x] = (src[y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
  }
  return out;
}
