// The one retry policy of the transport: what is sent again, how often, after which wait. The sender asks it after
// every answer and every network failure; the SCIM API asks it after a 412; the typed writes ask it before
// re-sending a create whose outcome was unknown, replaying a PATCH in plain paths, or writing a Bulk operation
// singly. Every answer honours Retry-After (429 and 503) and the run's failure breaker (`stop`): once the breaker
// is open, no write is sent again. 429 pauses the whole client (the Limiter); it is retried until the rate-limit
// budget is spent, for any method, because nothing was applied.
import { isRetryableNetworkError } from './errors';
import { backoffDelay, defaultSleep, parseRetryAfter } from './limiter';
import type { SleepFn } from './limiter';

/** How long one request is retried while Plek answers 429, unless configured. */
export const DEFAULT_RATE_LIMIT_BUDGET_MS = 10 * 60_000;

/** Statuses retried with backoff (429 additionally honours Retry-After). */
export const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * Second tries that follow from what an answer says rather than from a passing fault: each is sent at most this
 * many times more for one write.
 */
export const RESENDS = {
	/** 412: the current version is read and the PATCH sent again (its values are absolute, so that is safe). */
	preconditionFailed: 1,
	/** 400 for a filtered path: the same change once more in plain paths (see patchDialect.ts). */
	plainDialect: 1,
	/** A Bulk operation whose outcome is unknown, or a 400 for it: once more as a single request. */
	bulkOperationAlone: 1,
} as const;

export type Resend = keyof typeof RESENDS;

export interface RetryTuning {
	/** Attempts per request including the first, for 5xx and network errors (and POSTs of a create whose outcome
	 * stayed unknown). Default 5. 429 is not counted: it is retried until rateLimitBudgetMs is spent. */
	maxAttempts: number;
	/** Backoff base. Default 500 ms. */
	baseDelayMs: number;
	/** Backoff ceiling. Default 30 s. */
	maxDelayMs: number;
	/** Longest Retry-After honoured. Default 60 s. */
	maxRetryAfterMs: number;
	/** How long one request keeps being retried while Plek answers 429. Default 10 minutes. */
	rateLimitBudgetMs: number;
}

export interface RetryClock {
	sleep?: SleepFn;
	random?: () => number;
	now?: () => number;
}

/** Asked before each retry of a write: true means the run's failure breaker is open and nothing more is sent. */
export type StopSignal = () => boolean;

/** What the sender does after one answer. */
export type AfterAnswer =
	| { action: 'final' }
	/** 429: pause the whole client for waitMs (the Limiter) and send again; not an attempt. */
	| { action: 'rateLimited'; waitMs: number }
	/** 5xx: wait, then send again. */
	| { action: 'retry'; waitMs: number };

/** One request's retries: created by RetryPolicy.request(), asked after each answer or failure. */
export class RequestRetries {
	private attempt = 1;
	private rateLimited = 0;
	private rateLimitedSince: number | undefined;

	constructor(
		private readonly policy: RetryPolicy,
		private readonly idempotent: boolean,
		private readonly stop?: StopSignal,
	) {}

	/** Requests sent so far for this logical request, 429s included. */
	attempts(): number {
		return this.attempt + this.rateLimited;
	}

	/** The wait before sending again after a network failure, or undefined: the failure is final. */
	afterFailure(failure: unknown): number | undefined {
		if (!this.idempotent || !isRetryableNetworkError(failure) || !this.mayRetry()) return undefined;
		return this.policy.backoff(this.attempt++);
	}

	/** What to do after an answer with this status. */
	afterAnswer(status: number, headers: Record<string, string | string[] | undefined>): AfterAnswer {
		const retryAfter = status === 429 || status === 503 ? this.policy.retryAfter(headers['retry-after']) : undefined;
		if (status === 429 && this.withinRateLimitBudget() && !this.stop?.()) {
			this.rateLimited++;
			return { action: 'rateLimited', waitMs: retryAfter ?? this.policy.backoff(this.rateLimited) };
		}
		const retryable = status !== 429 && this.idempotent && RETRYABLE_STATUSES.has(status);
		if (!retryable || !this.mayRetry()) return { action: 'final' };
		return { action: 'retry', waitMs: retryAfter ?? this.policy.backoff(this.attempt++) };
	}

	private mayRetry(): boolean {
		return this.attempt < this.policy.tuning.maxAttempts && !this.stop?.();
	}

	private withinRateLimitBudget(): boolean {
		const now = this.policy.now();
		this.rateLimitedSince ??= now;
		return now - this.rateLimitedSince < this.policy.tuning.rateLimitBudgetMs;
	}
}

/** The transport's retry policy; see the comment at the top. */
export class RetryPolicy {
	readonly tuning: RetryTuning;
	readonly sleep: SleepFn;
	readonly now: () => number;
	/** The jitter source (the Limiter stretches its pauses with it too). */
	readonly random: () => number;

	constructor(tuning: Partial<RetryTuning> = {}, clock: RetryClock = {}) {
		this.tuning = {
			maxAttempts: Math.max(1, Math.floor(tuning.maxAttempts ?? 5)),
			baseDelayMs: tuning.baseDelayMs ?? 500,
			maxDelayMs: tuning.maxDelayMs ?? 30_000,
			maxRetryAfterMs: tuning.maxRetryAfterMs ?? 60_000,
			rateLimitBudgetMs: Math.max(0, tuning.rateLimitBudgetMs ?? DEFAULT_RATE_LIMIT_BUDGET_MS),
		};
		this.sleep = clock.sleep ?? defaultSleep;
		this.random = clock.random ?? Math.random;
		this.now = clock.now ?? Date.now;
	}

	/**
	 * The retries of one request. `idempotent` requests (every method but POST, unless told) also retry 5xx and
	 * network errors; `stop` is the run's failure breaker, asked before each retry.
	 */
	request(idempotent: boolean, stop?: StopSignal): RequestRetries {
		return new RequestRetries(this, idempotent, stop);
	}

	/** Exponential backoff with full jitter for the given attempt (1-based). */
	backoff(attempt: number): number {
		return backoffDelay(attempt, this.tuning.baseDelayMs, this.tuning.maxDelayMs, this.random);
	}

	/** Retry-After in milliseconds, capped at maxRetryAfterMs; undefined when absent or unreadable. */
	retryAfter(value: string | string[] | undefined): number | undefined {
		return parseRetryAfter(value, this.now(), this.tuning.maxRetryAfterMs);
	}

	/**
	 * A create whose outcome stayed unknown after `attempt` POSTs, and whose lookup found nothing: waits and
	 * returns true when it may be POSTed again, false when its attempts are spent or the breaker is open.
	 */
	async resendCreate(attempt: number, stop?: StopSignal): Promise<boolean> {
		if (attempt >= this.tuning.maxAttempts || stop?.()) return false;
		await this.sleep(this.backoff(attempt));
		return true;
	}

	/** Whether a write is sent again for `why` after `done` such resends (see RESENDS), unless the breaker is open. */
	mayResend(why: Resend, done: number, stop?: StopSignal): boolean {
		return done < RESENDS[why] && !stop?.();
	}
}

/** The policy of a directory that waits for nothing (the in-memory test directory): same counts, no waits. */
export function immediateRetryPolicy(): RetryPolicy {
	return new RetryPolicy({}, { sleep: async () => {} });
}
