// Test support for the Plek node: runs it through the shared node harness, with httpRequestWithAuthentication
// served by a tiny axios client (a fixed bearer token) so that nock intercepts real HTTP requests.
import axios from 'axios';
import type { IDataObject, IHttpRequestOptions, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import nock from 'nock';

import { Plek } from '../../nodes/Plek/Plek.node';
import { runLoadOptions, runNode } from '../support/nodeHarness';
import type { NodeRun } from '../support/nodeHarness';
import { ENTERPRISE, PLEK_EXTENSION as PLEK_EXT } from '../support/scim';

export { ENTERPRISE, PLEK_EXT };

export const ENV = 'https://acme.plek.test';
export const BASE = '/scim/v2';
export const CLIENT_SECRET = 'cs-Plek-node-SECRET-9876';
export const TOKEN = 'tok-Plek-node-TOKEN-5432';

export const CREDENTIALS = {
	plekApi: {
		environmentUrl: ENV,
		authentication: 'clientCredentials',
		clientId: 'client-1',
		clientSecret: CLIENT_SECRET,
		scimBasePath: BASE,
		sessionToken: TOKEN,
	},
};

/** What n8n's httpRequestWithAuthentication does for the adapter's requests, over axios with a fixed token. */
export async function axiosWithBearer(request: IHttpRequestOptions): Promise<unknown> {
	return await axiosRequest(request, TOKEN);
}

export async function axiosRequest(request: IHttpRequestOptions, token: string): Promise<unknown> {
	const response = await axios.request({
		method: request.method ?? 'GET',
		url: request.url,
		params: request.qs,
		data: request.body,
		headers: { ...(request.headers as Record<string, string>), Authorization: `Bearer ${token}` },
		validateStatus: () => true,
	});
	const ignore = request.ignoreHttpStatusErrors;
	const ignored =
		ignore === true ||
		(typeof ignore === 'object' && ignore !== null && ignore.ignore && !(ignore.except ?? []).includes(response.status));
	if (response.status >= 400 && !ignored) {
		const error = new Error(`Request failed with status code ${response.status}`) as Error & { response?: unknown };
		error.response = { status: response.status, headers: response.headers, data: response.data };
		throw error;
	}
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(response.headers ?? {})) headers[key] = String(value);
	return request.returnFullResponse ? { statusCode: response.status, headers, body: response.data } : response.data;
}

export interface RunOptions {
	input?: IDataObject[];
	continueOnFail?: boolean;
	/** Values of `={{ ... }}` parameters per item: `(expression, itemIndex) => value`. */
	evaluateExpression?: (expression: string, itemIndex: number) => unknown;
}

export async function run(parameters: INodeParameters, options: RunOptions = {}): Promise<NodeRun> {
	return await runNode(new Plek(), {
		parameters,
		input: options.input ?? [{}],
		continueOnFail: options.continueOnFail,
		credentials: CREDENTIALS,
		httpRequestWithAuthentication: axiosWithBearer,
		evaluateExpression: options.evaluateExpression,
	});
}

export async function loadOptions(method: string, parameters: INodeParameters = {}) {
	return await runLoadOptions(new Plek(), method, {
		parameters,
		credentials: CREDENTIALS,
		httpRequestWithAuthentication: axiosWithBearer,
	});
}

/** Runs the node and returns the error it throws (fails the test when it does not throw). */
export async function runError(parameters: INodeParameters, options: RunOptions = {}): Promise<Error & IDataObject> {
	try {
		await run(parameters, options);
	} catch (error) {
		return error as Error & IDataObject;
	}
	throw new Error('expected the node to throw');
}

export function scim() {
	return nock(ENV);
}

/** /ServiceProviderConfig (read once per execution for the page size). */
export function mockConfig(maxResults = 100) {
	return scim()
		.get(`${BASE}/ServiceProviderConfig`)
		.reply(200, {
			patch: { supported: true },
			bulk: { supported: false },
			filter: { supported: true, maxResults },
			etag: { supported: false },
		});
}

export const SCHEMAS = {
	Resources: [
		{
			id: 'urn:ietf:params:scim:schemas:core:2.0:User',
			attributes: [
				{ name: 'id', type: 'string', mutability: 'readOnly' },
				{ name: 'userName', type: 'string', mutability: 'readWrite', required: true },
				{
					name: 'name',
					type: 'complex',
					subAttributes: [
						{ name: 'givenName', type: 'string', mutability: 'readWrite', description: 'First name' },
						{ name: 'familyName', type: 'string', mutability: 'readWrite' },
					],
				},
				{ name: 'title', type: 'string', mutability: 'readWrite' },
				{ name: 'active', type: 'boolean', mutability: 'readWrite' },
				{
					name: 'emails',
					type: 'complex',
					multiValued: true,
					subAttributes: [
						{ name: 'value', type: 'string' },
						{ name: 'type', type: 'string' },
						{ name: 'primary', type: 'boolean' },
					],
				},
				{
					name: 'photos',
					type: 'complex',
					multiValued: true,
					subAttributes: [
						{ name: 'value', type: 'reference' },
						{ name: 'type', type: 'string' },
					],
				},
				{ name: 'password', type: 'string', mutability: 'writeOnly' },
			],
		},
		{
			id: ENTERPRISE,
			attributes: [
				{ name: 'department', type: 'string', mutability: 'readWrite' },
				{ name: 'employeeNumber', type: 'string', mutability: 'readWrite' },
			],
		},
		{
			id: PLEK_EXT,
			attributes: [
				{ name: 'location', type: 'string', mutability: 'readWrite' },
				{ name: 'fte', type: 'decimal', mutability: 'readWrite' },
				{ name: 'birthDate', type: 'dateTime', mutability: 'readWrite' },
				{ name: 'hireDate', type: 'dateTime', mutability: 'readWrite' },
			],
		},
	],
};

export function mockSchemas() {
	return scim().get(`${BASE}/Schemas`).reply(200, SCHEMAS);
}

export function user(id: string, extra: IDataObject = {}): IDataObject {
	return {
		schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
		id,
		externalId: `ext-${id}`,
		userName: `${id}@acme.nl`,
		active: true,
		...extra,
	};
}

export function list(resources: IDataObject[], totalResults = resources.length, startIndex = 1): IDataObject {
	return {
		schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
		totalResults,
		startIndex,
		itemsPerPage: resources.length,
		Resources: resources,
	};
}

/** A `/Users?filter=...` lookup answered with the given users. */
export function mockUserFilter(filter: string, users: IDataObject[]) {
	return scim()
		.get(`${BASE}/Users`)
		.query((q) => q.filter === filter)
		.reply(200, list(users));
}

/** All HTTP requests the run made, as "METHOD path". */
export function requestLines(runResult: Pick<NodeRun, 'http'>): string[] {
	return runResult.http.map(({ request }) => `${request.method ?? 'GET'} ${new URL(request.url).pathname}`);
}

export function bodies(runResult: Pick<NodeRun, 'http'>, method: string): unknown[] {
	return runResult.http.filter(({ request }) => request.method === method).map(({ request }) => request.body);
}

export function outputItems(runResult: NodeRun): INodeExecutionData[] {
	return runResult.outputs[0] ?? [];
}

/** No real network in this test file, and after every test each mocked request must have been made. */
export function strictNock(): void {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => {
		const pending = nock.pendingMocks();
		nock.cleanAll();
		expect(pending).toEqual([]);
	});
	afterAll(() => nock.enableNetConnect());
}
