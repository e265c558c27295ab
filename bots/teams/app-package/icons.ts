import { blankImage, encodePng, setPixel, type Rgba } from './png.js';

type Colour = readonly [number, number, number, number];
const BLUE: Colour = [0x1f, 0x4e, 0x9a, 255];
const WHITE: Colour = [255, 255, 255, 255];
const ORANGE: Colour = [0xf2, 0x8c, 0x28, 255];

/** Fills the pixels inside `inside(x, y)` (coordinates in 0..1 of the image side). */
function paint(img: Rgba, colour: Colour, inside: (x: number, y: number) => boolean): void {
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (inside((x + 0.5) / img.width, (y + 0.5) / img.height)) setPixel(img, x, y, colour);
    }
  }
}

const inCircle = (cx: number, cy: number, r: number) => (x: number, y: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
/** A young person's silhouette: a head and shoulders, the same shape on both icons. */
const head = inCircle(0.5, 0.36, 0.14);
const shoulders = (x: number, y: number) => y >= 0.56 && y <= 0.8 && (x - 0.5) ** 2 / 0.28 ** 2 + (y - 0.8) ** 2 / 0.24 ** 2 <= 1;

/** The 192x192 colour icon: white silhouette on the programme blue, an orange "mission" dot. */
export function colorIcon(): Buffer {
  const img = blankImage(192, 192);
  paint(img, BLUE, () => true);
  paint(img, WHITE, (x, y) => head(x, y) || shoulders(x, y));
  paint(img, ORANGE, inCircle(0.76, 0.26, 0.09));
  return encodePng(img);
}

/** The 32x32 outline icon: white on transparent only, as Teams requires. */
export function outlineIcon(): Buffer {
  const img = blankImage(32, 32);
  paint(img, WHITE, (x, y) => head(x, y) || shoulders(x, y));
  return encodePng(img);
}
