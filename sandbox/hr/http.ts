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

	/** Accepts a token handed out beforehand (the e2e's pre-obtained authorization-code token). */
	accept(token: string): void {
		this.tokens.set(token, Date.now() + this.ttlSeconds * 1000);
	}

	revoke(token: string): void {
		this.tokens.delete(token);
	}

	valid(authorization: string | undefined): boolean {
		const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
		const expires = match ? this.tokens.get(match[1]) : undefined;
		return expires !== undefined && expires > Date.now();
	}
}

/** `2024-01-31` -> `31-01-2024` */
export const dayFirst = (isoDate: string) => `${isoDate.slice(8, 10)}-${isoDate.slice(5, 7)}-${isoDate.slice(0, 4)}`;
