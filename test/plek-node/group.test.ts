
import { pairedItemProblems } from '../support/nodeHarness';
import { BASE, list, mockConfig, mockUserFilter, requestLines, run, runError, scim, user, strictNock } from './helpers';

strictNock();

import { PATCH_OP as PATCH_SCHEMA } from '../support/scim';

function group(id: string, displayName: string, members: string[] = []) {
	return {
		schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
		id,
		displayName,
		members: members.map((value) => ({ value })),
	};
}

describe('Group: Get Many', () => {
	it('Return All pages through the groups, without members unless asked', async () => {
		mockConfig(2);
		const all = [group('g1', 'Care', ['u1']), group('g2', 'IT'), group('g3', 'All staff', ['u1', 'u2'])];
		scim().get(`${BASE}/Groups`).query({ startIndex: '1', count: '2' }).reply(200, list(all.slice(0, 2), 3));
		scim().get(`${BASE}/Groups`).query({ startIndex: '3', count: '2' }).reply(200, list(all.slice(2), 3, 3));
		const result = await run({ resource: 'group', operation: 'getMany', returnAll: true });
		expect(result.json().map((g) => g.displayName)).toEqual(['Care', 'IT', 'All staff']);
		expect(result.json().some((g) => 'members' in g)).toBe(false);
		expect(pairedItemProblems(result, 1)).toEqual([]);
	});

	it('Limit returns at most that many groups; Include Members keeps the members', async () => {
		mockConfig();
		scim()
			.get(`${BASE}/Groups`)
			.query(true)
			.reply(200, list([group('g1', 'Care', ['u1']), group('g2', 'IT'), group('g3', 'Ops')]));
		const result = await run({
			resource: 'group',
			operation: 'getMany',
			returnAll: false,
			limit: 2,
			options: { includeMembers: true },
		});
		expect(result.json()).toEqual([
			{ ...group('g1', 'Care', ['u1']) },
			{ ...group('g2', 'IT'), members: [] },
		]);
	});

	it('filters by display name with an escaped filter', async () => {
		scim()
			.get(`${BASE}/Groups`)
			.query((q) => q.filter === 'displayName eq "R\\"&D \\\\ Lab"')
			.reply(200, list([group('g9', 'R"&D \\ Lab')]));
		const result = await run({
			resource: 'group',
			operation: 'getMany',
			filters: { displayName: 'R"&D \\ Lab' },
		});
		expect(result.json().map((g) => g.id)).toEqual(['g9']);
	});
});

describe('Group: Add Members and Remove Members', () => {
	it('Add Members resolves External IDs through escaped lookups and PATCHes add members with Plek IDs', async () => {
		mockConfig();
		mockUserFilter('externalId eq "E-1"', [user('u1', { externalId: 'E-1' })]);
		mockUserFilter('externalId eq "E\\"2"', [user('u2', { externalId: 'E"2' })]);
		let patched: unknown;
		scim()
			.patch(`${BASE}/Groups/g1`, (body) => {
				patched = body;
				return true;
			})
			.reply(204);
		const result = await run({
			resource: 'group',
			operation: 'addMembers',
			group: { __rl: true, mode: 'list', value: 'g1' },
			memberIdType: 'externalId',
			members: 'E-1, E"2\nE-1',
		});
		expect(patched).toEqual({
			schemas: [PATCH_SCHEMA],
			Operations: [{ op: 'add', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }],
		});
		expect(result.json()).toEqual([
			{
				groupId: 'g1',
				operation: 'addMembers',
				count: 2,
				members: [
					{ id: 'u1', userName: 'u1@acme.nl', externalId: 'E-1' },
					{ id: 'u2', userName: 'u2@acme.nl', externalId: 'E"2' },
				],
			},
		]);
	});

	it('Add Members finds the group by display name', async () => {
		scim()
			.get(`${BASE}/Groups`)
			.query((q) => q.filter === 'displayName eq "All staff"')
			.reply(200, list([group('g3', 'All staff')]));
		scim().get(`${BASE}/Users/u1`).reply(200, user('u1'));
		scim().patch(`${BASE}/Groups/g3`).reply(204);
		const result = await run({
			resource: 'group',
			operation: 'addMembers',
			group: { __rl: true, mode: 'name', value: 'All staff' },
			memberIdType: 'id',
			members: 'u1',
		});
		expect(result.json()[0]).toMatchObject({ groupId: 'g3', groupName: 'All staff', count: 1 });
		expect(requestLines(result)).toContain('PATCH /scim/v2/Groups/g3');
	});

	it('Remove Members checks the Plek IDs and PATCHes remove members[value eq "id"]', async () => {
		scim().get(`${BASE}/Users/u1`).reply(200, user('u1'));
		scim().get(`${BASE}/Users/u%222`).reply(200, user('u"2'));
		let patched: unknown;
		scim()
			.patch(`${BASE}/Groups/g1`, (body) => {
				patched = body;
				return true;
			})
			.reply(204);
		const result = await run({
			resource: 'group',
			operation: 'removeMembers',
			group: { __rl: true, mode: 'list', value: 'g1' },
			memberIdType: 'id',
			members: '={{ $json.ids }}',
		}, { input: [{ ids: ['u1', 'u"2'] }], evaluateExpression: () => ['u1', 'u"2'] });
		expect(patched).toEqual({
			schemas: [PATCH_SCHEMA],
			Operations: [
				{ op: 'remove', path: 'members[value eq "u1"]' },
				{ op: 'remove', path: 'members[value eq "u\\"2"]' },
			],
		});
		expect(result.json()[0]).toMatchObject({ groupId: 'g1', operation: 'removeMembers', count: 2 });
		expect(result.http.map(({ request }) => request.method)).not.toContain('DELETE');
	});

	it('an unknown member is an item error naming the id, and the group is not changed', async () => {
		mockConfig();
		mockUserFilter('externalId eq "E-1"', [user('u1', { externalId: 'E-1' })]);
		mockUserFilter('externalId eq "E-404"', []);
		const error = await runError({
			resource: 'group',
			operation: 'addMembers',
			group: { __rl: true, mode: 'list', value: 'g1' },
			memberIdType: 'externalId',
			members: 'E-1,E-404',
		});
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe('No Plek user found with External ID "E-404"');
	});

	it('an unknown Plek ID (404) is an item error naming the id', async () => {
		scim().get(`${BASE}/Users/u-gone`).reply(404, { detail: 'Resource u-gone not found' });
		const error = await runError({
			resource: 'group',
			operation: 'removeMembers',
			group: { __rl: true, mode: 'list', value: 'g1' },
			memberIdType: 'id',
			members: 'u-gone',
		});
		expect(error.message).toBe('No Plek user found with Plek ID "u-gone"');
	});
});
