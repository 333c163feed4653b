import nock from 'nock';

import { filterEq, scimFilterValue } from '../../transport/filter';
import { ENV, mockTokens, standaloneClient } from './helpers';
import { ENTERPRISE } from '../support/scim';

afterEach(() => nock.cleanAll());

describe('scimFilterValue', () => {
	it('quotes plain values', () => {
		expect(scimFilterValue('jane@acme.test')).toBe('"jane@acme.test"');
	});
	it('escapes double quotes and backslashes (RFC 7644 / JSON string rules)', () => {
		expect(scimFilterValue('a"b\\c')).toBe('"a\\"b\\\\c"');
		expect(scimFilterValue('" or userName pr or "')).toBe('"\\" or userName pr or \\""');
	});
	it('escapes control characters', () => {
		expect(scimFilterValue('a\nb\tc\u0001d\u007f')).toBe('"a\\nb\\tc\\u0001d\\u007f"');
	});
	it('round-trips through JSON.parse, so the server reads back the exact value', () => {
		for (const value of ['a"b\\c', 'x\\"y', '\u0000\u001f', 'ünï©ødé', '\\\\']) {
			expect(JSON.parse(scimFilterValue(value))).toBe(value);
		}
	});
});

describe('filterEq', () => {
	it('builds attribute eq "value"', () => {
		expect(filterEq('externalId', 'a"b')).toBe('externalId eq "a\\"b"');
		expect(filterEq(`${ENTERPRISE}:employeeNumber`, '7')).toBe(`${ENTERPRISE}:employeeNumber eq "7"`);
	});
	it('refuses an attribute that is not a plain path', () => {
		expect(() => filterEq('externalId eq "x" or userName', 'y')).toThrow(/not a SCIM attribute path/);
	});
});

describe('lookups escape the key on the wire', () => {
	it('findUserByExternalId sends the exact escaped filter', async () => {
		mockTokens('tok-1');
		const key = 'emp"42\\x';
		let seenFilter: string | undefined;
		nock(ENV)
			.get('/scim/v2/Users')
			.query((query) => {
				seenFilter = query.filter as string;
				return true;
			})
			.reply(200, { totalResults: 1, Resources: [{ id: 'u1', userName: 'a', externalId: key }] });
		const { client } = standaloneClient({ pageSize: 50 });
		const user = await client.findUserByExternalId(key);
		expect(seenFilter).toBe('externalId eq "emp\\"42\\\\x"');
		expect(user?.id).toBe('u1');
	});

	it('ignores a result whose externalId is not exactly the key', async () => {
		mockTokens('tok-1');
		nock(ENV)
			.get('/scim/v2/Users')
			.query(true)
			.reply(200, { totalResults: 1, Resources: [{ id: 'u1', userName: 'a', externalId: 'EMP1' }] });
		const { client } = standaloneClient({ pageSize: 50 });
		expect(await client.findUserByExternalId('emp1')).toBeUndefined();
	});

	it('group member removal escapes the member id in the path filter', async () => {
		mockTokens('tok-1');
		let body: any;
		nock(ENV)
			.patch('/scim/v2/Groups/g1', (b) => {
				body = b;
				return true;
			})
			.reply(204);
		const { client } = standaloneClient();
		await client.removeGroupMembers('g1', ['u"1', 'u2']);
		expect(body.Operations).toEqual([
			{ op: 'remove', path: 'members[value eq "u\\"1"]' },
			{ op: 'remove', path: 'members[value eq "u2"]' },
		]);
	});
});
