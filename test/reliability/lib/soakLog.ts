/** Seeds of the reliability suite (short / long) and a JSON-lines log of what each soak run met, for the notes. */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const LONG = process.env.PLEK_RELIABILITY_LONG === '1';

/** PLEK_RELIABILITY_SEEDS=1,2,3, else `short` seeds (or `long` with PLEK_RELIABILITY_LONG=1): 1..n. */
export function soakSeeds(short: number, long: number): number[] {
	const given = process.env.PLEK_RELIABILITY_SEEDS;
	if (given) return given.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n));
	return Array.from({ length: LONG ? long : short }, (_, i) => i + 1);
}

/** Where the suite writes its numbers: PLEK_RELIABILITY_LOG, default reliability-results.jsonl in the OS temp dir. */
export const LOG_FILE = process.env.PLEK_RELIABILITY_LOG ?? join(require('node:os').tmpdir(), 'plek-reliability.jsonl');

export function recordSoak(entry: Record<string, unknown>): void {
	mkdirSync(dirname(LOG_FILE), { recursive: true });
	appendFileSync(LOG_FILE, `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`);
}
