/** Shared helpers of the sandbox tests: a token-carrying axios client that never throws on HTTP status. */
import axios, { AxiosInstance } from 'axios';

import type { RunningSandbox } from '../../sandbox/server';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
import { PATCH_OP } from '../support/scim';
export const PATCH_SCHEMA = PATCH_OP;
export const BULK_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

export async function fetchToken(sandbox: RunningSandbox, secret = 'sandbox-secret'): Promise<string> {
	const response = await axios.post(
		sandbox.tokenUrl,
		new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox', client_secret: secret }),
	);
	return response.data.access_token;
}

/** An axios client on the SCIM base URL, authenticated with a fresh token. */
export async function scimClient(sandbox: RunningSandbox): Promise<AxiosInstance> {
	const token = await fetchToken(sandbox);
	return axios.create({
		baseURL: sandbox.scimUrl,
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
		validateStatus: () => true,
	});
}

export function newUser(key: string, extra: Record<string, unknown> = {}) {
	return {
		schemas: [USER_SCHEMA],
		userName: `${key}@acme.example`,
		externalId: key,
		name: { givenName: 'Jan', familyName: key },
		emails: [{ type: 'work', value: `${key}@acme.example`, primary: true }],
		active: true,
		...extra,
	};
}

export function patch(...operations: Array<{ op: string; path?: string; value?: unknown }>) {
	return { schemas: [PATCH_SCHEMA], Operations: operations };
}
