
import { pairedItemProblems } from '../support/nodeHarness';
import {
	BASE,
	ENTERPRISE,
	PLEK_EXT,
	bodies,
	list,
	mockConfig,
	mockSchemas,
	mockUserFilter,
	requestLines,
	run,
	runError,
	scim,
	user,
	strictNock,
} from './helpers';

strictNock();

import { PATCH_OP as PATCH_SCHEMA } from '../support/scim';

describe('User: Get', () => {
	it('gets a user by Plek ID with GET /Users/{id}', async () => {
		scim().get(`${BASE}/Users/u%201`).reply(200, user('u 1'));
		const result = await run({ resource: 'user', operation: 'get', user: { __rl: true, mode: 'id', value: 'u 1' }, output: 'raw' });
		expect(result.json()).toEqual([user('u 1')]);
		expect(result.outputs[0][0].pairedItem).toEqual({ item: 0 });
		expect(requestLines(result)).toEqual(['GET /scim/v2/Users/u%201']);
	});

	it('gets a user by External ID with an escaped filter (" and \\ cannot change the filter)', async () => {
		const key = 'a"b\\c';
		mockConfig();
		mockUserFilter('externalId eq "a\\"b\\\\c"', [user('u1', { externalId: key })]);
		const result = await run({ resource: 'user', operation: 'get', user: { __rl: true, mode: 'externalId', value: key }, output: 'raw' });
		expect(result.json()).toEqual([user('u1', { externalId: key })]);
		expect(result.http.map(({ request }) => request.qs?.filter).filter(Boolean)).toEqual(['externalId eq "a\\"b\\\\c"']);
	});

	it('gets a user by User Name with an escaped filter', async () => {
		mockConfig();
		mockUserFilter('userName eq "j.jansen@acme.nl"', [user('u2', { userName: 'j.jansen@acme.nl' })]);
		const result = await run({ resource: 'user', operation: 'get', user: { __rl: true, mode: 'userName', value: 'j.jansen@acme.nl' }, output: 'raw' });
		expect(result.json()[0].id).toBe('u2');
	});

	it('reports a user that does not exist as an error naming the value', async () => {
		mockConfig();
		mockUserFilter('externalId eq "nobody"', []);
		const error = await runError({ resource: 'user', operation: 'get', user: { __rl: true, mode: 'externalId', value: 'nobody' }, output: 'raw' });
		expect(error.message).toBe('No Plek user found with External ID "nobody"');
	});
});

describe('User: Get Many', () => {
	it('Return All pages through every page (page size from /ServiceProviderConfig)', async () => {
		mockConfig(2);
		const all = [1, 2, 3, 4, 5].map((n) => user(`u${n}`));
		const page = (start: number) =>
			scim()
				.get(`${BASE}/Users`)
				.query((q) => q.startIndex === String(start) && q.count === '2' && q.filter === undefined)
				.reply(200, list(all.slice(start - 1, start + 1), 5, start));
		page(1);
		page(3);
		page(5);
		const result = await run({ resource: 'user', operation: 'getMany', returnAll: true });
		expect(result.json().map((u) => u.id)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
		expect(pairedItemProblems(result, 1)).toEqual([]);
		expect(result.outputs[0].every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
	});

	it('Limit stops paging as soon as it has enough users', async () => {
		mockConfig(2);
		scim()
			.get(`${BASE}/Users`)
			.query({ startIndex: '1', count: '2' })
			.reply(200, list([user('u1'), user('u2')], 100));
		scim()
			.get(`${BASE}/Users`)
			.query({ startIndex: '3', count: '1' })
			.reply(200, list([user('u3')], 100, 3));
		const result = await run({ resource: 'user', operation: 'getMany', returnAll: false, limit: 3 });
		expect(result.json().map((u) => u.id)).toEqual(['u1', 'u2', 'u3']);
		expect(requestLines(result).filter((line) => line.endsWith('/Users'))).toHaveLength(2);
	});

	it('filters by attribute with the escaped filterEq', async () => {
		mockConfig();
		scim()
			.get(`${BASE}/Users`)
			.query((q) => q.filter === `${ENTERPRISE}:department eq "R\\"&D"` && q.count === '50')
			.reply(200, list([user('u7')]))
			// totalResults equal to the page served does not end a list; an empty page does (issue 23).
			.get(`${BASE}/Users`)
			.query((q) => q.startIndex === '2')
			.reply(200, list([], 1, 2));
		const result = await run({
			resource: 'user',
			operation: 'getMany',
			filterType: 'attribute',
			filterAttribute: `${ENTERPRISE}:department`,
			filterValue: 'R"&D',
		});
		expect(result.json().map((u) => u.id)).toEqual(['u7']);
	});

	it('sends a raw SCIM filter as written', async () => {
		mockConfig();
		scim()
			.get(`${BASE}/Users`)
			.query((q) => q.filter === 'name.familyName sw "Jan" and active eq true' && q.startIndex === '1')
			.reply(200, list([user('u8')]))
			.get(`${BASE}/Users`)
			.query((q) => q.filter === 'name.familyName sw "Jan" and active eq true' && q.startIndex === '2')
			.reply(200, list([], 1, 2));
		const result = await run({
			resource: 'user',
			operation: 'getMany',
			filterType: 'raw',
			filter: 'name.familyName sw "Jan" and active eq true',
			returnAll: true,
		});
		expect(result.json().map((u) => u.id)).toEqual(['u8']);
	});

	it('refuses an attribute that is not a plain path, before any request', async () => {
		const error = await runError({
			resource: 'user',
			operation: 'getMany',
			filterType: 'attribute',
			filterAttribute: 'userName eq "x" or userName',
			filterValue: 'y',
		});
		expect(error.message).toMatch(/not a SCIM attribute path/);
	});
});

describe('User: Create', () => {
	it('POSTs /Users with userName, externalId, active and the profile fields at their SCIM paths', async () => {
		mockSchemas();
		mockConfig();
		mockUserFilter('externalId eq "E-1001"', []);
		let posted: unknown;
		scim()
			.post(`${BASE}/Users`, (body) => {
				posted = body;
				return true;
			})
			.reply(201, user('new-1'));
		const result = await run({
			resource: 'user',
			operation: 'create',
			userName: 'j.jansen@acme.nl',
			externalId: 'E-1001',
			active: true,
			profileFields: {
				field: [
					{ path: 'name.givenName', value: 'Jan' },
					{ path: 'emails[type eq "work"].value', value: 'j.jansen@acme.nl' },
					{ path: `${ENTERPRISE}:department`, value: 'Care' },
					{ path: '__custom', customPath: `${PLEK_EXT}:fte`, value: '0.8' },
					{ path: 'title', value: '' },
				],
			},
		});
		expect(posted).toEqual({
			schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE, PLEK_EXT],
			userName: 'j.jansen@acme.nl',
			externalId: 'E-1001',
			active: true,
			name: { givenName: 'Jan' },
			emails: [{ type: 'work', value: 'j.jansen@acme.nl' }],
			[ENTERPRISE]: { department: 'Care' },
			[PLEK_EXT]: { fte: 0.8 },
		});
		expect(result.json()).toEqual([user('new-1')]);
		expect(requestLines(result)).toEqual(['GET /scim/v2/Schemas', 'GET /scim/v2/ServiceProviderConfig', 'GET /scim/v2/Users', 'POST /scim/v2/Users']);
	});

	it('refuses to create a second account with an External ID Plek already holds, naming the holder, and POSTs nothing', async () => {
		mockConfig();
		mockUserFilter('externalId eq "E-1001"', [user('u7', { externalId: 'E-1001', userName: 'j.jansen@acme.nl' })]);
		const error = await runError({ resource: 'user', operation: 'create', userName: 'jan.jansen@acme.nl', externalId: 'E-1001', active: true });
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe('Create refused: Plek already has an account with External ID "E-1001" (userName "j.jansen@acme.nl", Plek ID u7)');
		expect(String((error as { description?: string }).description)).toMatch(/User › Update/);
	});

	it('creates without a lookup when no External ID is given', async () => {
		scim().post(`${BASE}/Users`).reply(201, user('new-2'));
		const result = await run({ resource: 'user', operation: 'create', userName: 'x@acme.nl', active: true });
		expect(requestLines(result)).toEqual(['POST /scim/v2/Users']);
	});

	// Refused by name before any request (params.ts); a dateTime attribute is known from Plek's /Schemas only.
	it.each([
		['photos[type eq "photo"].value', /profile pictures/, false],
		[`${PLEK_EXT}:birthDate`, /birthdates/, false],
		[`${PLEK_EXT}:hireDate`, /dateTime attribute/, true],
	])('refuses the profile field %s with an error naming it, and creates nothing', async (path, reason, readsSchemas) => {
		if (readsSchemas) mockSchemas();
		const error = await runError({
			resource: 'user',
			operation: 'create',
			userName: 'x@acme.nl',
			profileFields: { field: [{ path: '__custom', customPath: path, value: '1990-01-01' }] },
		});
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toContain(`Profile field "${path}" cannot be synced to Plek`);
		expect(error.message).toMatch(reason);
	});

	it('refuses userName as a profile field (it has its own parameter), before any request', async () => {
		const error = await runError({
			resource: 'user',
			operation: 'create',
			userName: 'x@acme.nl',
			profileFields: { field: [{ path: '__custom', customPath: 'userName', value: 'y' }] },
		});
		expect(error.message).toMatch(/User Name parameter/);
	});

	it('refuses a value that does not fit the attribute type', async () => {
		mockSchemas();
		const error = await runError({
			resource: 'user',
			operation: 'create',
			userName: 'x@acme.nl',
			profileFields: { field: [{ path: `${PLEK_EXT}:fte`, value: 'lots' }] },
		});
		expect(error.message).toMatch(/needs a decimal value/);
	});
});

describe('User: Update', () => {
	it('finds the user by External ID and PATCHes only the chosen fields (empty values skipped)', async () => {
		mockSchemas();
		mockConfig();
		const current = user('u1', { externalId: 'E-1', title: 'Nurse', emails: [{ type: 'home', value: 'h@x.nl' }] });
		mockUserFilter('externalId eq "E-1"', [current]);
		let patched: unknown;
		scim()
			.patch(`${BASE}/Users/u1`, (body) => {
				patched = body;
				return true;
			})
			.reply(200, user('u1', { title: 'Head nurse' }));
		const result = await run({
			resource: 'user',
			operation: 'update',
			user: { __rl: true, mode: 'externalId', value: 'E-1' },
			profileFields: {
				field: [
					{ path: 'title', value: 'Head nurse' },
					{ path: 'emails[type eq "work"].value', value: 'w@x.nl' },
					{ path: 'name.familyName', value: '' },
				],
			},
		});
		expect(patched).toEqual({
			schemas: [PATCH_SCHEMA],
			Operations: [
				{ op: 'replace', path: 'title', value: 'Head nurse' },
				{ op: 'add', path: 'emails', value: [{ type: 'work', value: 'w@x.nl' }] },
			],
		});
		expect(result.json()[0].title).toBe('Head nurse');
	});

	it('with Clear Empty Values, an empty value removes the field', async () => {
		mockSchemas();
		scim().get(`${BASE}/Users/u1`).reply(200, user('u1', { title: 'Nurse' }));
		let patched: { Operations?: unknown } | undefined;
		scim()
			.patch(`${BASE}/Users/u1`, (body) => {
				patched = body;
				return true;
			})
			.reply(200, user('u1'));
		await run({
			resource: 'user',
			operation: 'update',
			user: { __rl: true, mode: 'id', value: 'u1' },
			profileFields: { field: [{ path: 'title', value: '' }] },
			options: { clearEmptyValues: true },
		});
		expect(patched?.Operations).toEqual([{ op: 'remove', path: 'title' }]);
	});

	it('sends no PATCH when nothing is to be written', async () => {
		mockSchemas();
		scim().get(`${BASE}/Users/u1`).reply(200, user('u1', { title: 'Nurse' }));
		const result = await run({
			resource: 'user',
			operation: 'update',
			user: { __rl: true, mode: 'id', value: 'u1' },
			profileFields: { field: [{ path: 'title', value: '' }] },
		});
		expect(bodies(result, 'PATCH')).toEqual([]);
		expect(result.json()[0].title).toBe('Nurse');
	});

	it('refuses a birthdate field before looking anything up', async () => {
		const error = await runError({
			resource: 'user',
			operation: 'update',
			user: { __rl: true, mode: 'id', value: 'u1' },
			profileFields: { field: [{ path: `${PLEK_EXT}:birthDate`, value: '1990-01-01' }] },
		});
		expect(error.message).toMatch(/birthDate.*birthdates/);
	});
});

describe('User: Deactivate and Reactivate', () => {
	it('Deactivate sends PATCH active=false and never DELETE', async () => {
		mockConfig();
		mockUserFilter('externalId eq "E-9"', [user('u9', { externalId: 'E-9' })]);
		let patched: unknown;
		scim()
			.patch(`${BASE}/Users/u9`, (body) => {
				patched = body;
				return true;
			})
			.reply(200, user('u9', { active: false }));
		let deletes = 0;
		scim()
			.delete(/.*/)
			.optionally()
			.reply(() => {
				deletes++;
				return [204];
			});
		const result = await run({ resource: 'user', operation: 'deactivate', user: { __rl: true, mode: 'externalId', value: 'E-9' } });
		expect(patched).toEqual({ schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] });
		expect(result.http.map(({ request }) => request.method)).not.toContain('DELETE');
		expect(deletes).toBe(0);
		expect(result.json()).toEqual([user('u9', { active: false })]);
	});

	it('Reactivate sends PATCH active=true', async () => {
		scim().get(`${BASE}/Users/u9`).reply(200, user('u9', { active: false }));
		let patched: unknown;
		scim()
			.patch(`${BASE}/Users/u9`, (body) => {
				patched = body;
				return true;
			})
			.reply(200, user('u9'));
		const result = await run({ resource: 'user', operation: 'reactivate', user: { __rl: true, mode: 'id', value: 'u9' } });
		expect(patched).toEqual({ schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: true }] });
		expect(result.json()[0].active).toBe(true);
	});
});
