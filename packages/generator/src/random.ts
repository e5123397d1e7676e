/**
 * Deterministic randomness. Every node draws from its own stream, seeded from (fleet seed, node index), so a
 * node is the same whatever else is generated and nothing about the fleet needs to be held in memory.
 */

/** mulberry32: small, fast, and good enough for synthetic data. */
export function randomStream(...seeds: number[]): () => number {
  let state = seeds.reduce((h, s) => Math.imul(h ^ (s >>> 0), 0x9e3779b1) >>> 0, 0x2545f491);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable number in [0, 1) for a combination of values: the same question always gets the same answer. */
export function chance(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = String(part);
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x2f, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

export const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

export const hex = (random: () => number, length: number): string =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
