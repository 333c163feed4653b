import { sleep as n8nSleep } from 'n8n-workflow';

export type SleepFn = (ms: number) => Promise<void>;

export const defaultSleep: SleepFn = async (ms) => await n8nSleep(ms);

/** How the shared gate adapts to 429s (see Limiter). */
export interface PacingTuning {
	/** Decrease factor after the first 429 of a run. (0.5 was tried: against the sandbox's 50 req/s it left the pace
	 * far below the limit for minutes; 0.9 of the accepted rate, burst included, settles within a few 429s.) */
	firstDecrease: number;
	/** Decrease factor for later 429s. */
	decrease: number;
	/** Gradual recovery: the rate grows by this fraction per second without a 429 (at least 0.1 request/s). */
	increasePerSecond: number;
	/** Pauses are stretched by up to this fraction at random, so clients that were stopped together do not all
	 * come back at the same instant. */
	jitter: number;
	/** Window over which the accepted rate is measured. */
	windowMs: number;
}

export const DEFAULT_TUNING: PacingTuning = {
	firstDecrease: 0.9,
	decrease: 0.9,
	increasePerSecond: 0.005,
	jitter: 0.1,
	windowMs: 10_000,
};

/**
 * The shared gate every request of one client passes: bounded concurrency, a requests-per-second pace and a pause.
 * AIMD-style: a 429 pauses the whole client (Retry-After, stretched by jitter) and lowers the pace to 90% of
 * the rate Plek was accepting; each second without a 429 raises it a little, up to the configured cap. Without a
 * cap and before any 429 there is no pace at all. Waiting uses `sleep` (n8n-workflow's by default, an injected
 * recorder in tests) and a clock that tests can replace, so pacing is testable without wall time.
 */
export class Limiter {
	private active = 0;
	private readonly waiters: Array<() => void> = [];
	private nextSlot = 0;
	/** Current pace in requests per second (Infinity: none). */
	private rate: number;
	private pausedUntil = 0;
	private lastChangeAt = 0;
	private decreased = false;
	/** Times of accepted (not 429) answers within the window. */
	private accepted: number[] = [];
	private acceptedHead = 0;
	private firstSendAt: number | undefined;
	private readonly tuning: PacingTuning;

	constructor(
		private readonly concurrency: number,
		private readonly requestsPerSecond: number,
		private readonly sleepFn: SleepFn,
		private readonly now: () => number,
		private readonly random: () => number = Math.random,
		tuning: Partial<PacingTuning> = {},
	) {
		if (!(concurrency >= 1)) throw new Error('concurrency must be at least 1');
		if (!(requestsPerSecond >= 0)) throw new Error('requestsPerSecond must be 0 (no cap) or more');
		this.rate = requestsPerSecond > 0 ? requestsPerSecond : Number.POSITIVE_INFINITY;
		this.tuning = { ...DEFAULT_TUNING, ...tuning };
	}

	/** The current pace (requests per second; Infinity when unpaced). */
	currentRate(): number {
		return this.rate;
	}

	/**
	 * Waits for a free slot, then for the end of a pause and for the next send time. Call release() when done.
	 * Returns the time the request may be sent (pass it to rateLimited() if the answer is 429).
	 */
	async acquire(): Promise<number> {
		if (this.active < this.concurrency) {
			this.active++;
		} else {
			// release() hands its slot over directly, so `active` stays the same.
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		}
		for (let now = this.now(); now < this.pausedUntil; now = this.now()) await this.sleepFn(this.pausedUntil - now);
		const now = this.now();
		this.recover(now);
		if (Number.isFinite(this.rate)) {
			const slot = Math.max(now, this.nextSlot);
			this.nextSlot = slot + 1000 / this.rate;
			if (slot > now) await this.sleepFn(slot - now);
		}
		const sentAt = Math.max(now, this.now());
		this.firstSendAt ??= sentAt;
		return sentAt;
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

	/** An answer that was not a 429: counts toward the accepted rate. */
	recordAccepted(): void {
		const now = this.now();
		this.accepted.push(now);
		this.prune(now);
	}

	private prune(now: number): void {
		while (this.acceptedHead < this.accepted.length && this.accepted[this.acceptedHead] < now - this.tuning.windowMs) this.acceptedHead++;
		if (this.acceptedHead > 1024 && this.acceptedHead * 2 > this.accepted.length) {
			this.accepted = this.accepted.slice(this.acceptedHead);
			this.acceptedHead = 0;
		}
	}

	/**
	 * A 429 for a request sent at `sentAt`: pause everyone for `waitMs` (plus jitter) and, once per congestion
	 * episode (requests sent before the last decrease do not count again), lower the pace.
	 */
	rateLimited(waitMs: number, sentAt: number): void {
		const now = this.now();
		const pause = waitMs * (1 + this.tuning.jitter * Math.min(1, Math.max(0, this.random())));
		this.pausedUntil = Math.max(this.pausedUntil, now + pause);
		this.nextSlot = Math.max(this.nextSlot, this.pausedUntil);
		if (this.decreased && sentAt < this.lastChangeAt) return;
		const measured = this.acceptedRate(now);
		const base = Math.min(this.rate, measured > 0 ? measured : this.rate);
		if (Number.isFinite(base)) {
			this.rate = Math.max(0.1, base * (this.decreased ? this.tuning.decrease : this.tuning.firstDecrease));
		}
		this.decreased = true;
		this.lastChangeAt = this.pausedUntil;
	}

	/** Accepted answers per second over the window (or since the first request, when that is shorter). */
	private acceptedRate(now: number): number {
		this.prune(now);
		const span = Math.min(this.tuning.windowMs, now - (this.firstSendAt ?? now));
		return span > 0 ? ((this.accepted.length - this.acceptedHead) * 1000) / span : 0;
	}

	/** Gradual recovery: a little more pace per second since the last change, up to the configured cap. */
	private recover(now: number): void {
		if (!this.decreased || !Number.isFinite(this.rate) || now < this.lastChangeAt + 1000) return;
		const seconds = Math.floor((now - this.lastChangeAt) / 1000);
		for (let i = 0; i < seconds; i++) this.rate += Math.max(0.1, this.rate * this.tuning.increasePerSecond);
		if (this.requestsPerSecond > 0) this.rate = Math.min(this.rate, this.requestsPerSecond);
		this.lastChangeAt += seconds * 1000;
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
