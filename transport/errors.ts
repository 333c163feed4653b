import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { describeNetworkCode } from './auth';
import { redact } from './redact';

export { REDACTED, addSecret, redact } from './redact';

export { SCIM_ERROR_SCHEMA } from './schemas';

/** Network error codes that mean "the request may not have reached Plek, or the answer was lost". */
export const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNREFUSED',
	'ECONNABORTED',
	'EPIPE',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'UND_ERR_SOCKET',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** Strips the query string (filters may hold personal data; never a secret, but keep errors short). */
export function pathOnly(url: string): string {
	const noQuery = url.split('?')[0];
	const match = /^[a-z]+:\/\/[^/]+(\/.*)?$/i.exec(noQuery);
	return match ? match[1] || '/' : noQuery;
}

export interface PlekApiErrorOptions {
	status?: number;
	scimType?: string;
	detail?: string;
	method: string;
	path: string;
	/** Network error code when no HTTP answer arrived. */
	code?: string;
	attempts?: number;
	/** What the user should do about it. */
	hint?: string;
}

/** A final error from Plek (after retries). Carries no request headers or bodies, so no secret. */
export class PlekApiError extends Error {
	status?: number;
	scimType?: string;
	detail?: string;
	method: string;
	path: string;
	code?: string;
	attempts?: number;
	hint?: string;

	constructor(message: string, options: PlekApiErrorOptions) {
		super(message);
		this.name = 'PlekApiError';
		this.status = options.status;
		this.scimType = options.scimType;
		this.detail = options.detail;
		this.method = options.method;
		this.path = options.path;
		this.code = options.code;
		this.attempts = options.attempts;
		this.hint = options.hint;
	}

	toJSON(): Record<string, unknown> {
		return {
			name: this.name,
			message: this.message,
			status: this.status,
			scimType: this.scimType,
			detail: this.detail,
			method: this.method,
			path: this.path,
			code: this.code,
			attempts: this.attempts,
			hint: this.hint,
		};
	}
}

/** Reads `scimType` and `detail` from a SCIM error body (or a generic JSON error body). */
export function parseScimError(body: unknown): { scimType?: string; detail?: string } {
	if (body === null || body === undefined) return {};
	if (typeof body === 'string') {
		const trimmed = body.trim();
		if (trimmed.startsWith('{')) {
			try {
				return parseScimError(JSON.parse(trimmed));
			} catch {
				return { detail: trimmed.slice(0, 300) };
			}
		}
		return trimmed ? { detail: trimmed.slice(0, 300) } : {};
	}
	if (typeof body !== 'object') return {};
	const record = body as Record<string, unknown>;
	const scimType = typeof record.scimType === 'string' ? record.scimType : undefined;
	let detail: string | undefined;
	for (const key of ['detail', 'message', 'error_description', 'error']) {
		const value = record[key];
		if (typeof value === 'string' && value) {
			detail = value;
			break;
		}
	}
	return { scimType, detail: detail?.slice(0, 500) };
}

/** What a status says, in the words of one request: `where` is "METHOD /path", `said` Plek's detail (": ..."). */
interface StatusWords {
	where: string;
	said: string;
	tries: string;
	scimType?: string;
	status: number;
}

const STATUS_MESSAGES: Record<number, { message: (w: StatusWords) => string; hint: string }> = {
	400: {
		message: (w) => `Plek rejected ${w.where} as invalid (400${w.scimType ? ` ${w.scimType}` : ''})${w.said}`,
		hint: 'Check the mapped values: a field has a value Plek does not accept for its type, or is read-only.',
	},
	401: {
		message: (w) => `Plek did not accept the credentials for ${w.where} (401)`,
		hint: 'Check the Client ID and Client Secret (or the Access Token) in the Plek API credential.',
	},
	403: {
		message: (w) => `The Plek API client is not allowed to call ${w.where} (403)${w.said}`,
		hint: 'The client lacks permission: give the API client SCIM provisioning rights in Plek.',
	},
	404: {
		message: (w) => `Plek has no resource at ${w.where} (404)${w.said}`,
		hint: 'Check the Environment URL and the SCIM Base Path in the Plek API credential (or whether the record was deleted in Plek).',
	},
	409: {
		message: (w) => `Plek reports a uniqueness conflict for ${w.where} (409${w.scimType ? ` ${w.scimType}` : ''})${w.said}`,
		hint: 'Another Plek account already uses this userName or externalId. Fix the mapping key or the existing account in Plek.',
	},
	412: {
		message: (w) => `The Plek record changed while ${w.where} was applied (412 precondition failed)${w.said}`,
		hint: 'Run the sync again; it re-reads the current state.',
	},
	413: {
		message: (w) => `The request ${w.where} is too large for Plek (413)${w.said}`,
		hint: 'Lower the bulk size.',
	},
	429: {
		message: (w) => `Plek kept rate-limiting ${w.where} (429)${w.tries}`,
		hint: 'Lower Requests per Second (or concurrency) in the node options, or run the sync less often.',
	},
};

const SERVER_ERROR = {
	message: (w: StatusWords) => `Plek had a server error on ${w.where} (${w.status})${w.tries}${w.said}`,
	hint: 'This is a problem on the Plek side; try again later. Changes already applied are kept, and a rerun continues where this stopped.',
};

const OTHER_STATUS = {
	message: (w: StatusWords) => `Plek answered ${w.where} with HTTP ${w.status}${w.said}`,
	hint: 'Check the request and the credential.',
};

function describeStatus(
	status: number,
	method: string,
	path: string,
	scimType: string | undefined,
	detail: string | undefined,
	attempts: number | undefined,
): { message: string; hint: string } {
	const words: StatusWords = {
		where: `${method} ${path}`,
		said: detail ? `: ${detail}` : '',
		tries: attempts && attempts > 1 ? ` after ${attempts} attempts` : '',
		scimType,
		status,
	};
	const known = STATUS_MESSAGES[status] ?? (status >= 500 ? SERVER_ERROR : OTHER_STATUS);
	return { message: known.message(words), hint: known.hint };
}

/** Builds a PlekApiError from an HTTP response. */
export function plekErrorFromResponse(
	method: string,
	url: string,
	status: number,
	body: unknown,
	options: { attempts?: number; secrets?: readonly string[] } = {},
): PlekApiError {
	const path = pathOnly(url);
	const parsed = parseScimError(body);
	const detail = parsed.detail ? redact(parsed.detail, options.secrets) : undefined;
	const scimType = parsed.scimType ? redact(parsed.scimType, options.secrets) : undefined;
	const { message, hint } = describeStatus(status, method, path, scimType, detail, options.attempts);
	return new PlekApiError(message, { status, scimType, detail, method, path, attempts: options.attempts, hint });
}

/** Builds a PlekApiError from a network error (no HTTP answer). */
export function plekErrorFromNetwork(
	method: string,
	url: string,
	error: unknown,
	options: { attempts?: number; secrets?: readonly string[] } = {},
): PlekApiError {
	const path = pathOnly(url);
	const found = networkErrorCode(error);
	const tries = options.attempts && options.attempts > 1 ? ` after ${options.attempts} attempts` : '';
	const reason = error instanceof Error ? redact(error.message, options.secrets) : '';
	if (!found) {
		return new PlekApiError(`The request ${method} ${path} to Plek failed${tries}`, {
			method,
			path,
			attempts: options.attempts,
			hint: `Check the Plek API credential and the network.${reason ? ` (${reason})` : ''}`,
			detail: reason || undefined,
		});
	}
	const hint =
		found === 'ENOTFOUND' || found === 'EAI_AGAIN'
			? 'The host name does not resolve: check the Environment URL in the Plek API credential.'
			: found === 'ECONNREFUSED'
				? 'Nothing answers at that address: check the Environment URL (and port) in the Plek API credential.'
				: 'The connection to Plek failed; check the network and try again.';
	// The message names the failure in words: n8n replaces messages that contain a raw code such as ECONNRESET.
	return new PlekApiError(`Could not reach Plek for ${method} ${path} (${describeNetworkCode(found)})${tries}`, {
		method,
		path,
		code: found,
		attempts: options.attempts,
		hint: `${hint} (network error code ${found})`,
		detail: reason || undefined,
	});
}

/** Finds a Node.js network error code on an error or its causes. */
export function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const record = current as { code?: unknown; message?: unknown; cause?: unknown };
		if (typeof record.code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(record.code)) return record.code;
		if (typeof record.message === 'string' && /socket hang up/i.test(record.message)) return 'ECONNRESET';
		current = record.cause;
	}
	return undefined;
}

export function isRetryableNetworkError(error: unknown): boolean {
	const code = networkErrorCode(error);
	return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

/**
 * Converts any error from the transport to n8n's NodeApiError with httpCode, a message that says what went
 * wrong and a description that says what to do. Only redacted strings are passed on, never the original error
 * object (which could hold request options with an Authorization header).
 */
export function toNodeApiError(
	node: INode,
	error: unknown,
	itemIndex?: number,
	secrets: readonly string[] = [],
): NodeApiError {
	if (error instanceof NodeApiError) {
		const message = redact(error.message, secrets);
		const description = error.description ? redact(error.description, secrets) : undefined;
		return new NodeApiError(
			node,
			{ message, description: description ?? '', httpCode: error.httpCode ?? '' } as JsonObject,
			{ message, description, httpCode: error.httpCode ?? undefined, itemIndex },
		);
	}
	let message: string;
	let description: string | undefined;
	let httpCode: string | undefined;
	const extra: JsonObject = {};
	if (error instanceof PlekApiError) {
		message = redact(error.message, secrets);
		description = error.hint ? redact(error.hint, secrets) : undefined;
		httpCode = error.status !== undefined ? String(error.status) : undefined;
		if (error.scimType) extra.scimType = error.scimType;
		if (error.detail) extra.detail = redact(error.detail, secrets);
		if (error.code) extra.networkCode = error.code;
	} else if (error instanceof Error) {
		message = redact(error.message, secrets);
		const status = (error as { status?: unknown }).status;
		httpCode = typeof status === 'number' ? String(status) : undefined;
	} else {
		message = redact(String(error), secrets);
	}
	const response: JsonObject = { message, ...extra };
	if (description) response.description = description;
	if (httpCode) response.httpCode = httpCode;
	return new NodeApiError(node, response, { message, description, httpCode, itemIndex });
}
