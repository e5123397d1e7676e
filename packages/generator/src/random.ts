/**
 * Deterministic randomness with no state shared between nodes. Every decision is a hash of what it is about
 * (seed, node, patch, window, what is being decided), so a node can be generated alone, in any order, on any
 * day, and the fleet never has to be held in memory.
 */

/** A 32-bit finaliser (lowbias32): cheap, and every input bit reaches every output bit. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A 32-bit hash of up to four whole numbers (each taken modulo 2^32). Fixed arity: this runs in hot loops. */
export function hash(a: number, b = 0, c = 0, d = 0): number {
  let h = mix32(a ^ 0x9e3779b9);
  h = mix32(h ^ mix32(b + 0x632be5ab));
  h = mix32(h ^ mix32(c + 0x85ebca6b));
  return mix32(h ^ mix32(d + 0xc2b2ae35));
}

/** A stable number in [0, 1): the same question always gets the same answer. */
export function chance(a: number, b = 0, c = 0, d = 0): number {
  return hash(a, b, c, d) / 4294967296;
}

/** FNV-1a of a text, to turn names (of decisions, families) into hash inputs. */
export function textHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A sequence of numbers in [0, 1) (mulberry32), for values drawn one after another from one seed. */
export type Random = () => number;

export function randomStream(a: number, b = 0, c = 0, d = 0): Random {
  let state = hash(a, b, c, d);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number from `min` to `max`, both included. */
export const between = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

/** An item chosen by weight; `roll` is in [0, 1). */
export function weighted<T>(roll: number, items: readonly { weight: number; value: T }[]): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let threshold = roll * total;
  for (const item of items) {
    threshold -= item.weight;
    if (threshold < 0) return item.value;
  }
  const last = items.at(-1);
  if (last === undefined) throw new RangeError('weighted pick from an empty list');
  return last.value;
}

export const hex = (random: Random, length: number): string => {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
  return out;
};

/**
 * A bijection of 32-bit numbers keyed by `key` (xor, odd multiplications and xor-shifts are each invertible):
 * distinct node indexes always give distinct node ids, which random digits alone would not guarantee.
 */
export function permute32(value: number, key: number): number {
  let x = (value ^ key) >>> 0;
  x = Math.imul(x, 0x2c1b3c6d) >>> 0;
  x ^= x >>> 12;
  x = Math.imul(x, 0x297a2d39) >>> 0;
  x ^= x >>> 15;
  return x >>> 0;
}

/** A UUID-shaped id (version 4 layout) derived from the inputs, for execution and snapshot ids. */
export function uuidOf(a: number, b: number, c: number): string {
  const part = (salt: number) => hash(a, b, c, salt).toString(16).padStart(8, '0');
  const digits = part(1) + part(2) + part(3) + part(4);
  return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-4${digits.slice(13, 16)}-a${digits.slice(17, 20)}-${digits.slice(20, 32)}`;
}
