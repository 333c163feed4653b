import { sleep as n8nSleep } from 'n8n-workflow';

export type SleepFn = (ms: number) => Promise<void>;

export const defaultSleep: SleepFn = async (ms) => await n8nSleep(ms);

/**
 * Bounded concurrency plus an optional requests-per-second cap. Waiting uses `sleep` (n8n-workflow's by default,
 * an injected recorder in tests) and a clock that tests can replace, so pacing is testable without wall time.
 */
export class Limiter {
	private active = 0;
	private readonly waiters: Array<() => void> = [];
	private nextSlot = 0;

	constructor(
		private readonly concurrency: number,
		private readonly requestsPerSecond: number,
		private readonly sleepFn: SleepFn,
		private readonly now: () => number,
	) {
		if (!(concurrency >= 1)) throw new Error('concurrency must be at least 1');
		if (!(requestsPerSecond >= 0)) throw new Error('requestsPerSecond must be 0 (no cap) or more');
	}

	/** Waits for a free slot and, with a rate cap, for the next send time. Call release() when done. */
	async acquire(): Promise<void> {
		if (this.active < this.concurrency) {
			this.active++;
		} else {
			// release() hands its slot over directly, so `active` stays the same.
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		}
		if (this.requestsPerSecond > 0) {
			const interval = 1000 / this.requestsPerSecond;
			const now = this.now();
			const slot = Math.max(now, this.nextSlot);
			this.nextSlot = slot + interval;
			const wait = slot - now;
			if (wait > 0) await this.sleepFn(wait);
		}
	}

	release(): void {
		const next = this.waiters.shift();
		if (next) next();
		else this.active--;
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await task();
		} finally {
			this.release();
		}
	}
}

/** Exponential backoff with full jitter: random(0..1) * min(maxDelay, base * 2^(attempt-1)). */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
	const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
	return Math.round(ceiling * Math.min(1, Math.max(0, random())));
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date), capped; undefined when absent or unreadable. */
export function parseRetryAfter(
	value: string | string[] | undefined,
	now: number,
	capMs: number,
): number | undefined {
	const raw = Array.isArray(value) ? value[0] : value;
	if (raw === undefined || raw === null) return undefined;
	const text = String(raw).trim();
	if (!text) return undefined;
	let ms: number;
	if (/^\d+(\.\d+)?$/.test(text)) {
		ms = Number(text) * 1000;
	} else {
		const date = Date.parse(text);
		if (Number.isNaN(date)) return undefined;
		ms = date - now;
	}
	return Math.min(capMs, Math.max(0, Math.round(ms)));
}
