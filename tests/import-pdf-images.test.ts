import { deflateSync } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { PdfImage } from "@bulletin/core";
import { PdfJsReader } from "@bulletin/pdf";
import { deflatedPixels, imagePdf } from "./support/image-pdf.ts";

// The pictures a word processor may put into a bulletin PDF, as the reader makes photos of them for
// the web and the email: each written into a PDF by hand (Chromium writes none of these).
const reader = new PdfJsReader();

async function pixelAt(photo: NonNullable<PdfImage["photo"]>, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(photo.jpeg).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}

async function imagesOf(pdf: Uint8Array) {
  const doc = await reader.read(pdf);
  return { images: doc.pages[0]!.images, undecoded: doc.undecoded };
}

describe("pictures in a PDF, made photos for the web", () => {
  it("converts CMYK, 16 bits a channel and one bit a pixel to sRGB JPEGs of the same picture", async () => {
    const { images } = await imagesOf(
      imagePdf([
        {
          dict: "/Width 40 /Height 30 /ColorSpace /DeviceCMYK /BitsPerComponent 8 /Filter /FlateDecode",
          data: deflatedPixels(40, 30, 4, 1, () => [255, 0, 0, 0]),
          at: [50, 600, 200, 150],
        },
        {
          dict: "/Width 40 /Height 30 /ColorSpace /DeviceRGB /BitsPerComponent 16 /Filter /FlateDecode",
          data: deflatedPixels(40, 30, 3, 2, () => [65535, 0, 0]),
          at: [300, 600, 200, 150],
        },
        {
          dict: "/Width 40 /Height 30 /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode",
          data: onebit(40, 30, (x) => x >= 20),
          at: [50, 400, 200, 150],
        },
      ]),
    );
    expect(images.map((i) => [i.photo?.width, i.photo?.height, i.problem])).toEqual([
      [40, 30, undefined],
      [40, 30, undefined],
      [40, 30, undefined],
    ]);
    for (const im of images)
      expect(await sharp(im.photo!.jpeg).metadata()).toMatchObject({ format: "jpeg", space: "srgb", channels: 3 });
    const [cyan, red, bw] = await Promise.all(images.map((im) => pixelAt(im.photo!, 10, 10)));
    expect(cyan![0]).toBeLessThan(80);
    expect(cyan![2]).toBeGreaterThan(150);
    expect(red![0]).toBeGreaterThan(230);
    expect(red![1]).toBeLessThan(30);
    expect(bw!.every((v) => v < 40)).toBe(true);
    expect((await pixelAt(images[2]!.photo!, 30, 10)).every((v) => v > 215)).toBe(true);
  });

  it("downscales a large photo to 1200 px wide, keeping its shape", async () => {
    const { images } = await imagesOf(
      imagePdf([
        {
          dict: "/Width 2400 /Height 1600 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode",
          data: deflatedPixels(2400, 1600, 3, 1, (x, y) => [x % 256, y % 256, 90]),
          at: [50, 400, 480, 320],
        },
      ]),
    );
    expect(images[0]!.photo).toMatchObject({ width: 1200, height: 800 });
    expect((await sharp(images[0]!.photo!.jpeg).metadata()).width).toBe(1200);
  });

  it("says why there is no photo: a JPEG that cannot be decoded, a few pixels stretched over a photo's place", async () => {
    const garbage = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 200 }, (_, i) => (i * 37) % 256)]);
    const { images } = await imagesOf(
      imagePdf([
        {
          dict: "/Width 640 /Height 480 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode",
          data: garbage,
          at: [50, 600, 200, 150],
        },
        {
          dict: "/Width 4 /Height 3 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode",
          data: deflatedPixels(4, 3, 3, 1, () => [10, 200, 10]),
          at: [300, 600, 200, 150],
        },
      ]),
    );
    expect(images.map((i) => [i.photo, i.problem?.kind])).toEqual([
      [undefined, "undecodable"],
      [undefined, "absurd-size"],
    ]);
  });

  it("decodes no picture of absurd size (a bomb: one colour, deflated a thousandfold), and says it was there", async () => {
    const { images, undecoded } = await imagesOf(
      imagePdf([
        {
          dict: "/Width 20000 /Height 20000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
          data: deflatedPixels(100, 100, 1, 1, () => [0]),
          at: [50, 400, 400, 400],
        },
        {
          dict: "/Width 40 /Height 30 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode",
          data: deflatedPixels(40, 30, 3, 1, () => [0, 0, 255]),
          at: [50, 100, 200, 150],
        },
      ]),
    );
    expect(undecoded).toEqual([{ width: 20000, height: 20000 }]);
    expect(images).toHaveLength(1);
    expect(images[0]!.photo).toMatchObject({ width: 40, height: 30 });
  });
});

/** One bit a pixel, rows padded to a byte, 1 = white (DeviceGray). */
function onebit(width: number, height: number, white: (x: number, y: number) => boolean): Uint8Array {
  const stride = Math.ceil(width / 8);
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) if (white(x, y)) out[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
  return new Uint8Array(deflateSync(out));
}
