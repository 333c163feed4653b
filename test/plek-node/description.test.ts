import type { INodeProperties } from 'n8n-workflow';

import { Plek } from '../../nodes/Plek/Plek.node';
import { BASE, ENTERPRISE, PLEK_EXT, list, loadOptions, mockConfig, mockSchemas, scim, strictNock } from './helpers';

strictNock();

describe('node description', () => {
	const description = new Plek().description;

	it('is the Plek node: plekApi credential, usable as a tool, icons, subtitle', () => {
		expect(description).toMatchObject({
			displayName: 'Plek',
			name: 'plek',
			version: 1,
			usableAsTool: true,
			icon: { light: 'file:plek.svg', dark: 'file:plek.dark.svg' },
			subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
			credentials: [{ name: 'plekApi', required: true }],
		});
	});

	it('offers exactly the operations of the issue, each with an action', () => {
		const operations = (resource: string) =>
			description.properties
				.filter((p: INodeProperties) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource))
				.flatMap((p) => (p.options ?? []) as Array<{ value: string; action?: string }>);
		expect(operations('user').map((o) => o.value).sort()).toEqual(
			['create', 'deactivate', 'get', 'getMany', 'reactivate', 'update'].sort(),
		);
		expect(operations('group').map((o) => o.value).sort()).toEqual(['addMembers', 'getMany', 'removeMembers']);
		expect([...operations('user'), ...operations('group')].every((o) => typeof o.action === 'string')).toBe(true);
	});

	it('has no delete operation anywhere', () => {
		expect(JSON.stringify(description.properties)).not.toMatch(/"value":"delete"/i);
	});
});

describe('loadOptions', () => {
	it('getProfileFields lists the writable, syncable fields from /Schemas plus "Enter a Path"', async () => {
		mockSchemas();
		const options = await loadOptions('getProfileFields');
		const values = options.map((o) => o.value);
		expect(values).toEqual(
			expect.arrayContaining([
				'name.givenName',
				'name.familyName',
				'title',
				'emails[type eq "work"].value',
				`${ENTERPRISE}:department`,
				`${PLEK_EXT}:location`,
				`${PLEK_EXT}:fte`,
				'__custom',
			]),
		);
		for (const refused of [
			'id',
			'userName',
			'active',
			'password',
			'emails.value',
			'emails[type eq "work"].type',
			'photos[type eq "work"].value',
			`${PLEK_EXT}:birthDate`,
			`${PLEK_EXT}:hireDate`,
		]) {
			expect(values).not.toContain(refused);
		}
		expect(options.find((o) => o.value === 'name.givenName')?.description).toBe('First name');
		expect(options.find((o) => o.value === `${ENTERPRISE}:department`)?.name).toBe('department (Enterprise)');
	});

	it('getGroups lists the groups by name with their Plek ID as value', async () => {
		mockConfig();
		scim()
			.get(`${BASE}/Groups`)
			.query((q) => q.startIndex === '1')
			.reply(
				200,
				list([
					{ id: 'g2', displayName: 'IT' },
					{ id: 'g1', displayName: 'Care' },
				]),
			)
			// A list ends at an empty page, not at a totalResults equal to the first page (issue 23).
			.get(`${BASE}/Groups`)
			.query((q) => q.startIndex === '3')
			.reply(200, list([], 2, 3));
		const options = await loadOptions('getGroups');
		expect(options.map(({ name, value }) => ({ name, value }))).toEqual([
			{ name: 'Care', value: 'g1' },
			{ name: 'IT', value: 'g2' },
		]);
	});
});
