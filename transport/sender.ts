// The sender: every request to Plek leaves through here. It joins the SCIM base URL and a path (the only place a
// URL is built), passes the shared gate (Limiter: concurrency, pace, pauses after 429), sends through PlekHttp
// (authentication), asks the RetryPolicy after each answer, and turns a final failure into a PlekApiError whose
// text has passed redact().
import { PlekAuthError } from './auth';
import { PlekApiError, plekErrorFromNetwork, plekErrorFromResponse } from './errors';
import type { PlekHttp, PlekHttpMethod, PlekHttpResponse } from './http';
import { Limiter } from './limiter';
import type { PacingTuning } from './limiter';
import type { RetryPolicy, StopSignal } from './retry';

export interface SenderOptions {
	/** Absolute SCIM base URL, e.g. https://acme.plek.co/scim/v2 */
	scimBaseUrl: string;
	/** Requests in flight at once. Default 4. */
	concurrency?: number;
	/** Cap on requests started per second; 0 = no cap (default). */
	requestsPerSecond?: number;
	/** Tuning of the adaptive pace (tests, benchmarks). */
	pacing?: Partial<PacingTuning>;
	/** Secret strings to redact from any error text (client secret, tokens): a live list. */
	secrets?: string[];
}

/** The final answer to one logical request (any status), with how many requests it took. */
export interface Sent extends PlekHttpResponse {
	attempts: number;
	method: PlekHttpMethod;
	url: string;
}

export interface SendOptions {
	qs?: Record<string, string | number | undefined>;
	body?: unknown;
	headers?: Record<string, string>;
	/** Retry 5xx and network errors. Default: every method but POST. 429 is always retried (nothing was applied). */
	idempotent?: boolean;
	/** The run's failure breaker: once it is open, this request is not sent again. */
	stop?: StopSignal;
}

export function isOk(status: number): boolean {
	return status >= 200 && status < 300;
}

function parseJson(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const trimmed = body.trim();
	if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
		try {
			return JSON.parse(trimmed);
		} catch {
			return body;
		}
	}
	return trimmed ? body : undefined;
}

export class ScimSender {
	readonly concurrency: number;
	readonly secrets: string[];
	private readonly base: string;
	private readonly limiter: Limiter;
	private requests = 0;

	constructor(
		private readonly http: PlekHttp,
		readonly retry: RetryPolicy,
		options: SenderOptions,
	) {
		this.base = options.scimBaseUrl.replace(/\/+$/, '');
		this.secrets = options.secrets ?? [];
		this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
		this.limiter = new Limiter(
			this.concurrency,
			Math.max(0, options.requestsPerSecond ?? 0),
			retry.sleep,
			retry.now,
			retry.random,
			options.pacing,
		);
	}

	/** The SCIM base URL (no trailing slash). */
	get baseUrl(): string {
		return this.base;
	}

	/** HTTP requests made so far, retries included. */
	requestCount(): number {
		return this.requests;
	}

	/**
	 * Sends one logical request through the shared gate, retried as the RetryPolicy decides. Returns the final
	 * response (any status); throws PlekApiError when a network error is final (PlekAuthError when the credential
	 * failed: that is final and already explained).
	 */
	async send(method: PlekHttpMethod, path: string, options: SendOptions = {}): Promise<Sent> {
		const url = `${this.base}${path}`;
		const retries = this.retry.request(options.idempotent ?? method !== 'POST', options.stop);
		for (;;) {
			const sentAt = await this.limiter.acquire();
			const { response, failure } = await this.sendOnce(method, url, options);
			if (!response) {
				if (failure instanceof PlekAuthError || failure instanceof PlekApiError) throw failure;
				const wait = retries.afterFailure(failure);
				if (wait === undefined) {
					throw plekErrorFromNetwork(method, url, failure, { attempts: retries.attempts(), secrets: this.secrets });
				}
				await this.retry.sleep(wait);
				continue;
			}
			if (response.status !== 429) this.limiter.recordAccepted();
			const next = retries.afterAnswer(response.status, response.headers);
			if (next.action === 'final') {
				return { ...response, body: parseJson(response.body), attempts: retries.attempts(), method, url };
			}
			if (next.action === 'rateLimited') this.limiter.rateLimited(next.waitMs, sentAt);
			else await this.retry.sleep(next.waitMs);
		}
	}

	/** One HTTP exchange while holding a slot of the gate. */
	private async sendOnce(
		method: PlekHttpMethod,
		url: string,
		options: SendOptions,
	): Promise<{ response?: PlekHttpResponse; failure?: unknown }> {
		try {
			this.requests++;
			const response = await this.http.request({ method, url, qs: options.qs, body: options.body, headers: options.headers });
			return { response };
		} catch (error) {
			return { failure: error };
		} finally {
			this.limiter.release();
		}
	}

	/** The error for a final answer that is not 2xx (its text redacted). */
	fail(sent: Sent): PlekApiError {
		return plekErrorFromResponse(sent.method, sent.url, sent.status, sent.body, {
			attempts: sent.attempts,
			secrets: this.secrets,
		});
	}

	/** The body of a 2xx answer; throws the answer's error otherwise. */
	expectOk(sent: Sent): unknown {
		if (!isOk(sent.status)) throw this.fail(sent);
		return sent.body;
	}
}
