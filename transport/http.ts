import { PlekAuthError } from './auth';
import { addSecret } from './errors';
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

export type PlekHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PlekHttpRequest {
	method: PlekHttpMethod;
	/** Absolute URL. */
	url: string;
	qs?: Record<string, string | number | boolean | undefined>;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface PlekHttpResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/**
 * The one thing the SCIM client needs from the outside world: send an authenticated request and hand back the
 * answer. HTTP statuses never throw; network failures throw an Error with a Node.js `code` (ECONNRESET, ...).
 * Implementations refresh the access token once when Plek answers 401.
 */
export interface PlekHttp {
	request(req: PlekHttpRequest): Promise<PlekHttpResponse>;
}

export const PLEK_CREDENTIAL_TYPE = 'plekApi';

/** The part of an n8n function context the adapter uses (IExecuteFunctions, ILoadOptionsFunctions, ...). */
export interface N8nHttpContext {
	helpers: {
		httpRequestWithAuthentication(
			this: unknown,
			credentialsType: string,
			requestOptions: IHttpRequestOptions,
			additionalCredentialOptions?: unknown,
		): Promise<unknown>;
	};
}

interface N8nFullResponse {
	body?: unknown;
	headers?: Record<string, string | string[] | undefined>;
	statusCode?: number;
}

interface ResponseLike {
	status?: number;
	statusCode?: number;
	headers?: Record<string, string | string[] | undefined>;
	data?: unknown;
	body?: unknown;
}

function lowerCaseHeaders(headers: unknown): Record<string, string | string[] | undefined> {
	const out: Record<string, string | string[] | undefined> = {};
	if (!headers || typeof headers !== 'object') return out;
	const source =
		typeof (headers as { toJSON?: unknown }).toJSON === 'function'
			? ((headers as { toJSON: () => unknown }).toJSON() as Record<string, unknown>)
			: (headers as Record<string, unknown>);
	for (const [key, value] of Object.entries(source)) {
		if (typeof value === 'string' || Array.isArray(value)) out[key.toLowerCase()] = value as string | string[];
		else if (value !== undefined && value !== null) out[key.toLowerCase()] = String(value);
	}
	return out;
}

/** Finds the HTTP response an n8n or axios error carries (NodeApiError -> cause -> AxiosError.response). */
export function responseFromError(error: unknown): PlekHttpResponse | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const response = (current as { response?: unknown }).response as ResponseLike | undefined;
		if (response && typeof response === 'object') {
			const status = response.status ?? response.statusCode;
			if (typeof status === 'number') {
				return {
					status,
					headers: lowerCaseHeaders(response.headers),
					body: response.data !== undefined ? response.data : response.body,
				};
			}
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** A network failure with its Node.js code, free of the request options (which hold the Authorization header). */
export class PlekNetworkError extends Error {
	code: string;
	constructor(code: string, message: string) {
		super(message);
		this.name = 'PlekNetworkError';
		this.code = code;
	}
}

/**
 * Finds a PlekAuthError in an error's cause chain. Matched by name, not instanceof: the credential is bundled
 * separately from the nodes, so its PlekAuthError class is a different copy.
 */
function authErrorIn(error: unknown): PlekAuthError | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const candidate = current as { name?: unknown; reason?: unknown; message?: unknown };
		if (candidate.name === 'PlekAuthError' && typeof candidate.reason === 'string' && typeof candidate.message === 'string') {
			return current as PlekAuthError;
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function networkCodeOf(error: unknown): string {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const record = current as { code?: unknown; message?: unknown; cause?: unknown };
		if (typeof record.code === 'string' && /^(E[A-Z_]+|UND_ERR.*)$/.test(record.code)) return record.code;
		if (typeof record.message === 'string' && /socket hang up/i.test(record.message)) return 'ECONNRESET';
		current = record.cause;
	}
	return 'EUNKNOWN';
}

/**
 * PlekHttp over n8n's `httpRequestWithAuthentication` with the `plekApi` credential.
 *
 * n8n refreshes an expirable credential (runs the credential's preAuthentication again, then re-sends the request
 * once) only when the request THROWS with status 401. So the request is sent with
 * `ignoreHttpStatusErrors: { ignore: true, except: [401] }`: every status comes back as a response except 401,
 * which throws inside n8n, which refreshes the token and retries exactly once. If the retry is still 401, n8n
 * throws and the adapter unpacks the response from the error and returns it as an ordinary 401 response.
 * Older n8n versions ignore `except` and hand back the 401 as a response; the adapter then re-issues that request
 * once without ignoreHttpStatusErrors, which makes n8n refresh and retry, and unpacks whatever it throws.
 */
type SendResult = { response: PlekHttpResponse; thrown: boolean } | { failure: unknown };

/** A network failure becomes a PlekNetworkError (code + message only: no request options, no headers). */
function unwrap(result: SendResult): { response: PlekHttpResponse; thrown: boolean } {
	if ('failure' in result) {
		const error = result.failure;
		const authError = authErrorIn(error);
		// The credential's preAuthentication explained the problem (wrong secret, no token endpoint, ...).
		if (authError) throw new PlekAuthError(authError.reason, authError.message, authError.httpStatus);
		throw new PlekNetworkError(networkCodeOf(error), error instanceof Error ? error.message : String(error));
	}
	return result;
}

/** What the adapter needs to see every token n8n obtains for the credential. */
export interface N8nTokenWatch {
	/**
	 * The decrypted plekApi credential, handed to n8n with each request: n8n writes the token its
	 * preAuthentication obtains (first use, expiry, after a 401) into this object, so the adapter sees it at once.
	 */
	credentials: ICredentialDataDecryptedObject;
	/** The live list of secrets to redact; each token is added to it the moment it exists. */
	secrets: string[];
}

/** n8n's request options for one request: the full response back, JSON, SCIM content types. */
function n8nRequestOptions(req: PlekHttpRequest, ignore: IHttpRequestOptions['ignoreHttpStatusErrors']): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: req.method as IHttpRequestMethods,
		url: req.url,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: ignore,
		headers: { Accept: 'application/scim+json, application/json', ...(req.headers ?? {}) },
	};
	if (req.qs) {
		const qs: IDataObject = {};
		for (const [key, value] of Object.entries(req.qs)) if (value !== undefined) qs[key] = value;
		options.qs = qs;
	}
	if (req.body !== undefined) {
		options.body = req.body as IHttpRequestOptions['body'];
		(options.headers as IDataObject)['Content-Type'] = 'application/scim+json';
	}
	return options;
}

export function createN8nPlekHttp(ctx: N8nHttpContext, watch?: N8nTokenWatch): PlekHttp {
	// n8n uses `credentialsDecrypted.data` instead of decrypting the credential again, and assigns each new
	// token into it: the one place a freshly fetched token becomes visible before any answer is read.
	const credentialOptions = watch
		? { credentialsDecrypted: { id: '', name: PLEK_CREDENTIAL_TYPE, type: PLEK_CREDENTIAL_TYPE, data: watch.credentials } }
		: undefined;
	const rememberToken = () => {
		if (watch) addSecret(watch.secrets, watch.credentials.sessionToken);
	};
	const send = async (
		req: PlekHttpRequest,
		ignore: IHttpRequestOptions['ignoreHttpStatusErrors'],
	): Promise<SendResult> => {
		const options = n8nRequestOptions(req, ignore);
		try {
			const full = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				PLEK_CREDENTIAL_TYPE,
				options,
				credentialOptions,
			)) as N8nFullResponse;
			rememberToken();
			const response: PlekHttpResponse = {
				status: typeof full?.statusCode === 'number' ? full.statusCode : 200,
				headers: lowerCaseHeaders(full?.headers),
				body: full?.body,
			};
			return { response, thrown: false };
		} catch (error) {
			rememberToken();
			const response = responseFromError(error);
			if (response) return { response, thrown: true };
			return { failure: error as unknown };
		}
	};
	return {
		async request(req) {
			const first = unwrap(await send(req, { ignore: true, except: [401] }));
			// A thrown 401 means n8n already refreshed the token and retried once: hand the final answer back.
			if (first.response.status !== 401 || first.thrown) return first.response;
			// A 401 that came back as a response: this n8n version ignores `except`. Re-issue once without
			// ignoreHttpStatusErrors so that n8n refreshes the token and retries; unpack whatever it throws.
			return unwrap(await send(req, false)).response;
		},
	};
}
