/** The sandbox's unreliability: latency, a requests-per-second limit, and seeded 5xx / dropped connections. */
import { FaultKnobs, Latency, REAL_CLOCK, SandboxClock } from './options';
import { createRandom, Random } from './prng';

export type FaultDecision =
	| { kind: 'none' }
	| { kind: 'error'; status: 500 | 502 | 503 }
	| { kind: 'drop'; afterApply: boolean };

const FAULT_STATUSES = [500, 502, 503] as const;
const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export class Chaos {
	private faultRandom: Random;
	private latencyRandom: Random;
	/** Token bucket for the rate limit: holds up to one second's worth of requests. */
	private bucket = { tokens: 0, refilledAt: 0 };

	constructor(
		private knobs: FaultKnobs,
		seed: number,
		private readonly clock: SandboxClock = REAL_CLOCK,
	) {
		this.faultRandom = createRandom(seed);
		this.latencyRandom = createRandom(seed ^ 0x5bd1e995);
		this.resetBucket();
	}

	get current(): FaultKnobs {
		return { ...this.knobs };
	}

	update(knobs: Partial<FaultKnobs>, seed?: number): void {
		const rateChanged =
			knobs.requestsPerSecond !== undefined && knobs.requestsPerSecond !== this.knobs.requestsPerSecond;
		this.knobs = { ...this.knobs, ...knobs };
		if (rateChanged) this.resetBucket();
		if (seed !== undefined) {
			this.faultRandom = createRandom(seed);
			this.latencyRandom = createRandom(seed ^ 0x5bd1e995);
		}
	}

	latencyMs(): number {
		return drawLatency(this.knobs.latencyMs, this.latencyRandom);
	}

	/** Takes a slot from the bucket; returns undefined when allowed, else the seconds to announce in Retry-After. */
	retryAfterSeconds(now = this.clock.now()): number | undefined {
		const rate = this.knobs.requestsPerSecond;
		if (!rate) return undefined;
		const elapsedSeconds = (now - this.bucket.refilledAt) / 1000;
		this.bucket.tokens = Math.min(rate, this.bucket.tokens + elapsedSeconds * rate);
		this.bucket.refilledAt = now;
		if (this.bucket.tokens >= 1) {
			this.bucket.tokens -= 1;
			return undefined;
		}
		return Math.max(1, Math.ceil((1 - this.bucket.tokens) / rate));
	}

	/**
	 * Decides one SCIM request's fate. Exactly two draws per request whatever the outcome, so a seed
	 * replays the same sequence of decisions for the same sequence of requests. Half of the dropped writes
	 * are applied before the connection dies: the client cannot tell whether its write happened.
	 */
	decide(method: string): FaultDecision {
		const roll = this.faultRandom();
		const detail = this.faultRandom();
		const { faultRate, dropRate } = this.knobs;
		if (roll < faultRate) {
			return { kind: 'error', status: FAULT_STATUSES[Math.floor(detail * FAULT_STATUSES.length)] };
		}
		if (roll < faultRate + dropRate) {
			return { kind: 'drop', afterApply: WRITE_METHODS.has(method) && detail < 0.5 };
		}
		return { kind: 'none' };
	}

	private resetBucket(): void {
		this.bucket = { tokens: this.knobs.requestsPerSecond, refilledAt: this.clock.now() };
	}
}

function drawLatency(latency: Latency, random: Random): number {
	if (typeof latency === 'number') return latency;
	return latency.min + Math.round(random() * (latency.max - latency.min));
}
