/**
 * n8n-core's real httpRequestWithAuthentication (the function n8n binds to `this.helpers.httpRequestWithAuthentication`)
 * with a credentials helper that runs the plekApi credential's own preAuthentication the way n8n's
 * CredentialsHelper does: only when the expirable token is empty or expired, assigning the new token into the
 * credential object it was given and "persisting" it into `stored`. Requests go out through axios (nock in tests).
 */
import axios from 'axios';
import type { IHttpRequestOptions, INode } from 'n8n-workflow';

import { PlekApi } from '../../credentials/PlekApi.credentials';
import type { HttpHandler } from './nodeHarness';

const { httpRequestWithAuthentication } = require('n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers/authentication');

export interface N8nCoreAuth {
	/** `this` for n8n-core's function, also usable as an N8nHttpContext. */
	ctx: any;
	/** A nodeHarness HttpHandler that sends through n8n-core's function. */
	handler: HttpHandler;
	stats: { preAuthentications: number };
	/** The credential as n8n would have stored it (the token n8n persisted after each preAuthentication). */
	stored: Record<string, unknown>;
}

/** What the credential's preAuthentication gets as `this.helpers.httpRequest` (returnFullResponse shape). */
async function httpRequest(options: any) {
	const response = await axios.request({
		method: options.method,
		url: options.url,
		headers: options.headers,
		data: options.body,
		validateStatus: options.ignoreHttpStatusErrors ? () => true : undefined,
	});
	return options.returnFullResponse ? { statusCode: response.status, body: response.data, headers: response.headers } : response.data;
}

export function n8nCoreAuth(credentialData: Record<string, unknown>, node: INode): N8nCoreAuth {
	const credential = new PlekApi();
	const stored: Record<string, unknown> = { sessionToken: '', ...credentialData };
	const stats = { preAuthentications: 0 };
	const additionalData: any = {
		credentialsHelper: {
			getParentTypes: () => [],
			preAuthentication: async (h: any, data: any, _type: string, _node: INode, expired: boolean) => {
				if (data.sessionToken && !expired) return undefined;
				stats.preAuthentications++;
				const output = await credential.preAuthentication.call({ helpers: h.helpers ?? { httpRequest } } as any, data);
				Object.assign(stored, output);
				return Object.assign(data, output);
			},
			authenticate: async (data: any, _type: string, options: any) => ({
				...options,
				headers: {
					...options.headers,
					Authorization: `Bearer ${data.authentication === 'accessToken' ? data.accessToken : data.sessionToken}`,
				},
			}),
		},
	};
	const ctx: any = {
		getNode: () => node,
		logger: { warn: () => undefined, debug: () => undefined },
		getCredentials: async () => ({ ...stored }),
		helpers: {
			httpRequest,
			httpRequestWithAuthentication(this: unknown, type: string, options: any, extra?: any) {
				return httpRequestWithAuthentication.call(ctx, type, options, {}, node, additionalData, extra);
			},
		},
	};
	const handler: HttpHandler = (request: IHttpRequestOptions, type?: string, extra?: unknown) =>
		ctx.helpers.httpRequestWithAuthentication(type ?? 'plekApi', request, extra);
	return { ctx, handler, stats, stored };
}
