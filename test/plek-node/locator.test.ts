// The Plek node as n8n users (and AI agents) meet it: the User resource locator (From List / By ID / By External
// ID / By User Name), Get's Output choice, and Group Get Many asking Plek for no more than the limit.
import { Plek } from '../../nodes/Plek/Plek.node';
import { createLoadOptionsFunctions } from '../support/nodeHarness';
import { axiosWithBearer, BASE, CREDENTIALS, ENTERPRISE, list, mockConfig, run, scim, strictNock, user } from './helpers';

strictNock();

const node = new Plek();

async function searchUsers(filter?: string, paginationToken?: string) {
	const ctx = createLoadOptionsFunctions(node, { credentials: CREDENTIALS, httpRequestWithAuthentication: axiosWithBearer });
	return await node.methods!.listSearch!.searchUsers.call(ctx, filter, paginationToken);
}

describe('User locator', () => {
	it('is one resource locator on every single-user operation, with the four ways to name a user', () => {
		const locators = node.description.properties.filter((p) => p.name === 'user');
		const operations = locators.flatMap((p) => p.displayOptions?.show?.operation ?? []);
		expect([...operations].sort()).toEqual(['deactivate', 'get', 'reactivate', 'update']);
		for (const locator of locators) {
			expect(locator.type).toBe('resourceLocator');
			expect(locator.modes?.map((m) => m.name)).toEqual(['list', 'id', 'externalId', 'userName']);
			expect(locator.modes?.[0].typeOptions?.searchListMethod).toBe('searchUsers');
		}
		expect(node.description.properties.some((p) => p.name === 'findBy')).toBe(false);
	});

	it('From List searches users by the start of their userName (escaped), names them with their name, and pages', async () => {
		scim()
			.get(`${BASE}/Users`)
			.query({ startIndex: '1', count: '50', filter: 'userName sw "j.\\"jan"' })
			.reply(200, list([user('u1', { userName: 'j."jansen@acme.nl', displayName: 'Jan Jansen' }), user('u2', { name: { givenName: 'Joke', familyName: 'Jong' } })], 120));
		const page = await searchUsers('j."jan');
		expect(page.results).toEqual([
			{ name: 'j."jansen@acme.nl (Jan Jansen)', value: 'u1' },
			{ name: 'u2@acme.nl (Joke Jong)', value: 'u2' },
		]);
		expect(page.paginationToken).toBe('3');

		scim().get(`${BASE}/Users`).query({ startIndex: '3', count: '50' }).reply(200, list([user('u3')], 3, 3));
		const last = await searchUsers('', '3');
		expect(last.results).toEqual([{ name: 'u3@acme.nl', value: 'u3' }]);
		expect(last.paginationToken).toBeUndefined();
	});

	it('a user picked From List is fetched by Plek ID', async () => {
		scim().get(`${BASE}/Users/u7`).reply(200, user('u7'));
		const result = await run({ resource: 'user', operation: 'get', user: { __rl: true, mode: 'list', value: 'u7', cachedResultName: 'u7@acme.nl' }, output: 'raw' });
		expect(result.json()).toEqual([user('u7')]);
	});

	it('an empty locator says how to fill it', async () => {
		await expect(run({ resource: 'user', operation: 'deactivate', user: { __rl: true, mode: 'userName', value: '  ' } })).rejects.toMatchObject({
			message: 'The User Name to look the user up by is empty',
			description: expect.stringMatching(/Pick a user from the list/),
		});
	});
});

describe('User: Get output', () => {
	const full = user('u1', {
		displayName: 'Anna de Vries',
		name: { givenName: 'Anna', familyName: 'de Vries' },
		emails: [{ value: 'old@acme.nl' }, { value: 'anna@acme.nl', primary: true }],
		title: 'Nurse',
		[ENTERPRISE]: { department: 'Care', manager: { value: 'u9' } },
		meta: { resourceType: 'User', version: 'W/"1"' },
	});

	it('Simplified (the default) is a compact user: who, e-mail, title, department, active', async () => {
		scim().get(`${BASE}/Users/u1`).reply(200, full);
		const result = await run({ resource: 'user', operation: 'get', user: { __rl: true, mode: 'id', value: 'u1' } });
		expect(result.json()).toEqual([
			{ id: 'u1', externalId: 'ext-u1', userName: 'u1@acme.nl', name: 'Anna de Vries', email: 'anna@acme.nl', title: 'Nurse', department: 'Care', active: true },
		]);
	});

	it('Raw is the SCIM user as Plek returned it; Selected Fields keeps the named attributes and the ID', async () => {
		scim().get(`${BASE}/Users/u1`).twice().reply(200, full);
		const raw = await run({ resource: 'user', operation: 'get', user: { __rl: true, mode: 'id', value: 'u1' }, output: 'raw' });
		expect(raw.json()).toEqual([full]);
		const picked = await run({ resource: 'user', operation: 'get', user: { __rl: true, mode: 'id', value: 'u1' }, output: 'fields', fields: 'UserName, emails' });
		expect(picked.json()).toEqual([{ id: 'u1', userName: 'u1@acme.nl', emails: full.emails }]);
	});
});

describe('Group locator', () => {
	it('Add / Remove Members name the group with one resource locator: From List (searchable), By ID, By Name', () => {
		const locators = node.description.properties.filter((p) => p.name === 'group');
		expect(locators.flatMap((p) => p.displayOptions?.show?.operation ?? []).sort()).toEqual(['addMembers', 'removeMembers']);
		for (const locator of locators) {
			expect(locator.type).toBe('resourceLocator');
			expect(locator.modes?.map((m) => m.name)).toEqual(['list', 'id', 'name']);
		}
		expect(node.description.properties.some((p) => p.name === 'groupFindBy')).toBe(false);
	});

	it('From List offers the groups whose name contains what was typed, sorted, valued by Plek ID', async () => {
		mockConfig(100);
		scim()
			.get(`${BASE}/Groups`)
			.query((q) => q.startIndex === '1')
			.reply(200, list([{ id: 'g1', displayName: 'Nurses' }, { id: 'g2', displayName: 'IT' }, { id: 'g3', displayName: 'Head nurses' }]))
			// A list ends at an empty page, not at a totalResults equal to the first page (issue 23).
			.get(`${BASE}/Groups`)
			.query((q) => q.startIndex === '4')
			.reply(200, list([], 3, 4));
		const ctx = createLoadOptionsFunctions(node, { credentials: CREDENTIALS, httpRequestWithAuthentication: axiosWithBearer });
		const page = await node.methods!.listSearch!.searchGroups.call(ctx, 'NURSE');
		expect(page.results).toEqual([
			{ name: 'Head nurses', value: 'g3' },
			{ name: 'Nurses', value: 'g1' },
		]);
	});

	it('By Name that matches no group is an item error naming it', async () => {
		scim().get(`${BASE}/Groups`).query((q) => q.filter === 'displayName eq "Nobody"').reply(200, list([]));
		await expect(
			run({ resource: 'group', operation: 'addMembers', group: { __rl: true, mode: 'name', value: 'Nobody' }, memberIdType: 'id', members: 'u1' }),
		).rejects.toMatchObject({ message: 'No Plek group found with the name "Nobody"' });
	});
});

describe('Group: Get Many limit', () => {
	it('without Return All asks Plek for no more than the limit (SCIM count)', async () => {
		mockConfig(100);
		scim()
			.get(`${BASE}/Groups`)
			.query({ startIndex: '1', count: '2' })
			.reply(200, list([{ id: 'g1', displayName: 'Care' }, { id: 'g2', displayName: 'IT' }], 40));
		const result = await run({ resource: 'group', operation: 'getMany', returnAll: false, limit: 2 });
		expect(result.json().map((g) => g.id)).toEqual(['g1', 'g2']);
		expect(result.http.map(({ request }) => request.qs?.count).filter((c) => c !== undefined)).toEqual([2]);
	});
});
