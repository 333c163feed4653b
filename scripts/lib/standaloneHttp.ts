/**
 * PlekHttp for tests, benchmarks and tooling (never shipped; lives outside test/ because bench/ and scripts/ use it too): axios, plus the OAuth2 client-credentials token
 * itself, cached until shortly before expiry and refreshed once when Plek answers 401.
 */
import axios from 'axios';
import type { AxiosInstance } from 'axios';

import { requestClientCredentialsToken, resolvePlekEndpoints } from '../../transport/auth';
import type { TokenHttp } from '../../transport/auth';
import { PlekScimClient } from '../../transport/client';
import type { PlekScimClientOptions } from '../../transport/client';
import type { PlekHttp, PlekHttpRequest, PlekHttpResponse } from '../../transport/http';

export interface StandalonePlekHttpOptions {
	environmentUrl: string;
	clientId?: string;
	clientSecret?: string;
	tokenUrl?: string;
	scimBasePath?: string;
	scope?: string;
	clientAuthentication?: 'body' | 'basic';
	/** Use this bearer token instead of client credentials. */
	staticToken?: string;
	/** Renew the token this many ms before it expires. Default 30 s. */
	refreshMarginMs?: number;
	/** Per-request timeout. Default 30 s. */
	timeoutMs?: number;
	now?: () => number;
}

export interface StandalonePlekHttp extends PlekHttp {
	readonly scimBaseUrl: string;
	readonly tokenUrl: string;
	/** Token requests made so far. */
	tokenRequests(): number;
	/** Forget the cached token. */
	invalidateToken(): void;
}

class NetworkError extends Error {
	code: string;
	constructor(code: string, message: string) {
		super(message);
		this.name = 'NetworkError';
		this.code = code;
	}
}

function networkError(error: unknown): NetworkError {
	const record = (error ?? {}) as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
	let code = typeof record.code === 'string' ? record.code : typeof record.cause?.code === 'string' ? record.cause.code : '';
	const message = typeof record.message === 'string' ? record.message : 'request failed';
	if (!code || code === 'ERR_NETWORK' || code === 'ERR_BAD_RESPONSE') {
		code = /socket hang up/i.test(message) ? 'ECONNRESET' : code || 'EUNKNOWN';
	}
	// A fresh error: axios errors carry the request config, including the Authorization header.
	return new NetworkError(code, message);
}

export function createStandalonePlekHttp(options: StandalonePlekHttpOptions): StandalonePlekHttp {
	const endpoints = resolvePlekEndpoints({
		environmentUrl: options.environmentUrl,
		tokenUrl: options.tokenUrl,
		scimBasePath: options.scimBasePath,
	});
	const now = options.now ?? Date.now;
	const margin = options.refreshMarginMs ?? 30_000;
	const client: AxiosInstance = axios.create({
		timeout: options.timeoutMs ?? 30_000,
		validateStatus: () => true,
		maxRedirects: 0,
		proxy: false,
	});
	let token: { value: string; expiresAt: number } | undefined;
	let pending: Promise<string> | undefined;
	let tokenRequests = 0;

	const tokenHttp: TokenHttp = async (req) => {
		tokenRequests++;
		try {
			const response = await client.request({
				method: req.method,
				url: req.url,
				headers: req.headers,
				data: req.body,
			});
			return { status: response.status, body: response.data };
		} catch (error) {
			throw networkError(error);
		}
	};

	const fetchToken = async (): Promise<string> => {
		if (options.staticToken) return options.staticToken;
		const fresh = await requestClientCredentialsToken(tokenHttp, {
			tokenUrl: endpoints.tokenUrl,
			clientId: options.clientId ?? '',
			clientSecret: options.clientSecret ?? '',
			scope: options.scope,
			clientAuthentication: options.clientAuthentication,
		});
		const lifetimeMs = (fresh.expiresIn ?? 3600) * 1000;
		token = { value: fresh.accessToken, expiresAt: now() + Math.max(lifetimeMs - margin, lifetimeMs / 2) };
		return fresh.accessToken;
	};

	const currentToken = async (forceRefresh: boolean, failed?: string): Promise<string> => {
		if (options.staticToken) return options.staticToken;
		if (!forceRefresh && token && now() < token.expiresAt) return token.value;
		// Concurrent requests share one refresh; a 401 for a token that was already replaced reuses the new one.
		if (forceRefresh && failed !== undefined && token && token.value !== failed && now() < token.expiresAt) {
			return token.value;
		}
		if (!pending) {
			pending = fetchToken().finally(() => {
				pending = undefined;
			});
		}
		return await pending;
	};

	const send = async (req: PlekHttpRequest, bearer: string): Promise<PlekHttpResponse> => {
		const params: Record<string, string | number | boolean> = {};
		for (const [key, value] of Object.entries(req.qs ?? {})) if (value !== undefined) params[key] = value;
		try {
			const response = await client.request({
				method: req.method,
				url: req.url,
				params,
				data: req.body === undefined ? undefined : JSON.stringify(req.body),
				headers: {
					Accept: 'application/scim+json, application/json',
					...(req.body === undefined ? {} : { 'Content-Type': 'application/scim+json' }),
					...(req.headers ?? {}),
					Authorization: `Bearer ${bearer}`,
				},
				transformResponse: [(data: unknown) => data],
				responseType: 'text',
			});
			let body: unknown = response.data;
			if (typeof body === 'string' && body.trim()) {
				try {
					body = JSON.parse(body);
				} catch {
					// keep the text
				}
			} else if (body === '') {
				body = undefined;
			}
			const headers: Record<string, string | string[] | undefined> = {};
			for (const [key, value] of Object.entries(response.headers ?? {})) {
				headers[key.toLowerCase()] = Array.isArray(value) ? value.map(String) : value === undefined ? undefined : String(value);
			}
			return { status: response.status, headers, body };
		} catch (error) {
			throw networkError(error);
		}
	};

	return {
		scimBaseUrl: endpoints.scimBaseUrl,
		tokenUrl: endpoints.tokenUrl,
		tokenRequests: () => tokenRequests,
		invalidateToken: () => {
			token = undefined;
		},
		async request(req) {
			const bearer = await currentToken(false);
			const response = await send(req, bearer);
			if (response.status !== 401 || options.staticToken) return response;
			const renewed = await currentToken(true, bearer);
			return await send(req, renewed);
		},
	};
}

/** A PlekScimClient over the standalone HTTP client (tests, benchmarks, tooling). */
export function createStandalonePlekClient(
	options: StandalonePlekHttpOptions,
	clientOptions: Partial<Omit<PlekScimClientOptions, 'scimBaseUrl'>> = {},
): { client: PlekScimClient; http: StandalonePlekHttp } {
	const http = createStandalonePlekHttp(options);
	const secrets = [options.clientSecret, options.staticToken].filter((value): value is string => Boolean(value));
	const client = new PlekScimClient(http, { ...clientOptions, scimBaseUrl: http.scimBaseUrl, secrets });
	return { client, http };
}
