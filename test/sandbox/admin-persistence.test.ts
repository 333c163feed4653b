import axios from 'axios';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RunningSandbox, startSandbox } from '../../sandbox/server';
import { GROUP_SCHEMA, newUser, patch, scimClient } from './helpers';

const http = axios.create({ validateStatus: () => true });

describe('sandbox counters and admin endpoints', () => {
	let sandbox: RunningSandbox;

	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(() => sandbox.close());

	it('counts requests by route template and status, and writes separately', async () => {
		const scim = await scimClient(sandbox);
		sandbox.resetCounters();
		const created = await scim.post('/Users', newUser('c1'));
		await scim.post('/Users', newUser('c1'));
		await scim.patch(`/Users/${created.data.id}`, patch({ op: 'replace', path: 'active', value: false }));
		await scim.get('/Users', { params: { filter: 'externalId eq "c1"' } });
		await scim.get(`/Users/${created.data.id}`);
		await http.get(`${sandbox.scimUrl}/Users`);

		const counters = sandbox.counters();
		expect(counters.byRoute).toEqual({
			'POST /scim/v2/Users': { '201': 1, '409': 1 },
			'PATCH /scim/v2/Users/:id': { '200': 1 },
			'GET /scim/v2/Users': { '200': 1, '401': 1 },
			'GET /scim/v2/Users/:id': { '200': 1 },
		});
		expect(counters.total).toBe(6);
		expect(counters.writes).toBe(3);
		expect(counters.byStatus).toEqual({ '200': 3, '201': 1, '409': 1, '401': 1 });

		const overHttp = await http.get(`${sandbox.url}/_sandbox/counters`);
		expect(overHttp.data).toEqual(counters);
		expect((await http.post(`${sandbox.url}/_sandbox/counters/reset`)).status).toBe(204);
		expect(sandbox.counters().total).toBe(0);
	});

	it('dumps, loads and resets state, and changes fault knobs over HTTP', async () => {
		const loaded = await http.post(`${sandbox.url}/_sandbox/load`, {
			users: [newUser('s1'), newUser('s2')],
			groups: [{ schemas: [GROUP_SCHEMA], displayName: 'Care' }],
		});
		expect(loaded.status).toBe(204);
		const state = await http.get(`${sandbox.url}/_sandbox/state`);
		expect(state.data.users.map((user: any) => user.externalId)).toEqual(['s1', 's2']);
		expect(state.data.groups[0]).toMatchObject({ displayName: 'Care', meta: { version: 'W/"1"' } });

		expect((await http.post(`${sandbox.url}/_sandbox/reset`)).status).toBe(204);
		expect(sandbox.users()).toEqual([]);
		expect(sandbox.groups()).toEqual([]);

		const faults = await http.post(`${sandbox.url}/_sandbox/faults`, { faultRate: 0.5, requestsPerSecond: 10 });
		expect(faults.status).toBe(200);
		expect(sandbox.faults()).toMatchObject({ faultRate: 0.5, requestsPerSecond: 10 });
		sandbox.setFaults({ faultRate: 0, requestsPerSecond: 0 });
		expect(sandbox.counters().total).toBe(0);
	});
});

describe('sandbox seed and persistence files', () => {
	let directory: string;

	beforeEach(() => {
		directory = mkdtempSync(join(tmpdir(), 'plek-sandbox-'));
	});
	afterEach(() => rmSync(directory, { recursive: true, force: true }));

	it('loads a seed file at start', async () => {
		const seedFile = join(directory, 'seed.json');
		writeFileSync(seedFile, JSON.stringify({ users: [newUser('seed1')], groups: [{ displayName: 'All staff' }] }));
		const sandbox = await startSandbox({ seedFile, staticToken: 't' });
		try {
			const response = await http.get(`${sandbox.scimUrl}/Users`, {
				params: { filter: 'externalId eq "seed1"' },
				headers: { Authorization: 'Bearer t' },
			});
			expect(response.data.totalResults).toBe(1);
			expect(sandbox.groups()[0].displayName).toBe('All staff');
		} finally {
			await sandbox.close();
		}
	});

	it('loads the example seed file shipped with the sandbox', async () => {
		const sandbox = await startSandbox({ seedFile: join(__dirname, '..', '..', 'sandbox', 'seed.example.json') });
		try {
			expect(sandbox.users().map((user) => user.userName)).toEqual([
				'j.jansen@acme.example',
				'p.devries@acme.example',
				'admin@acme.example',
			]);
			// One unmanaged account (no externalId), as in a real Plek environment.
			expect(sandbox.users().filter((user) => user.externalId === undefined)).toHaveLength(1);
			expect(sandbox.groups().map((group) => group.displayName)).toEqual(['All staff']);
		} finally {
			await sandbox.close();
		}
	});

	it('refuses a seed file that breaks uniqueness', async () => {
		const seedFile = join(directory, 'seed.json');
		writeFileSync(seedFile, JSON.stringify({ users: [newUser('same'), newUser('same')] }));
		await expect(startSandbox({ seedFile })).rejects.toThrow(/already in use/);
	});

	it('keeps data across restarts in the persist file', async () => {
		const persistFile = join(directory, 'state.json');
		const first = await startSandbox({ persistFile });
		const scim = await scimClient(first);
		const created = await scim.post('/Users', newUser('p1'));
		await scim.patch(`/Users/${created.data.id}`, patch({ op: 'replace', path: 'title', value: 'Nurse' }));
		await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Care', members: [{ value: created.data.id }] });
		await first.close();
		expect(existsSync(persistFile)).toBe(true);
		expect(JSON.parse(readFileSync(persistFile, 'utf8')).users).toHaveLength(1);

		const second = await startSandbox({ persistFile });
		try {
			expect(second.users()).toEqual(first.users());
			const [user] = second.users();
			expect(user).toMatchObject({ id: created.data.id, externalId: 'p1', title: 'Nurse', meta: { version: 'W/"2"' } });
			expect(second.groups()[0].members).toEqual([{ value: created.data.id }]);

			// The restored indexes still enforce uniqueness.
			const again = await (await scimClient(second)).post('/Users', newUser('p1'));
			expect(again.status).toBe(409);
		} finally {
			await second.close();
		}
	});
});
