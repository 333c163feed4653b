import { AxiosInstance } from 'axios';

import { RunningSandbox, startSandbox } from '../../sandbox/server';
import { BULK_SCHEMA, GROUP_SCHEMA, newUser, patch, scimClient, USER_SCHEMA } from './helpers';
import { ENTERPRISE, PLEK_EXTENSION } from '../support/scim';

describe('sandbox SCIM Groups and Bulk', () => {
	let sandbox: RunningSandbox;
	let scim: AxiosInstance;
	let userIds: string[];

	beforeAll(async () => {
		sandbox = await startSandbox();
		scim = await scimClient(sandbox);
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		sandbox.resetCounters();
		userIds = [];
		for (const key of ['g1', 'g2', 'g3']) userIds.push((await scim.post('/Users', newUser(key))).data.id);
	});

	const memberIds = () => (sandbox.groups()[0].members ?? []).map((member: any) => member.value).sort();

	it('creates a group and adds and removes members with PATCH', async () => {
		const created = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Care', members: [{ value: userIds[0] }] });
		expect(created.status).toBe(201);
		const id = created.data.id;

		const added = await scim.patch(`/Groups/${id}`, patch({ op: 'add', path: 'members', value: [{ value: userIds[1] }, { value: userIds[2] }] }));
		expect(added.status).toBe(200);
		expect(memberIds()).toEqual([...userIds].sort());

		const removedByFilter = await scim.patch(`/Groups/${id}`, patch({ op: 'remove', path: `members[value eq "${userIds[0]}"]` }));
		expect(removedByFilter.status).toBe(200);
		expect(memberIds()).toEqual([userIds[1], userIds[2]].sort());

		const removedByValue = await scim.patch(`/Groups/${id}`, patch({ op: 'remove', path: 'members', value: [{ value: userIds[1] }] }));
		expect(removedByValue.status).toBe(200);
		expect(memberIds()).toEqual([userIds[2]]);
	});

	it('answers a membership PATCH (applied without scimmy) with exactly the group scimmy renders', async () => {
		const created = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Care', members: [{ value: userIds[0] }] });
		const id = created.data.id;
		const changed = await scim.patch(
			`/Groups/${id}`,
			patch({ op: 'add', path: 'members', value: [{ value: userIds[1] }, { value: userIds[2] }] }, { op: 'remove', path: `members[value eq "${userIds[0]}"]` }),
		);
		expect(changed.status).toBe(200);
		expect(memberIds()).toEqual([userIds[1], userIds[2]].sort());
		const byScimmy = await scim.get(`/Groups/${id}`);
		expect(changed.data).toEqual(byScimmy.data);
		expect(changed.data.meta.version).toBe('W/"2"');
		expect(changed.headers.etag).toBe('W/"2"');
		const listed = await scim.get('/Groups', { params: { filter: 'displayName eq "Care"' } });
		expect(listed.data.Resources[0]).toEqual(byScimmy.data);

		const partlyUnknown = await scim.patch(`/Groups/${id}`, patch({ op: 'add', path: 'members', value: [{ value: userIds[0] }, { value: 'no-such-user' }] }));
		expect(partlyUnknown.status).toBe(400);
		expect(partlyUnknown.data.scimType).toBe('invalidValue');
		expect(memberIds()).toEqual([userIds[1], userIds[2]].sort());
	});

	it('treats adding a present member and removing an absent one as no-ops (204)', async () => {
		const created = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Care', members: [{ value: userIds[0] }] });
		const id = created.data.id;
		const addAgain = await scim.patch(`/Groups/${id}`, patch({ op: 'add', path: 'members', value: [{ value: userIds[0] }] }));
		expect(addAgain.status).toBe(204);
		expect(sandbox.groups()[0].members).toEqual([{ value: userIds[0] }]);

		const removeAbsent = await scim.patch(`/Groups/${id}`, patch({ op: 'remove', path: `members[value eq "${userIds[1]}"]` }));
		expect(removeAbsent.status).toBe(204);
		expect(sandbox.groups()[0].meta.version).toBe('W/"1"');
	});

	it('finds a group by displayName, case-insensitively', async () => {
		await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'All staff' });
		await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Care' });
		const response = await scim.get('/Groups', { params: { filter: 'displayName eq "all STAFF"' } });
		expect(response.data.totalResults).toBe(1);
		expect(response.data.Resources[0].displayName).toBe('All staff');
	});

	it('refuses a duplicate group displayName and members that are no user', async () => {
		expect((await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Care' })).status).toBe(201);
		const duplicate = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'care' });
		expect(duplicate.status).toBe(409);
		expect(duplicate.data.scimType).toBe('uniqueness');

		const id = sandbox.groups()[0].id;
		const unknownMember = await scim.patch(`/Groups/${id}`, patch({ op: 'add', path: 'members', value: [{ value: 'no-such-user' }] }));
		expect(unknownMember.status).toBe(400);
		expect(unknownMember.data.scimType).toBe('invalidValue');
		expect(sandbox.groups()[0].members).toBeUndefined();
	});

	it('applies a Bulk request of POST and PATCH operations, resolving bulkIds', async () => {
		const group = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Care' });
		const response = await scim.post('/Bulk', {
			schemas: [BULK_SCHEMA],
			Operations: [
				{ method: 'POST', path: '/Users', bulkId: 'new1', data: newUser('b1') },
				{ method: 'POST', path: '/Users', bulkId: 'dup', data: newUser('g1') },
				{ method: 'PATCH', path: `/Users/${userIds[0]}`, data: patch({ op: 'replace', path: 'active', value: false }) },
				{
					method: 'PATCH',
					path: `/Groups/${group.data.id}`,
					data: patch({ op: 'add', path: 'members', value: [{ value: 'bulkId:new1' }] }),
				},
			],
		});
		expect(response.status).toBe(200);
		expect(response.data.Operations.map((op: any) => op.status)).toEqual(['201', '409', '200', '200']);
		expect(response.data.Operations[1].response.scimType).toBe('uniqueness');

		const created = sandbox.users().find((user) => user.externalId === 'b1');
		expect(created).toBeDefined();
		expect(sandbox.users().find((user) => user.id === userIds[0])?.active).toBe(false);
		expect(memberIds()).toEqual([created!.id]);
		expect(sandbox.counters().writes).toBe(3 + 1 + 4);
	});

	it('advertises Bulk limits, refuses oversized requests, and turns Bulk off with bulk: false', async () => {
		const config = await scim.get('/ServiceProviderConfig');
		expect(config.data.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });

		const small = await startSandbox({ maxOperations: 2, staticToken: 't' });
		const noBulk = await startSandbox({ bulk: false, staticToken: 't' });
		try {
			const headers = { Authorization: 'Bearer t' };
			const operations = ['o1', 'o2', 'o3'].map((key) => ({ method: 'POST', path: '/Users', bulkId: key, data: newUser(key) }));
			const tooMany = await scim.post(`${small.scimUrl}/Bulk`, { schemas: [BULK_SCHEMA], Operations: operations }, { headers });
			expect(tooMany.status).toBe(413);
			expect(small.users()).toHaveLength(0);
			expect(small.counters().writes).toBe(0);

			const off = await scim.post(`${noBulk.scimUrl}/Bulk`, { schemas: [BULK_SCHEMA], Operations: operations }, { headers });
			expect(off.status).toBe(501);
			const offConfig = await scim.get(`${noBulk.scimUrl}/ServiceProviderConfig`, { headers });
			expect(offConfig.data.bulk.supported).toBe(false);
		} finally {
			await small.close();
			await noBulk.close();
		}
	});

	it('keeps schemas, resource types and the custom Plek extension discoverable', async () => {
		const schemas = await scim.get('/Schemas');
		const byId = Object.fromEntries(schemas.data.Resources.map((schema: any) => [schema.id, schema]));
		expect(Object.keys(byId)).toEqual(
			expect.arrayContaining([
				USER_SCHEMA,
				GROUP_SCHEMA,
				ENTERPRISE,
				PLEK_EXTENSION,
			]),
		);
		const plek = byId[PLEK_EXTENSION];
		const typeOf = (name: string) => plek.attributes.find((attribute: any) => attribute.name === name)?.type;
		expect(typeOf('birthDate')).toBe('dateTime');
		expect(typeOf('location')).toBe('string');
		expect(byId[USER_SCHEMA].attributes.map((attribute: any) => attribute.name)).toContain('photos');

		const resourceTypes = await scim.get('/ResourceTypes');
		const user = resourceTypes.data.Resources.find((type: any) => type.name === 'User');
		expect(user.schemaExtensions.map((extension: any) => extension.schema)).toContain(
			PLEK_EXTENSION,
		);

		const config = await scim.get('/ServiceProviderConfig');
		expect(config.data).toMatchObject({
			patch: { supported: true },
			filter: { supported: true, maxResults: 1000 },
			etag: { supported: true },
			sort: { supported: false },
		});
	});
});
