/**
 * Plek endpoints and OAuth2 client-credentials tokens. Used by the `plekApi` credential (preAuthentication),
 * by createPlekClient and by the standalone HTTP client for tests and tooling.
 */

import { defaultSleep } from './limiter';
import { redact } from './redact';

export const DEFAULT_TOKEN_PATH = '/oauth/token';
export const DEFAULT_SCIM_BASE_PATH = '/scim/v2';

export type PlekAuthMode = 'clientCredentials' | 'accessToken';

/** The `plekApi` credential's data, as n8n hands it to preAuthentication and getCredentials. */
export interface PlekCredentialData {
	environmentUrl?: string;
	authentication?: PlekAuthMode | string;
	clientId?: string;
	clientSecret?: string;
	tokenUrl?: string;
	scope?: string;
	clientAuthentication?: 'body' | 'basic' | string;
	accessToken?: string;
	scimBasePath?: string;
	/** Allow a Token URL / SCIM base on another host than the Environment URL (off: the secret stays on Plek's host). */
	allowOtherHosts?: boolean;
	sessionToken?: string;
}

export interface PlekEndpoints {
	/** Normalised environment URL, no trailing slash, e.g. `https://acme.plek.co`. */
	environmentUrl: string;
	tokenUrl: string;
	/** Absolute SCIM base URL, no trailing slash, e.g. `https://acme.plek.co/scim/v2`. */
	scimBaseUrl: string;
}

export type PlekAuthFailure =
	| 'invalid_url'
	| 'insecure_url'
	| 'other_host'
	| 'missing_field'
	| 'invalid_client'
	| 'invalid_scope'
	| 'token_endpoint_not_found'
	| 'unreachable'
	| 'token_endpoint_error'
	| 'no_token';

/**
 * A credential problem with a message that says what to fix. It deliberately has no `status`, `code` or
 * `response` property: n8n's credential tester would otherwise show a bare status or error code instead of
 * this message. The HTTP status, if any, is in `httpStatus`.
 */
export class PlekAuthError extends Error {
	reason: PlekAuthFailure;
	httpStatus?: number;
	constructor(reason: PlekAuthFailure, message: string, httpStatus?: number) {
		super(message);
		this.name = 'PlekAuthError';
		this.reason = reason;
		this.httpStatus = httpStatus;
	}
}

/**
 * 127.0.0.0/8 and ::1 as IP literals only. A name such as `localhost` or `evil.localhost` is not loopback: what it
 * resolves to is up to the resolver, and plain http must never carry a secret off the machine.
 */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
	if (/^::ffff:127\./.test(host)) return true;
	const octets = host.split('.');
	return (
		octets.length === 4 &&
		octets[0] === '127' &&
		octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255)
	);
}

/** Parses a URL the credential points at: https anywhere, plain http only to loopback, no user info. */
export function assertPlekUrl(value: string, label: string): URL {
	let url: URL | undefined;
	try {
		url = new URL(value.trim());
	} catch {
		url = undefined;
	}
	if (!url) {
		// The value is not repeated: a malformed URL is often something pasted into the wrong field (a secret).
		throw new PlekAuthError(
			'invalid_url',
			`The ${label} is not a valid URL (${value.trim().length} characters; not shown, in case something secret was pasted into it). Use the full address, e.g. https://acme.plek.co`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new PlekAuthError('invalid_url', `The ${label} must start with https:// (got ${url.protocol}//)`);
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		throw new PlekAuthError(
			'insecure_url',
			`The ${label} uses plain http:// to ${url.hostname}. Plek credentials are only sent over https:// (plain http is allowed to 127.0.0.1-127.255.255.255 and [::1] only, written as IP addresses). Change it to https://${url.host}${url.hostname === 'localhost' || url.hostname.endsWith('.localhost') ? ', or for a local server use http://127.0.0.1' + (url.port ? `:${url.port}` : '') : ''}`,
		);
	}
	if (url.username || url.password) {
		throw new PlekAuthError(
			'invalid_url',
			`The ${label} must not contain a user name or password; put the Client ID and Client Secret in their own fields`,
		);
	}
	return url;
}

function trimSlashes(value: string): string {
	return value.replace(/\/+$/, '');
}

/** Resolves and checks the environment URL, token URL and SCIM base URL from the credential. */
export function resolvePlekEndpoints(credentials: PlekCredentialData): PlekEndpoints {
	const rawEnvironment = (credentials.environmentUrl ?? '').trim();
	if (!rawEnvironment) {
		throw new PlekAuthError('missing_field', 'Set the Environment URL of your Plek environment, e.g. https://acme.plek.co');
	}
	const environment = assertPlekUrl(rawEnvironment, 'Environment URL');
	if (environment.search || environment.hash) {
		throw new PlekAuthError('invalid_url', 'The Environment URL must not contain a query string or fragment');
	}
	const environmentUrl = trimSlashes(`${environment.origin}${environment.pathname}`);
	rejectScimPathInEnvironment(environment, credentials);

	const rawToken = (credentials.tokenUrl ?? '').trim();
	const tokenUrl = rawToken
		? trimSlashes(
				assertPlekUrl(
					/^[a-z][a-z0-9+.-]*:\/\//i.test(rawToken) ? rawToken : `${environmentUrl}/${rawToken.replace(/^\/+/, '')}`,
					'Token URL',
				).toString(),
			)
		: `${environmentUrl}${DEFAULT_TOKEN_PATH}`;

	const rawBase = (credentials.scimBasePath ?? '').trim() || DEFAULT_SCIM_BASE_PATH;
	let scimBaseUrl: string;
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rawBase)) {
		const base = assertPlekUrl(rawBase, 'SCIM Base Path');
		scimBaseUrl = trimSlashes(`${base.origin}${base.pathname}`);
	} else {
		if (/[?#]/.test(rawBase)) {
			throw new PlekAuthError('invalid_url', 'The SCIM Base Path must be a path such as /scim/v2');
		}
		scimBaseUrl = trimSlashes(`${environmentUrl}/${rawBase.replace(/^\/+/, '')}`);
	}
	if (!credentials.allowOtherHosts) {
		assertSameHost(tokenUrl, environment, 'Token URL');
		assertSameHost(scimBaseUrl, environment, 'SCIM Base Path');
	}
	return { environmentUrl, tokenUrl, scimBaseUrl };
}

/** The token URL and SCIM base receive the secret and the token: on Plek's own host unless explicitly allowed. */
function assertSameHost(url: string, environment: URL, label: string): void {
	const host = new URL(url).hostname.toLowerCase();
	if (host === environment.hostname.toLowerCase()) return;
	throw new PlekAuthError(
		'other_host',
		`The ${label} points at ${host}, not at the Environment URL's host ${environment.hostname}. The Client Secret and tokens are only sent to the Plek environment's own host. If ${host} really is your Plek environment's identity provider or API host, switch on "Allow Token URL and SCIM Base on Another Host" in the credential.`,
	);
}

/** An Environment URL that already ends in the SCIM path (https://acme.plek.co/scim/v2) doubles every path. */
function rejectScimPathInEnvironment(environment: URL, credentials: PlekCredentialData): void {
	const path = trimSlashes(environment.pathname).toLowerCase();
	if (!path) return;
	const basePath = trimSlashes((credentials.scimBasePath ?? '').trim() || DEFAULT_SCIM_BASE_PATH).toLowerCase();
	const endsInBasePath = basePath.startsWith('/') && path.endsWith(basePath);
	if (!endsInBasePath && !/\/scim(\/v2)?$/.test(path)) return;
	throw new PlekAuthError(
		'invalid_url',
		`The Environment URL ends in the SCIM path (${environment.pathname}). Enter only the address of the Plek environment, e.g. ${environment.origin}: the SCIM Base Path field (default ${DEFAULT_SCIM_BASE_PATH}) and the Token URL are added to it.`,
	);
}

/** A minimal POST used for the token request; network failures throw (with a Node.js `code`). */
export type TokenHttp = (req: {
	method: 'POST';
	url: string;
	headers: Record<string, string>;
	body: string;
}) => Promise<{ status: number; body: unknown }>;

export interface PlekToken {
	accessToken: string;
	/** Seconds, as the token endpoint said; undefined when it did not say. */
	expiresIn?: number;
}

function formEncode(values: Record<string, string | undefined>): string {
	return Object.entries(values)
		.filter(([, value]) => value !== undefined && value !== '')
		.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value as string)}`)
		.join('&');
}

function base64(text: string): string {
	// Latin-1 safe: the input is URL-encoded ASCII.
	return btoa(text);
}

function findCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const record = current as { code?: unknown; cause?: unknown; message?: unknown };
		if (typeof record.code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(record.code)) return record.code;
		if (typeof record.message === 'string' && /socket hang up/i.test(record.message)) return 'ECONNRESET';
		current = record.cause;
	}
	return undefined;
}

/** A URL as messages show it: scheme, host and path; never the query or fragment (they may carry a secret). */
export function shownUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.origin}${parsed.pathname === '/' ? '' : parsed.pathname}`;
	} catch {
		return '(the URL in the credential)';
	}
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}

/**
 * Words for a network error code. Messages shown in n8n must not contain the raw code (ENOTFOUND, ...): n8n's
 * NodeApiError replaces any message that mentions one with its own generic text.
 */
export function describeNetworkCode(code: string | undefined): string {
	switch (code) {
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'DNS lookup failed';
		case 'ECONNREFUSED':
			return 'connection refused';
		case 'ECONNRESET':
		case 'EPIPE':
			return 'connection closed unexpectedly';
		case 'ETIMEDOUT':
		case 'ESOCKETTIMEDOUT':
		case 'ECONNABORTED':
			return 'timed out';
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'network unreachable';
		default:
			return 'network error';
	}
}

/** Message for a failure to reach a host at all (DNS, refused, timeout). Never contains a secret. */
export function unreachableMessage(url: string, code: string | undefined): string {
	const host = hostOf(url);
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return `Cannot reach Plek: the host name ${host} does not resolve (DNS lookup failed). Check the Environment URL (and Token URL) in the credential for typos.`;
	}
	if (code === 'ECONNREFUSED') {
		return `Cannot reach Plek: nothing accepts connections at ${host} (connection refused). Check the Environment URL, including the port, and that the server is running.`;
	}
	return `Cannot reach Plek at ${host} (${describeNetworkCode(code)}). Check the Environment URL and the network (proxy, firewall).`;
}

function tokenErrorFields(body: unknown): { error?: string; description?: string } {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			return {};
		}
	}
	if (!parsed || typeof parsed !== 'object') return {};
	const record = parsed as Record<string, unknown>;
	return {
		// Only an RFC 6749 error code goes into a message: a server that echoes the request in `error` (the
		// client secret) must not put it in the credential tester's text, which nothing redacts.
		error: typeof record.error === 'string' && /^[a-z_]{1,64}$/.test(record.error) ? record.error : undefined,
		description: typeof record.error_description === 'string' ? record.error_description : undefined,
	};
}

/**
 * OAuth2 client-credentials token request (RFC 6749 section 4.4). Failures become PlekAuthError with a message
 * for each case: wrong Client ID/Secret, no token endpoint at that URL, host unreachable. The secret is never in
 * a message (only the token URL, which is not secret).
 */
export async function requestClientCredentialsToken(
	http: TokenHttp,
	options: {
		tokenUrl: string;
		clientId: string;
		clientSecret: string;
		scope?: string;
		clientAuthentication?: 'body' | 'basic' | string;
		/** Override of TOKEN_RETRY_PAUSES_MS (tests). */
		retryPausesMs?: readonly number[];
	},
): Promise<PlekToken> {
	const { tokenUrl, clientId, clientSecret } = options;
	if (!clientId) throw new PlekAuthError('missing_field', 'Set the Client ID of the Plek API client in the credential');
	if (!clientSecret) {
		throw new PlekAuthError('missing_field', 'Set the Client Secret of the Plek API client in the credential');
	}
	const headers: Record<string, string> = {
		'Content-Type': 'application/x-www-form-urlencoded',
		Accept: 'application/json',
	};
	let form: Record<string, string | undefined> = { grant_type: 'client_credentials', scope: options.scope || undefined };
	if (options.clientAuthentication === 'basic') {
		headers.Authorization = `Basic ${base64(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`)}`;
	} else {
		form = { ...form, client_id: clientId, client_secret: clientSecret };
	}
	const { status, body } = await postTokenRequest(http, tokenUrl, headers, formEncode(form), options.retryPausesMs);
	if (status >= 200 && status < 300) return tokenFromAnswer(tokenUrl, status, body);
	throw tokenEndpointFailure(tokenUrl, status, body);
}

/**
 * Pauses before the second and third token request when the first met a passing fault: a connection closed mid-request
 * or a 429 / 502 / 503 / 504. A client-credentials grant is safe to repeat (it only issues another token). Refused
 * connections, DNS failures and 4xx answers are not repeated: they do not pass, and the credential Test should say so
 * at once.
 */
export const TOKEN_RETRY_PAUSES_MS: readonly number[] = [250, 1000];

function isPassingTokenFault(answer: { status: number } | undefined, failure: unknown): boolean {
	if (!answer) {
		const code = findCode(failure);
		return code === 'ECONNRESET' || code === 'EPIPE';
	}
	return answer.status === 429 || answer.status === 502 || answer.status === 503 || answer.status === 504;
}

async function postTokenRequest(
	http: TokenHttp,
	tokenUrl: string,
	headers: Record<string, string>,
	body: string,
	pausesMs: readonly number[] = TOKEN_RETRY_PAUSES_MS,
): Promise<{ status: number; body: unknown }> {
	for (let attempt = 0; ; attempt++) {
		let answer: { status: number; body: unknown } | undefined;
		let failure: unknown;
		try {
			answer = await http({ method: 'POST', url: tokenUrl, headers, body });
		} catch (error) {
			failure = error ?? new Error('request failed');
		}
		if (attempt < pausesMs.length && isPassingTokenFault(answer, failure)) {
			await defaultSleep(pausesMs[attempt]);
			continue;
		}
		if (!answer) throw new PlekAuthError('unreachable', unreachableMessage(tokenUrl, findCode(failure)));
		return answer;
	}
}

/** A 2xx answer of the token endpoint: its access token (and lifetime), or 'no_token'. */
function tokenFromAnswer(tokenUrl: string, status: number, body: unknown): PlekToken {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			parsed = undefined;
		}
	}
	const record = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
	const accessToken = record.access_token;
	if (typeof accessToken !== 'string' || !accessToken) {
		throw new PlekAuthError(
			'no_token',
			`${shownUrl(tokenUrl)} answered but did not return an OAuth2 access token. Check the Token URL (it should be Plek's OAuth token endpoint, by default the Environment URL + ${DEFAULT_TOKEN_PATH}).`,
			status,
		);
	}
	const expiresIn = Number(record.expires_in);
	return { accessToken, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined };
}

/** The error for a non-2xx answer of the token endpoint: wrong client, scope, no endpoint, or other. */
function tokenEndpointFailure(tokenUrl: string, status: number, body: unknown): PlekAuthError {
	const { error } = tokenErrorFields(body);
	if (status === 401 || error === 'invalid_client' || error === 'unauthorized_client' || (status === 400 && error === 'invalid_grant')) {
		return new PlekAuthError(
			'invalid_client',
			`Plek rejected the Client ID or Client Secret (HTTP ${status}${error ? ` ${error}` : ''} from ${shownUrl(tokenUrl)}). Check both values in the credential; if the secret was rotated in Plek, paste the new one.`,
			status,
		);
	}
	if (error === 'invalid_scope') {
		return new PlekAuthError(
			'invalid_scope',
			`Plek rejected the requested Scope (HTTP ${status} invalid_scope). Clear the Scope field or use a scope the API client is allowed.`,
			status,
		);
	}
	if (status === 404 || status === 405) {
		return new PlekAuthError(
			'token_endpoint_not_found',
			`There is no OAuth token endpoint at ${shownUrl(tokenUrl)} (HTTP ${status}). Check the Environment URL (e.g. https://acme.plek.co) and, if set, the Token URL.`,
			status,
		);
	}
	return new PlekAuthError(
		'token_endpoint_error',
		`The token endpoint ${shownUrl(tokenUrl)} answered HTTP ${status}${error ? ` (${error})` : ''}. ${status >= 500 ? 'Plek may be unavailable; try again later.' : 'Check the Environment URL, Token URL and Client Authentication setting.'}`,
		status,
	);
}

/**
 * What the credential's preAuthentication does: returns `{ sessionToken }` — a fresh client-credentials token,
 * or the static access token. Also enforces the https / loopback-http rule before anything is sent.
 */
export async function plekPreAuthentication(
	http: TokenHttp,
	credentials: PlekCredentialData,
): Promise<{ sessionToken: string }> {
	// The credential tester shows a PlekAuthError's message as it is: it passes the redaction choke point first.
	return await obtainSession(http, credentials).catch(async (error: unknown) => await Promise.reject(redactedAuthError(error, credentials)));
}

function redactedAuthError(error: unknown, credentials: PlekCredentialData): unknown {
	if (!(error instanceof PlekAuthError)) return error;
	return new PlekAuthError(error.reason, redact(error.message, credentialSecrets(credentials)), error.httpStatus);
}

async function obtainSession(http: TokenHttp, credentials: PlekCredentialData): Promise<{ sessionToken: string }> {
	const endpoints = resolvePlekEndpoints(credentials);
	if (credentials.authentication === 'accessToken') {
		const token = (credentials.accessToken ?? '').trim();
		if (!token) throw new PlekAuthError('missing_field', 'Set the Access Token in the credential (or switch Authentication to OAuth2 Client Credentials)');
		return { sessionToken: token };
	}
	const token = await requestClientCredentialsToken(http, {
		tokenUrl: endpoints.tokenUrl,
		clientId: (credentials.clientId ?? '').trim(),
		clientSecret: credentials.clientSecret ?? '',
		scope: credentials.scope?.trim() || undefined,
		clientAuthentication: credentials.clientAuthentication,
	});
	return { sessionToken: token.accessToken };
}

/** The secret strings of a credential, for redaction of anything shown to the user. */
export function credentialSecrets(credentials: PlekCredentialData): string[] {
	return [credentials.clientSecret, credentials.accessToken, credentials.sessionToken].filter(
		(value): value is string => typeof value === 'string' && value.length >= 4,
	);
}
