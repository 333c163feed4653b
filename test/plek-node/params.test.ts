// Issue 24: the Plek node (also an AI Agent tool, its parameters filled by the agent) reads every parameter through
// nodes/Plek/params.ts and refuses a hostile or malformed one by name before any request: an ID that becomes a URL
// path segment is one segment, texts pass the record contract's character rule, choices and switches are the
// description's. Each refusal below is checked to have sent nothing at all (no token, no lookup, no write).
import type { INodeParameters } from 'n8n-workflow';

import { Plek } from '../../nodes/Plek/Plek.node';
import * as addMembers from '../../nodes/Plek/actions/group/addMembers.operation';
import * as userResource from '../../nodes/Plek/actions/user/User.resource';
import { readCreateUser, readGetManyUsers, readMembers, readUserLocator } from '../../nodes/Plek/params';
import { ParameterProblem, ParameterSchema } from '../../nodes/shared/parameters';
import { run, strictNock } from './helpers';

strictNock();

/** Runs one item with Continue On Fail: the item's error text and every HTTP request the run made. */
async function refusedItem(parameters: INodeParameters): Promise<{ error: string; requests: number }> {
	const result = await run(parameters, { continueOnFail: true });
	const json = result.json();
	expect(json).toHaveLength(1);
	return { error: String(json[0].error), requests: result.http.length };
}

const byId = (value: unknown, mode = 'id') => ({ __rl: true as const, mode, value: value as string });

describe('an ID that becomes a path segment is one segment', () => {
	it.each(['..', '.', '../Groups/g-1', 'u1/../../admin', '..%2F..%2Fadmin', 'u1?attributes=password', 'u1#x', 'a\\b', 'u\n1', 'u\u202e1'])('User By ID %j is refused by name, nothing sent', async (id) => {
		const { error, requests } = await refusedItem({ resource: 'user', operation: 'deactivate', user: byId(id) });
		expect(error).toMatch(/^User \(Plek ID\)/);
		expect(requests).toBe(0);
	});

	it('From List holds a Plek ID and is checked the same way', async () => {
		const { error, requests } = await refusedItem({ resource: 'user', operation: 'get', user: byId('..', 'list') });
		expect(error).toBe('User (Plek ID): ".." is not a Plek ID (an ID has no / \\ ? # or % and is not made of dots)');
		expect(requests).toBe(0);
	});

	it('a group By ID and each member given as a Plek ID are checked before any lookup', async () => {
		const group = await refusedItem({ resource: 'group', operation: 'addMembers', group: byId('../Users/u1'), memberIdType: 'id', members: 'u1' });
		expect([group.error, group.requests]).toEqual(['Group (Plek ID): "../Users/u1" is not a Plek ID (an ID has no / \\ ? # or % and is not made of dots)', 0]);
		const member = await refusedItem({ resource: 'group', operation: 'removeMembers', group: byId('g-1'), memberIdType: 'id', members: 'u1, .., u2' });
		expect([member.error, member.requests]).toEqual(['Members: ".." is not a Plek ID (an ID has no / \\ ? # or % and is not made of dots)', 0]);
	});
});

describe('texts, choices and switches an agent may fill wrongly are refused by name, nothing sent', () => {
	it.each([
		['an External ID with a line break', { resource: 'user', operation: 'get', user: byId('E-1\nE-2', 'externalId') }, /^User \(External ID\) contains control characters/],
		['a User Name with a bidi override', { resource: 'user', operation: 'update', user: byId('admin\u202e@acme.example', 'userName') }, /^User \(User Name\) contains bidirectional control characters/],
		['an unknown User mode', { resource: 'user', operation: 'get', user: byId('x', 'email') }, /^Unknown User mode "email"$/],
		['an unknown Group mode', { resource: 'group', operation: 'addMembers', group: byId('x', 'externalId'), members: 'k1' }, /^Unknown Group mode "externalId"$/],
		['members given as user names', { resource: 'group', operation: 'addMembers', group: byId('g-1'), memberIdType: 'userName', members: 'a@acme.example' }, /^Members Given As must be one of "id", "externalId", got "userName"$/],
		['members as an object', { resource: 'group', operation: 'addMembers', group: byId('g-1'), members: { id: 'u1' } as unknown as string }, /^Members must be a list of IDs or text, got an object$/],
		['Active as the text "false"', { resource: 'user', operation: 'create', userName: 'new@acme.example', active: 'false' as unknown as boolean }, /^Active must be true or false, got "false"$/],
		['a Limit that is text', { resource: 'user', operation: 'getMany', limit: '10' as unknown as number }, /^Limit must be a number, got "10"$/],
		['an unknown Output', { resource: 'user', operation: 'get', user: byId('u1'), output: 'everything' }, /^Output must be one of "simplified", "raw", "fields", got "everything"$/],
		['a User Name with a NUL', { resource: 'user', operation: 'create', userName: 'new\u0000@acme.example' }, /^User Name contains control characters/],
		['an e-mail profile field that is no address', { resource: 'user', operation: 'create', userName: 'new@acme.example', profileFields: { field: [{ path: 'emails[type eq "work"].value', value: 'admin@acme.example, other@acme.example' }] } }, /^Profile field "emails\[type eq "work"\]\.value" cannot be synced to Plek: .*is not a valid e-mail address$/],
		['a profile field set twice', { resource: 'user', operation: 'update', user: byId('u1'), profileFields: { field: [{ path: 'title', value: 'A' }, { path: '__custom', customPath: 'TITLE', value: 'B' }] } }, /^Profile field "TITLE" is set twice$/],
		['a raw SCIM filter over two lines', { resource: 'user', operation: 'getMany', filterType: 'raw', filter: 'userName eq "a"\nor true' }, /^SCIM Filter contains control characters/],
	])('%s', async (_what, parameters, message) => {
		const { error, requests } = await refusedItem(parameters as INodeParameters);
		expect(error).toMatch(message);
		expect(requests).toBe(0);
	});
});

describe('the readers, alone', () => {
	const schemaOf = (operation: string) => new ParameterSchema(userResource[operation as 'get'].description);
	const from = (values: Record<string, unknown>) => (name: string) => values[name];

	it('take their defaults from the operation\'s description', () => {
		const create = readCreateUser(from({ userName: ' x@acme.example ' }), schemaOf('create'));
		expect(create).toEqual({ userName: 'x@acme.example', externalId: '', active: true, fields: [] });
		expect(readGetManyUsers(from({}), schemaOf('getMany'))).toEqual({ limit: 50, filter: '' });
		expect(readGetManyUsers(from({ returnAll: true, filterType: 'attribute', filterValue: 'a"b' }), schemaOf('getMany'))).toEqual({ limit: undefined, filter: 'userName eq "a\\"b"' });
	});

	it('keep a Plek ID with a space (sent encoded) and a number from an expression', () => {
		const schema = schemaOf('get');
		expect(readUserLocator(from({ user: byId('u 1') }), schema)).toEqual({ by: 'id', value: 'u 1' });
		expect(readUserLocator(from({ user: byId(1001) }), schema)).toEqual({ by: 'id', value: '1001' });
	});

	it('name the parameter in the problem', () => {
		const problem = (read: () => unknown): unknown => {
			try {
				read();
			} catch (error) {
				return error;
			}
			return undefined;
		};
		const members = problem(() => readMembers(from({ group: byId('g-1'), members: [] }), new ParameterSchema(addMembers.description)));
		expect(members).toBeInstanceOf(ParameterProblem);
		expect(members).toMatchObject({ parameter: 'Members', message: 'No members given' });
		const user = problem(() => readUserLocator(from({ user: byId('') }), schemaOf('get')));
		expect(user).toBeInstanceOf(ParameterProblem);
		expect(user).toMatchObject({ parameter: 'User', message: 'The Plek ID to look the user up by is empty' });
	});
});

it('the node description is unchanged by the readers (saved workflows keep their parameters)', () => {
	const names = new Plek().description.properties.map((p) => p.name);
	expect(new Set(names)).toEqual(new Set(['resource', 'operation', 'user', 'output', 'fields', 'returnAll', 'limit', 'filterType', 'filterAttribute', 'filterValue', 'filter', 'userName', 'externalId', 'active', 'profileFields', 'options', 'filters', 'group', 'memberIdType', 'members']));
});
