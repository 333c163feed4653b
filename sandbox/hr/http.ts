/** What the HR stand-in servers share: a loopback HTTP server on a free (or given) port, JSON replies, form bodies, tokens. */
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandIn {
	/** Base URL, e.g. http://127.0.0.1:41234 */
	url: string;
	/** Requests served so far, by path (without the query). */
	requests(): Record<string, number>;
	close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, url: URL, body: string) => Promise<Reply> | Reply;
export interface Reply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

export const reply = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, body, headers });

export async function serve(handler: Handler, port = 0): Promise<StandIn> {
	const counts: Record<string, number> = {};
	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://localhost');
			counts[url.pathname] = (counts[url.pathname] ?? 0) + 1;
			Promise.resolve()
				.then(() => handler(req, url, Buffer.concat(chunks).toString('utf8')))
				.catch((error: Error) => reply(500, { error: 'server_error', message: error.message }))
				.then((answer) => {
					res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
					res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
				});
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	const address = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${address.port}`,
		requests: () => ({ ...counts }),
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** The fields of an `application/x-www-form-urlencoded` body (JSON bodies are read too). */
export function formFields(req: IncomingMessage, body: string): Record<string, string> {
	if ((req.headers['content-type'] ?? '').includes('application/json')) {
		try {
			return JSON.parse(body) as Record<string, string>;
		} catch {
			return {};
		}
	}
	return Object.fromEntries(new URLSearchParams(body));
}

/** Client id and secret from the body or from HTTP Basic (RFC 6749 2.3.1: each part form-encoded). */
export function clientCredentials(req: IncomingMessage, fields: Record<string, string>): { id?: string; secret?: string } {
	const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
	if (basic) {
		const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
		return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
	}
	return { id: fields.client_id, secret: fields.client_secret };
}

/** Bearer tokens a stand-in issued, with their expiry. */
export class TokenStore {
	private readonly tokens = new Map<string, number>();

	constructor(private readonly ttlSeconds = 3600) {}

	issue(): { access_token: string; token_type: 'Bearer'; expires_in: number } {
		const token = randomBytes(18).toString('base64url');
		this.tokens.set(token, Date.now() + this.ttlSeconds * 1000);
		return { access_token: token, token_type: 'Bearer', expires_in: this.ttlSeconds };
	}

	clear(): void {
		this.tokens.clear();
	}

	valid(authorization: string | undefined): boolean {
		const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
		const expires = match ? this.tokens.get(match[1]) : undefined;
		return expires !== undefined && expires > Date.now();
	}
}

/** `2024-01-31` -> `31-01-2024` */
export const dayFirst = (isoDate: string) => `${isoDate.slice(8, 10)}-${isoDate.slice(5, 7)}-${isoDate.slice(0, 4)}`;

/**
 * The OAuth2 authorization-code side of a stand-in (Nmbrs, Loket): `GET <authorize>` answers with a redirect to
 * `redirect_uri?code=...&state=...` (a real system first asks the user to log in), `POST <token>` exchanges a code
 * or a refresh token for tokens. Refresh tokens are single use, as Loket's and Nmbrs' are.
 */
export class AuthorizationCodeFlow {
	readonly accessTokens = new TokenStore();
	private readonly codes = new Set<string>();
	private readonly refreshTokens = new Set<string>();

	constructor(private readonly client: { id: string; secret: string }) {}

	/** Tokens as if a user had logged in once (the e2e puts them in n8n's credential: no browser there). */
	preObtained(): { access_token: string; refresh_token: string; token_type: 'Bearer'; expires_in: number } {
		return { ...this.accessTokens.issue(), refresh_token: this.newRefreshToken() };
	}

	/** Every access token issued so far stops working (as after an hour): the next call gets 401 and must refresh. */
	expireAccessTokens(): void {
		this.accessTokens.clear();
	}

	authorize(url: URL): Reply {
		const redirect = url.searchParams.get('redirect_uri');
		if (url.searchParams.get('client_id') !== this.client.id || !redirect) return reply(400, { error: 'invalid_request' });
		const code = randomBytes(12).toString('base64url');
		this.codes.add(code);
		const target = new URL(redirect);
		target.searchParams.set('code', code);
		const state = url.searchParams.get('state');
		if (state) target.searchParams.set('state', state);
		return reply(302, undefined, { location: target.toString() });
	}

	token(req: IncomingMessage, body: string): Reply {
		const fields = formFields(req, body);
		const client = clientCredentials(req, fields);
		if (client.id !== this.client.id || client.secret !== this.client.secret) return reply(401, { error: 'invalid_client' });
		if (fields.grant_type === 'authorization_code' && this.codes.delete(fields.code ?? '')) {
			return reply(200, { ...this.accessTokens.issue(), refresh_token: this.newRefreshToken() });
		}
		if (fields.grant_type === 'refresh_token' && this.refreshTokens.delete(fields.refresh_token ?? '')) {
			return reply(200, { ...this.accessTokens.issue(), refresh_token: this.newRefreshToken() });
		}
		if (fields.grant_type !== 'authorization_code' && fields.grant_type !== 'refresh_token') return reply(400, { error: 'unsupported_grant_type' });
		return reply(400, { error: 'invalid_grant', error_description: 'The code or refresh token is unknown, used or expired: connect the credential again.' });
	}

	private newRefreshToken(): string {
		const token = randomBytes(18).toString('base64url');
		this.refreshTokens.add(token);
		return token;
	}
}
