import { describeUserAttributes } from '../../transport/schemas';
import type { ScimSchema } from '../../transport/schemas';
import { PlekScimClient } from '../../transport/client';
import { SCIM, fakeHttp, json } from './helpers';
import { ENTERPRISE } from '../support/scim';
const CUSTOM = 'urn:plek:params:scim:schemas:extension:profile:2.0:User';

const schemas: ScimSchema[] = [
	{
		id: 'urn:ietf:params:scim:schemas:core:2.0:Group',
		attributes: [{ name: 'displayName', type: 'string' }],
	},
	{
		id: ENTERPRISE,
		attributes: [
			{ name: 'department', type: 'string', mutability: 'readWrite', description: 'Department' },
			{ name: 'manager', type: 'complex', subAttributes: [{ name: 'value', type: 'string' }] },
		],
	},
	{
		id: 'urn:ietf:params:scim:schemas:core:2.0:User',
		attributes: [
			{ name: 'userName', type: 'string', required: true, mutability: 'readWrite', description: 'Unique login' },
			{ name: 'name', type: 'complex', subAttributes: [{ name: 'givenName', type: 'string' }, { name: 'familyName', type: 'string' }] },
			{ name: 'emails', type: 'complex', multiValued: true, subAttributes: [{ name: 'value', type: 'string' }, { name: 'type', type: 'string' }] },
			{ name: 'id', type: 'string', mutability: 'readOnly' },
		],
	},
	{ id: CUSTOM, attributes: [{ name: 'startDate', type: 'dateTime', mutability: 'readWrite' }] },
];

describe('describeUserAttributes', () => {
	it('flattens core, sub-attributes and extension attributes; skips non-User schemas', () => {
		const described = describeUserAttributes(schemas);
		expect(described.map((a) => a.path)).toEqual([
			'userName',
			'name',
			'name.givenName',
			'name.familyName',
			'emails',
			'emails.value',
			'emails.type',
			'id',
			`${ENTERPRISE}:department`,
			`${ENTERPRISE}:manager`,
			`${ENTERPRISE}:manager.value`,
			`${CUSTOM}:startDate`,
		]);
		expect(described[0]).toEqual({
			path: 'userName',
			type: 'string',
			mutability: 'readWrite',
			multiValued: false,
			description: 'Unique login',
			required: true,
			schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
		});
		expect(described.find((a) => a.path === 'emails.value')?.multiValued).toBe(true);
		expect(described.find((a) => a.path === 'id')?.mutability).toBe('readOnly');
		expect(described.find((a) => a.path === `${CUSTOM}:startDate`)?.type).toBe('dateTime');
	});

	it('uses the given User extension list when provided', () => {
		expect(describeUserAttributes(schemas, [CUSTOM]).some((a) => a.path.startsWith(ENTERPRISE))).toBe(false);
	});

	it('getSchemas reads a ListResponse from /Schemas', async () => {
		const fake = fakeHttp(() => json(200, { totalResults: schemas.length, Resources: schemas }));
		const client = new PlekScimClient(fake.http, { scimBaseUrl: SCIM });
		expect(await client.getSchemas()).toEqual(schemas);
		expect(fake.requests[0].url).toBe(`${SCIM}/Schemas`);
	});
});
