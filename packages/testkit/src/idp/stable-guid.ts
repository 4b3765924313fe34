import { createHash } from 'node:crypto';

/**
 * A GUID-shaped, deterministic identifier of `seed` (from its SHA-256): the same seed gives the
 * same id on every run, so fixtures and tests can name what the emulated vendors identify by GUID.
 */
export function stableGuid(seed: string): string {
  const hex = stableHex(seed);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The hex SHA-256 of `seed`, for ids a vendor writes in another shape than a GUID. */
export function stableHex(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}
