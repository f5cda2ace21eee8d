/** mulberry32: a small, fast, seedable PRNG; the world's randomness must repeat exactly for a given seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable hash of a string to 32 bits (FNV-1a), for noise keyed by metric series and time. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A standard normal value determined by `key` (Box-Muller over two hashed uniforms). */
export function normalFor(key: string): number {
  const u1 = (hash32(key) + 1) / 4294967297;
  const u2 = (hash32(`${key}#2`) + 1) / 4294967297;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Runs `work` with Math.random drawn from mulberry32(seed). The SDK's retry jitter draws from Math.random, so a
 * run with faults (a rehearsal, a benchmark, a reliability cell) is the same run every time.
 */
export async function withSeededMathRandom<T>(seed: number, work: () => Promise<T>): Promise<T> {
  const random = Math.random;
  Math.random = mulberry32(seed);
  try {
    return await work();
  } finally {
    Math.random = random;
  }
}
