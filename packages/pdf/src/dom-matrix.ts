/**
 * The 2D part of DOMMatrix, which PDF.js expects as a global: a module-level constant of its display
 * layer, and the outlines of Type 3 glyphs drawn as image masks in its parser. Node has none; PDF.js
 * borrows the one of @napi-rs/canvas when that native package loads, which it does not in a Lambda
 * bundle. Reading text needs no canvas, so this small one stands in everywhere.
 */
class DOMMatrix2D {
  a = 1;
  b = 0;
  c = 0;
  d = 1;
  e = 0;
  f = 0;

  constructor(init?: ArrayLike<number>) {
    if (init && init.length >= 6)
      [this.a, this.b, this.c, this.d, this.e, this.f] = Array.from(init).slice(0, 6) as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
  }

  /** this × other, as DOMMatrix.multiplySelf. */
  multiplySelf(o: { a: number; b: number; c: number; d: number; e: number; f: number }): this {
    const { a, b, c, d, e, f } = this;
    this.a = a * o.a + c * o.b;
    this.b = b * o.a + d * o.b;
    this.c = a * o.c + c * o.d;
    this.d = b * o.c + d * o.d;
    this.e = a * o.e + c * o.f + e;
    this.f = b * o.e + d * o.f + f;
    return this;
  }

  preMultiplySelf(o: { a: number; b: number; c: number; d: number; e: number; f: number }): this {
    const copy = new DOMMatrix2D([o.a, o.b, o.c, o.d, o.e, o.f]).multiplySelf(this);
    Object.assign(this, { a: copy.a, b: copy.b, c: copy.c, d: copy.d, e: copy.e, f: copy.f });
    return this;
  }

  translateSelf(tx = 0, ty = 0): this {
    return this.multiplySelf(new DOMMatrix2D([1, 0, 0, 1, tx, ty]));
  }

  scaleSelf(sx = 1, sy = sx): this {
    return this.multiplySelf(new DOMMatrix2D([sx, 0, 0, sy, 0, 0]));
  }

  invertSelf(): this {
    const { a, b, c, d, e, f } = this;
    const det = a * d - b * c;
    if (det === 0) return Object.assign(this, { a: NaN, b: NaN, c: NaN, d: NaN, e: NaN, f: NaN });
    return Object.assign(this, {
      a: d / det,
      b: -b / det,
      c: -c / det,
      d: a / det,
      e: (c * f - d * e) / det,
      f: (b * e - a * f) / det,
    });
  }

  translate(tx = 0, ty = 0): DOMMatrix2D {
    return new DOMMatrix2D([this.a, this.b, this.c, this.d, this.e, this.f]).translateSelf(tx, ty);
  }

  scale(sx = 1, sy = sx): DOMMatrix2D {
    return new DOMMatrix2D([this.a, this.b, this.c, this.d, this.e, this.f]).scaleSelf(sx, sy);
  }
}

/** Installs the stand-in unless the runtime (or a canvas package) already gave one. */
export function ensureDomMatrix(): void {
  const g = globalThis as { DOMMatrix?: unknown };
  g.DOMMatrix ??= DOMMatrix2D;
}
