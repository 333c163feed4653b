/**
 * The sandbox knobs for issue 23's servers do what they say (test/transport/anyServer.integration.test.ts shows the
 * sync surviving each): a test that passed with an inert knob would prove nothing.
 */
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { newUser, patch, scimClient } from './helpers';
import { ENTERPRISE } from '../support/scim';

describe('issue 23 quirk knobs', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 7 });
	});
	afterAll(async () => {
		await sandbox?.close();
	});
	beforeEach(() => {
		sandbox.setFaults({ quirks: {} });
		sandbox.load({
			users: [...Array.from({ length: 7 }, (_, i) => newUser(`k${i}`)), { userName: 'hand@acme.example', active: true }],
			groups: [{ displayName: 'Care', members: [] }],
		});
	});

	const usersIds = () => sandbox.users().filter((u) => u.externalId).map((u) => u.id);

	it('totalResultsAs: the page length, or capped at the page size', async () => {
		const scim = await scimClient(sandbox);
		sandbox.setFaults({ quirks: { pageCap: 3, totalResultsAs: 'pageLength' } });
		expect((await scim.get('/Users?startIndex=7&count=10')).data).toMatchObject({ totalResults: 2, itemsPerPage: 2 });
		sandbox.setFaults({ quirks: { pageCap: 3, totalResultsAs: 'pageSize' } });
		expect((await scim.get('/Users?startIndex=7&count=10')).data).toMatchObject({ totalResults: 3, itemsPerPage: 2 });
	});

	it('externalIdNotUnique: a second account with the same externalId is accepted; userName stays unique', async () => {
		const scim = await scimClient(sandbox);
		sandbox.setFaults({ quirks: { externalIdNotUnique: true } });
		expect((await scim.post('/Users', newUser('k1', { userName: 'other@acme.example' }))).status).toBe(201);
		expect((await scim.post('/Users', newUser('k2'))).status).toBe(409);
		expect((await scim.get('/Users?filter=externalId eq "k1"')).data.totalResults).toBe(2);
	});

	it('hideUnmanagedFromLists: a list leaves out accounts without externalId, a filter finds them', async () => {
		const scim = await scimClient(sandbox);
		sandbox.setFaults({ quirks: { hideUnmanagedFromLists: true } });
		expect((await scim.get('/Users?count=100')).data.Resources).toHaveLength(7);
		expect((await scim.get('/Users?filter=userName eq "hand@acme.example"')).data.Resources).toHaveLength(1);
	});

	it('membership: remove of members with a value removes all; adding a present member adds them twice', async () => {
		const scim = await scimClient(sandbox);
		const group = sandbox.groups()[0];
		const ids = usersIds();
		await scim.patch(`/Groups/${group.id}`, patch({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }));
		sandbox.setFaults({ quirks: { duplicateMemberAdds: true } });
		await scim.patch(`/Groups/${group.id}`, patch({ op: 'add', path: 'members', value: [{ value: ids[0] }] }));
		expect(sandbox.groups()[0].members.filter((m: { value: string }) => m.value === ids[0])).toHaveLength(2);
		sandbox.setFaults({ quirks: { removeMembersWithValueRemovesAll: true } });
		await scim.patch(`/Groups/${group.id}`, patch({ op: 'remove', path: 'members', value: [{ value: ids[1] }] }));
		expect(sandbox.groups()[0].members).toEqual([]);
	});

	it('patchNoContent: 204 without a body, the change applied', async () => {
		const scim = await scimClient(sandbox);
		sandbox.setFaults({ quirks: { patchNoContent: true } });
		const id = usersIds()[0];
		const bare = await scim.patch(`/Users/${id}`, patch({ op: 'replace', path: 'title', value: 'Nurse' }));
		expect([bare.status, bare.data]).toEqual([204, '']);
		expect(sandbox.users().find((u) => u.id === id)?.title).toBe('Nurse');
	});

	it('filters: an escaped quote answers 500 with a stack trace; backslashes are not unescaped', async () => {
		const scim = await scimClient(sandbox);
		sandbox.load({ users: [newUser('a\\b'), newUser('q"x', { userName: 'q@acme.example' })], groups: [] });
		sandbox.setFaults({ quirks: { escapedQuoteFilter500: true, backslashNotUnescaped: true } });
		const quote = await scim.get('/Users', { params: { filter: 'externalId eq "q\\"x"' } });
		expect(quote.status).toBe(500);
		expect(String(quote.data)).toMatch(/at Object\.handle/);
		expect((await scim.get('/Users', { params: { filter: 'externalId eq "a\\\\b"' } })).data.Resources).toHaveLength(0);
		sandbox.setFaults({ quirks: {} });
		expect((await scim.get('/Users', { params: { filter: 'externalId eq "a\\\\b"' } })).data.Resources).toHaveLength(1);
	});

	it('bulkBroken: advertised unsupported, and /Bulk answers 500 with a stack trace', async () => {
		const scim = await scimClient(sandbox);
		sandbox.setFaults({ quirks: { bulkBroken: true } });
		expect((await scim.get('/ServiceProviderConfig')).data.bulk.supported).toBe(false);
		const bulk = await scim.post('/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] });
		expect(bulk.status).toBe(500);
		expect(String(bulk.data)).toMatch(/Bulk is not implemented\n\s+at /);
	});

	it('putMerges: a PUT keeps the attributes it leaves out', async () => {
		const scim = await scimClient(sandbox);
		sandbox.setFaults({ quirks: { putMerges: true } });
		const id = usersIds()[0];
		const put = await scim.put(`/Users/${id}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'k0@acme.example', title: 'Chef' });
		expect(put.status).toBe(200);
		expect(sandbox.users().find((u) => u.id === id)).toMatchObject({ title: 'Chef', name: { givenName: 'Jan' } });
	});

	it('emailFilterQuirks: emails.value eq is a 400 once a user has no e-mail; a filtered e-mail path finds nobody', async () => {
		const scim = await scimClient(sandbox);
		sandbox.setFaults({ quirks: { emailFilterQuirks: true } });
		expect((await scim.get('/Users', { params: { filter: 'emails.value eq "k1@acme.example"' } })).status).toBe(400);
		expect((await scim.get('/Users', { params: { filter: 'emails[type eq "work"].value eq "k1@acme.example"' } })).data.Resources).toEqual([]);
		sandbox.setFaults({ quirks: {} });
		expect((await scim.get('/Users', { params: { filter: 'emails[type eq "work"].value eq "k1@acme.example"' } })).data.Resources).toHaveLength(1);
	});

	it('strictPatchPaths: dotted names without a path, and a path at the extension root, are refused', async () => {
		const scim = await scimClient(sandbox);
		sandbox.setFaults({ quirks: { strictPatchPaths: true } });
		const id = usersIds()[0];
		expect((await scim.patch(`/Users/${id}`, patch({ op: 'replace', value: { 'name.givenName': 'X' } }))).status).toBe(400);
		const root = await scim.patch(`/Users/${id}`, patch({ op: 'replace', path: ENTERPRISE, value: { department: 'Care' } }));
		expect(root.status).toBe(400);
		expect((await scim.patch(`/Users/${id}`, patch({ op: 'replace', path: 'name.givenName', value: 'X' }))).status).toBe(200);
	});

	it('discoveryWithoutAuth: /ServiceProviderConfig answers without a token', async () => {
		const bare = async () => (await fetch(`${sandbox.scimUrl}/ServiceProviderConfig`)).status;
		expect(await bare()).toBe(401);
		sandbox.setFaults({ quirks: { discoveryWithoutAuth: true } });
		expect(await bare()).toBe(200);
	});
});
