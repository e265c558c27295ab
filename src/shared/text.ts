/**
 * Folds a French string for matching: lower case, no accents, no punctuation,
 * single spaces. "Saint-Étienne" and "st etienne" are compared after folding.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Damerau-free Levenshtein distance, bounded: returns max+1 as soon as it is exceeded. `from`/`to` compare `a` with
 * that slice of `b` only (a word of a longer name, without cutting it out: this runs over every name of a caseload).
 */
export function editDistance(a: string, b: string, max = 3, from = 0, to = b.length): number {
  const bl = to - from;
  if (Math.abs(a.length - bl) > max) return max + 1;
  // Two rows of the table, reused across calls (this runs over every name of a caseload for a typo).
  if (rowA.length <= bl) {
    rowA = new Int32Array(bl + 16);
    rowB = new Int32Array(bl + 16);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= bl; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= bl; j++) {
      const cost = ca === b.charCodeAt(from + j - 1) ? 0 : 1;
      let v = prev[j]! + 1;
      const left = cur[j - 1]! + 1;
      if (left < v) v = left;
      const diagonal = prev[j - 1]! + cost;
      if (diagonal < v) v = diagonal;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[bl]!;
}
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * Shortens a label to at most `max` characters at a word boundary, with an ellipsis when anything was cut:
 * "Je suis étudiant·e, je peux faire de l'intérim ?" -> "Je suis étudiant·e, je peux faire de…", never "…de l'i".
 */
export function shorten(label: string, max: number): string {
  const s = label.trim();
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.'’-]+$/, '')}…`;
}
