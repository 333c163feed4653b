import { AxiosInstance } from 'axios';

import { ENTERPRISE_USER_SCHEMA, RunningSandbox, startSandbox } from '../../sandbox/server';
import { newUser, patch, scimClient } from './helpers';

describe('sandbox SCIM Users', () => {
	let sandbox: RunningSandbox;
	let scim: AxiosInstance;

	beforeAll(async () => {
		sandbox = await startSandbox();
		scim = await scimClient(sandbox);
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	it('creates a user with a server id, meta and an ETag', async () => {
		const response = await scim.post('/Users', newUser('k1'));
		expect(response.status).toBe(201);
		expect(response.data.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(response.data.meta).toMatchObject({ resourceType: 'User', version: 'W/"1"' });
		expect(response.data.meta.location).toBe(`${sandbox.scimUrl}/Users/${response.data.id}`);
		expect(response.headers.etag).toBe('W/"1"');
		expect(response.headers.location).toBe(response.data.meta.location);
		expect(sandbox.users()).toHaveLength(1);
		expect(sandbox.users()[0]).toMatchObject({ externalId: 'k1', userName: 'k1@acme.example' });
	});

	it('lists users in pages with startIndex, count and totalResults', async () => {
		sandbox.load({ users: Array.from({ length: 25 }, (_, i) => newUser(`p${String(i).padStart(2, '0')}`)) });
		const seen: string[] = [];
		for (const startIndex of [1, 11, 21]) {
			const response = await scim.get('/Users', { params: { startIndex, count: 10 } });
			expect(response.status).toBe(200);
			expect(response.data).toMatchObject({ totalResults: 25, startIndex });
			expect(response.data.Resources).toHaveLength(startIndex === 21 ? 5 : 10);
			seen.push(...response.data.Resources.map((user: any) => user.externalId));
		}
		expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(2, '0')}`));

		// startIndex 2 with a page longer than the offset is where scimmy's own re-slicing went wrong.
		const offByOne = await scim.get('/Users', { params: { startIndex: 2, count: 10 } });
		expect(offByOne.data.startIndex).toBe(2);
		expect(offByOne.data.Resources.map((user: any) => user.externalId)[0]).toBe('p01');
		expect(offByOne.data.Resources).toHaveLength(10);

		const countOnly = await scim.get('/Users', { params: { count: 0 } });
		expect(countOnly.data).toMatchObject({ totalResults: 25, Resources: [] });
	});

	it('renders list entries exactly as GET by id does, and pages attribute-selected lists the same way', async () => {
		sandbox.load({ users: Array.from({ length: 15 }, (_, i) => newUser(`r${String(i).padStart(2, '0')}`)) });
		const page = await scim.get('/Users', { params: { startIndex: 2, count: 10 } });
		for (const listed of page.data.Resources.slice(0, 3)) {
			expect((await scim.get(`/Users/${listed.id}`)).data).toEqual(listed);
		}
		// A PATCH changes the version: the list must show the new state, not a cached rendering.
		const target = page.data.Resources[0];
		await scim.patch(`/Users/${target.id}`, patch({ op: 'replace', path: 'title', value: 'Changed' }));
		const again = await scim.get('/Users', { params: { startIndex: 2, count: 1 } });
		expect(again.data.Resources[0]).toMatchObject({ id: target.id, title: 'Changed', meta: { version: 'W/"2"' } });

		// attributes= goes through scimmy-routers' own read path.
		const selected = await scim.get('/Users', { params: { startIndex: 2, count: 10, attributes: 'externalId' } });
		expect(selected.status).toBe(200);
		expect(selected.data).toMatchObject({ totalResults: 15, startIndex: 2, itemsPerPage: 10 });
		expect(selected.data.Resources.map((user: any) => user.externalId)).toEqual(
			page.data.Resources.map((user: any) => user.externalId),
		);
		expect(selected.data.Resources[0].emails).toBeUndefined();
		expect(page.data.Resources[0].emails).toBeDefined();
	});

	it('caps a page at maxResults and uses pageSize when count is absent', async () => {
		const small = await startSandbox({ maxResults: 5, pageSize: 3, staticToken: 't' });
		try {
			small.load({ users: Array.from({ length: 8 }, (_, i) => newUser(`c${i}`)) });
			const headers = { Authorization: 'Bearer t' };
			const capped = await scim.get(`${small.scimUrl}/Users`, { params: { count: 50 }, headers });
			expect(capped.data.Resources).toHaveLength(5);
			expect(capped.data.totalResults).toBe(8);
			const defaulted = await scim.get(`${small.scimUrl}/Users`, { headers });
			expect(defaulted.data.Resources).toHaveLength(3);
		} finally {
			await small.close();
		}
	});

	it('filters by externalId with a value escaped per RFC 7644', async () => {
		const key = 'a"b\\c';
		await scim.post('/Users', newUser('plain'));
		await scim.post('/Users', newUser(key, { userName: 'tricky@acme.example' }));
		await scim.post('/Users', newUser('a', { userName: 'a@acme.example' }));

		const response = await scim.get('/Users', { params: { filter: 'externalId eq "a\\"b\\\\c"' } });
		expect(response.status).toBe(200);
		expect(response.data.totalResults).toBe(1);
		expect(response.data.Resources[0].externalId).toBe(key);

		const none = await scim.get('/Users', { params: { filter: 'externalId eq "a\\"b"' } });
		expect(none.data.totalResults).toBe(0);

		const broken = await scim.get('/Users', { params: { filter: 'externalId eq "bad\\q"' } });
		expect(broken.status).toBe(400);
		expect(broken.data.scimType).toBe('invalidFilter');
	});

	it('filters by userName case-insensitively and by externalId exactly', async () => {
		await scim.post('/Users', newUser('Key1'));
		const byUserName = await scim.get('/Users', { params: { filter: 'userName eq "KEY1@ACME.EXAMPLE"' } });
		expect(byUserName.data.totalResults).toBe(1);
		const byExternalId = await scim.get('/Users', { params: { filter: 'externalId eq "key1"' } });
		expect(byExternalId.data.totalResults).toBe(0);
	});

	it('evaluates other filters with scimmy', async () => {
		await scim.post('/Users', newUser('x1', { active: false }));
		await scim.post('/Users', newUser('x2'));
		const response = await scim.get('/Users', { params: { filter: 'active eq false and externalId sw "x"' } });
		expect(response.status).toBe(200);
		expect(response.data.Resources.map((user: any) => user.externalId)).toEqual(['x1']);
	});

	it('filters on extension attributes and survives complex filters on users lacking the attribute', async () => {
		await scim.post('/Users', newUser('e1', { [ENTERPRISE_USER_SCHEMA]: { department: 'Care' } }));
		await scim.post('/Users', newUser('e2', { emails: undefined }));
		const byDepartment = await scim.get('/Users', { params: { filter: `${ENTERPRISE_USER_SCHEMA}:department eq "care"` } });
		expect(byDepartment.data.Resources.map((user: any) => user.externalId)).toEqual(['e1']);

		const complex = await scim.get('/Users', {
			params: { filter: 'emails[type eq "work" and value eq "e1@acme.example"]' },
		});
		expect(complex.status).toBe(200);
		expect(complex.data.Resources.map((user: any) => user.externalId)).toEqual(['e1']);
	});

	it('sets the enterprise manager as a complex value (sub-attribute paths in extensions are not supported)', async () => {
		const manager = await scim.post('/Users', newUser('boss'));
		const report = await scim.post('/Users', newUser('report'));
		const asComplex = await scim.patch(
			`/Users/${report.data.id}`,
			patch({ op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:manager`, value: { value: manager.data.id } }),
		);
		expect(asComplex.status).toBe(200);
		expect(sandbox.users()[1][ENTERPRISE_USER_SCHEMA]).toEqual({ manager: { value: manager.data.id } });

		const subAttribute = await scim.patch(
			`/Users/${report.data.id}`,
			patch({ op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:manager.value`, value: report.data.id }),
		);
		expect(subAttribute.status).toBe(400);
		expect(subAttribute.data.scimType).toBe('noTarget');
	});

	it('PATCH replaces name.givenName, the work email by filter, an extension attribute and active', async () => {
		const created = await scim.post(
			'/Users',
			newUser('k2', {
				schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER_SCHEMA],
				emails: [
					{ type: 'work', value: 'old@acme.example' },
					{ type: 'home', value: 'home@example.org' },
				],
				[ENTERPRISE_USER_SCHEMA]: { department: 'Care' },
			}),
		);
		const response = await scim.patch(
			`/Users/${created.data.id}`,
			patch(
				{ op: 'replace', path: 'name.givenName', value: 'Johan' },
				{ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@acme.example' },
				{ op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Cure' },
				{ op: 'replace', path: 'active', value: false },
			),
		);
		expect(response.status).toBe(200);
		expect(response.data.meta.version).toBe('W/"2"');
		const [stored] = sandbox.users();
		expect(stored.name.givenName).toBe('Johan');
		expect(stored.name.familyName).toBe('k2');
		expect(stored.emails).toEqual([
			{ type: 'work', value: 'new@acme.example' },
			{ type: 'home', value: 'home@example.org' },
		]);
		expect(stored[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Cure' });
		expect(stored.active).toBe(false);
	});

	it('answers a PATCH that changes nothing with 204 and keeps the version', async () => {
		const created = await scim.post('/Users', newUser('k3'));
		const response = await scim.patch(`/Users/${created.data.id}`, patch({ op: 'replace', path: 'active', value: true }));
		expect(response.status).toBe(204);
		expect(sandbox.users()[0].meta.version).toBe('W/"1"');
	});

	it('refuses a filtered PATCH path that matches nothing with 400 noTarget', async () => {
		const created = await scim.post('/Users', newUser('k4'));
		const response = await scim.patch(
			`/Users/${created.data.id}`,
			patch({ op: 'replace', path: 'emails[type eq "home"].value', value: 'x@example.org' }),
		);
		expect(response.status).toBe(400);
		expect(response.data.scimType).toBe('noTarget');
	});

	it('answers 409 uniqueness on a duplicate externalId and on a duplicate userName (any case)', async () => {
		expect((await scim.post('/Users', newUser('dup'))).status).toBe(201);

		const sameKey = await scim.post('/Users', newUser('dup', { userName: 'other@acme.example' }));
		expect(sameKey.status).toBe(409);
		expect(sameKey.data.scimType).toBe('uniqueness');
		expect(sameKey.data.detail).toContain('externalId');

		const sameUserName = await scim.post('/Users', newUser('dup2', { userName: 'DUP@acme.example' }));
		expect(sameUserName.status).toBe(409);
		expect(sameUserName.data.scimType).toBe('uniqueness');
		expect(sameUserName.data.detail).toContain('userName');

		expect(sandbox.users()).toHaveLength(1);
	});

	it('answers 409 when a PATCH would take another user’s userName', async () => {
		await scim.post('/Users', newUser('u1'));
		const second = await scim.post('/Users', newUser('u2'));
		const response = await scim.patch(
			`/Users/${second.data.id}`,
			patch({ op: 'replace', path: 'userName', value: 'U1@acme.example' }),
		);
		expect(response.status).toBe(409);
		expect(sandbox.users().find((user) => user.id === second.data.id)?.userName).toBe('u2@acme.example');
	});

	it('answers 412 to a write with a stale If-Match and applies a current one', async () => {
		const created = await scim.post('/Users', newUser('k5'));
		const id = created.data.id;
		await scim.patch(`/Users/${id}`, patch({ op: 'replace', path: 'title', value: 'Nurse' }));

		const stale = await scim.patch(`/Users/${id}`, patch({ op: 'replace', path: 'title', value: 'Doctor' }), {
			headers: { 'If-Match': 'W/"1"' },
		});
		expect(stale.status).toBe(412);
		expect(sandbox.users()[0].title).toBe('Nurse');

		const current = await scim.patch(`/Users/${id}`, patch({ op: 'replace', path: 'title', value: 'Doctor' }), {
			headers: { 'If-Match': 'W/"2"' },
		});
		expect(current.status).toBe(200);
		expect(sandbox.users()[0].title).toBe('Doctor');
	});

	it('serves GET by id, PUT and DELETE, and 404 for unknown ids', async () => {
		const created = await scim.post('/Users', newUser('k6'));
		const id = created.data.id;
		expect((await scim.get(`/Users/${id}`)).data.externalId).toBe('k6');

		const replaced = await scim.put(`/Users/${id}`, newUser('k6', { title: 'Chef' }));
		expect(replaced.status).toBe(200);
		expect(sandbox.users()[0].title).toBe('Chef');

		expect((await scim.delete(`/Users/${id}`)).status).toBe(204);
		expect(sandbox.users()).toHaveLength(0);
		expect((await scim.get(`/Users/${id}`)).status).toBe(404);
	});
});
