// The Plek node against the real sandbox (real HTTP, scimmy-backed SCIM): every operation end to end through the
// same harness as the nock tests, with a static bearer token (the Entra-style credential mode).
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/server';
import { Plek } from '../../nodes/Plek/Plek.node';
import { runLoadOptions, runNode } from '../support/nodeHarness';
import { axiosRequest } from './helpers';
import { ENTERPRISE, PLEK_EXTENSION as PLEK_EXT } from '../support/scim';

const STATIC_TOKEN = 'sandbox-static-token-for-plek-node';

let sandbox: RunningSandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ staticToken: STATIC_TOKEN, quiet: true });
});
afterAll(async () => {
	await sandbox?.close();
});

function harness(parameters: INodeParameters, input: IDataObject[] = [{}], continueOnFail = false) {
	return {
		parameters,
		input,
		continueOnFail,
		credentials: {
			plekApi: {
				environmentUrl: sandbox.url,
				authentication: 'accessToken',
				accessToken: STATIC_TOKEN,
				scimBasePath: '/scim/v2',
			},
		},
		httpRequestWithAuthentication: async (request: Parameters<typeof axiosRequest>[0]) =>
			await axiosRequest(request, STATIC_TOKEN),
	};
}

async function plek(parameters: INodeParameters, input?: IDataObject[], continueOnFail?: boolean) {
	return await runNode(new Plek(), harness(parameters, input, continueOnFail));
}

it('runs every operation against the sandbox, and never deletes', async () => {
	const key = 'E-"quoted"\\1';
	const created = await plek({
		resource: 'user',
		operation: 'create',
		userName: 'j.jansen@acme.example',
		externalId: key,
		profileFields: {
			field: [
				{ path: 'name.givenName', value: 'Jan' },
				{ path: 'name.familyName', value: 'Jansen' },
				{ path: 'emails[type eq "work"].value', value: 'j.jansen@acme.example' },
				{ path: `${ENTERPRISE}:department`, value: 'Care' },
				{ path: `${PLEK_EXT}:location`, value: 'Utrecht' },
			],
		},
	});
	const id = created.json()[0].id as string;
	expect(id).toBeTruthy();

	const fetched = await plek({ resource: 'user', operation: 'get', user: { __rl: true, mode: 'externalId', value: key }, output: 'raw' });
	expect(fetched.json()[0]).toMatchObject({ id, externalId: key, name: { givenName: 'Jan', familyName: 'Jansen' } });
	expect((fetched.json()[0][ENTERPRISE] as IDataObject).department).toBe('Care');

	const updated = await plek({
		resource: 'user',
		operation: 'update',
		user: { __rl: true, mode: 'id', value: id },
		profileFields: { field: [{ path: 'title', value: 'Nurse' }, { path: `${PLEK_EXT}:location`, value: '' }] },
		options: { clearEmptyValues: true },
	});
	expect(updated.json()[0].title).toBe('Nurse');
	expect((updated.json()[0][PLEK_EXT] as IDataObject | undefined)?.location).toBeUndefined();

	const refused = await plek(
		{
			resource: 'user',
			operation: 'update',
			user: { __rl: true, mode: 'id', value: id },
			profileFields: { field: [{ path: '__custom', customPath: `${PLEK_EXT}:birthDate`, value: '1990-01-01' }] },
		},
		[{}],
		true,
	);
	expect(refused.json()[0].error).toMatch(/birthDate/);

	await axiosRequest(
		{
			method: 'POST',
			url: `${sandbox.scimUrl}/Groups`,
			body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'All staff' },
			returnFullResponse: true,
		},
		STATIC_TOKEN,
	);
	const added = await plek({
		resource: 'group',
		operation: 'addMembers',
		group: { __rl: true, mode: 'name', value: 'All staff' },
		memberIdType: 'externalId',
		members: key,
	});
	expect(added.json()[0]).toMatchObject({ groupName: 'All staff', count: 1 });

	const groups = await plek({ resource: 'group', operation: 'getMany', returnAll: true, options: { includeMembers: true } });
	expect(groups.json().find((g) => g.displayName === 'All staff')?.members).toEqual([
		expect.objectContaining({ value: id }),
	]);
	const groupOptions = await runLoadOptions(new Plek(), 'getGroups', harness({}));
	expect(groupOptions.map((o) => o.name)).toContain('All staff');

	const removed = await plek({
		resource: 'group',
		operation: 'removeMembers',
		group: { __rl: true, mode: 'name', value: 'All staff' },
		memberIdType: 'id',
		members: id,
	});
	expect(removed.json()[0].count).toBe(1);
	expect(sandbox.groups().find((g) => g.displayName === 'All staff')?.members ?? []).toEqual([]);

	const deactivated = await plek({ resource: 'user', operation: 'deactivate', user: { __rl: true, mode: 'externalId', value: key } });
	expect(deactivated.json()[0]).toMatchObject({ id, active: false });
	const reactivated = await plek({ resource: 'user', operation: 'reactivate', user: { __rl: true, mode: 'id', value: id } });
	expect(reactivated.json()[0]).toMatchObject({ id, active: true });

	const many = await plek({ resource: 'user', operation: 'getMany', filterType: 'attribute', filterAttribute: 'externalId', filterValue: key });
	expect(many.json().map((u) => u.id)).toEqual([id]);

	const routes = Object.keys(sandbox.counters().byRoute);
	expect(routes.filter((route) => route.startsWith('DELETE'))).toEqual([]);
	expect(sandbox.users()).toHaveLength(1);
});

it('getProfileFields reads the sandbox /Schemas and leaves out photos and birthDate', async () => {
	const options = await runLoadOptions(new Plek(), 'getProfileFields', harness({}));
	const values = options.map((o) => o.value);
	expect(values).toEqual(expect.arrayContaining(['name.givenName', `${ENTERPRISE}:department`, `${PLEK_EXT}:location`]));
	expect(values.some((v) => /photo|birth/i.test(String(v)))).toBe(false);
});
