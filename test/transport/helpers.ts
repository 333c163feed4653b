import nock from 'nock';

import { PlekScimClient } from '../../transport/client';
import type { PlekScimClientOptions } from '../../transport/client';
import type { PlekHttp, PlekHttpRequest, PlekHttpResponse } from '../../transport/http';
import { createStandalonePlekHttp } from '../support/standaloneHttp';

export const ENV = 'https://acme.plek.test';
export const SCIM = `${ENV}/scim/v2`;
export const CLIENT_SECRET = 'cs-SUPER-secret-42';
export const TOKEN = 'tok-AAAA-1111';

/** Records sleeps and advances a fake clock by them, so pacing is asserted without wall time. */
export function fakeTime(start = 1_700_000_000_000) {
	let now = start;
	const sleeps: number[] = [];
	return {
		sleeps,
		now: () => now,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		},
	};
}

/** Token endpoint answering the given tokens in order (each once). */
export function mockTokens(...tokens: string[]) {
	const scope = nock(ENV);
	for (const token of tokens) scope.post('/oauth/token').reply(200, { access_token: token, expires_in: 3600 });
	return scope;
}

export function standaloneClient(options: Partial<PlekScimClientOptions> = {}) {
	const time = fakeTime();
	const http = createStandalonePlekHttp({ environmentUrl: ENV, clientId: 'client-1', clientSecret: CLIENT_SECRET });
	const client = new PlekScimClient(http, {
		scimBaseUrl: http.scimBaseUrl,
		sleep: time.sleep,
		now: time.now,
		random: () => 1,
		baseDelayMs: 100,
		secrets: [CLIENT_SECRET],
		...options,
	});
	return { client, http, time };
}

export const SPC = {
	schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
	patch: { supported: true },
	bulk: { supported: true, maxOperations: 2, maxPayloadSize: 1_048_576 },
	filter: { supported: true, maxResults: 200 },
	etag: { supported: true },
};

/** A scripted PlekHttp: records requests, answers from a handler. */
export function fakeHttp(handler: (req: PlekHttpRequest, n: number) => Promise<PlekHttpResponse> | PlekHttpResponse) {
	const requests: PlekHttpRequest[] = [];
	let inFlight = 0;
	let maxInFlight = 0;
	const http: PlekHttp = {
		async request(req) {
			requests.push(req);
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			try {
				// Yield a few times so concurrent requests can overlap.
				for (let i = 0; i < 3; i++) await Promise.resolve();
				await new Promise((resolve) => setImmediate(resolve));
				return await handler(req, requests.length);
			} finally {
				inFlight--;
			}
		},
	};
	return { http, requests, maxInFlight: () => maxInFlight };
}

export function users(from: number, to: number) {
	const out = [];
	for (let i = from; i <= to; i++) out.push({ id: `u${i}`, userName: `user${i}@acme.test`, externalId: `k${i}` });
	return out;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): PlekHttpResponse {
	return { status, headers, body };
}

/** An error like the one Node raises when the server drops the connection. */
export function connectionReset(): Error {
	return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}
